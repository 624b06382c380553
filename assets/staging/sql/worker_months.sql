-- staging.worker_months
-- Grain: one row per worker spell x calendar month inside P in which the spell is in post on
-- the first and on the last day of the month (an eligible worker-month, docs/design.md §4
-- "supervision_compliance"), agency spells included. Sessions are the worker's supervision
-- sessions dated in that month (from the same reporting_year's supervision extract).
-- Compliance: at least one session in the month; for an ASYE spell, every interval of the ASYE
-- supervision schedule (authority.yml `asye_supervision`, staging.asye_schedule; the ASYE
-- framework by default: weekly for 6 weeks, fortnightly to 6 months, then monthly) that
-- overlaps the month holds a session. Intervals are counted from the spell's role_start_date;
-- a phase's intervals run whole, the next phase starting where its last one ends; an interval
-- still open at R is not judged (its session may come after R).
with recursive

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

schedule as (
    select *,
        to_days(coalesce(every_days, 0)) + to_months(coalesce(every_months, 0)) as every,
        to_days(coalesce(until_days, 0)) + to_months(coalesce(until_months, 0)) as until,
        until_days is null and until_months is null as runs_on
    from staging.asye_schedule
),

asye_spells as (
    select s.reporting_year, s.worker_id, s.role_start_date, p.reference_date
    from spells as s
    inner join periods as p using (reporting_year)
    where s.asye = 1
),

asye_intervals as (
    select reporting_year, worker_id, role_start_date, reference_date, 1 as phase,
        role_start_date as interval_start
    from asye_spells
    union all
    select i.reporting_year, i.worker_id, i.role_start_date, i.reference_date,
        case
            when c.runs_on or (i.interval_start + c.every)::date < (i.role_start_date + c.until)::date
                then i.phase
            else i.phase + 1
        end,
        (i.interval_start + c.every)::date
    from asye_intervals as i
    inner join schedule as c on c.reporting_year = i.reporting_year and c.phase = i.phase
    where (i.interval_start + c.every)::date <= i.reference_date
),

asye_judged as (
    select i.*, (i.interval_start + c.every)::date as interval_end,
        exists (
            select 1 from staging.supervision_sessions as x
            where x.reporting_year = i.reporting_year and x.worker_id = i.worker_id
                and x.session_date >= i.interval_start
                and x.session_date < (i.interval_start + c.every)::date
        ) as held
    from asye_intervals as i
    inner join schedule as c on c.reporting_year = i.reporting_year and c.phase = i.phase
    where (i.interval_start + c.every)::date <= i.reference_date + 1
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
        s.role_start_date,
        m.month_start,
        m.month_end
    from spells as s
    inner join months as m
        on m.reporting_year = s.reporting_year
        and s.role_start_date <= m.month_start
        and (s.role_end_date is null or s.role_end_date > m.month_end)
),

asye_months as (
    select e.reporting_year, e.worker_id, e.role_start_date, e.month_start,
        count(*) as intervals_due, count(*) filter (where j.held) as intervals_held
    from eligible as e
    inner join asye_judged as j
        on j.reporting_year = e.reporting_year and j.worker_id = e.worker_id
        and j.role_start_date = e.role_start_date
        and j.interval_start <= e.month_end and j.interval_end > e.month_start
    where e.asye = 1
    group by all
),

final as (
    select
        e.* exclude (role_start_date),
        coalesce(x.sessions, 0) as sessions,
        coalesce(a.intervals_due, 1) as sessions_required,
        case
            when a.intervals_due is not null then a.intervals_held = a.intervals_due
            else coalesce(x.sessions, 0) >= 1
        end as is_compliant
    from eligible as e
    left join sessions as x
        on x.reporting_year = e.reporting_year
        and x.worker_id = e.worker_id
        and x.month_start = e.month_start
    left join asye_months as a
        on a.reporting_year = e.reporting_year
        and a.worker_id = e.worker_id
        and a.role_start_date = e.role_start_date
        and a.month_start = e.month_start
)

select * from final
