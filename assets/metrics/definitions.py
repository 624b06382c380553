"""The registry of measures: one entry per measure name in `metrics.measures` (docs/design.md §4),
and the one place a measure is described. Everything else that lists measures derives from it:
the published tables' headline list, headline disclosure rules, trend list and group labels
(`assets/published/tables.py`), `docs/measures.md` (`render_markdown`, with each `formula`) and
the technical annex's definitions (`render_annex`, with each `plain_definition`).

A registry entry with a field missing or unknown fails at import (`registry_problems`); the SQL
emitting a measure that is not registered fails in `assets/metrics/measures.py`; and
`tests/metrics/test_metrics_definitions.py` fails when docs/measures.md is stale, when the
benchmark map and a measure's `comparison` disagree, or when a published table and a measure's
`tables` disagree. Fields (see `Measure`):

- `title`, `unit` (one of UNITS), `section` (the report section), `family` (its SQL file).
- `calculation` (numerator and denominator, in the notation of docs/design.md §4) and `plain`
  (the same in plain English); with `reference` (REFERENCES), `population` (POPULATIONS),
  `interval` and `comparison` (COMPARISONS) they make the `formula` and the `plain_definition`.
- `interval`: the measure's 95% interval method, one of INTERVALS (docs/design.md §4 "Intervals"):
  `wilson` for true proportions of a count, `poisson` for counts over FTE or headcount
  (`events_from` names the integer count of events), `clustered` for survey answers (computed
  in the family's SQL with the respondent as the unit), `none` for everything else (a census
  response rate, FTE ratios of posts, means of days). Changes between years carry the MOVER
  interval built from the two years' intervals; a measure with `none` has no direction word.
- `comparison`: the benchmarks it is set beside; on DfE's basis a comparison is exact only when
  authority.yml sets `period: dfe` (assets/metrics/sql/benchmarks.sql).
- `count_kind`: what the integer counts behind the measure count, for disclosure control:
  `people`, `cases`, `responses` or `none`; `disclosure`: its headline rule.
- `tables`: the published tables it appears in; without `headline_measures` it is breakdown only.
  `every_year`: a headline row every year (`[x]` without data) rather than only when present.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

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
class Disclosure:
    """How a measure's headline cell is protected (docs/design.md §4 "Outputs and disclosure
    control"); `assets/published/tables.py` turns it into the headline rule.

    `kind`: what its counts count (people | cases | responses | none), or `exempt` for the
    service-level workforce figures published as councils and DfE publish them.
    `count_columns`: which of value/numerator/denominator are counts of that kind.
    `count_from`: a companion (measure, column) of the same year and service whose count also
    describes this cell (e.g. the respondents behind a survey score)."""

    kind: str
    count_columns: tuple[str, ...] = ()
    count_from: tuple[str, str] | None = None


DISCLOSURE_KINDS = ("exempt", "people", "cases", "responses", "none")
EXEMPT = Disclosure("exempt")
# Stability, supervision (worker-months) and the ASYE caseload: people in both counts.
PEOPLE_RATIO = Disclosure("people", ("numerator", "denominator"))
RESPONDENTS = ("health_check_response_rate", "numerator")

# The published tables a measure can appear in (assets/published/tables.py). `headline_measures`
# is the headline table, `turnover_trend` the cross-year series, `comparisons` the DfE
# comparisons among councils; the others are breakdown tables, each a BreakdownTable there.
PUBLISHED_TABLES = (
    "headline_measures", "turnover_trend", "comparisons", "health_check_by_standard",
    "health_check_by_role", "health_check_items", "leavers_by_reason", "leavers_by_destination",
    "starters_by_origin", "starters_by_route", "learning_hours_by_category", "audit_grades",
    "equality_diversity",
)  # fmt: skip
HEADLINE = "headline_measures"

# Reference date: (formula wording, plain English). R and P as in docs/design.md §4 "Notation".
REFERENCES = {
    "stock": ("a stock at the reference date R",
              "counted on the reference date (30 September, or 31 March where the council "
              "reports on the financial year)"),
    "flow": ("a flow over the period P (the year to R)",
             "counted over the reporting year (the twelve months to the reference date)"),
    "flow_over_stock": ("events in the period P over the stock at the reference date R",
                        "what happened during the reporting year, set against the number in "
                        "post on the reference date (30 September, or 31 March where the "
                        "council reports on the financial year)"),
    "months": ("calendar months wholly inside P, judged up to R",
               "each full calendar month of the reporting year"),
    "survey": ("the reporting year's health check (one survey a year)",
               "the staff health check run during the reporting year"),
}

# Population: (formula wording, plain English).
POPULATIONS = {
    "employed": ("directly employed social workers (agency_worker = 0), by the service of "
                 "their spell",
                 "social workers employed directly by the council; agency social workers are "
                 "not counted"),
    "employed_and_agency": ("directly employed and agency social workers in the HR extract",
                            "social workers employed directly by the council, and agency "
                            "social workers"),
    "posts": ("vacant FTE at R (hr_vacancies) and directly employed spells in post at R",
              "social worker posts: those vacant on the reference date and those filled by "
              "social workers employed directly by the council"),
    "caseholders": ("allocations open at R and the in-post workers holding them, agency "
                    "included",
                    "social workers who hold at least one case, agency social workers "
                    "included, and the cases they hold"),
    "looked_after": ("cases with a `cla` allocation open at R (children's services only)",
                     "children in the council's care (looked after), in children's services "
                     "only"),
    "supervised": ("every worker in post for a whole calendar month, agency included",
                   "every social worker in post for a whole calendar month, agency social "
                   "workers included"),
    "asye": ("directly employed spells with asye = 1 in post at R",
             "newly qualified social workers in their assessed and supported year in "
             "employment, employed directly by the council"),
    "assessments": ("assessments completed in P, by any worker (agency included)",
                    "assessments finished during the year, whoever completed them"),
    "audits": ("case audits carried out in P", "case file audits carried out during the year"),
    "learners": ("directly employed workers in post at R and the learning they completed in P",
                 "social workers employed directly by the council on the reference date, and "
                 "the learning they completed during the year"),
    "invited": ("workers invited to the health check and its respondents",
                "everyone invited to answer the staff health check"),
    "respondents": ("respondents to the social work health check",
                    "social workers who answered the staff health check"),
}

# Comparison basis: (formula wording, plain English). A measure lists the benchmarks it is set
# beside (data/reference/benchmark_map.csv; tests/metrics/test_metrics_definitions.py checks
# the two agree); none listed means no comparison.
COMPARISONS = {
    "dfe": ("DfE CSWW national figure for England, children's services; exact (above, below "
            "or similar) only when authority.yml sets `period: dfe`, the year to 30 September "
            "DfE uses; on `period: financial` it is context only",
            "children's services are set beside the Department for Education's figure for "
            "England; the comparison is like for like only when the council reports on the "
            "Department's year to 30 September, otherwise the national figure is shown for "
            "context only"),
    "sfc": ("Skills for Care national figure, adults' services: context only, never exact "
            "(counted on a different basis)",
            "adults' services are set beside Skills for Care's national figure for context "
            "only, because it is counted differently"),
    "scw": ("Social Care Wales workforce figure (Wales): context only, never exact",
            "in Wales, Social Care Wales's figure is shown for context only, because it is "
            "counted differently"),
    "lga": ("LGA Social Work Health Check: the framework of the questions; no national "
            "figure, so no comparison",
            "the Local Government Association's health check sets the questions; there is no "
            "national figure to compare with"),
}
NO_COMPARISON = ("none: a local measure with no national series",
                 "nothing: no national figure is published on this definition")
PLACED_AMONG_COUNCILS = (
    "; also placed among every council, the region and statistical neighbours (DfE's file of "
    "every council, same basis rule)",
    "; it is also placed among every council, the region and similar councils",
)

INTERVALS_PLAIN = {
    "wilson": "a 95% range of likely values is given, worked out as for a share of a count "
    "(Wilson's method)",
    "poisson": "a 95% range of likely values is given, worked out from the number of leavers "
    "behind the rate (an exact Poisson range)",
    "clustered": "a 95% range of likely values is given that takes each person as the unit, "
    "because one person gives several answers or several months",
    "none": "no range is given, so a change between years is reported as 'from one figure to "
    "another' without saying it rose or fell",
}


@dataclass(frozen=True)
class Measure:
    """One measure of `metrics.measures`: everything the pipeline, the published tables, the
    report and the docs need to know about it. Every field without a default is required."""

    name: str
    title: str  # plain English, for tables, the report and docs/measures.md
    unit: str
    section: str
    family: str  # the SQL file in assets/metrics/sql that emits it
    calculation: str  # numerator and denominator in the notation of docs/design.md §4
    plain: str  # the same in plain English: what is counted, divided by what
    reference: str  # one of REFERENCES
    population: str  # one of POPULATIONS
    source: str
    tables: tuple[str, ...]  # the published tables it appears in (PUBLISHED_TABLES)
    disclosure: Disclosure | None = None  # its headline rule; required in the headline table
    comparison: tuple[str, ...] = ()  # benchmarks (COMPARISONS) it is set beside
    interval: str = "none"
    count_kind: str = "none"
    services: tuple[str, ...] = ("children", "adults", "all")
    every_year: bool = True  # a headline row every year, [x] when no data; False: when present
    group_name: str | None = None  # its short label when it names a group of breakdown rows
    events_from: str | None = None  # poisson: the measure whose numerator counts the events

    @property
    def wilson(self) -> bool:
        return self.interval == "wilson"

    @property
    def breakdown_only(self) -> bool:
        """Appears only with a breakdown (not in the headline table)."""
        return HEADLINE not in self.tables

    @property
    def formula(self) -> str:
        """The technical definition (docs/measures.md): numerator and denominator, reference
        date, population, interval method and comparison basis."""
        compare = "; ".join(COMPARISONS[c][0] for c in self.comparison) or NO_COMPARISON[0]
        if "comparisons" in self.tables:
            compare += PLACED_AMONG_COUNCILS[0]
        return (f"{self.calculation} Reference date: {REFERENCES[self.reference][0]}. "
                f"Population: {POPULATIONS[self.population][0]}. "
                f"Interval: {INTERVALS[self.interval]} Comparison: {compare}.")

    @property
    def plain_definition(self) -> str:
        """The same five things in plain English, for the report's technical annex."""
        compare = "; ".join(COMPARISONS[c][1] for c in self.comparison) or NO_COMPARISON[1]
        if "comparisons" in self.tables:
            compare += PLACED_AMONG_COUNCILS[1]
        return (f"{self.plain} When: {REFERENCES[self.reference][1]}. "
                f"Who: {POPULATIONS[self.population][1]}. "
                f"Range: {INTERVALS_PLAIN[self.interval]}. Compared with: {compare}.")


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
_DFE_SFC = ("dfe", "sfc")

