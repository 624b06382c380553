-- staging.case_allocations
-- Grain: one row per allocation of a case to a worker (one row per raw.caseload row), per
-- reporting_year. An allocation is open on D when allocated <= D and (deallocated blank or
-- deallocated > D) (DESIGN §4 "Notation").
with

source as (
    select * from raw.caseload
),

periods as (
    select * from staging.periods
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
    from source as c
    inner join periods as p on p.reporting_year = c.reporting_year
)

select * from final
