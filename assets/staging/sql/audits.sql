-- staging.audits
-- Grain: one row per case audit (one row per raw.audits row), per reporting_year.
-- Materialised: view (one row per source row, nothing aggregated: reading it costs less
-- than writing it).
with

source as (
    select * from raw.audits
),

periods as (
    select * from staging.periods
),

final as (
    select
        a.reporting_year,
        a.audit_id,
        a.case_id,
        a.worker_id,
        a.service,
        a.audit_date,
        a.grade,
        coalesce(a.audit_date between p.period_start and p.reference_date, false)
            as audited_in_period,
        a.grade in ('good', 'outstanding') as is_good_or_better
    from source as a
    inner join periods as p on p.reporting_year = a.reporting_year
)

select * from final
