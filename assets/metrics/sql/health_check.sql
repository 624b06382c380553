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
--
-- A year whose health check arrived as the LGA's aggregate report (answers counted per item,
-- staging.survey_item_counts with source 'aggregate') has no respondent rows: the same measures
-- come from the counts, with the same point estimates (an answer's score and favourability
-- depend on the answer alone). Their intervals use a design-effect correction (Kish):
-- deff = 1 + (m - 1)ρ with m = answers per respondent in the cell; counts cannot estimate ρ, so
-- the cautious ρ = 1 gives deff = m (at least 1), m = answers / the most who answered any one
-- item of the cell. A share gets the Wilson interval on answers / deff, a score r ± 1.96 x
-- sqrt(s² x deff / answers), s² the variance of the answers' scores. Hours over contract needs
-- respondent rows, so an aggregate service has none ([x]).
with

item_counts as (
    select * from staging.survey_item_counts where reporting_year = $reporting_year
),

-- Any service on the aggregate report puts the whole year on the counts, so that the "all"
-- figures pool every service the same way; respondent-row services keep deff = 1.
on_counts as (
    select count(*) filter (where source = 'aggregate') > 0 as yes from item_counts
),

answers as (
    select * from staging.survey_answers
    where reporting_year = $reporting_year and not (select yes from on_counts)
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

effective_rows as (
    select *,
        case
            when ratio <= 0 or ratio >= 1 or variance is null then respondents
            when variance = 0 then answers
            else least(answers, ratio * (1 - ratio) / variance)
        end as n_effective
    from variances
),

-- The counts path: how many gave each answer to each item (x service and role group, whose
-- respondents are different people), scored as staging.survey_answers scores one answer.
answer_counts as (
    unpivot (select * from item_counts where (select yes from on_counts))
    on answer_1, answer_2, answer_3, answer_4, answer_5
    into name answer_column value n
),

scored_answer_counts as (
    select *,
        (case when reverse_scored = 1 then 6 - answer else answer end - 1) / 4.0 * 100
            as score,
        case when reverse_scored = 1 then answer <= 2 else answer >= 4 end as is_favourable
    from (select *, right(answer_column, 1)::integer as answer from answer_counts)
),

scored_counts as (
    select
        reporting_year, service, role_group, item_id, standard, theme, item_text,
        reverse_scored, answered, source,
        case when standard = 0 then 'health_check_score_wellbeing'
            else 'health_check_score_standard_' || standard::varchar
        end as score_measure,
        sum(n * score) as score_sum,
        sum(n * score * score) as score_square_sum,
        coalesce(sum(n) filter (where is_favourable), 0) as favourable,
        coalesce(sum(n) filter (where answer >= 4), 0) as agree
    from scored_answer_counts
    group by all
),

scoped_counts as (
    select service as scope, * from scored_counts
    union all
    select 'all' as scope, * from scored_counts
),

count_cells_by_group as (
    -- per service and role group: answers, and the most who answered any one item (the fewest
    -- respondents the answers can have come from, so deff = m errs on the wide side)
    select scope, score_measure as measure, null as breakdown, null as category,
        false as is_share, service, role_group, sum(score_sum) as y,
        sum(score_square_sum) as y2, sum(answered) as m, max(answered) as people,
        bool_or(source = 'aggregate') as is_aggregate
    from scoped_counts
    where standard between 0 and 8
    group by scope, score_measure, service, role_group
    union all
    select scope, score_measure, 'role_group', role_group, false, service, role_group,
        sum(score_sum), sum(score_square_sum), sum(answered), max(answered),
        bool_or(source = 'aggregate')
    from scoped_counts
    where standard between 0 and 8 and role_group <> ''
    group by scope, score_measure, service, role_group
    union all
    select scope, 'health_check_favourable_' || theme, null, null, true, service, role_group,
        sum(favourable), null, sum(answered), max(answered),
        bool_or(source = 'aggregate')
    from scoped_counts
    where theme is not null
    group by scope, theme, service, role_group
),

count_cells as (
    select scope, measure, breakdown, category, is_share, sum(y) / sum(m) as ratio,
        sum(y) as total_y, sum(y2) as total_y2, sum(m) as answers, sum(people) as respondents,
        case when bool_or(is_aggregate) then greatest(1, sum(m) / sum(people)) else 1 end
            as design_effect
    from count_cells_by_group
    group by scope, measure, breakdown, category, is_share
    having sum(m) > 0
),

effective_counts as (
    select scope, measure, breakdown, category, is_share, ratio, total_y, answers, respondents,
        -- a score's variance of the mean, inflated by the design effect; shares use n / deff
        case when not is_share and answers > 1 then
            greatest(0, total_y2 - answers * ratio * ratio) / (answers - 1)
            * design_effect / answers
        end as variance,
        answers / design_effect as n_effective
    from count_cells
),

effective as (
    select scope, measure, breakdown, category, is_share, ratio, total_y, answers, respondents,
        variance, n_effective
    from effective_rows
    union all
    select * from effective_counts
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
    union all
    select scope, 'health_check_agree_item',
        'item:' || theme || ':' || case when reverse_scored = 1 then 'disagree' else 'agree' end,
        item_text, 100 * sum(agree) / sum(answered), sum(agree), sum(answered), null, null
    from scoped_counts
    where theme is not null
    group by scope, theme, reverse_scored, item_text
    having sum(answered) > 0
    -- Local item: mean hours a week worked over contract, over respondents who answered.
    union all
    select scope, 'hours_over_contract_mean', null, null, avg(hours_over_contract),
        sum(hours_over_contract), count(hours_over_contract), null, null
    from scoped_responses
    where hours_over_contract is not null
        -- on an aggregate year only a service with respondent rows has it, and "all" does not
        and (scope <> 'all' or not (select yes from on_counts))
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
