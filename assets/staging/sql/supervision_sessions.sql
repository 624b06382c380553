-- staging.supervision_sessions
-- Grain: one row per supervision session held (one row per raw.supervision row), per
-- reporting_year.
-- Materialised: view (one row per source row, nothing aggregated: reading it costs less
-- than writing it).
with

source as (
    select * from raw.supervision
),

final as (
    select reporting_year, worker_id, session_date, duration_minutes
    from source
    where session_date is not null
)

select * from final
