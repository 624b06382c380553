-- Caseload measures (docs/design.md §4): caseload_fte, children_looked_after, asye_caseload_within_cap.
-- Grain of the result: one row per measure x service (children, adults, all).
-- Service of an allocation = its own `service`; service of a worker = that of the spell.
with

-- Read once (materialized): the scopes below and the ASYE count reuse them.
spells as materialized (
    select worker_id, service, fte, agency_worker, asye from staging.worker_spells
    where reporting_year = $reporting_year and in_post_at_reference_date
),

-- Open allocations counted per service and worker in one pass over the year's allocations
-- (1M rows nationally), so that nothing below reads them again row by row.
open_by_worker as materialized (
    select service, worker_id, count(*) as allocations
    from staging.case_allocations
    where reporting_year = $reporting_year and open_at_reference_date
    group by service, worker_id
),

scoped_spells as (
    select service as scope, * from spells
    union all
    select 'all' as scope, * from spells
),

-- Open allocations per worker in the scope (counted once, so the joins below are per worker):
-- a service's own, and for `all` the worker's allocations in every service.
allocations_by_worker as (
    select service as scope, worker_id, allocations from open_by_worker
    union all
    select 'all' as scope, worker_id, sum(allocations)::bigint from open_by_worker
    group by worker_id
),

-- In-post workers, agency included, holding >= 1 open allocation in the scope (DfE CSWW):
-- each worker's FTE beside their open allocations in the scope (one row per scope and worker
-- on both sides, so the join is one to one).
case_holders as (
    select a.scope, a.worker_id, a.allocations, s.fte
    from allocations_by_worker as a
    inner join (
        select scope, worker_id, sum(fte) as fte from scoped_spells group by scope, worker_id
    ) as s on s.scope = a.scope and s.worker_id = a.worker_id
),

holders as (
    select scope, sum(allocations) as allocations, sum(fte) as case_holders_fte
    from case_holders
    group by scope
),

-- Children looked after are counted in children's services, so the `children` and `all`
-- scopes count the same children: counted once, given to both.
looked_after as (
    select s.scope, c.children
    from (
        select count(distinct case_id) as children
        from staging.case_allocations
        where reporting_year = $reporting_year and open_at_reference_date
            and case_type = 'cla' and service = 'children'
    ) as c
    cross join (select unnest(['children', 'all']) as scope) as s
    where c.children > 0
),

allocations_per_worker as (
    select worker_id, allocations from allocations_by_worker where scope = 'all'
),

asye as (
    select
        s.scope,
        count(*) filter (where coalesce(w.allocations, 0) <= $asye_caseload_cap) as within_cap,
        count(*) as asye_spells
    from scoped_spells as s
    left join allocations_per_worker as w using (worker_id)
    where s.agency_worker = 0 and s.asye = 1
    group by s.scope
),

-- The ASYE flag exists this year (a 2025-layout census without a local extract carrying it
-- has none): without it, ASYE caseloads are not available ([x]), not zero.
asye_recorded as (
    select coalesce(bool_or(asye_recorded), false) as recorded
    from staging.worker_spells where reporting_year = $reporting_year
),

caseload_present as (
    select exists (
        select 1 from staging.case_allocations where reporting_year = $reporting_year
    ) as present
),

measures as (
    -- DfE CSWW methodology: cases held at R (agency included; a case held by two workers
    -- counts for each) / FTE of case holders (agency included).
    select scope, 'caseload_fte' as measure, allocations / nullif(case_holders_fte, 0)
        as value, allocations as numerator, case_holders_fte as denominator
    from holders
    -- DfE children looked after statistics (SSDA903): distinct children looked after with an
    -- open `cla` allocation at R (children's services only).
    union all
    select scope, 'children_looked_after', children, children, null
    from looked_after
    -- Skills for Care ASYE framework (protected caseload); cap from authority.yml.
    union all
    select scope, 'asye_caseload_within_cap', 100 * within_cap / nullif(asye_spells, 0),
        within_cap, asye_spells
    from asye
    where (select present from caseload_present) and (select recorded from asye_recorded)
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
