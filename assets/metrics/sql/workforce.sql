-- Workforce measures (docs/design.md §4 "Workforce measures").
-- Grain of the result: one row per measure x service (children, adults, all).
-- Directly employed spells only (agency_worker = 0) unless a measure says otherwise.
-- For `all`, a move between services is neither a starter nor a leaver (*_all flags).
with

spells as (
    select * from staging.worker_spells where reporting_year = $reporting_year
),

periods as (
    select * from staging.periods where reporting_year = $reporting_year
),

scoped as (
    select service as scope, starts_in_period as is_starter, ends_in_period as is_leaver, *
    from spells
    union all
    select 'all' as scope, starts_in_period_all, ends_in_period_all, *
    from spells
),

-- Each worker once per scope: the sums of their spells and whether any spell has the flag,
-- so that every headcount below is a count of these rows (one grouping of the spells rather
-- than one distinct count each). Sums are DECIMAL: summing per worker first changes nothing.
by_worker as (
    select
        scope,
        worker_id,
        count(*) filter (where agency_worker = 0) as employed_spells,
        sum(fte) filter (where agency_worker = 0 and in_post_at_reference_date) as fte_in_post,
        sum(fte) filter (where agency_worker = 0 and is_starter) as starters_fte,
        sum(fte) filter (where agency_worker = 0 and is_leaver) as leavers_fte,
        sum(working_days_lost) filter (where agency_worker = 0 and active_in_period)
            as days_lost,
        sum(stress_days_lost) filter (where agency_worker = 0 and active_in_period)
            as stress_days_lost,
        bool_or(agency_worker = 0 and in_post_at_reference_date) as in_post,
        bool_or(agency_worker = 0 and is_leaver) as leaver,
        bool_or(agency_worker = 0 and in_post_at_reference_date and started_two_years_before)
            as stable,
        bool_or(agency_worker = 0 and active_in_period and stress_days_lost > 0) as stressed,
        sum(fte) filter (where agency_worker = 1 and in_post_at_reference_date) as agency_fte,
        bool_or(agency_worker = 1 and in_post_at_reference_date) as agency_in_post
    from scoped
    group by scope, worker_id
),

employed as (
    select
        scope,
        sum(fte_in_post) as fte_in_post,
        count(worker_id) filter (where in_post) as headcount_in_post,
        coalesce(sum(starters_fte), 0) as starters_fte,
        coalesce(sum(leavers_fte), 0) as leavers_fte,
        count(worker_id) filter (where leaver) as leavers_headcount,
        count(worker_id) filter (where stable) as stable_headcount,
        sum(days_lost) as days_lost,
        sum(stress_days_lost) as stress_days_lost,
        count(worker_id) filter (where stressed) as stress_absence_headcount
    from by_worker
    where employed_spells > 0
    group by scope
),

-- The CSWW census holds days lost but no stress days: a service whose days lost come without
-- any stress days (a census-built children's workforce) has no stress figures ([x]), and "all"
-- has them only when every service has them (never adults' stress days over both services'
-- days lost).
stress_recorded as (
    select scope, bool_and(recorded) as recorded
    from (
        select scope, service,
            count(stress_days_lost) > 0 or count(working_days_lost) = 0 as recorded
        from scoped
        where agency_worker = 0 and active_in_period
        group by scope, service
    )
    group by scope
),

agency as (
    select
        scope,
        sum(agency_fte) as agency_fte,
        count(worker_id) filter (where agency_in_post) as agency_headcount
    from by_worker
    group by scope
),

totals as (
    select
        e.*,
        coalesce(a.agency_fte, 0) as agency_fte,
        coalesce(a.agency_headcount, 0) as agency_headcount,
        p.working_days_in_period
    from employed as e
    left join agency as a using (scope)
    cross join periods as p
),

measures as (
    -- DfE CSWW methodology: FTE in post at the reference date.
    select scope, 'fte_in_post' as measure, fte_in_post as value,
        null::double as numerator, null::double as denominator
    from totals
    -- DfE CSWW methodology: headcount in post (each person once).
    union all
    select scope, 'headcount_in_post', headcount_in_post, headcount_in_post, null
    from totals
    -- DfE CSWW methodology: FTE starters in the year.
    union all
    select scope, 'starters_fte', starters_fte, null, null from totals
    -- DfE CSWW methodology: FTE leavers in the year.
    union all
    select scope, 'leavers_fte', leavers_fte, null, null from totals
    -- DfE CSWW methodology: turnover = FTE leavers / FTE in post at the reference date.
    union all
    select scope, 'turnover_rate_fte', 100 * leavers_fte / nullif(fte_in_post, 0),
        leavers_fte, fte_in_post
    from totals
    -- DfE CSWW methodology (headcount turnover; Skills for Care reports adults this way).
    union all
    select scope, 'turnover_rate_headcount',
        100 * leavers_headcount / nullif(headcount_in_post, 0), leavers_headcount,
        headcount_in_post
    from totals
    -- DfE CSWW methodology: agency rate = agency FTE / (agency FTE + FTE in post), agency FTE
    -- from agency spells in post at the reference date in the HR extract.
    union all
    select scope, 'agency_rate_fte',
        100 * agency_fte / nullif(agency_fte + fte_in_post, 0), agency_fte,
        agency_fte + fte_in_post
    from totals
    -- Skills for Care: agency share of the social worker headcount.
    union all
    select scope, 'agency_rate_headcount',
        100 * agency_headcount / nullif(agency_headcount + headcount_in_post, 0),
        agency_headcount, agency_headcount + headcount_in_post
    from totals
    -- DfE CSWW methodology: working days lost to sickness per FTE in post.
    union all
    select scope, 'absence_days_per_fte', days_lost / nullif(fte_in_post, 0), days_lost,
        fte_in_post
    from totals
    -- DfE CSWW "sickness absence rate - FTE": days lost / (FTE in post x 253), DfE's fixed
    -- working year, not the period's own working days (docs/measures.md, "Absence").
    union all
    select scope, 'absence_rate',
        100 * days_lost / nullif(fte_in_post * $dfe_working_year, 0), days_lost,
        fte_in_post * $dfe_working_year
    from totals
    -- Local definition (docs/design.md §4): stress share of days lost.
    union all
    select scope, 'stress_absence_share', 100 * stress_days_lost / nullif(days_lost, 0),
        stress_days_lost, days_lost
    from totals
    where scope in (select scope from stress_recorded where recorded)
    -- The people behind the stress share (health data): disclosure control counts them.
    union all
    select scope, 'stress_absence_headcount', stress_absence_headcount,
        stress_absence_headcount, null
    from totals
    where days_lost > 0 and scope in (select scope from stress_recorded where recorded)
    -- DfE CSWW "time in service" (local rate): in post at R with 2+ years in the spell.
    union all
    select scope, 'stability_rate', 100 * stable_headcount / nullif(headcount_in_post, 0),
        stable_headcount, headcount_in_post
    from totals
),

final as (
    select
        scope as service,
        measure,
        null::varchar as breakdown,
        null::varchar as category,
        null::date as month_end,
        value::double as value,
        numerator::double as numerator,
        denominator::double as denominator
    from measures
)

select * from final
