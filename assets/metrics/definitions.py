"""The registry of measures: one entry per measure name in `metrics.measures` (docs/design.md §4).

`docs/measures.md` is generated from this registry (`render_markdown`), and
`tests/metrics/test_metrics_definitions.py` fails when the two drift apart or when the SQL emits
a measure that is not registered here. Fields:

- `unit`: one of UNITS.
- `section`: the report section the measure belongs to.
- `interval`: the measure's 95% interval method, one of INTERVALS (docs/design.md §4 "Intervals"):
  `wilson` for true proportions of a count, `poisson` for counts over FTE or headcount
  (`events_from` names the integer count of events), `clustered` for survey answers (computed
  in the family's SQL with the respondent as the unit), `none` for everything else (a census
  response rate, FTE ratios of posts, means of days). Changes between years carry the MOVER
  interval built from the two years' intervals; a measure with `none` has no direction word.
- `count_kind`: what the integer counts behind the measure count, for disclosure control:
  `people`, `cases`, `responses` or `none`.
- `breakdown_only`: True when the measure appears only with a breakdown (not in the headline file).
"""

from __future__ import annotations

from dataclasses import dataclass

UNITS = (
    "percent", "fte", "headcount", "days per fte", "cases per fte", "hours per fte",
    "score 0-100", "hours per week", "count", "hours",
)

DFE = (
    "DfE, Children's social work workforce: methodology (CSWW census), "
    "explore-education-statistics.service.gov.uk"
)
SFC = "Skills for Care, the workforce employed by adult social services departments (ASC-WDS)"
LGA = (
    "LGA, Standards for employers of social workers in England (2020) and the Social Work "
    "Health Check"
)
LGA_S5 = "LGA employer standard 5 (supervision at least monthly; more often for newly qualified)"
ASYE_FRAMEWORK = ("LGA employer standard 5 (2020), local.gov.uk: newly qualified social workers "
                  "supervised at least weekly for the first 6 weeks, at least fortnightly for "
                  "the first 6 months, then at least monthly")
ASYE = "Skills for Care / DfE ASYE framework (protected caseload); cap from authority.yml"
TIMELY = (
    "DfE, Working Together to Safeguard Children (single assessment within 45 working days); "
    "Care Act 2014 assessments: local timescale; timescales from authority.yml"
)
CLA = "DfE, Children looked after in England (SSDA903) definition of a looked-after child"
LOCAL = "psw-report docs/design.md §4 (local definition)"
CSWW_CODES = "DfE CSWW census specification (code lists)"

# DfE divides working days lost by FTE in post x 253, a fixed working year: that reproduces
# every council's published "sickness absence rate - FTE" in DfE's file of every council (CSWW
# 2025 release, 63 of 63 rows checked for 2022; the period's own working days do not).
DFE_WORKING_YEAR = 253

HEALTH_CHECK_THEMES = (
    "workload", "wellbeing", "stress", "supervision", "learning", "equality", "culture",
    "intention_to_stay", "practice",
)
LGA_STANDARDS = {
    1: "strong and clear social work framework",
    2: "effective workforce planning",
    3: "safe workloads and case allocation",
    4: "wellbeing",
    5: "supervision",
    6: "continuing professional development",
    7: "professional registration",
    8: "strategic partnerships",
}


@dataclass(frozen=True)
class Measure:
    name: str
    unit: str
    section: str
    definition: str
    source: str
    interval: str = "none"
    count_kind: str = "none"
    services: tuple[str, ...] = ("children", "adults", "all")
    breakdown_only: bool = False
    events_from: str | None = None  # poisson: the measure whose numerator counts the events

    @property
    def wilson(self) -> bool:
        return self.interval == "wilson"


INTERVALS = {
    "wilson": "95% Wilson score interval on the count and its denominator (a true proportion); "
    "a change between years has Newcombe's hybrid score interval.",
    "poisson": "95% exact Poisson interval on the number of leavers behind the rate, scaled to "
    "the rate (events over exposure); a change between years has the MOVER interval.",
    "clustered": "95% interval with the respondent (survey) or the worker (supervision) as the "
    "unit (linearised variance of a ratio over respondents or workers, so a design effect for "
    "answers or worker-months that come several to a person); a change between years has the "
    "MOVER interval.",
    "none": "No interval: the report gives the figures ('from X to Y') without a direction "
    "word.",
}


_T, _R, _L, _P, _H = (
    "Turnover and retention", "Recruitment", "Learning and development", "Practice quality",
    "Social work health check",
)

