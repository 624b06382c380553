-- Breakdowns of the directly employed workforce (docs/design.md §1, §4): staff in post at R, starters
-- and leavers in P, by equality and diversity characteristics (ethnicity, gender, age_band);
-- leavers by reason_leave and leaver_destination; starters by start_origin and by route.
-- Counts are distinct workers (integer headcounts in value and numerator, the population total
-- in denominator); shares are 100 x count / population total.
-- Codes are CSWW codes (DfE CSWW census specification); `not recorded` = blank.
-- Grain of the result: one row per measure x service x breakdown x category.
with

spells as (
    select * from staging.worker_spells
    where reporting_year = $reporting_year and agency_worker = 0
),

scoped as (
    select service as scope, starts_in_period as is_starter, ends_in_period as is_leaver, *
    from spells
    union all
    select 'all' as scope, starts_in_period_all, ends_in_period_all, *
    from spells
),

populations as (
    select 'headcount_in_post' as measure, 'in_post_share' as share_measure, *
    from scoped where in_post_at_reference_date
    union all
    select 'starters_headcount', 'starters_share', * from scoped where is_starter
    union all
    select 'leavers_headcount', 'leavers_share', * from scoped where is_leaver
),

routes as (
    select 'international_recruit' as route, * from populations where international_recruit = 1
    union all
    select 'apprentice', * from populations where apprentice = 1
    union all
    select 'step_up_grad', * from populations where step_up_grad = 1
    union all
    select 'frontline_grad', * from populations where frontline_grad = 1
    union all
    select 'asye', * from populations where asye = 1
    union all
    select 'agency_conversion', * from populations where start_origin = 4
),

members as (
    select scope, measure, share_measure, worker_id, 'ethnicity' as breakdown,
        coalesce(ethnicity, 'not recorded') as category
    from populations
    union all
    select scope, measure, share_measure, worker_id, 'gender',
        coalesce(gender::varchar, 'not recorded')
    from populations
    union all
    select scope, measure, share_measure, worker_id, 'age_band',
        coalesce(age_band, 'not recorded')
    from populations
    union all
    select scope, measure, share_measure, worker_id, 'reason_leave',
        coalesce(reason_leave::varchar, 'not recorded')
    from populations where measure = 'leavers_headcount'
    union all
    select scope, measure, share_measure, worker_id, 'leaver_destination',
        coalesce(leaver_destination::varchar, 'not recorded')
    from populations where measure = 'leavers_headcount'
    union all
    select scope, measure, share_measure, worker_id, 'start_origin',
        coalesce(start_origin::varchar, 'not recorded')
    from populations where measure = 'starters_headcount'
    union all
    select scope, measure, share_measure, worker_id, 'route', route
    from routes where measure = 'starters_headcount'
),

population_totals as (
    select scope, measure, count(distinct worker_id) as total
    from populations
    group by scope, measure
),

counts as (
    select scope, measure, share_measure, breakdown, category,
        count(distinct worker_id) as headcount
    from members
    group by scope, measure, share_measure, breakdown, category
),

-- A category seen in any service this year gets a row in every service with that population,
-- with 0 where nobody is in it: a published 0 is a fact, a missing row would read as [x].
categories as (
    select distinct measure, share_measure, breakdown, category from counts
),

counts_with_zeros as (
    select t.scope, k.measure, k.share_measure, k.breakdown, k.category,
        coalesce(c.headcount, 0) as headcount
    from categories as k
    inner join population_totals as t using (measure)
    left join counts as c
        on c.scope = t.scope and c.measure = k.measure and c.breakdown = k.breakdown
        and c.category = k.category
),

measures as (
    select c.scope, c.measure, c.breakdown, c.category, c.headcount as value,
        c.headcount as numerator, t.total as denominator
    from counts_with_zeros as c
    inner join population_totals as t using (scope, measure)
    union all
    select c.scope, c.share_measure, c.breakdown, c.category, 100 * c.headcount / t.total,
        c.headcount, t.total
    from counts_with_zeros as c
    inner join population_totals as t using (scope, measure)
),

final as (
    select
        scope as service,
        measure,
        breakdown::varchar as breakdown,
        category::varchar as category,
        null::date as month_end,
        value::double as value,
        numerator::double as numerator,
        denominator::double as denominator
    from measures
)

select * from final
