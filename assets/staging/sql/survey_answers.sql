-- staging.survey_answers
-- Grain: one row per health check response x answered item, per reporting_year.
-- score = (v - 1) / 4 x 100, with v reversed (6 - v) for reverse-scored items (docs/design.md §4);
-- is_agree = the answer as given is 4 or 5 (not reversed); is_favourable = the answer is
-- favourable once polarity is aligned: 4 or 5 for an ordinary item, 1 or 2 for an item whose
-- agreement is unfavourable (codebook reverse_scored = 1).
with

answers as (
    select * from raw.health_check_answers
),

responses as (
    select * from raw.health_check_responses
),

items as (
    select * from raw.health_check_items
),

joined as (
    select
        a.reporting_year,
        a.response_id,
        r.service,
        r.role_group,
        r.tenure_band,
        a.item_id,
        i.standard,
        i.theme,
        coalesce(nullif(trim(i.text), ''), a.item_id) as item_text,
        coalesce(i.reverse_scored, 0) as reverse_scored,
        a.answer
    from answers as a
    inner join responses as r
        on r.reporting_year = a.reporting_year and r.response_id = a.response_id
    inner join items as i
        on i.reporting_year = a.reporting_year and i.item_id = a.item_id
    where a.answer between 1 and 5
),

final as (
    select
        *,
        (case when reverse_scored = 1 then 6 - answer else answer end - 1) / 4.0 * 100
            as score,
        answer >= 4 as is_agree,
        case when reverse_scored = 1 then answer <= 2 else answer >= 4 end as is_favourable
    from joined
)

select * from final