_CORE = [
    Measure("fte_in_post", "fte", _T,
            "Σ fte of directly employed spells in post at the reference date R.", DFE),
    Measure("headcount_in_post", "headcount", _T,
            "Distinct directly employed workers in post at R. With a breakdown (ethnicity, "
            "gender, age_band): the headcount in each category.", DFE, count_kind="people"),
    Measure("starters_fte", "fte", _R,
            "Σ fte of directly employed spells starting in the period P (a move from the other "
            "service is a starter in the service, not in `all`).", DFE),
    Measure("leavers_fte", "fte", _T,
            "Σ fte of directly employed spells ending in P (a move to the other service is a "
            "leaver from the service, not from `all`).", DFE),
    Measure("turnover_rate_fte", "percent", _T,
            "100 × leavers_fte / fte_in_post (the DfE definition). With breakdown "
            "`rolling_12_month`: at each month end M in P, 100 × Σ fte of leavers in "
            "(M − 12 months, M] / fte in post at M.", DFE, interval="poisson",
            events_from="turnover_rate_headcount"),
    Measure("turnover_rate_headcount", "percent", _T,
            "100 × distinct directly employed leavers in P / headcount_in_post.",
            f"{DFE}; {SFC} (adults' turnover is on headcount)", interval="poisson",
            events_from="turnover_rate_headcount", count_kind="people"),
    Measure("vacancy_rate_fte", "percent", _R,
            "100 × vacancies_fte (hr_vacancies) / (vacancies_fte + fte_in_post).", DFE),
    Measure("agency_rate_fte", "percent", _T,
            "100 × A / (A + fte_in_post), A = Σ fte of agency spells in post at R (HR extract).",
            DFE),
    Measure("agency_rate_headcount", "percent", _T,
            "100 × agency headcount in post at R / (agency headcount + headcount_in_post).",
            SFC, interval="wilson", count_kind="people"),
    Measure("absence_days_per_fte", "days per fte", _T,
            "Σ working_days_lost over directly employed spells active in P / fte_in_post.", DFE),
    Measure("absence_rate", "percent", _T,
            "100 × Σ working_days_lost / (fte_in_post × 253), 253 being DfE's fixed working "
            "year (not the working days of P).", DFE),
    Measure("stress_absence_share", "percent", _T,
            "100 × Σ stress_days_lost / Σ working_days_lost over the same spells.", LOCAL),
    Measure("stress_absence_headcount", "headcount", _T,
            "Distinct directly employed workers active in P with stress_days_lost > 0: the "
            "people the stress share rests on, which disclosure control counts.", LOCAL,
            count_kind="people"),
    Measure("stability_rate", "percent", _T,
            "100 × headcount in post at R whose spell started on or before R − 2 years / "
            "headcount_in_post.", f"{DFE} (time in service); {LOCAL}", interval="wilson",
            count_kind="people"),
    Measure("caseload_fte", "cases per fte", _P,
            "Allocations open at R held by in-post workers (agency included; a case held by two "
            "workers counts for each) / Σ fte of the in-post spells (agency included) of "
            "workers holding ≥ 1 open allocation at R. For a year without a caseload extract, "
            "each in-post worker's census Cases30 counts as that many allocations open at R (the "
            "caseload extract wins when both are there; provenance.json says which).", DFE,
            count_kind="cases"),
    Measure("children_looked_after", "count", _P,
            "Distinct case_id with a `cla` allocation open at R.", CLA, count_kind="cases",
            services=("children", "all")),
    Measure("supervision_compliance", "percent", _P,
            "100 × compliant worker-months / eligible worker-months (agency included). Eligible: "
            "a spell in post on the first and last day of a calendar month inside P; compliant: "
            "≥ 1 session in the month; for a spell with asye = 1, every interval of the ASYE "
            "supervision schedule (authority.yml asye_supervision; by default the ASYE "
            "framework: weekly for 6 weeks, fortnightly to 6 months, then monthly, from the "
            "spell's role_start_date) that overlaps the month holds a session (an interval "
            "still open at R is not judged). Interval clustered by worker.", ASYE_FRAMEWORK,
            interval="clustered",
            count_kind="people"),
    Measure("asye_caseload_within_cap", "percent", _P,
            "100 × directly employed asye = 1 spells in post at R whose worker holds at most the "
            "cap in open allocations at R / such spells.", ASYE, interval="wilson", count_kind="people"),
    Measure("assessment_timeliness", "percent", _P,
            "100 × assessments completed in P within timescale / assessments completed in P "
            "(agency included). single_assessment: 45 working days counted from the day after "
            "the start; care_act_assessment: 28 calendar days; `other` only with a timescale "
            "in authority.yml.", TIMELY, interval="wilson", count_kind="cases"),
    Measure("audits_good_or_better", "percent", _P,
            "100 × audits in P graded good or outstanding / audits in P.", LOCAL, interval="wilson",
            count_kind="cases"),
    Measure("learning_hours_per_fte", "hours per fte", _L,
            "Σ hours completed in P by directly employed workers in post at R / fte_in_post "
            "(service of the spell in post at R). With breakdown `category`: the hours of that "
            "learning category / fte_in_post.", f"{LOCAL}; LGA employer standard 6 (CPD)"),
    Measure("health_check_response_rate", "percent", _H,
            "100 × responses / headcount invited (a census: no interval).", LGA,
            count_kind="responses"),
    Measure("health_check_score_wellbeing", "score 0-100", _H,
            "Mean over all answers to the wellbeing items (standard 0) of (v − 1) / 4 × 100, "
            "v reversed (6 − v) for reverse-scored items. Denominator = respondents.", LGA,
            interval="clustered", count_kind="responses"),
    Measure("hours_over_contract_mean", "hours per week", _H,
            "Mean hours_over_contract over respondents who answered (numerator = Σ hours, "
            "denominator = respondents).", LOCAL, count_kind="responses"),
]

