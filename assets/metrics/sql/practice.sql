-- Practice measures (DESIGN §4 "Practice and survey measures"): supervision_compliance,
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
    -- LGA employer standard 5: supervision at least monthly (twice a month in the ASYE).
    -- Eligible worker-months, agency included.
    select scope, 'supervision_compliance' as measure, null as breakdown, null as category,
        100 * count(*) filter (where is_compliant) / nullif(count(*), 0) as value,
        count(*) filter (where is_compliant) as numerator, count(*) as denominator
    from supervision
    where (select present from supervision_present)
    group by scope
    -- Working Together to Safeguard Children (single assessment within 45 working days);
    -- Care Act assessments: local timescale. Timescales from authority.yml.
    union all
    select scope, 'assessment_timeliness', null, null,
        100 * count(*) filter (where within_timescale) / nullif(count(*), 0),
        count(*) filter (where within_timescale), count(*)
    from timeliness
    group by scope
    -- Local quality assurance (case audits): graded good or outstanding.
    union all
    select scope, 'audits_good_or_better', null, null,
        100 * count(*) filter (where is_good_or_better) / nullif(count(*), 0),
        count(*) filter (where is_good_or_better), count(*)
    from scoped_audits
    group by scope
    -- Audit grades: counts (cases) and shares.
    union all
    select g.scope, 'audits_count', 'grade', g.grade, g.audits, g.audits, t.audits
    from grades as g
    inner join audit_totals as t using (scope)
    union all
    select g.scope, 'audits_share', 'grade', g.grade, 100 * g.audits / t.audits, g.audits,
        t.audits
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
        denominator::double as denominator
    from measures
)

select * from final
