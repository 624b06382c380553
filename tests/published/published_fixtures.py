"""Hand-built `metrics.*` inputs for the published-stage tests (tmp DuckDB files)."""

from __future__ import annotations

import duckdb
import pandas as pd

YEAR = 2025

# True counts by service; "all" is built as children + adults so every table is consistent.
# CSWW reason codes: 1 resignation, 5 retired, 4 dismissed, 9 not known, 8 other. Both
# services together: 4 (2) and 9 (1) are small and fold into "Other reasons (combined)".
LEAVERS_BY_REASON = {
    "children": {"1": 14, "5": 0, "4": 0, "9": 1, "8": 8},
    "adults": {"1": 9, "5": 10, "4": 2, "9": 0, "8": 6},
}  # fmt: skip
AUDIT_GRADES = {
    "children": {"outstanding": 4, "good": 60, "requires_improvement": 22, "inadequate": 2},
    "adults": {"outstanding": 9, "good": 41, "requires_improvement": 15, "inadequate": 0},
}
ED_IN_POST = {  # metrics breakdown names; published as characteristic in_post_<breakdown>
    "ethnicity": {
        "children": {"White": 120, "Asian": 14, "Black": 9, "Mixed": 3, "Other": 2},
        "adults": {"White": 70, "Asian": 8, "Black": 11, "Mixed": 1, "Other": 0},
    },
    "gender": {
        "children": {"Female": 118, "Male": 29, "Other or not stated": 1},
        "adults": {"Female": 70, "Male": 20, "Other or not stated": 0},
    },
}
LEARNING = {  # category: (hours, people)
    "children": {"mandatory": (900.0, 140), "cpd": (1200.5, 95), "leadership": (40.0, 4)},
    "adults": {"mandatory": (520.0, 85), "cpd": (610.0, 60), "leadership": (80.0, 9)},
}


def _row(measure, service, value, numerator=None, denominator=None, unit="percent",
         breakdown="", category="", month_end=None, year=YEAR, ci=(None, None)):
    return {
        "authority_code": "NFC", "reporting_year": year, "measure": measure,
        "service": service, "breakdown": breakdown, "category": category,
        "month_end": month_end, "value": value, "numerator": numerator,
        "denominator": denominator, "unit": unit, "ci_lower": ci[0], "ci_upper": ci[1],
        "source": "docs/design.md §4",
    }  # fmt: skip


def _with_all(counts: dict[str, dict]) -> dict[str, dict]:
    categories = counts["children"].keys()
    return {**counts, "all": {c: counts["children"][c] + counts["adults"][c] for c in categories}}


def headline_rows(year: int = YEAR, small_adults_survey: bool = True) -> list[dict]:
    rows = []
    for service, fte, head, leavers in (
        ("children", 140.5, 148, 26), ("adults", 85.2, 90, 24), ("all", 225.7, 238, 50)
    ):
        rows += [
            _row("fte_in_post", service, fte, unit="fte", year=year),
            _row("headcount_in_post", service, head, unit="headcount", year=year),
            _row("leavers_fte", service, leavers * 0.9, leavers, unit="fte", year=year),
            _row("turnover_rate_fte", service, 100 * leavers * 0.9 / fte, leavers * 0.9, fte,
                 year=year),
            _row("turnover_rate_headcount", service, 100 * leavers / head, leavers, head,
                 year=year, ci=(10.0, 20.0)),
            _row("vacancy_rate_fte", service, 12.345, 3.0, 24.3, year=year),
            _row("stability_rate", service, 70.04, 0.7 * head, head, year=year, ci=(64.0, 75.5)),
        ]
    # Tiny agency use in adults: exempt, still published.
    rows += [
        _row("agency_rate_headcount", "children", 8.1, 13, 161, year=year),
        _row("agency_rate_headcount", "adults", 2.2, 2, 92, year=year),
        _row("agency_rate_headcount", "all", 5.9, 15, 253, year=year),
    ]
    # Children looked after: a count of cases, children's services only.
    rows += [
        _row("children_looked_after", "children", 312, unit="count", year=year),
        _row("children_looked_after", "all", 312, unit="count", year=year),
    ]
    # Survey: adults has only 4 responses, so every adults survey figure is [c].
    responses = {"children": 60, "adults": 4 if small_adults_survey else 40}
    responses["all"] = responses["children"] + responses["adults"]
    for service, n in responses.items():
        rows += [
            _row("health_check_response_rate", service, 100 * n / 150, n, 150, year=year),
            _row("health_check_score_standard_1", service, 61.25, None, None, unit="score",
                 year=year),
            _row("health_check_score_wellbeing", service, 55.0, None, None, unit="score",
                 year=year),
            _row("health_check_favourable_stress", service, 40.0, 0.4 * n * 3, n * 3, year=year),
        ]
    # Assessment timeliness: adults numerator of 3 assessments in time → [c].
    rows += [
        _row("assessment_timeliness", "children", 85.0, 170, 200, year=year),
        _row("assessment_timeliness", "adults", 60.0, 3, 5, year=year),
        _row("assessment_timeliness", "all", 84.2, 173, 205, year=year),
    ]
    return rows


