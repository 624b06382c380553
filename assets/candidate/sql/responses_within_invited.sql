-- XEX-006: survey responses per service do not exceed the number invited.
-- XEX-007 (warning): a service with responses but no invited row has no response rate.
with responses as (
    select service, count(*) as responses
    from health_check_responses
    where service is not null
    group by service
),

invited as (
    select service, min(source_row) as row, sum(invited) as invited
    from health_check_invited
    where service is not null
    group by service
),

final as (
    select
        case when i.service is null then 'XEX-007' else 'XEX-006' end as rule,
        i.row,
        r.service,
        i.invited,
        r.responses
    from responses as r
    left join invited as i using (service)
    where i.service is null or r.responses > i.invited
)

select * from final order by rule, service
