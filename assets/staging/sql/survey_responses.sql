-- staging.survey_responses
-- Grain: one row per health check respondent (one row per raw.health_check_responses row), per
-- reporting_year. Every response in a year's folder belongs to that year (docs/design.md §3).
-- Materialised: view (one row per source row, nothing aggregated: reading it costs less
-- than writing it).
with

source as (
    select * from raw.health_check_responses
),

final as (
    select
        reporting_year,
        response_id,
        service,
        role_group,
        tenure_band,
        submitted_date,
        hours_over_contract::decimal(18, 6) as hours_over_contract  -- exact sums
    from source
)

select * from final
