-- staging.worker_spells
-- Grain: one row per employment spell of a social worker in a service, per reporting_year
-- (one row per row of that year's raw.hr_workforce). Key: (reporting_year, source_sha256,
-- source_row). Flags follow docs/design.md §4 "Notation": in post on D = start <= D and (end blank or
-- end > D); P = period_start..reference_date inclusive.
-- Moves between services (docs/design.md §4): a spell ending with reason_leave 7 where the same worker
-- starts a spell in the other service 0-7 days after that end. Matches are looked for in every
-- year's extract (a move across the reporting-date boundary sits in two extracts).
with

source as (
    select * from raw.hr_workforce
),

periods as (
    select * from staging.periods
),

move_ends as (
    select distinct worker_id, service, role_end_date
    from source
    where reason_leave = 7 and role_end_date is not null
),

-- Each move once: an end with reason 7 and a start of the same worker in the other service
-- 0-7 days after it. A join from the few move ends, rather than two lookups per spell.
moves as materialized (
    select distinct
        e.worker_id,
        e.service as from_service,
        e.role_end_date,
        s.service as to_service,
        s.role_start_date
    from move_ends as e
    inner join source as s
        on s.worker_id = e.worker_id
        and s.service <> e.service
        and s.role_start_date between e.role_end_date
            and (e.role_end_date + interval 7 day)::date
),

move_outs as (
    select distinct worker_id, from_service as service, role_end_date from moves
),

move_ins as (
    select distinct worker_id, to_service as service, role_start_date from moves
),

renamed as (
    select
        s.reporting_year,
        s.source_sha256,
        s.source_row,
        s.worker_id,
        s.service,
        s.team,
        s.org_role,
        coalesce(s.agency_worker, 0) as agency_worker,
        -- Exact decimal FTE: sums of DOUBLE in parallel aggregates vary in the last bits
        -- between runs; a DECIMAL sum is the same every time (byte-identical outputs).
        s.fte::decimal(18, 9) as fte,
        s.role_start_date,
        s.role_end_date,
        s.start_origin,
        s.reason_leave,
        s.leaver_destination,
        s.gender,
        s.ethnicity,
        s.age_band,
        s.qual_level,
        coalesce(s.step_up_grad, 0) as step_up_grad,
        coalesce(s.frontline_grad, 0) as frontline_grad,
        coalesce(s.international_recruit, 0) as international_recruit,
        coalesce(s.apprentice, 0) as apprentice,
        coalesce(s.asye, 0) as asye,
        -- Whether the extract carries the ASYE flag at all (the 2025 census has no
        -- CFKSSstatus): a year where no spell does cannot report ASYE figures.
        s.asye is not null as asye_recorded,
        s.working_days_lost::decimal(18, 6) as working_days_lost,  -- exact sums
        s.stress_days_lost::decimal(18, 6) as stress_days_lost,
        p.period_start,
        p.reference_date
    from source as s
    inner join periods as p on p.reporting_year = s.reporting_year
),

flagged as (
    select
        r.*,
        r.role_start_date <= r.reference_date
            and (r.role_end_date is null or r.role_end_date > r.reference_date)
            as in_post_at_reference_date,
        r.role_start_date <= r.reference_date
            and (r.role_end_date is null
                or (r.role_end_date > r.period_start and r.role_end_date > r.role_start_date))
            as active_in_period,
        r.role_start_date between r.period_start and r.reference_date as starts_in_period,
        coalesce(r.role_end_date between r.period_start and r.reference_date, false)
            as ends_in_period,
        r.role_start_date <= (r.reference_date - interval 2 year)::date as started_two_years_before,
        coalesce(r.reason_leave = 7 and o.worker_id is not null, false) as is_move_out,
        i.worker_id is not null as is_move_in
    from renamed as r
    left join move_outs as o
        on o.worker_id = r.worker_id and o.service = r.service
        and o.role_end_date = r.role_end_date
    left join move_ins as i
        on i.worker_id = r.worker_id and i.service = r.service
        and i.role_start_date = r.role_start_date
),

final as (
    select
        *,
        starts_in_period and not is_move_in as starts_in_period_all,
        ends_in_period and not is_move_out as ends_in_period_all
    from flagged
)

select * from final