_STANDARDS = [
    Measure(f"health_check_score_standard_{n}", "score 0-100", _H,
            f"LGA standard {n} ({label}): mean over all answers to the standard's items of "
            "(v − 1) / 4 × 100, v reversed (6 − v) for reverse-scored items. Denominator = "
            "respondents. With breakdown `role_group`: the same by respondent role.", LGA,
            interval="clustered", count_kind="responses")
    for n, label in LGA_STANDARDS.items()
]

_THEMES = [
    Measure(f"health_check_favourable_{theme}", "percent", _H,
            f"100 × favourable answers / answers, over the `{theme}` items, each item's "
            "polarity aligned: 4 or 5 is favourable for an ordinary item, 1 or 2 for an item "
            "whose agreement is unfavourable (codebook reverse_scored = 1). Items of opposite "
            "polarity are never pooled as given.", LGA, interval="clustered",
            count_kind="responses")
    for theme in HEALTH_CHECK_THEMES
]

_BREAKDOWN_ONLY = [
    Measure("health_check_agree_item", "percent", _H,
            "100 × answers of 4 or 5 / answers to one statement, as given. Breakdown "
            "`item:<theme>:<agree|disagree>` names the statement's theme and which answer is "
            "favourable; the category is the statement's text.", LGA, interval="wilson",
            count_kind="responses", breakdown_only=True),
    Measure("in_post_share", "percent", _T,
            "100 × headcount in post in the category / headcount_in_post (breakdowns: ethnicity, "
            "gender, age_band).", CSWW_CODES, count_kind="people", breakdown_only=True),
    Measure("starters_headcount", "headcount", _R,
            "Distinct directly employed starters in P in the category (breakdowns: "
            "start_origin, route, ethnicity, gender, age_band). Routes overlap: a starter can "
            "be on more than one.", CSWW_CODES, count_kind="people", breakdown_only=True),
    Measure("starters_share", "percent", _R,
            "100 × starters in the category / all starters.", CSWW_CODES, count_kind="people",
            breakdown_only=True),
    Measure("leavers_headcount", "headcount", _T,
            "Distinct directly employed leavers in P in the category (breakdowns: reason_leave, "
            "leaver_destination, ethnicity, gender, age_band).", CSWW_CODES,
            count_kind="people", breakdown_only=True),
    Measure("leavers_share", "percent", _T,
            "100 × leavers in the category / all leavers.", CSWW_CODES, count_kind="people",
            breakdown_only=True),
    Measure("learners_headcount", "headcount", _L,
            "Distinct directly employed workers in post at R who completed learning in P in the "
            "category (breakdown: category); published beside the category's hours so that "
            "disclosure control can see how many people a cell describes.", LOCAL,
            count_kind="people", breakdown_only=True),
    Measure("learning_hours_largest", "hours", _L,
            "The most hours one worker (in post at R, directly employed) completed in P in the "
            "category (breakdown: category); not published: the p% dominance rule reads it.",
            LOCAL, breakdown_only=True),
    Measure("learning_hours_second_largest", "hours", _L,
            "The second most hours one worker completed in P in the category (0 with one "
            "learner); not published: the p% dominance rule reads it.", LOCAL,
            breakdown_only=True),
    Measure("audits_count", "count", _P, "Audits in P with the grade (breakdown: grade).",
            LOCAL, count_kind="cases", breakdown_only=True),
    Measure("audits_share", "percent", _P, "100 × audits in P with the grade / audits in P.",
            LOCAL, count_kind="cases", breakdown_only=True),
]

