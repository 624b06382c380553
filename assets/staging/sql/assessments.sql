-- staging.assessments
-- Grain: one row per assessment whose type has a timescale in authority.yml (one row per such
-- raw.assessments row), per reporting_year. Types without a timescale (by default `other`)
-- are left out (docs/design.md §4 "assessment_timeliness").
-- Due date: `working` basis = the Nth working day counted from the day after the start
-- (staging.calendar: Monday to Friday less the nation's bank holidays); `calendar` basis =
-- start + N days. Within timescale when completed_date <= due_date.
with

source as (
    select * from raw.assessments
),

periods as (
    select * from staging.periods
),

timescales as (
    select * from staging.timescales
),

calendar as (
    select * from staging.calendar
),

typed as (
    select
        a.reporting_year,
        a.assessment_id,
        a.case_id,
        a.worker_id,
        a.service,
        a.assessment_type,
        a.start_date,
        a.completed_date,
        t.days as timescale_days,
        t.basis as timescale_basis,
        p.period_start,
        p.reference_date
    from source as a
    inner join timescales as t
        on t.reporting_year = a.reporting_year and t.assessment_type = a.assessment_type
    inner join periods as p on p.reporting_year = a.reporting_year
),

due as (
    select
        t.*,
        case t.timescale_basis
            when 'calendar' then (t.start_date + to_days(t.timescale_days))::date
            else due_day.day
        end as due_date
    from typed as t
    left join calendar as start_day
        on start_day.reporting_year = t.reporting_year and start_day.day = t.start_date
    left join calendar as due_day
        on due_day.reporting_year = t.reporting_year
        and due_day.is_working_day
        and due_day.working_day_number = start_day.working_day_number + t.timescale_days
),

final as (
    select
        reporting_year,
        assessment_id,
        case_id,
        worker_id,
        service,
        assessment_type,
        start_date,
        completed_date,
        timescale_days,
        timescale_basis,
        due_date,
        coalesce(completed_date between period_start and reference_date, false)
            as completed_in_period,
        completed_date <= due_date as within_timescale
    from due
)

select * from final