_CORE = [
    Measure("fte_in_post", "Social workers in post (FTE)", "fte", _T, family="workforce",
            calculation="Σ fte of directly employed spells in post at the reference date R "
            "(a total: no denominator).",
            plain="The full-time equivalent (FTE) of social workers in post: each person counts "
            "as their contracted share of a full-time post, and the shares are added up.",
            reference="stock", population="employed", source=DFE,
            tables=(HEADLINE, "turnover_trend"), disclosure=EXEMPT),
    Measure("headcount_in_post", "Social workers in post (headcount)", "headcount", _T,
            family="workforce",
            calculation="Distinct directly employed workers in post at R (a count: no "
            "denominator). With a breakdown (ethnicity, gender, age_band): the headcount in "
            "each category.",
            plain="The number of social workers in post, each person counted once.",
            reference="stock", population="employed", source=DFE, count_kind="people",
            tables=(HEADLINE, "equality_diversity"), disclosure=EXEMPT, group_name="in_post"),
    Measure("starters_fte", "Starters (FTE)", "fte", _R, family="workforce",
            calculation="Σ fte of directly employed spells starting in the period P (a total: "
            "no denominator; a move from the other service is a starter in the service, not "
            "in `all`).",
            plain="The full-time equivalent of social workers who started during the year. "
            "Someone who moved from the other service counts as a starter in the service they "
            "joined, but not for the council as a whole.",
            reference="flow", population="employed", source=DFE,
            tables=(HEADLINE,), disclosure=Disclosure("people", ("numerator",))),
    Measure("leavers_fte", "Leavers (FTE)", "fte", _T, family="workforce",
            calculation="Σ fte of directly employed spells ending in P (a total: no "
            "denominator; a move to the other service is a leaver from the service, not from "
            "`all`).",
            plain="The full-time equivalent of social workers who left during the year. "
            "Someone who moved to the other service counts as a leaver from the service they "
            "left, but not for the council as a whole.",
            reference="flow", population="employed", source=DFE,
            tables=(HEADLINE, "turnover_trend"),
            disclosure=Disclosure("people", ("numerator",),
                                  ("turnover_rate_headcount", "numerator"))),
    Measure("turnover_rate_fte", "Turnover rate (FTE)", "percent", _T, family="workforce",
            calculation="100 × leavers_fte / fte_in_post (the DfE definition): numerator the "
            "FTE of leavers in P, denominator the FTE in post at R. With breakdown "
            "`rolling_12_month`: at each month end M in P, 100 × Σ fte of leavers in "
            "(M − 12 months, M] / fte in post at M.",
            plain="The full-time equivalent of social workers who left during the year, "
            "divided by the full-time equivalent in post on the reference date, as a "
            "percentage. The rolling figure does the same for the twelve months to each month "
            "end.",
            reference="flow_over_stock", population="employed", source=DFE,
            comparison=_DFE_SFC, interval="poisson", events_from="turnover_rate_headcount",
            tables=(HEADLINE, "turnover_trend", "comparisons"), disclosure=EXEMPT),
    Measure("turnover_rate_headcount", "Turnover rate (headcount)", "percent", _T,
            family="workforce",
            calculation="100 × distinct directly employed leavers in P / headcount_in_post "
            "(numerator people who left in P, denominator people in post at R).",
            plain="The number of social workers who left during the year, divided by the "
            "number in post on the reference date, as a percentage (each person counted "
            "once).",
            reference="flow_over_stock", population="employed",
            source=f"{DFE}; {SFC} (adults' turnover is on headcount)", comparison=_DFE_SFC,
            interval="poisson", events_from="turnover_rate_headcount", count_kind="people",
            tables=(HEADLINE, "turnover_trend"), disclosure=EXEMPT),
    Measure("vacancy_rate_fte", "Vacancy rate (FTE)", "percent", _R, family="vacancies",
            calculation="100 × vacancies_fte (hr_vacancies) / (vacancies_fte + fte_in_post): "
            "numerator vacant FTE at R, denominator vacant plus filled FTE at R.",
            plain="Vacant social worker posts (in full-time equivalents) divided by vacant and "
            "filled posts together, as a percentage.",
            reference="stock", population="posts", source=DFE, comparison=_DFE_SFC + ("scw",),
            tables=(HEADLINE, "comparisons"), disclosure=EXEMPT),
    Measure("agency_rate_fte", "Agency rate (FTE)", "percent", _T, family="workforce",
            calculation="100 × A / (A + fte_in_post), A = Σ fte of agency spells in post at R "
            "(HR extract): numerator agency FTE, denominator agency plus directly employed FTE.",
            plain="The full-time equivalent of agency social workers divided by that of agency "
            "and directly employed social workers together, as a percentage.",
            reference="stock", population="employed_and_agency", source=DFE,
            comparison=_DFE_SFC, tables=(HEADLINE, "comparisons"), disclosure=EXEMPT),
    Measure("agency_rate_headcount", "Agency rate (headcount)", "percent", _T,
            family="workforce",
            calculation="100 × agency headcount in post at R / (agency headcount + "
            "headcount_in_post).",
            plain="The number of agency social workers divided by the number of agency and "
            "directly employed social workers together, as a percentage (each person counted "
            "once).",
            reference="stock", population="employed_and_agency", source=SFC,
            comparison=("sfc", "scw"), interval="wilson", count_kind="people",
            tables=(HEADLINE,), disclosure=EXEMPT),
    Measure("absence_days_per_fte", "Sickness absence: days lost per FTE", "days per fte", _T,
            family="workforce",
            calculation="Σ working_days_lost over directly employed spells active in P / "
            "fte_in_post (denominator the FTE in post at R).",
            plain="Working days lost to sickness during the year by social workers employed at "
            "any time in the year, divided by the full-time equivalent in post on the "
            "reference date.",
            reference="flow_over_stock", population="employed", source=DFE,
            tables=(HEADLINE,), disclosure=EXEMPT),
    Measure("absence_rate", "Sickness absence rate", "percent", _T, family="workforce",
            calculation="100 × Σ working_days_lost / (fte_in_post × 253), 253 being DfE's fixed "
            "working year (not the working days of P).",
            plain="Working days lost to sickness during the year, divided by the working days "
            "the full-time equivalent in post would work in a year (253 days each, the "
            "Department for Education's fixed working year), as a percentage.",
            reference="flow_over_stock", population="employed", source=DFE,
            comparison=("dfe",), tables=(HEADLINE, "comparisons"), disclosure=EXEMPT),
    Measure("stress_absence_share", "Share of sickness absence due to stress", "percent", _T,
            family="workforce",
            calculation="100 × Σ stress_days_lost / Σ working_days_lost over the same spells "
            "(directly employed, active in P).",
            plain="Working days lost to stress-related sickness divided by all working days "
            "lost to sickness during the year, as a percentage.",
            reference="flow", population="employed", source=LOCAL,
            tables=(HEADLINE,),
            disclosure=Disclosure("people", (), ("stress_absence_headcount", "value"))),
    Measure("stress_absence_headcount", "People with sickness absence due to stress",
            "headcount", _T, family="workforce",
            calculation="Distinct directly employed workers active in P with stress_days_lost "
            "> 0 (a count: no denominator): the people the stress share rests on, which "
            "disclosure control counts.",
            plain="The number of social workers who lost any days to stress-related sickness "
            "during the year.",
            reference="flow", population="employed", source=LOCAL, count_kind="people",
            tables=(HEADLINE,), disclosure=Disclosure("people", ("value",))),
    Measure("stability_rate", "Stability rate", "percent", _T, family="workforce",
            calculation="100 × headcount in post at R whose spell started on or before R − 2 "
            "years / headcount_in_post.",
            plain="The number of social workers in post on the reference date who had been in "
            "their post for at least two years, divided by the number in post, as a "
            "percentage.",
            reference="stock", population="employed", source=f"{DFE} (time in service); {LOCAL}",
            interval="wilson", count_kind="people", tables=(HEADLINE,),
            disclosure=PEOPLE_RATIO),
    Measure("caseload_fte", "Average caseload", "cases per fte", _P, family="caseload",
            calculation="Allocations open at R held by in-post workers (agency included; a case "
            "held by two workers counts for each) / Σ fte of the in-post spells (agency "
            "included) of workers holding ≥ 1 open allocation at R. For a year without a "
            "caseload extract, each in-post worker's census Cases30 counts as that many "
            "allocations open at R (the caseload extract wins when both are there; "
            "provenance.json says which).",
            plain="Cases held on the reference date by social workers, divided by the full-time "
            "equivalent of the social workers holding at least one case. A case held by two "
            "workers counts for each.",
            reference="stock", population="caseholders", source=DFE, comparison=("dfe",),
            count_kind="cases", tables=(HEADLINE, "comparisons"), disclosure=EXEMPT),
    Measure("children_looked_after", "Children looked after", "count", _P, family="caseload",
            calculation="Distinct case_id with a `cla` allocation open at R (a count: no "
            "denominator).",
            plain="The number of children in the council's care (looked after) whose case was "
            "held by a social worker on the reference date, each child counted once.",
            reference="stock", population="looked_after", source=CLA, count_kind="cases",
            services=("children", "all"), tables=(HEADLINE,),
            disclosure=Disclosure("cases", ("value",))),
    Measure("supervision_compliance", "Supervision compliance", "percent", _P,
            family="practice",
            calculation="100 × compliant worker-months / eligible worker-months (agency "
            "included). Eligible: a spell in post on the first and last day of a calendar "
            "month inside P; compliant: ≥ 1 session in the month; for a spell with asye = 1, "
            "every interval of the ASYE supervision schedule (authority.yml asye_supervision; "
            "by default the ASYE framework: weekly for 6 weeks, fortnightly to 6 months, then "
            "monthly, from the spell's role_start_date) that overlaps the month holds a "
            "session (an interval still open at R is not judged). Interval clustered by "
            "worker.",
            plain="Months in which a social worker had the supervision they should have had, "
            "divided by all the months social workers were in post for the whole month, as a "
            "percentage. One session a month is enough, except for newly qualified social "
            "workers, who should be supervised weekly for their first six weeks and "
            "fortnightly to six months.",
            reference="months", population="supervised", source=ASYE_FRAMEWORK,
            interval="clustered", count_kind="people", tables=(HEADLINE,),
            disclosure=PEOPLE_RATIO),
    Measure("asye_caseload_within_cap", "ASYE caseloads within the cap", "percent", _P,
            family="caseload",
            calculation="100 × directly employed asye = 1 spells in post at R whose worker holds "
            "at most the cap in open allocations at R / such spells.",
            plain="Newly qualified social workers whose number of cases on the reference date "
            "was within the council's limit, divided by all newly qualified social workers in "
            "post, as a percentage.",
            reference="stock", population="asye", source=ASYE, interval="wilson",
            count_kind="people", tables=(HEADLINE,), disclosure=PEOPLE_RATIO),
    Measure("assessment_timeliness", "Assessments completed on time", "percent", _P,
            family="practice",
            calculation="100 × assessments completed in P within timescale / assessments "
            "completed in P (agency included). single_assessment: 45 working days counted "
            "from the day after the start; care_act_assessment: 28 calendar days; `other` only "
            "with a timescale in authority.yml.",
            plain="Assessments finished within their timescale, divided by all assessments "
            "finished during the year, as a percentage. A children's single assessment has 45 "
            "working days and an adults' Care Act assessment 28 days.",
            reference="flow", population="assessments", source=TIMELY, interval="wilson",
            count_kind="cases", tables=(HEADLINE,),
            disclosure=Disclosure("cases", ("numerator", "denominator"))),
    Measure("audits_good_or_better", "Audits graded good or outstanding", "percent", _P,
            family="practice",
            calculation="100 × audits in P graded good or outstanding / audits in P.",
            plain="Case file audits graded good or outstanding, divided by all audits during "
            "the year, as a percentage.",
            reference="flow", population="audits", source=LOCAL, interval="wilson",
            count_kind="cases", tables=(HEADLINE,),
            disclosure=Disclosure("cases", ("numerator", "denominator"))),
    Measure("learning_hours_per_fte", "Learning hours per FTE", "hours per fte", _L,
            family="learning",
            calculation="Σ hours completed in P by directly employed workers in post at R / "
            "fte_in_post (service of the spell in post at R). With breakdown `category`: the "
            "hours of that learning category / fte_in_post.",
            plain="Hours of learning completed during the year by social workers in post on the "
            "reference date, divided by their full-time equivalent.",
            reference="flow_over_stock", population="learners",
            source=f"{LOCAL}; LGA employer standard 6 (CPD)",
            tables=(HEADLINE, "learning_hours_by_category"), disclosure=Disclosure("none")),
    Measure("health_check_response_rate", "Health check response rate", "percent", _H,
            family="health_check_response",
            calculation="100 × responses / headcount invited (a census: no interval).",
            plain="The number of people who answered the staff health check, divided by the "
            "number invited, as a percentage.",
            reference="survey", population="invited", source=LGA, comparison=("lga",),
            count_kind="responses", tables=(HEADLINE,),
            disclosure=Disclosure("responses", ("numerator", "denominator"))),
    Measure("health_check_score_wellbeing", "Health check score: wellbeing", "score 0-100", _H,
            family="health_check",
            calculation="Mean over all answers to the wellbeing items (standard 0) of (v − 1) / "
            "4 × 100, v reversed (6 − v) for reverse-scored items: numerator the sum of the "
            "scores, denominator the answers (respondents published for disclosure control).",
            plain="The average answer to the wellbeing statements, on a scale from 0 (the least "
            "favourable answer) to 100 (the most favourable): the answers' scores added up and "
            "divided by the number of answers.",
            reference="survey", population="respondents", source=LGA, comparison=("lga",),
            interval="clustered", count_kind="responses", every_year=False,
            tables=(HEADLINE, "health_check_by_standard", "health_check_by_role"),
            disclosure=Disclosure("responses", (), RESPONDENTS)),
    Measure("hours_over_contract_mean", "Hours worked over contract", "hours per week", _H,
            family="health_check",
            calculation="Σ hours_over_contract / respondents who answered (the mean over "
            "respondents: numerator = Σ hours, denominator = respondents).",
            plain="The extra hours a week that respondents said they work beyond their "
            "contract, added up and divided by the number who answered.",
            reference="survey", population="respondents", source=LOCAL, comparison=("lga",),
            count_kind="responses", tables=(HEADLINE,),
            disclosure=Disclosure("responses", ("denominator",), RESPONDENTS)),
]