MEASURES: dict[str, Measure] = {
    m.name: m for m in _CORE + _STANDARDS + _THEMES + _BREAKDOWN_ONLY
}


def wilson_measures() -> list[str]:
    """Names of the measures that are proportions of counts (Wilson intervals)."""
    return [m.name for m in MEASURES.values() if m.wilson]


def _check_registry() -> None:
    """A registry entry that names an unknown interval method or events measure fails here,
    at import, rather than silently publishing no interval."""
    for m in MEASURES.values():
        if m.interval not in INTERVALS:
            raise ValueError(f"{m.name}: interval {m.interval!r} is not one of {list(INTERVALS)}")
        if (m.interval == "poisson") != (m.events_from is not None) or (
            m.events_from is not None and m.events_from not in MEASURES
        ):
            raise ValueError(f"{m.name}: a poisson interval needs events_from naming a measure")
        if m.unit not in UNITS:
            raise ValueError(f"{m.name}: unit {m.unit!r} is not one of {UNITS}")


_check_registry()


# Every ambiguity met while implementing docs/design.md §4, with the choice made. Mirrored in
# docs/measures.md ("Choices we made").
DECISIONS: list[tuple[str, str]] = [
    ("Missing values",
     "A measure whose denominator is zero, or with no data, has no row in metrics.measures "
     "(published as [z] or [x]). Only the rolling 12-month turnover keeps rows with a blank "
     "value, for months that need a missing previous-year extract ([x])."),
    ("Zero counts in breakdowns",
     "A category seen in any service in the year (a leaving reason, a grade, an ethnicity...) "
     "gets a row in every service that has that population, with 0 where nobody is in it, so "
     "a published 0 is a fact rather than a missing row. Categories seen nowhere that year "
     "have no row."),
    ("Moves between services: 'within 7 days'",
     "The new spell starts 0 to 7 calendar days after the reason_leave 7 end date (inclusive). "
     "Matches are looked for across every loaded year's HR extract, so a move across 30 "
     "September is recognised on both sides. The agency status of the new spell is not "
     "checked."),
    ("Blank agency_worker and ASYE/route flags",
     "A blank agency_worker is treated as 0 (directly employed); blank route flags and asye as "
     "0."),
    ("Stability for `all`",
     "Uses each spell's own role_start_date, so a worker who moved between services within the "
     "last two years is not counted as stable for `all`."),
    ("Absence",
     "Working days lost are summed over directly employed spells active in P (in post on at "
     "least one day), including leavers; blanks count as 0. The rate divides by FTE in post "
     "× 253, DfE's fixed working year, which reproduces every council's published rate in "
     "DfE's file (the period's own working days, 251 to 254, do not). DfE leaves councils "
     "whose absence data it flags unreliable (u) out of the national rate, and the benchmark "
     "note says which."),
    ("Caseload numerator",
     "Only allocations open at R whose worker has a spell in post at R in the same service "
     "count; an open allocation held by someone who has left is a data-quality issue and is "
     "left out. A worker's FTE is the sum of their in-post spells in the service."),
    ("ASYE caseload",
     "A worker's open allocations are counted across both services against the cap."),
    ("Supervision",
     "Sessions are matched to the worker (not the spell) within the calendar month, from the "
     "same reporting year's supervision extract. No supervision extract: no measure (not 0%)."),
    ("Learning hours",
     "A worker in post at R in both services counts once for `all`. Hours completed in P count "
     "even when completed in an earlier spell. No learning extract: no measure."),
    ("Health check scores",
     "The mean is over answers (as docs/design.md §4 says), not over respondents; numerator is blank "
     "and denominator is the number of respondents who answered at least one item of the "
     "standard, for disclosure control. Standards 2-8 without codebook items get no row."),
    ("Survey polarity and intervals",
     "A theme's favourable share aligns each item's polarity with the codebook's "
     "reverse_scored (1: agreeing is unfavourable, so 1 or 2 is favourable); the share agreeing "
     "is published per statement. Theme shares and scores take the respondent as the unit: "
     "the linearised variance of a ratio over respondents gives an effective sample size "
     "(design effect at least 1; the number of respondents when the share is 0 or 100%), and "
     "the Wilson interval uses it. A statement's agree share has one answer per respondent "
     "and a plain Wilson interval."),
    ("Hours over contract",
     "numerator = Σ hours, denominator = respondents who answered."),
    ("Breakdowns",
     "Counts are distinct workers (integer) in value and numerator, with the population total "
     "in denominator; shares are separate measures (in_post_share, starters_share, "
     "leavers_share, audits_share). Blank characteristics are 'not recorded'. Starter routes "
     "overlap, so route shares need not sum to 100."),
    ("Vacancy rate for `all`",
     "Given only when every service with staff in post has a vacancies row."),
    ("Headcount turnover above 100%",
     "When leavers exceed the headcount in post, no Wilson interval is given."),
    ("Year-on-year changes",
     "Only consecutive reporting years. The change's interval is MOVER on the two years' "
     "intervals (Newcombe's hybrid score method for Wilson intervals); 'rose'/'fell' only "
     "when it excludes 0, else 'was similar to'. A measure with no interval method gets "
     "direction 'not tested' and the report gives the two figures with no direction word."),
    ("Turnover intervals",
     "Leavers are not a subset of those in post at R, so turnover is events over exposure: "
     "an exact Poisson interval on the number of leavers (people), scaled to the rate; for "
     "FTE turnover the FTE per leaver is taken as fixed. With no leavers the upper limit is "
     "the rate 3.69 leavers would give at one FTE or person each."),
    ("Rolling turnover",
     "Month ends inside P only. Leavers in P come from this year's extract and leavers in the "
     "previous P from the previous year's extract; FTE in post at M from this year's extract."),
    ("Backtest",
     "Our turnover, vacancy, agency and caseload formulas reproduce DfE's national rates from "
     "the same release's components within 0.05 points, except turnover 2022 and 2024 (DfE "
     "leaves out LAs with unreliable leaver data) and the agency rate for 2023 and 2024 in the "
     "2025 release (17.9 and 16.2 published; the file's components give 17.8 and 16.0; not "
     "explained by DfE's notes). The test pins these differences."),
    ("Benchmark years",
     "A national figure for 'Sep YYYY' or 'year to Sep YYYY' is matched to reporting year "
     "YYYY; one that names no single year is not used. The Wolverhampton-quoted 12.8% adults' "
     "figure is not mapped (unverified)."),
]


