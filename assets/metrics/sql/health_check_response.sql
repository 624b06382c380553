-- Health check response rate (docs/design.md §4): 100 x responses / headcount invited.
-- Source: LGA Social Work Health Check. Grain: one row per service (children, adults, all).
with

responses as (
    select service, count(*) as responses
    from staging.survey_responses
    where reporting_year = $reporting_year
    group by service
),

invited as (
    select service, sum(invited) as invited
    from staging.survey_invited
    where reporting_year = $reporting_year
    group by service
),

by_service as (
    select i.service, coalesce(r.responses, 0) as responses, i.invited
    from invited as i
    left join responses as r using (service)
),

combined as (
    select * from by_service
    union all
    select 'all', sum(responses), sum(invited) from by_service having count(*) > 0
),

final as (
    select
        service,
        'health_check_response_rate' as measure,
        null::varchar as breakdown,
        null::varchar as category,
        null::date as month_end,
        (100 * responses / nullif(invited, 0))::double as value,
        responses::double as numerator,
        invited::double as denominator
    from combined
)

select * from final
