-- staging.learning_activities
-- Grain: one row per completed learning activity (one row per raw.learning row), per
-- reporting_year.
-- Materialised: view (one row per source row, nothing aggregated: reading it costs less
-- than writing it).
with

source as (
    select * from raw.learning
),

periods as (
    select * from staging.periods
),

final as (
    select
        l.reporting_year,
        l.worker_id,
        l.activity,
        l.category,
        l.hours::decimal(18, 6) as hours,  -- exact sums (see worker_spells.sql)
        l.completed_date,
        coalesce(l.completed_date between p.period_start and p.reference_date, false)
            as completed_in_period
    from source as l
    inner join periods as p on p.reporting_year = l.reporting_year
)

select * from final