# Reader-facing names for docs/measures.md (presentation only; the registry key is shown too).
_TITLES = {
    "fte_in_post": "Social workers in post (FTE)",
    "headcount_in_post": "Social workers in post (headcount)",
    "starters_fte": "Starters (FTE)",
    "leavers_fte": "Leavers (FTE)",
    "turnover_rate_fte": "Turnover rate (FTE)",
    "turnover_rate_headcount": "Turnover rate (headcount)",
    "vacancy_rate_fte": "Vacancy rate (FTE)",
    "agency_rate_fte": "Agency rate (FTE)",
    "agency_rate_headcount": "Agency rate (headcount)",
    "absence_days_per_fte": "Sickness absence: days lost per FTE",
    "absence_rate": "Sickness absence rate",
    "stress_absence_share": "Share of sickness absence due to stress",
    "stress_absence_headcount": "People with sickness absence due to stress",
    "stability_rate": "Stability rate",
    "caseload_fte": "Average caseload",
    "children_looked_after": "Children looked after",
    "supervision_compliance": "Supervision compliance",
    "asye_caseload_within_cap": "ASYE caseloads within the cap",
    "assessment_timeliness": "Assessments completed on time",
    "audits_good_or_better": "Audits graded good or outstanding",
    "learning_hours_per_fte": "Learning hours per FTE",
    "health_check_response_rate": "Health check response rate",
    "health_check_score_wellbeing": "Health check score: wellbeing",
    "hours_over_contract_mean": "Hours worked over contract",
    "in_post_share": "Share of staff in post, by characteristic",
    "starters_headcount": "Starters (people), by category",
    "starters_share": "Share of starters, by category",
    "leavers_headcount": "Leavers (people), by category",
    "leavers_share": "Share of leavers, by category",
    "learners_headcount": "People who completed learning, by category",
    "learning_hours_largest": "Largest one worker's learning hours, by category",
    "learning_hours_second_largest": "Second largest one worker's learning hours, by category",
    "audits_count": "Audits, by grade",
    "audits_share": "Share of audits, by grade",
}
_UNITS_SHOWN = {
    "percent": "percentage", "fte": "FTE", "headcount": "people (headcount)",
    "days per fte": "days per FTE", "cases per fte": "cases per FTE",
    "hours per fte": "hours per FTE", "score 0-100": "score from 0 to 100",
    "hours per week": "hours a week", "count": "number", "hours": "hours",
}  # fmt: skip
_COUNTS = {"people": "people", "cases": "cases", "responses": "survey responses"}


