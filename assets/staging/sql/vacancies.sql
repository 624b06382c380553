-- staging.vacancies
-- Grain: one row per service (or service and team) at the reference date (one row per
-- raw.hr_vacancies row), per reporting_year.
-- Materialised: view (one row per source row, nothing aggregated: reading it costs less
-- than writing it).
with

source as (
    select * from raw.hr_vacancies
),

final as (
    select
        reporting_year,
        service,
        team,
        coalesce(vacancies_fte, 0)::decimal(18, 6) as vacancies_fte,  -- exact sums
        agency_cover_fte::decimal(18, 6) as agency_cover_fte,
        agency_cover_headcount
    from source
)

select * from final
