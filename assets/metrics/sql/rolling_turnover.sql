-- Rolling 12-month turnover (docs/design.md §4 "Series and comparisons"), on the DfE CSWW turnover
-- definition: at each month end M in P, 100 x FTE of directly employed leavers with
-- role_end_date in (M - 12 months, M] / FTE directly employed in post at M.
-- Leavers before P come from the previous reporting_year's extract (its own P only); when that
-- extract is missing, months that need it get a NULL value (published as [x]).
-- Grain of the result: one row per service x month end.
with

periods as (
    select * from staging.periods where reporting_year = $reporting_year
),

month_ends as (
    select last_day(unnest(generate_series(period_start, reference_date, interval 1 month)))::date
        as month_end
    from periods
),

previous_present as (
    select count(*) > 0 as present
    from staging.worker_spells where reporting_year = $reporting_year - 1
),

current_spells as (
    select * from staging.worker_spells
    where reporting_year = $reporting_year and agency_worker = 0
),

leaver_spells as (
    select service, ends_in_period_all, fte, role_end_date
    from staging.worker_spells
    where reporting_year in ($reporting_year, $reporting_year - 1)
        and agency_worker = 0 and ends_in_period
),

scoped_leavers as (
    select service as scope, fte, role_end_date from leaver_spells
    union all
    select 'all', fte, role_end_date from leaver_spells where ends_in_period_all
),

scoped_spells as (
    select service as scope, * from current_spells
    union all
    select 'all' as scope, * from current_spells
),

scopes as (
    select distinct scope from scoped_spells
),

grid as (
    select s.scope, m.month_end, last_day(m.month_end - interval 12 month)::date as window_open
    from scopes as s
    cross join month_ends as m
    where m.month_end <= (select reference_date from periods)
),

in_post as (
    select g.scope, g.month_end, sum(s.fte) as fte_in_post
    from grid as g
    inner join scoped_spells as s
        on s.scope = g.scope
        and s.role_start_date <= g.month_end
        and (s.role_end_date is null or s.role_end_date > g.month_end)
    group by g.scope, g.month_end
),

leavers as (
    select g.scope, g.month_end, coalesce(sum(l.fte), 0) as leavers_fte
    from grid as g
    left join scoped_leavers as l
        on l.scope = g.scope
        and l.role_end_date > g.window_open
        and l.role_end_date <= g.month_end
    group by g.scope, g.month_end
),

final as (
    select
        g.scope as service,
        'turnover_rate_fte' as measure,
        'rolling_12_month' as breakdown,
        null::varchar as category,
        g.month_end,
        case
            when g.window_open < (select period_start from periods) - 1
                and not (select present from previous_present) then null
            else 100 * l.leavers_fte / nullif(i.fte_in_post, 0)
        end::double as value,
        case
            when g.window_open < (select period_start from periods) - 1
                and not (select present from previous_present) then null
            else l.leavers_fte
        end::double as numerator,
        i.fte_in_post::double as denominator
    from grid as g
    inner join leavers as l using (scope, month_end)
    left join in_post as i using (scope, month_end)
)

select * from final