def _title(m: Measure) -> str:
    if m.name in _TITLES:
        return _TITLES[m.name]
    if m.name.startswith("health_check_score_standard_"):
        number = int(m.name.rsplit("_", 1)[1])
        return f"Health check score: standard {number} ({LGA_STANDARDS[number]})"
    if m.name.startswith("health_check_agree_"):
        theme = m.name.removeprefix("health_check_agree_").replace("_", " ")
        return f"Health check agreement: {theme}"
    return m.name.replace("_", " ").capitalize()


def _entry(m: Measure) -> list[str]:
    """One measure as a definition-list item: the name, then unit, definition and source."""
    facts = [f"Unit: {_UNITS_SHOWN.get(m.unit, m.unit)}."]
    if len(m.services) != 3:
        facts.append(f"Given for {' and '.join(f'`{s}`' for s in m.services)} only.")
    facts.append(f"Interval: {INTERVALS[m.interval]}")
    if m.count_kind != "none":
        facts.append(f"Suppressed when it rests on a small number of {_COUNTS[m.count_kind]}.")
    if m.breakdown_only:
        facts.append("Published only with a breakdown.")
    source = m.source if m.source.endswith((".", ")")) else f"{m.source}."
    return [
        f"**{_title(m)}** (`{m.name}`)",
        "",  # a blank line here makes each part a paragraph of its own (a loose list)
        f":   {' '.join(facts)}",
        "",
        f"    *Definition.* {m.definition}",
        "",
        f"    *Source.* {source}",
        "",
    ]


def render_markdown() -> str:
    """docs/measures.md, generated from MEASURES and DECISIONS.

    The file is included in the report's methods appendix (a level-1 heading), so its own
    headings start at level 2. Each measure is a definition-list entry rather than a table
    row: a six-column table is unreadable in a printed page."""
    lines = [
        "## Measure definitions",
        "",
        "<!-- Generated from assets/metrics/definitions.py by "
        "`python -m assets.metrics.definitions`; do not edit by hand. -->",
        "",
        "This section defines every figure in the report. R is the reference date (30 "
        "September on the DfE basis, 31 March on the financial basis) and P the year to R "
        "(1 October to 30 September on the DfE basis). A spell is *in post* on a day D when it "
        "started on or before D and has not ended, or ends after D: someone who leaves on R is "
        "a leaver, not in post. Unless a definition says otherwise, workforce figures count "
        "directly employed social workers only (agency workers are excluded). Each measure is "
        "given for children's services, adults' services and both together (`all`). A move "
        "between services (leaving one with reason 'moved within the LA' and starting in the "
        "other within 7 days) is a leaver and a starter for each service but neither for `all`.",
        "",
        "Each entry names its interval method: a Wilson interval for a true proportion of a "
        "count; an exact Poisson interval for turnover (leavers over FTE or headcount in "
        "post); an interval with the respondent as the unit for the health check (answers "
        "come several to a respondent) and with the worker as the unit for supervision "
        "compliance (worker-months come several to a worker); or none (FTE ratios of posts, "
        "days lost, caseloads, "
        "the response rate of a survey sent to everyone). The workforce figures are a census: "
        "their intervals describe year-to-year variation. A change between years combines the "
        "two years' intervals (Newcombe for proportions, MOVER otherwise); the report says a "
        "figure rose or fell only when that interval excludes zero, 'was similar to' with the "
        "change in points otherwise, and 'from X to Y' with no direction word for a measure "
        "with no interval. Each entry also says what the counts behind the measure count "
        "(people, cases or survey responses), which is what disclosure control protects.",
        "",
    ]
    for section in dict.fromkeys(m.section for m in MEASURES.values()):
        lines += [f"### {section}", ""]
        for m in MEASURES.values():
            if m.section == section:
                lines += _entry(m)
    lines += ["### Choices we made", "",
              "Where the definitions left room for doubt, this is what the pipeline does.", ""]
    lines += [f"- **{title}.** {text}" for title, text in DECISIONS]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "docs" / "measures.md"
    target.write_text(render_markdown(), encoding="utf-8")
