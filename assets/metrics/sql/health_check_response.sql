-- Health check response rate (docs/design.md §4): 100 x responses / headcount invited.
-- Source: LGA Social Work Health Check. Grain: one row per service (children, adults, all).
-- Responses per service come from staging.survey_item_counts, whichever form the survey
-- arrived in: with respondent rows every respondent is counted at every item (answered or
-- blank); on the LGA's aggregate report, the most who saw any one item. Only the services the
-- survey covered have a rate: a one-service survey leaves the other service without a row
-- ([x] in the report), and "all" is over the surveyed services.
with

responses as (
    select service, sum(seen) as responses
    from (
        select service, role_group, max(answered + blank) as seen
        from staging.survey_item_counts
        where reporting_year = $reporting_year
        group by service, role_group
    )
    group by service
),

invited as (
    select service, sum(invited) as invited
    from staging.survey_invited
    where reporting_year = $reporting_year
    group by service
),

by_service as (
    select i.service, r.responses, i.invited
    from invited as i
    inner join responses as r using (service)
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