_STANDARDS = [
    Measure(f"health_check_score_standard_{n}",
            f"Health check score: standard {n} ({label})", "score 0-100", _H,
            family="health_check",
            calculation=f"LGA standard {n} ({label}): mean over all answers to the standard's "
            "items of (v − 1) / 4 × 100, v reversed (6 − v) for reverse-scored items: numerator "
            "the sum of the scores, denominator the answers (respondents published for "
            "disclosure control). With breakdown `role_group`: the same by respondent role.",
            plain=f"The average answer to the statements on the employer standard for {label}, "
            "on a scale from 0 (the least favourable answer) to 100 (the most favourable): the "
            "answers' scores added up and divided by the number of answers. Also given by "
            "role.",
            reference="survey", population="respondents", source=LGA, comparison=("lga",),
            interval="clustered", count_kind="responses", every_year=False,
            tables=(HEADLINE, "health_check_by_standard", "health_check_by_role"),
            disclosure=Disclosure("responses", (), RESPONDENTS))
    for n, label in LGA_STANDARDS.items()
]

_THEMES = [
    Measure(f"health_check_favourable_{theme}",
            f"Health check: favourable answers on {theme.replace('_', ' ')}", "percent", _H,
            family="health_check",
            calculation=f"100 × favourable answers / answers, over the `{theme}` items, each "
            "item's polarity aligned: 4 or 5 is favourable for an ordinary item, 1 or 2 for an "
            "item whose agreement is unfavourable (codebook reverse_scored = 1). Items of "
            "opposite polarity are never pooled as given.",
            plain=f"Favourable answers to the statements about {theme.replace('_', ' ')}, "
            "divided by all answers to them, as a percentage. Agreeing is favourable for most "
            "statements; for a statement such as 'I am looking to leave', disagreeing is.",
            reference="survey", population="respondents", source=LGA, comparison=("lga",),
            interval="clustered", count_kind="responses", every_year=False, tables=(HEADLINE,),
            disclosure=Disclosure("responses", ("numerator", "denominator"), RESPONDENTS))
    for theme in HEALTH_CHECK_THEMES
]

