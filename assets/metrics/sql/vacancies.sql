-- Vacancy rate (docs/design.md §4 "Workforce measures"): DfE CSWW methodology,
-- 100 x FTE vacancies / (FTE vacancies + FTE directly employed in post at R).
-- Grain of the result: one row per service (children, adults, all). `all` is given only when
-- every service with staff in post has a vacancies row.
with

spells as (
    select * from staging.worker_spells
    where reporting_year = $reporting_year and agency_worker = 0 and in_post_at_reference_date
),

vacancy_rows as (
    select * from staging.vacancies where reporting_year = $reporting_year
),

in_post as (
    select service, sum(fte) as fte_in_post from spells group by service
),

by_service as (
    select v.service, sum(v.vacancies_fte) as vacancies_fte, coalesce(i.fte_in_post, 0) as fte_in_post
    from vacancy_rows as v
    left join in_post as i using (service)
    group by v.service, i.fte_in_post
),

all_services as (
    select 'all' as service, sum(vacancies_fte) as vacancies_fte,
        (select sum(fte_in_post) from in_post) as fte_in_post
    from by_service
    having count(*) > 0
        and not exists (
            select 1 from in_post where service not in (select service from by_service)
        )
),

combined as (
    select * from by_service
    union all
    select * from all_services
),

final as (
    select
        service,
        'vacancy_rate_fte' as measure,
        null::varchar as breakdown,
        null::varchar as category,
        null::date as month_end,
        (100 * vacancies_fte / nullif(vacancies_fte + fte_in_post, 0))::double as value,
        vacancies_fte::double as numerator,
        (vacancies_fte + fte_in_post)::double as denominator
    from combined
)

select * from final
