-- Where we stand among all councils (docs/comparisons.md): for each compared measure and
-- reporting year, our children's services figure beside England, our region and the mean of
-- our statistical neighbours, and our rank and quartile among every council with a figure.
-- Registered by comparisons.py:
--   _dfe          DfE's every-council file, long (psw_core.dfe_reference.read_indicators),
--                 la_code already mapped to the row holding the council's figures
--   _measure_map  measure -> DfE figure, definition_match, better, release (benchmark_map.csv)
--   _local        our children's headline figures from metrics.measures (measure, year, value)
--   _neighbours   our neighbours: position (DfE's order), la_code (joint rows mapped, each once)
-- Parameters: $our_code (the DfE row holding our figures, or NULL), $region, $same_period
-- (the authority's period is DfE's 1 Oct - 30 Sep year), $up_to (the build year).
-- Grain of the result: one row per measure x reporting year.
with

measure_map as (
    select * from _measure_map
),

councils as (  -- every council's published figure for the measures we compare
    select d.year as reporting_year, m.measure, d.la_code, d.value, d.reason
    from _dfe as d
    inner join measure_map as m on m.figure = d.figure
    where d.level = 'Local authority'
),

years as (
    select distinct reporting_year from councils where reporting_year <= $up_to
    union
    select distinct reporting_year from _local where reporting_year <= $up_to
),

grid as (
    select m.*, y.reporting_year from measure_map as m cross join years as y
),

ours_published as (
    select reporting_year, measure, value, reason from councils where la_code = $our_code
),

ours as (  -- local where we have it, else DfE's published figure for us (marked)
    select
        g.measure,
        g.reporting_year,
        coalesce(l.value, p.value) as council_value,
        case
            when l.value is not null then 'local'
            when p.value is not null then 'DfE published'
            else ''
        end as council_source,
        case when l.value is null and p.value is null then coalesce(p.reason, '') else '' end
            as council_reason,
        -- A local figure is like-for-like only on the same definition and reporting period;
        -- DfE's own figure for us always is.
        case
            when l.value is not null then g.definition_match = 'exact' and $same_period
            else p.value is not null
        end as comparable
    from grid as g
    left join _local as l on l.measure = g.measure and l.reporting_year = g.reporting_year
    left join ours_published as p on p.measure = g.measure and p.reporting_year = g.reporting_year
),

england as (
    select d.year as reporting_year, m.measure, d.value, d.reason
    from _dfe as d inner join measure_map as m on m.figure = d.figure
    where d.level = 'National'
),

region as (
    select d.year as reporting_year, m.measure, d.value, d.reason
    from _dfe as d inner join measure_map as m on m.figure = d.figure
    where d.level = 'Regional' and d.region_name = $region
),

neighbours as (  -- DfE and LAIT: the mean of the neighbours that have a figure
    select
        c.reporting_year,
        c.measure,
        avg(c.value) as neighbour_mean,
        count(c.value) as neighbours_used
    from councils as c
    inner join _neighbours as n on n.la_code = c.la_code
    group by all
),

field as (  -- every other council with a figure (our own DfE row is replaced by ours)
    select reporting_year, measure, value from councils
    where value is not null and la_code is distinct from $our_code
),

ranked as (  -- rank 1 = highest; ours at DfE's published precision (one decimal)
    select
        o.measure,
        o.reporting_year,
        1 + count(f.value) filter (where f.value > round(o.council_value, 1)) as rank,
        1 + count(f.value) as councils_ranked
    from ours as o
    inner join field as f on f.measure = o.measure and f.reporting_year = o.reporting_year
    where o.comparable and o.council_value is not null
    group by all
),

final as (
    select
        g.measure,
        g.reporting_year,
        g.figure as dfe_figure,
        g.better,
        g.definition_match,
        o.comparable,
        o.council_value,
        o.council_source,
        o.council_reason,
        e.value as england_value,
        coalesce(e.reason, '') as england_reason,
        $region as region_name,
        r.value as region_value,
        coalesce(r.reason, '') as region_reason,
        nb.neighbour_mean,
        coalesce(nb.neighbours_used, 0) as neighbours_used,
        (select count(*) from _neighbours) as neighbours_listed,
        k.rank,
        k.councils_ranked,
        cast(ceil(4.0 * k.rank / k.councils_ranked) as integer) as quartile,
        g.release
    from grid as g
    left join ours as o on o.measure = g.measure and o.reporting_year = g.reporting_year
    left join england as e on e.measure = g.measure and e.reporting_year = g.reporting_year
    left join region as r on r.measure = g.measure and r.reporting_year = g.reporting_year
    left join neighbours as nb
        on nb.measure = g.measure and nb.reporting_year = g.reporting_year
    left join ranked as k on k.measure = g.measure and k.reporting_year = g.reporting_year
)

select * from final order by measure, reporting_year
