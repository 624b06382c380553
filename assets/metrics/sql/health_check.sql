-- The social work health check (DESIGN §4 "Practice and survey measures"): scores by
-- standard (and by standard x role_group), agree shares by theme, hours over contract.
-- Grain of the result: one row per measure x service (x role_group for the breakdown).
-- Source: LGA Standards for employers of social workers and the Social Work Health Check.
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

measures as (
    -- LGA health check: mean item score out of 100 (reverse-scored items reversed);
    -- denominator = respondents who answered at least one of the standard's items.
    select scope, score_measure as measure, null as breakdown, null as category,
        avg(score) as value, null as numerator, count(distinct response_id) as denominator
    from named_answers
    group by scope, score_measure
    union all
    select scope, score_measure, 'role_group', role_group, avg(score), null,
        count(distinct response_id)
    from named_answers
    group by scope, score_measure, role_group
    -- LGA health check themes: share of answers of 4 or 5 (as given, not reversed).
    union all
    select scope, 'health_check_agree_' || theme, null, null,
        100 * count(*) filter (where is_agree) / count(*), count(*) filter (where is_agree),
        count(*)
    from scoped_answers
    where theme is not null
    group by scope, theme
    -- Local item: mean hours a week worked over contract, over respondents who answered.
    union all
    select scope, 'hours_over_contract_mean', null, null, avg(hours_over_contract),
        sum(hours_over_contract), count(hours_over_contract)
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
        denominator::double as denominator
    from measures
)

select * from final