def breakdown_rows(year: int = YEAR) -> list[dict]:
    rows = []
    for service, counts in _with_all(LEAVERS_BY_REASON).items():
        rows += [_row("leavers_headcount", service, n, n, unit="headcount", breakdown="reason_leave",
                      category=c, year=year) for c, n in counts.items()]
    for service, counts in _with_all(AUDIT_GRADES).items():
        rows += [_row("audits_count", service, n, n, unit="count", breakdown="grade",
                      category=c, year=year) for c, n in counts.items()]
    for breakdown, by_service in ED_IN_POST.items():
        for service, counts in _with_all(by_service).items():
            rows += [_row("headcount_in_post", service, n, n, unit="headcount", breakdown=breakdown,
                          category=c, year=year) for c, n in counts.items()]
    learning = {s: {c: v for c, v in cats.items()} for s, cats in LEARNING.items()}
    learning["all"] = {
        c: (learning["children"][c][0] + learning["adults"][c][0],
            learning["children"][c][1] + learning["adults"][c][1])
        for c in learning["children"]
    }
    for service, cats in learning.items():
        # Hours in the numerator of learning_hours_per_fte; people in learners_headcount.
        rows += [_row("learning_hours_per_fte", service, h / 100, h, unit="hours per fte",
                      breakdown="category", category=c, year=year)
                 for c, (h, p) in cats.items()]
        rows += [_row("learners_headcount", service, p, p, unit="headcount",
                      breakdown="category", category=c, year=year)
                 for c, (h, p) in cats.items()]
    for month in range(1, 13):
        month_end = (pd.Timestamp(year - 1, 10, 1) + pd.offsets.MonthEnd(month)).date()
        value = None if month < 3 else 15.0 + month / 10
        rows.append(_row("turnover_rate_fte", "children", value, unit="percent",
                         breakdown="rolling_12_month", month_end=month_end, year=year))
    return rows


def make_warehouse(path, years=(YEAR - 1, YEAR)) -> duckdb.DuckDBPyConnection:
    rows = []
    for year in years:
        rows += headline_rows(year) + breakdown_rows(year)
    frame = pd.DataFrame(rows)
    frame["month_end"] = pd.to_datetime(frame["month_end"]).dt.date
    con = duckdb.connect(str(path))
    con.execute("create schema metrics")
    con.register("frame", frame)
    con.execute(
        "create table metrics.measures as select authority_code, reporting_year::integer "
        "as reporting_year, measure, service, breakdown, category, month_end::date as month_end, "
        "value::double as value, numerator::double as numerator, denominator::double as "
        "denominator, unit, ci_lower::double as ci_lower, ci_upper::double as ci_upper, source "
        "from frame"
    )
    con.execute("""
        create table metrics.benchmarks as select * from (values
          ('turnover_rate_fte', 'children', 2025, 14.6, 'DfE CSWW 2025'),
          ('vacancy_rate_fte', 'children', 2025, 18.2, 'DfE CSWW 2025'))
          t(measure, service, reporting_year, national_value, national_release)
    """)
    con.execute("""
        create table metrics.changes as select * from (values
          (2025, 'turnover_rate_headcount', 'children', 17.6, 17.6, 0.0, -5.2, 5.1, 'was similar to'),
          (2025, 'health_check_response_rate', 'adults', 2.7, 2.7, 0.0, -3.0, 3.0, 'was similar to'))
          t(reporting_year, measure, service, previous_value, value, change, change_ci_lower,
            change_ci_upper, direction)
    """)
    con.unregister("frame")
    return con


