-- The social work health check (docs/design.md §4 "Practice and survey measures"): scores by
-- standard (and by standard x role_group), the share agreeing with each item, the favourable
-- share of each theme, hours over contract.
-- Grain of the result: one row per measure x service (x role_group, or x item).
-- Source: LGA Standards for employers of social workers and the Social Work Health Check.
--
-- Survey intervals take the respondent as the unit (docs/measures.md "Intervals"): every
-- respondent answers several items, so answers are clustered. For a ratio r = Σy / Σm over
-- respondents i (y = the respondent's favourable answers or summed scores, m = their answers),
-- the linearised (Taylor) variance is n / (n - 1) x Σ (y_i - r m_i)² / (Σm)². A favourable
-- share gets a Wilson interval on the effective sample size p(1 - p) / variance (at most the
-- number of answers, so the design effect is never below 1; the number of respondents when
-- p is 0 or 1); a score gets r ± 1.96 x standard error, within 0 to 100.
with

answers as (
    select * from staging.survey_answers where reporting_year = $reporting_year
),

responses as (
    select * from staging.survey_responses where reporting_year = $reporting_year
),

scoped_answers as (
    select service as scope, * from answers
    union all
    select 'all' as scope, * from answers
),

scoped_responses as (
    select service as scope, * from responses
    union all
    select 'all' as scope, * from responses
),

named_answers as (
    select
        *,
        case when standard = 0 then 'health_check_score_wellbeing'
            else 'health_check_score_standard_' || standard::varchar
        end as score_measure
    from scoped_answers
    where standard between 0 and 8
),

-- One row per cell x respondent: y and m of the ratio, and whether the cell is a share.
by_respondent as (
    select scope, score_measure as measure, null as breakdown, null as category,
        false as is_share, response_id, sum(score) as y, count(*) as m
    from named_answers
    group by scope, score_measure, response_id
    union all
    select scope, score_measure, 'role_group', role_group, false, response_id, sum(score),
        count(*)
    from named_answers
    group by scope, score_measure, role_group, response_id
    union all
    -- LGA health check themes: favourable answers once each item's polarity is aligned.
    select scope, 'health_check_favourable_' || theme, null, null, true, response_id,
        count(*) filter (where is_favourable), count(*)
    from scoped_answers
    where theme is not null
    group by scope, theme, response_id
),

cells as (
    select scope, measure, breakdown, category, is_share,
        sum(y) / sum(m) as ratio, sum(y) as total_y, sum(m) as answers,
        count(*) as respondents
    from by_respondent
    group by scope, measure, breakdown, category, is_share
),

variances as (
    -- the sum of doubles is ordered, so the result does not depend on DuckDB's threads
    select c.scope, c.measure, c.breakdown, c.category, c.is_share, c.ratio, c.total_y,
        c.answers, c.respondents,
        case when c.respondents > 1 then
            c.respondents / (c.respondents - 1)
            * sum(power(r.y - c.ratio * r.m, 2) order by r.response_id) / power(c.answers, 2)
        end as variance
    from cells as c
    inner join by_respondent as r
        on r.scope = c.scope and r.measure = c.measure
        and r.breakdown is not distinct from c.breakdown
        and r.category is not distinct from c.category
    group by c.scope, c.measure, c.breakdown, c.category, c.is_share, c.ratio, c.total_y,
        c.answers, c.respondents
),

effective as (
    select *,
        case
            when ratio <= 0 or ratio >= 1 or variance is null then respondents
            when variance = 0 then answers
            else least(answers, ratio * (1 - ratio) / variance)
        end as n_effective
    from variances
),

clustered as (
    -- Shares: percent, with the Wilson interval on the effective sample size.
    select scope, measure, breakdown, category,
        100 * ratio as value, total_y as numerator, answers as denominator,
        100 * greatest(0, centre - half) as ci_lower, 100 * least(1, centre + half) as ci_upper
    from (
        select *,
            (ratio + 1.959964 ^ 2 / (2 * n_effective)) / (1 + 1.959964 ^ 2 / n_effective)
                as centre,
            1.959964 / (1 + 1.959964 ^ 2 / n_effective) * sqrt(
                ratio * (1 - ratio) / n_effective
                + 1.959964 ^ 2 / (4 * n_effective ^ 2)) as half
        from effective
        where is_share
    )
    union all
    -- Scores: mean over answers; denominator = respondents who answered at least one item.
    select scope, measure, breakdown, category, ratio, null, respondents,
        greatest(0, ratio - 1.959964 * sqrt(variance)),
        least(100, ratio + 1.959964 * sqrt(variance))
    from effective
    where not is_share
),

measures as (
    select scope, measure, breakdown, category, value, numerator, denominator, ci_lower,
        ci_upper
    from clustered
    -- LGA health check items: the share agreeing (4 or 5) with each statement, as given.
    -- One answer per respondent, so a Wilson interval (measures.py) is right. The breakdown
    -- names the item's theme and whether agreeing is favourable (codebook reverse_scored).
    union all
    select scope, 'health_check_agree_item',
        'item:' || theme || ':' || case when reverse_scored = 1 then 'disagree' else 'agree' end,
        item_text,
        100 * count(*) filter (where is_agree) / count(*), count(*) filter (where is_agree),
        count(*), null, null
    from scoped_answers
    where theme is not null
    group by scope, theme, reverse_scored, item_text
    -- Local item: mean hours a week worked over contract, over respondents who answered.
    union all
    select scope, 'hours_over_contract_mean', null, null, avg(hours_over_contract),
        sum(hours_over_contract), count(hours_over_contract), null, null
    from scoped_responses
    where hours_over_contract is not null
    group by scope
),

final as (
    select
        scope as service,
        measure,
        breakdown::varchar as breakdown,
        category::varchar as category,
        null::date as month_end,
        value::double as value,
        numerator::double as numerator,
        denominator::double as denominator,
        ci_lower::double as ci_lower,
        ci_upper::double as ci_upper
    from measures
)

select * from final
