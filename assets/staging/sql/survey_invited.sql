-- staging.survey_invited
-- Grain: one row per service invited to the health check (one row per
-- raw.health_check_invited row), per reporting_year.
-- Materialised: view (one row per source row, nothing aggregated: reading it costs less
-- than writing it).
with

source as (
    select * from raw.health_check_invited
),

final as (
    select reporting_year, service, invited
    from source
)

select * from final
