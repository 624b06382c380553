-- XEX-001..005: every worker_id in {source} exists in hr_workforce (docs/design.md §3 cross-extract rules).
-- One row per offending row of {source}; `total` counts them all, `limit $cap` caps the listing.
-- {source} is an identifier from the fixed list in cross_extract.py, never a data value.
with hr as (
    select distinct worker_id from hr_workforce where worker_id is not null
),

orphans as (
    select s.source_row as row, s.worker_id as value
    from {source} as s
    anti join hr using (worker_id)
    where s.worker_id is not null
),

final as (
    select row, value, count(*) over () as total from orphans
)

select * from final order by row limit $cap
