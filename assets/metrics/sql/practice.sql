-- Practice measures (docs/design.md §4 "Practice and survey measures"): supervision_compliance,
-- assessment_timeliness, audits_good_or_better, and audit grade counts and shares.
-- Grain of the result: one row per measure x service (x grade for the audit breakdown).
with

worker_months as (
    select * from staging.worker_months where reporting_year = $reporting_year
),

supervision_present as (
    select count(*) > 0 as present
    from staging.supervision_sessions where reporting_year = $reporting_year
),

assessments as (
    select * from staging.assessments
    where reporting_year = $reporting_year and completed_in_period
),

audits as (
    select * from staging.audits where reporting_year = $reporting_year and audited_in_period
),

supervision as (
    select service as scope, * from worker_months
    union all
    select 'all' as scope, * from worker_months
),

-- The interval takes the worker as the unit (docs/measures.md "Intervals"): a worker's months
-- are not independent. For the ratio r = Σy / Σm over workers i (y = compliant months,
-- m = eligible months), the linearised variance is n / (n - 1) x Σ (y_i - r m_i)² / (Σm)²; the
-- Wilson interval is taken on the effective sample size r(1 - r) / variance, at most the
-- worker-months (design effect at least 1), and the number of workers when r is 0 or 1.
-- Sums of doubles are ordered, so the result does not depend on DuckDB's threads.
supervision_by_worker as (
    select scope, worker_id, count(*) filter (where is_compliant) as y, count(*) as m
    from supervision
    where (select present from supervision_present)
    group by scope, worker_id
),

supervision_cells as (
    select scope, sum(y) as compliant, sum(m) as months, count(*) as workers,
        sum(y) / sum(m) as ratio
    from supervision_by_worker
    group by scope
),

supervision_effective as (
    select c.scope, c.compliant, c.months, c.ratio,
        case
            when c.ratio <= 0 or c.ratio >= 1 or c.workers < 2 then c.workers
            when sum(power(w.y - c.ratio * w.m, 2) order by w.worker_id) = 0 then c.months
            else least(c.months, c.ratio * (1 - c.ratio) / (
                c.workers / (c.workers - 1) * sum(power(w.y - c.ratio * w.m, 2) order by w.worker_id)
                / power(c.months, 2)))
        end as n_effective
    from supervision_cells as c
    inner join supervision_by_worker as w using (scope)
    group by c.scope, c.compliant, c.months, c.ratio, c.workers
),

supervision_compliance as (
    select scope, 100 * ratio as value, compliant as numerator, months as denominator,
        100 * greatest(0, centre - half) as ci_lower, 100 * least(1, centre + half) as ci_upper
    from (
        select *,
            (ratio + 1.959964 ^ 2 / (2 * n_effective)) / (1 + 1.959964 ^ 2 / n_effective)
                as centre,
            1.959964 / (1 + 1.959964 ^ 2 / n_effective) * sqrt(
                ratio * (1 - ratio) / n_effective
                + 1.959964 ^ 2 / (4 * n_effective ^ 2)) as half
        from supervision_effective
    )
),

timeliness as (
    select service as scope, * from assessments
    union all
    select 'all' as scope, * from assessments
),

scoped_audits as (
    select service as scope, * from audits
    union all
    select 'all' as scope, * from audits
),

audit_totals as (
    select scope, count(*) as audits from scoped_audits group by scope
),

-- Every grade seen this year in every service with audits: 0 is published as 0, not [x].
grades as (
    select t.scope, g.grade, count(a.grade) as audits
    from audit_totals as t
    cross join (select distinct grade from scoped_audits) as g
    left join scoped_audits as a on a.scope = t.scope and a.grade = g.grade
    group by t.scope, g.grade
),

measures as (
    -- LGA employer standard 5: supervision at least monthly; ASYE spells on the ASYE
    -- framework's schedule (staging.worker_months).
    -- Eligible worker-months, agency included.
    select scope, 'supervision_compliance' as measure, null as breakdown, null as category,
        value, numerator, denominator, ci_lower, ci_upper
    from supervision_compliance
    -- Working Together to Safeguard Children (single assessment within 45 working days);
    -- Care Act assessments: local timescale. Timescales from authority.yml.
    union all
    select scope, 'assessment_timeliness', null, null,
        100 * count(*) filter (where within_timescale) / nullif(count(*), 0),
        count(*) filter (where within_timescale), count(*), null, null
    from timeliness
    group by scope
    -- Local quality assurance (case audits): graded good or outstanding.
    union all
    select scope, 'audits_good_or_better', null, null,
        100 * count(*) filter (where is_good_or_better) / nullif(count(*), 0),
        count(*) filter (where is_good_or_better), count(*), null, null
    from scoped_audits
    group by scope
    -- Audit grades: counts (cases) and shares.
    union all
    select g.scope, 'audits_count', 'grade', g.grade, g.audits, g.audits, t.audits, null, null
    from grades as g
    inner join audit_totals as t using (scope)
    union all
    select g.scope, 'audits_share', 'grade', g.grade, 100 * g.audits / t.audits, g.audits,
        t.audits, null, null
    from grades as g
    inner join audit_totals as t using (scope)
),

final as (
    select
        scope as service,
        measure,
        breakdown::varchar as breakdown,
        category::varchar as category,
        null::date as month_end,
        value::double as value,
        numerator::double as numerator,
        denominator::double as denominator,
        ci_lower::double as ci_lower,
        ci_upper::double as ci_upper
    from measures
)

select * from final