_BREAKDOWN_ONLY = [
    Measure("health_check_agree_item", "Health check: share agreeing with a statement",
            "percent", _H, family="health_check",
            calculation="100 × answers of 4 or 5 / answers to one statement, as given. Breakdown "
            "`item:<theme>:<agree|disagree>` names the statement's theme and which answer is "
            "favourable; the category is the statement's text.",
            plain="For each statement, the number who agreed or strongly agreed, divided by the "
            "number who answered it, as a percentage, with whether agreeing is favourable.",
            reference="survey", population="respondents", source=LGA, comparison=("lga",),
            interval="wilson", count_kind="responses", tables=("health_check_items",)),
    Measure("in_post_share", "Share of staff in post, by characteristic", "percent", _T,
            family="breakdowns",
            calculation="100 × headcount in post in the category / headcount_in_post "
            "(breakdowns: ethnicity, gender, age_band).",
            plain="The number of social workers in post in a group (such as an ethnic group, "
            "gender or age band), divided by all in post, as a percentage.",
            reference="stock", population="employed", source=CSWW_CODES, count_kind="people",
            tables=()),
    Measure("starters_headcount", "Starters (people), by category", "headcount", _R,
            family="breakdowns",
            calculation="Distinct directly employed starters in P in the category (a count: the "
            "denominator holds all starters; breakdowns: start_origin, route, ethnicity, "
            "gender, age_band). Routes overlap: a starter can be on more than one.",
            plain="The number of social workers who started during the year in each group "
            "(where they came from, their route into social work, ethnic group, gender, age "
            "band). Routes overlap, so one starter can be on more than one.",
            reference="flow", population="employed", source=CSWW_CODES, count_kind="people",
            tables=("starters_by_origin", "starters_by_route", "equality_diversity"),
            group_name="starters"),
    Measure("starters_share", "Share of starters, by category", "percent", _R,
            family="breakdowns",
            calculation="100 × starters in the category / all starters.",
            plain="The number of starters in a group, divided by all starters, as a "
            "percentage.",
            reference="flow", population="employed", source=CSWW_CODES, count_kind="people",
            tables=()),
    Measure("leavers_headcount", "Leavers (people), by category", "headcount", _T,
            family="breakdowns",
            calculation="Distinct directly employed leavers in P in the category (a count: the "
            "denominator holds all leavers; breakdowns: reason_leave, leaver_destination, "
            "ethnicity, gender, age_band).",
            plain="The number of social workers who left during the year in each group (reason "
            "for leaving, where they went, ethnic group, gender, age band).",
            reference="flow", population="employed", source=CSWW_CODES, count_kind="people",
            tables=("leavers_by_reason", "leavers_by_destination", "equality_diversity"),
            group_name="leavers"),
    Measure("leavers_share", "Share of leavers, by category", "percent", _T,
            family="breakdowns",
            calculation="100 × leavers in the category / all leavers.",
            plain="The number of leavers in a group, divided by all leavers, as a percentage.",
            reference="flow", population="employed", source=CSWW_CODES, count_kind="people",
            tables=()),
    Measure("learners_headcount", "People who completed learning, by category", "headcount",
            _L, family="learning",
            calculation="Distinct directly employed workers in post at R who completed learning "
            "in P in the category (a count: no denominator; breakdown: category); published "
            "beside the category's hours so that disclosure control can see how many people a "
            "cell describes.",
            plain="The number of social workers who completed any learning of a kind during "
            "the year, shown beside the hours so that readers can see how many people the "
            "hours describe.",
            reference="flow", population="learners", source=LOCAL, count_kind="people",
            tables=("learning_hours_by_category",)),
    Measure("learning_hours_largest", "Largest one worker's learning hours, by category",
            "hours", _L, family="learning",
            calculation="The most hours one worker (in post at R, directly employed) completed "
            "in P in the category (breakdown: category; no denominator); not published: the "
            "p% dominance rule reads it.",
            plain="The most hours of a kind of learning one social worker completed during the "
            "year. It is not published: it is used to check that no published total lets "
            "anyone work out one person's hours.",
            reference="flow", population="learners", source=LOCAL,
            tables=("learning_hours_by_category",)),
    Measure("learning_hours_second_largest",
            "Second largest one worker's learning hours, by category", "hours", _L,
            family="learning",
            calculation="The second most hours one worker completed in P in the category (0 "
            "with one learner; no denominator); not published: the p% dominance rule reads "
            "it.",
            plain="The second most hours of a kind of learning one social worker completed "
            "during the year. It is not published: it is used with the largest to protect "
            "individuals' hours.",
            reference="flow", population="learners", source=LOCAL,
            tables=("learning_hours_by_category",)),
    Measure("audits_count", "Audits, by grade", "count", _P, family="practice",
            calculation="Audits in P with the grade (breakdown: grade; a count: the denominator "
            "holds all audits in P).",
            plain="The number of case file audits given each grade during the year.",
            reference="flow", population="audits", source=LOCAL, count_kind="cases",
            tables=("audit_grades",)),
    Measure("audits_share", "Share of audits, by grade", "percent", _P, family="practice",
            calculation="100 × audits in P with the grade / audits in P.",
            plain="The number of audits given a grade, divided by all audits during the year, "
            "as a percentage.",
            reference="flow", population="audits", source=LOCAL, count_kind="cases",
            tables=()),
]

