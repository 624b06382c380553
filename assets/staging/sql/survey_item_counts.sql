-- staging.survey_item_counts
-- Grain: one row per reporting_year x service x role_group x survey item: how many respondents
-- gave each answer 1-5 and how many left the item blank, with the item's standard, theme and
-- reverse scoring. From respondent rows (health_check_responses) when the service has them that
-- year, else from the LGA's aggregate report (health_check_aggregate): a survey of one service
-- only leaves the other service without rows. role_group '' = not split by role.
-- Every health check measure that counts support (scores, agree shares, response rate) can be
-- computed from these counts (assets/metrics/sql/health_check*.sql on aggregate years).
with

items as (
    select * from raw.health_check_items
),

responses as (
    -- raw.health_check_responses, or an empty relation of its shape (models.py OPTIONAL_RAW)
    select * from optional_health_check_responses
),

answers as (
    select * from optional_health_check_answers where answer between 1 and 5
),

aggregate as (
    select * from optional_health_check_aggregate
),

from_rows as (
    select
        r.reporting_year,
        r.service,
        coalesce(r.role_group, '') as role_group,
        i.item_id,
        count(*) filter (where a.answer = 1) as answer_1,
        count(*) filter (where a.answer = 2) as answer_2,
        count(*) filter (where a.answer = 3) as answer_3,
        count(*) filter (where a.answer = 4) as answer_4,
        count(*) filter (where a.answer = 5) as answer_5,
        count(*) - count(a.answer) as blank,
        'respondents' as source
    from responses as r
    inner join items as i on i.reporting_year = r.reporting_year
    left join answers as a
        on a.reporting_year = r.reporting_year and a.response_id = r.response_id
        and a.item_id = i.item_id
    group by all
),

from_aggregate as (
    select
        g.reporting_year,
        g.service,
        coalesce(g.role_group, '') as role_group,
        g.item_id,
        g.answer_1, g.answer_2, g.answer_3, g.answer_4, g.answer_5,
        coalesce(g.blank, 0) as blank,
        'aggregate' as source
    from aggregate as g
    where not exists (
        select 1 from responses as r
        where r.reporting_year = g.reporting_year and r.service = g.service
    )
),

counts as (
    select * from from_rows
    union all
    select * from from_aggregate
),

final as (
    select
        c.reporting_year,
        c.service,
        c.role_group,
        c.item_id,
        i.standard,
        i.theme,
        coalesce(nullif(trim(i.text), ''), c.item_id) as item_text,
        coalesce(i.reverse_scored, 0) as reverse_scored,
        c.answer_1, c.answer_2, c.answer_3, c.answer_4, c.answer_5,
        c.answer_1 + c.answer_2 + c.answer_3 + c.answer_4 + c.answer_5 as answered,
        c.blank,
        c.source
    from counts as c
    inner join items as i on i.reporting_year = c.reporting_year and i.item_id = c.item_id
)

select * from final
