-- staging.worker_months
-- Grain: one row per worker spell x calendar month inside P in which the spell is in post on
-- the first and on the last day of the month (an eligible worker-month, DESIGN §4
-- "supervision_compliance"), agency spells included. Sessions are the worker's supervision
-- sessions dated in that month (from the same reporting_year's supervision extract).
with

spells as (
    select * from staging.worker_spells
),

periods as (
    select * from staging.periods
),

months as (
    select
        reporting_year,
        month_start::date as month_start,
        last_day(month_start)::date as month_end
    from (
        select
            reporting_year,
            reference_date,
            unnest(generate_series(period_start, reference_date, interval 1 month)) as month_start
        from periods
    )
    where last_day(month_start) <= reference_date
),

sessions as (
    select
        reporting_year,
        worker_id,
        date_trunc('month', session_date)::date as month_start,
        count(*) as sessions
    from staging.supervision_sessions
    group by all
),

eligible as (
    select
        s.reporting_year,
        s.source_sha256,
        s.source_row,
        s.worker_id,
        s.service,
        s.agency_worker,
        s.asye,
        m.month_start,
        m.month_end
    from spells as s
    inner join months as m
        on m.reporting_year = s.reporting_year
        and s.role_start_date <= m.month_start
        and (s.role_end_date is null or s.role_end_date > m.month_end)
),

final as (
    select
        e.*,
        coalesce(x.sessions, 0) as sessions,
        case when e.asye = 1 then 2 else 1 end as sessions_required,
        coalesce(x.sessions, 0) >= case when e.asye = 1 then 2 else 1 end as is_compliant
    from eligible as e
    left join sessions as x
        on x.reporting_year = e.reporting_year
        and x.worker_id = e.worker_id
        and x.month_start = e.month_start
)

select * from final
