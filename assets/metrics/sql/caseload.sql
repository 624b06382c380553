-- Caseload measures (docs/design.md §4): caseload_fte, children_looked_after, asye_caseload_within_cap.
-- Grain of the result: one row per measure x service (children, adults, all).
-- Service of an allocation = its own `service`; service of a worker = that of the spell.
with

-- Read once (materialized): the scopes below and the ASYE count reuse them, and
-- staging.case_allocations is a view.
spells as materialized (
    select * from staging.worker_spells
    where reporting_year = $reporting_year and in_post_at_reference_date
),

open_allocations as materialized (
    select * from staging.case_allocations
    where reporting_year = $reporting_year and open_at_reference_date
),

scoped_spells as (
    select service as scope, * from spells
    union all
    select 'all' as scope, * from spells
),

scoped_allocations as (
    select service as scope, * from open_allocations
    union all
    select 'all' as scope, * from open_allocations
),

-- Open allocations per worker in the scope (counted once, so the joins below are per worker).
allocations_by_worker as (
    select scope, worker_id, count(*) as allocations
    from scoped_allocations
    group by scope, worker_id
),

-- In-post workers, agency included, holding >= 1 open allocation in the scope (DfE CSWW).
case_holders as (
    select s.scope, s.worker_id, sum(s.fte) as fte
    from scoped_spells as s
    semi join allocations_by_worker as a on a.scope = s.scope and a.worker_id = s.worker_id
    group by s.scope, s.worker_id
),

held as (
    select a.scope, sum(a.allocations) as allocations
    from allocations_by_worker as a
    semi join case_holders as h on h.scope = a.scope and h.worker_id = a.worker_id
    group by a.scope
),

holders_fte as (
    select scope, sum(fte) as case_holders_fte from case_holders group by scope
),

looked_after as (
    select scope, count(distinct case_id) as children
    from scoped_allocations
    where case_type = 'cla' and service = 'children'
    group by scope
),

allocations_per_worker as (
    select worker_id, count(*) as allocations from open_allocations group by worker_id
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
    select h.scope, 'caseload_fte' as measure, held.allocations / nullif(h.case_holders_fte, 0)
        as value, held.allocations as numerator, h.case_holders_fte as denominator
    from holders_fte as h
    inner join held using (scope)
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
