-- Learning and development (docs/design.md §4 "learning_hours_per_fte").
-- Grain of the result: one row per service (headline) and per service x learning category.
-- Hours completed in P by directly employed workers in post at R / FTE in post; the service is
-- that of the worker's spell in post at R.
with

in_post_spells as (
    select * from staging.worker_spells
    where reporting_year = $reporting_year and agency_worker = 0 and in_post_at_reference_date
),

activities as (
    select * from staging.learning_activities
    where reporting_year = $reporting_year and completed_in_period
),

learning_present as (
    select count(*) > 0 as present
    from staging.learning_activities where reporting_year = $reporting_year
),

scoped_spells as (
    select service as scope, * from in_post_spells
    union all
    select 'all' as scope, * from in_post_spells
),

fte as (
    select scope, sum(fte) as fte_in_post from scoped_spells group by scope
),

workers as (
    select distinct scope, worker_id from scoped_spells
),

hours as (
    select w.scope, a.category, sum(a.hours) as hours, count(distinct w.worker_id) as learners
    from workers as w
    inner join activities as a using (worker_id)
    group by grouping sets ((w.scope), (w.scope, a.category))
),

-- The two largest contributions (one worker's hours) to each category's hours, so that the
-- p% dominance rule can be applied to the published hours (docs/disclosure-control.md).
worker_hours as (
    select w.scope, a.category, w.worker_id, sum(a.hours) as hours
    from workers as w
    inner join activities as a using (worker_id)
    group by w.scope, a.category, w.worker_id
),

largest as (
    select scope, category,
        max(hours) filter (where rank = 1) as first_hours,
        coalesce(max(hours) filter (where rank = 2), 0) as second_hours
    from (
        select *, row_number() over (
            partition by scope, category order by hours desc, worker_id) as rank
        from worker_hours
    )
    group by scope, category
),

headline as (
    select f.scope, null as breakdown, null as category, coalesce(h.hours, 0) as hours,
        f.fte_in_post, h.learners
    from fte as f
    left join hours as h on h.scope = f.scope and h.category is null
),

by_category as (
    select h.scope, 'category' as breakdown, h.category, h.hours, f.fte_in_post, h.learners
    from hours as h
    inner join fte as f using (scope)
    where h.category is not null
),

-- Local definition (docs/design.md §4); CPD expectation from LGA employer standard 6.
measures as (
    select * from headline
    union all
    select * from by_category
),

final as (
    select
        scope as service,
        'learning_hours_per_fte' as measure,
        breakdown::varchar as breakdown,
        category::varchar as category,
        null::date as month_end,
        (hours / nullif(fte_in_post, 0))::double as value,
        hours::double as numerator,
        fte_in_post::double as denominator
    from measures
    where (select present from learning_present)
    union all
    -- How many people each category's hours describe, for disclosure control.
    select
        scope as service,
        'learners_headcount' as measure,
        breakdown::varchar as breakdown,
        category::varchar as category,
        null::date as month_end,
        learners::double as value,
        learners::double as numerator,
        null::double as denominator
    from by_category
    where (select present from learning_present)
    union all
    select scope, 'learning_hours_largest', 'category', category, null, first_hours,
        first_hours, null
    from largest
    where (select present from learning_present)
    union all
    select scope, 'learning_hours_second_largest', 'category', category, null, second_hours,
        second_hours, null
    from largest
    where (select present from learning_present)
)

select * from final