MEASURES: dict[str, Measure] = {
    m.name: m for m in _CORE + _STANDARDS + _THEMES + _BREAKDOWN_ONLY
}


def wilson_measures() -> list[str]:
    """Names of the measures that are proportions of counts (Wilson intervals)."""
    return [m.name for m in MEASURES.values() if m.wilson]


def measures_in(table: str) -> tuple[str, ...]:
    """The registered measures that appear in one published table, in registry order."""
    return tuple(m.name for m in MEASURES.values() if table in m.tables)


def headline_measures() -> tuple[str, ...]:
    """The headline measures with a row every year ([x] when no data), in registry order; the
    others of the headline table (survey families) are shown in the years they have data."""
    return tuple(m.name for m in MEASURES.values() if HEADLINE in m.tables and m.every_year)


SQL_FAMILIES_DIR = Path(__file__).with_name("sql")
_SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def registry_problems(measures: dict[str, Measure]) -> list[str]:
    """Every way a registry falls short, as sentences; empty when it is sound. A measure
    needs every field filled and known: its texts (no snake_case, Σ or section numbers in the
    plain definition), a unit, an interval method, a SQL family that exists, the published
    tables it appears in, and a headline rule when it is in the headline table."""
    families = {p.stem for p in SQL_FAMILIES_DIR.glob("*.sql")}
    problems = []
    for m in measures.values():
        for field in ("title", "unit", "section", "family", "calculation", "plain", "source"):
            if not str(getattr(m, field)).strip():
                problems.append(f"{m.name}: {field} is empty")
        checks = [
            (m.interval in INTERVALS, f"interval {m.interval!r} is not one of {list(INTERVALS)}"),
            (m.unit in UNITS, f"unit {m.unit!r} is not one of {UNITS}"),
            (m.reference in REFERENCES, f"reference {m.reference!r} is not one of "
             f"{list(REFERENCES)}"),
            (m.population in POPULATIONS, f"population {m.population!r} is not one of "
             f"{list(POPULATIONS)}"),
            (set(m.comparison) <= set(COMPARISONS), f"comparison {m.comparison} names an "
             f"unknown benchmark (known: {list(COMPARISONS)})"),
            (set(m.tables) <= set(PUBLISHED_TABLES), f"tables {m.tables} names an unknown "
             f"table (known: {list(PUBLISHED_TABLES)})"),
            (m.family in families, f"family {m.family!r} has no assets/metrics/sql/"
             f"{m.family}.sql"),
            (m.count_kind in {"people", "cases", "responses", "none"},
             f"count_kind {m.count_kind!r} is unknown"),
            ((m.interval == "poisson") == (m.events_from is not None)
             and (m.events_from is None or m.events_from in measures),
             "a poisson interval needs events_from naming a measure"),
            ((HEADLINE in m.tables) == (m.disclosure is not None),
             "a headline measure needs its disclosure rule (and only a headline measure has "
             "one)"),
            (m.disclosure is None or m.disclosure.kind in DISCLOSURE_KINDS,
             f"disclosure kind is not one of {DISCLOSURE_KINDS}"),
            (not _SNAKE.search(m.plain) and "Σ" not in m.plain and "§" not in m.plain
             and "design" not in m.plain.lower(),
             "plain is not plain English (snake_case, Σ or a design reference)"),
        ]
        problems += [f"{m.name}: {message}" for ok, message in checks if not ok]
    return problems


