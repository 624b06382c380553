-- staging.case_allocations
-- Grain: one row per allocation of a case to a worker, per reporting_year: one row per
-- raw.caseload row; or, for a year without a caseload extract, one row per case a worker held
-- at the reference date by the census's Cases30 (hr_workforce.cases_held), so that
-- caseload_fte follows DfE's definition from the census (docs/measures.md). When both are
-- there, the caseload extract wins. An allocation is open on D when allocated <= D and
-- (deallocated blank or deallocated > D) (docs/design.md §4 "Notation").
-- Materialised: view (one row per source row, nothing aggregated: reading it costs less
-- than writing it).
with

-- raw.caseload, or an empty relation of its shape when no year has one (models.py). Not
-- materialised: it is read twice, and a materialised copy would read every column of 1M rows
-- even for a count of the view.
source as not materialized (
    select * from optional_caseload
),

periods as (
    select * from staging.periods
),

extract_years as (
    select distinct reporting_year from source
),

-- Each case held at R becomes an allocation open at R; case_type 'cases30' marks the source.
census_cases as (
    select
        w.reporting_year,
        -- a BLOB like the pseudonymised case ids, longer than their 16 bytes: never equal to one
        encode('cases30:') || w.worker_id || encode(':' || w.service || ':' || n.i::varchar)
            as case_id,
        w.worker_id,
        w.service,
        'cases30' as case_type,
        p.reference_date as allocated_date,
        null::date as deallocated_date
    from raw.hr_workforce as w
    inner join periods as p on p.reporting_year = w.reporting_year
    cross join unnest(range(w.cases_held)) as n (i)
    where w.cases_held > 0
        and w.reporting_year not in (select reporting_year from extract_years)
        and w.role_start_date <= p.reference_date
        and (w.role_end_date is null or w.role_end_date > p.reference_date)
),

allocations as (
    select reporting_year, case_id, worker_id, service, case_type, allocated_date,
        deallocated_date
    from source
    union all
    select * from census_cases
),

final as (
    select
        c.reporting_year,
        c.case_id,
        c.worker_id,
        c.service,
        c.case_type,
        c.allocated_date,
        c.deallocated_date,
        c.allocated_date <= p.reference_date
            and (c.deallocated_date is null or c.deallocated_date > p.reference_date)
            as open_at_reference_date
    from allocations as c
    inner join periods as p on p.reporting_year = c.reporting_year
)

select * from final
