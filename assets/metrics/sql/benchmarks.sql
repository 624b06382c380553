-- National benchmarks (docs/design.md §4 "National benchmarks"): each of our measures x service
-- joined to the national series of the same (or a stated different) definition, by reporting
-- year, for the authority's nation. `national` is data/reference/national_benchmarks.csv and
-- `benchmark_map` is data/reference/benchmark_map.csv (both registered by benchmarks.py).
-- A national reporting_year such as "2022/23 (year to Sep 2023)" or "Sep 2023" becomes 2023;
-- one that names no single year is left out.
-- Every national series is on the year to 30 September, so a pair is `exact` only when the
-- authority reports on the DfE basis too ($period = 'dfe'); on the financial basis it becomes
-- `differs`, and the note says why.
-- Grain of the result: one row per measure x service x national series x reporting year.
with

national as (
    select * from _national
),

benchmark_map as (
    select * from _benchmark_map where lower(nation) = lower($nation)
),

years as (
    select
        *,
        coalesce(
            try_cast(regexp_extract(reporting_year, 'year to Sep (\d{4})', 1) as integer),
            try_cast(regexp_extract(reporting_year, '^Sep (\d{4})$', 1) as integer),
            try_cast(regexp_extract(reporting_year, '^(\d{4})$', 1) as integer)
        ) as year
    from national
),

final as (
    select
        m.measure,
        m.service,
        y.year as reporting_year,
        try_cast(y.value as double) as benchmark_value,
        y.unit as benchmark_unit,
        m.benchmark_measure,
        y.nation,
        m.release,
        case when $period = 'dfe' then m.definition_match else 'differs' end
            as definition_match,
        case when $period = 'dfe' or m.definition_match <> 'exact' then m.note
            else 'Our figures are for the year to 31 March, the national series for the year '
                || 'to 30 September. ' || m.note
        end as note,
        y.definition_note as benchmark_definition,
        y.url as benchmark_url
    from benchmark_map as m
    inner join years as y
        on y.source = m.benchmark_source
        and y.service = m.benchmark_service
        and y.measure = m.benchmark_measure
    where y.year is not null
)

select * from final