def _check_registry() -> None:
    """A registry entry with a missing or unknown field fails here, at import, rather than
    silently publishing no interval, no rule or no definition."""
    problems = registry_problems(MEASURES)
    if problems:
        raise ValueError("measure registry: " + "; ".join(problems))


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


_UNITS_SHOWN = {
    "percent": "percentage", "fte": "FTE", "headcount": "people (headcount)",
    "days per fte": "days per FTE", "cases per fte": "cases per FTE",
    "hours per fte": "hours per FTE", "score 0-100": "score from 0 to 100",
    "hours per week": "hours a week", "count": "number", "hours": "hours",
}  # fmt: skip
_COUNTS = {"people": "people", "cases": "cases", "responses": "survey responses"}


def _entry(m: Measure) -> list[str]:
    """One measure as a definition-list item: the name, then unit, definition and source."""
    facts = [f"Unit: {_UNITS_SHOWN.get(m.unit, m.unit)}."]
    if len(m.services) != 3:
        facts.append(f"Given for {' and '.join(f'`{s}`' for s in m.services)} only.")
    # What protects it: its headline rule, or for a breakdown-only measure what it counts.
    kind = m.disclosure.kind if m.disclosure else m.count_kind
    breakdowns = [t for t in m.tables if t not in (HEADLINE, "turnover_trend", "comparisons")]
    if kind == "exempt":
        facts.append("Published unsuppressed at service level, as councils and DfE publish it"
                     + ("; its breakdowns are suppressed when they rest on a small number of "
                        f"{_COUNTS[m.count_kind]}." if breakdowns and m.count_kind != "none"
                        else "."))
    elif kind != "none":
        facts.append(f"Suppressed when it rests on a small number of {_COUNTS[kind]}.")
    if m.breakdown_only:
        facts.append("Published only with a breakdown.")
    source = m.source if m.source.endswith((".", ")")) else f"{m.source}."
    return [
        f"**{m.title}** (`{m.name}`)",
        "",  # a blank line here makes each part a paragraph of its own (a loose list)
        f":   {' '.join(facts)}",
        "",
        f"    *Formula.* {m.formula}",
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


def render_annex() -> str:
    """The technical annex's measure definitions (report/sections/appendix_methods.qmd): each
    published measure's title and `plain_definition`, by section, then the choices we made.
    docs/measures.md holds the same measures with their formulas."""
    lines = [
        "## Measure definitions",
        "",
        "This section defines every figure in the report in plain words. For each measure it "
        "says what is counted and what it is divided by, when it is counted, who is counted, "
        "whether a range of likely values is given, and what it is compared with. The "
        "reporting year is the twelve months to the reference date, 30 September (or 31 March "
        "where the council reports on the financial year). Each figure is given for children's "
        "services, adults' services and both together; someone who moved between the two "
        "services counts as a leaver from one and a starter in the other, but as neither for "
        "the council as a whole. The formulas behind these definitions are in the pipeline's "
        "own documentation (docs/measures.md), generated from the same measure registry.",
        "",
    ]
    published = [m for m in MEASURES.values() if m.tables]
    for section in dict.fromkeys(m.section for m in published):
        lines += [f"### {section}", ""]
        for m in published:
            if m.section == section:
                lines += [f"**{m.title}**", "",
                          f":   {m.plain_definition} Unit: {_UNITS_SHOWN[m.unit]}.", ""]
    lines += ["### Choices we made", "",
              "Where the definitions left room for doubt, this is what the pipeline does.", ""]
    lines += [f"- **{title}.** {text}" for title, text in DECISIONS]
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    from pathlib import Path

    target = Path(__file__).resolve().parents[2] / "docs" / "measures.md"
    target.write_text(render_markdown(), encoding="utf-8")
