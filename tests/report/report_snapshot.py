"""A realistic published snapshot for the report tests, made the way the pipeline makes it:
hand-made metrics.* → assets.published.tables.build_published → the publish step's extra
tables → assets.published.writers.write_snapshot.

TRUE_* hold the unsuppressed counts, so the tests can check that none of the suppressed
ones reaches the report.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from assets.published.publish import _store, provenance_tables
from assets.published.tables import build_published
from assets.published.writers import write_snapshot
from psw_core.config import AuthorityConfig

YEARS = (2023, 2024, 2025)
YEAR = 2025
CONFIG = AuthorityConfig(name="Northfield City Council", code="NFC", suppression_threshold=5)
RELEASE = "DfE Children's social work workforce, reporting-year 2025 release"

# Unsuppressed counts by service (children, adults); "all" = children + adults.
TRUE_LEAVERS_BY_REASON = {"1": (14, 9), "4": (2, 3), "5": (8, 7), "7": (6, 6), "8": (7, 6)}
TRUE_LEAVERS_BY_DESTINATION = {"1": (9, 6), "3": (6, 2), "6": (5, 9), "8": (5, 6)}
TRUE_STARTERS_BY_ORIGIN = {"1": (7, 3), "2": (8, 4), "4": (3, 2), "7": (2, 3)}
TRUE_STARTERS_BY_ROUTE = {"asye": (7, 3), "international": (4, 0), "apprenticeship": (2, 3),
                          "step_up": (3, 0), "frontline": (6, 0), "agency_conversion": (3, 2)}
TRUE_AUDIT_GRADES = {"outstanding": (14, 9), "good": (160, 101),
                     "requires_improvement": (62, 40), "inadequate": (9, 4)}
TRUE_LEARNING = {  # category: ((hours, people) children, (hours, people) adults)
    "mandatory": ((1785.0, 150), (950.0, 85)), "cpd": ((4018.5, 120), (2210.0, 70)),
    "asye": ((480.0, 7), (220.0, 3)), "practice_educator": ((1861.0, 12), (640.0, 6)),
    "leadership": ((1053.0, 18), (400.0, 9)),
}
TRUE_ETHNICITY = {"White": (118, 61), "Asian": (24, 14), "Black": (21, 12), "Mixed": (8, 4),
                  "Other": (4, 2)}
TRUE_SEX = {"Female": (141, 75), "Male": (33, 18), "Not stated": (1, 0)}
SUPPRESSED_COUNTS = {  # (table, category, service): true count that must not appear
    # (Leavers' small reasons, e.g. dismissed 2, are folded into "Other reasons (combined)"
    # before protection, so that table has no [c] to check.)
    ("starters_by_route", "Social work degree apprenticeship", "children"): 2,
}


def _row(year, measure, service, value, numerator=None, denominator=None, unit="percent",
         breakdown="", category="", month_end=None, ci=(None, None)):
    return {"authority_code": "NFC", "reporting_year": year, "measure": measure,
            "service": service, "breakdown": breakdown, "category": category,
            "month_end": month_end, "value": value, "numerator": numerator,
            "denominator": denominator, "unit": unit, "ci_lower": ci[0], "ci_upper": ci[1],
            "source": "docs/design.md §4"}  # fmt: skip


def _services(pair):
    return {"children": pair[0], "adults": pair[1], "all": pair[0] + pair[1]}


def headline_rows(year: int) -> list[dict]:
    shift = YEAR - year  # earlier years: a little more turnover and agency use
    rows = []
    inpost = {"children": (164.5, 175), "adults": (86.5, 93)}
    leavers = {"children": (19.0 + 3 * shift, 20 + 3 * shift), "adults": (12.4, 14)}
    inpost["all"] = tuple(a + b for a, b in zip(inpost["children"], inpost["adults"], strict=True))
    leavers["all"] = tuple(a + b for a, b in zip(leavers["children"], leavers["adults"], strict=True))
    for s in ("children", "adults", "all"):
        fte, head = inpost[s]
        lfte, lhead = leavers[s]
        rows += [
            _row(year, "fte_in_post", s, fte, unit="fte"),
            _row(year, "headcount_in_post", s, head, unit="headcount"),
            _row(year, "starters_fte", s, {"children": 20.6, "adults": 11.9, "all": 32.5}[s],
                 {"children": 21, "adults": 12, "all": 33}[s], unit="fte"),
            _row(year, "leavers_fte", s, lfte, lhead, unit="fte"),
            _row(year, "turnover_rate_fte", s, 100 * lfte / fte, lfte, fte),
            _row(year, "turnover_rate_headcount", s, 100 * lhead / head, lhead, head,
                 ci=(100 * lhead / head - 4, 100 * lhead / head + 5)),
            _row(year, "vacancy_rate_fte", s, {"children": 15.3, "adults": 10.1, "all": 13.6}[s]
                 + shift, 25.0, 189.5),
            _row(year, "agency_rate_fte", s, {"children": 13.2, "adults": 10.4, "all": 12.2}[s]
                 + shift, 20.0, 184.5),
            _row(year, "agency_rate_headcount", s, 12.0, 22, 183),
            _row(year, "absence_days_per_fte", s, 6.9, unit="days per fte"),
            _row(year, "absence_rate", s, 2.7),
            _row(year, "stress_absence_share", s, 26.1),
            _row(year, "stability_rate", s, 75.4, 0.754 * head, head, ci=(69.9, 80.1)),
            _row(year, "caseload_fte", s, {"children": 15.3, "adults": 16.3, "all": 15.6}[s],
                 unit="cases per fte"),
            _row(year, "supervision_compliance", s,
                 {"children": 91.2, "adults": 86.4, "all": 89.6}[s], 1600, 1780,
                 ci=(88.0, 91.0)),
            _row(year, "asye_caseload_within_cap", s, 90.0, {"children": 9, "adults": 3,
                 "all": 12}[s], {"children": 10, "adults": 3, "all": 13}[s]),
            _row(year, "assessment_timeliness", s, 85.8, 1200, 1400, ci=(83.9, 87.5)),
            _row(year, "audits_good_or_better", s, 67.7, 284, 420, ci=(63.9, 71.2)),
            _row(year, "learning_hours_per_fte", s, 91.9, unit="hours per fte"),
            _row(year, "health_check_response_rate", s, 40.0,
                 {"children": 72, "adults": 36, "all": 108}[s],
                 {"children": 175, "adults": 93, "all": 268}[s], ci=(35.0, 45.0)),
            _row(year, "hours_over_contract_mean", s, 4.6, 460, 100, unit="hours per week"),
            _row(year, "health_check_favourable_stress", s, 36.4 + 5 * shift, 120, 330,
                 ci=(30.4, 42.7)),
            _row(year, "health_check_favourable_workload", s, 46.7, 150, 321, ci=(42.2, 51.2)),
            _row(year, "health_check_favourable_equality", s, 46.4, 100, 216, ci=(40.1, 52.8)),
        ]
        for standard, score in zip(["1", "2", "3", "4", "5", "6", "7", "8"],
                                   [63.1, 59.4, 60.2, 58.4, 65.2, 63.4, 64.5, 64.9], strict=True):
            bump = 3.0 if s == "adults" else 0.0
            rows.append(_row(year, f"health_check_score_standard_{standard}", s, score + bump,
                             None, {"children": 72, "adults": 36, "all": 108}[s],
                             unit="score 0-100"))
        rows.append(_row(year, "health_check_score_wellbeing", s, 55.4, None, 108,
                         unit="score 0-100"))
    rows += [_row(year, "children_looked_after", s, 685 + 20 * shift, unit="count")
             for s in ("children", "all")]
    return rows


def _breakdown(year, measure, name, table, unit="count", value_of=None):
    rows = []
    for category, pair in table.items():
        for service, n in _services(pair).items():
            value = value_of(n) if value_of else n
            rows.append(_row(year, measure, service, value, n, unit=unit, breakdown=name,
                             category=category))
    return rows


def breakdown_rows(year: int) -> list[dict]:
    rows = []
    # metrics.measures names: (measure, breakdown) as assets/metrics writes them.
    rows += _breakdown(year, "leavers_headcount", "reason_leave", TRUE_LEAVERS_BY_REASON)
    rows += _breakdown(year, "leavers_headcount", "leaver_destination",
                       TRUE_LEAVERS_BY_DESTINATION)
    rows += _breakdown(year, "starters_headcount", "start_origin", TRUE_STARTERS_BY_ORIGIN)
    rows += _breakdown(year, "starters_headcount", "route", TRUE_STARTERS_BY_ROUTE)
    rows += _breakdown(year, "audits_count", "grade", TRUE_AUDIT_GRADES)
    rows += _breakdown(year, "headcount_in_post", "ethnicity", TRUE_ETHNICITY)
    rows += _breakdown(year, "headcount_in_post", "gender", TRUE_SEX)
    for category, (children, adults) in TRUE_LEARNING.items():
        for service, (hours, people) in (("children", children), ("adults", adults),
                                         ("all", (children[0] + adults[0],
                                                  children[1] + adults[1]))):
            rows.append(_row(year, "learning_hours_per_fte", service, hours / 100, hours,
                             unit="hours per fte", breakdown="category", category=category))
            rows.append(_row(year, "learners_headcount", service, people, people,
                             unit="headcount", breakdown="category", category=category))
    for month in range(1, 13):
        month_end = (pd.Timestamp(year - 1, 10, 1) + pd.offsets.MonthEnd(month)).date()
        for service, base in (("children", 13.5), ("adults", 14.0), ("all", 12.5)):
            value = None if year == YEARS[0] else base - month * 0.15
            rows.append(_row(year, "turnover_rate_fte", service, value, breakdown="rolling_12_month",
                             month_end=month_end))
    return rows


def make_warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    rows = []
    for year in YEARS:
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
    con.unregister("frame")
    bench = pd.DataFrame([
        ("turnover_rate_fte", "children", 2023, 17.1, RELEASE),
        ("turnover_rate_fte", "children", 2024, 15.9, RELEASE),
        ("turnover_rate_fte", "children", 2025, 13.8, RELEASE),
        ("vacancy_rate_fte", "children", 2025, 18.2, RELEASE),
        ("agency_rate_fte", "children", 2025, 16.2, RELEASE),
        ("caseload_fte", "children", 2025, 15.8, RELEASE),
    ], columns=["measure", "service", "reporting_year", "national_value", "national_release"])
    con.register("bench", bench)
    con.execute("create table metrics.benchmarks as select * from bench")
    con.unregister("bench")
    changes = pd.DataFrame([
        # Newcombe interval excludes 0: 'fell'; includes 0: 'was similar to'.
        (2025, "turnover_rate_headcount", "all", "percent", 2024, 16.1, 13.0, -3.1, -6.0,
         -0.2, "newcombe hybrid score (method 10)", "fell"),
        (2025, "audits_good_or_better", "children", "percent", 2024, 68.3, 67.7, -0.6, -5.7,
         4.5, "newcombe hybrid score (method 10)", "was similar to"),
        (2025, "health_check_favourable_stress", "all", "percent", 2024, 41.4, 36.4, -5.0, -12.0,
         2.0, "newcombe hybrid score (method 10)", "was similar to"),
        (2025, "turnover_rate_fte", "children", "percent", 2024, 13.4, 11.6, -1.8, None, None,
         "no interval", "fell"),
    ], columns=["reporting_year", "measure", "service", "unit", "previous_year",
                "previous_value", "value", "change", "ci_lower", "ci_upper", "method",
                "direction"])
    con.register("changes", changes)
    con.execute("create table metrics.changes as select * from changes")
    con.unregister("changes")
    return con


def extra_tables(year: int) -> dict[str, pd.DataFrame]:
    """What the lead's publish step adds: provenance, data quality, report settings."""
    provenance = {
        "inputs": [
            {"file": "hr_workforce.csv", "extract": "hr_workforce", "sha256": "ab" * 32,
             "rows": 412},
            {"file": "health_check_responses.csv", "extract": "health_check_responses",
             "sha256": "0123456789abcdef" * 4, "rows": 108},
        ],
        "package_version": "0.1.0", "git_commit": "5a3ca79e1e02abee735efb908ed9705021bfa68d",
        "benchmark_release": RELEASE,
        "authority": {"name": CONFIG.name, "period": "dfe"},
    }
    tables = provenance_tables(provenance, year)
    tables["data_quality"] = pd.DataFrame({
        "reporting_year": [year, year], "file": ["hr_workforce.csv", "learning.csv"],
        "rule": ["HR-014", "LRN-003"], "severity": ["warning", "warning"],
        "why": ["A leaver's destination is 'not known'.",
                "A learning activity was completed after the reference date."],
        "rows_affected": [3, 12],
    })
    tables["report_settings"] = pd.DataFrame({
        "reporting_year": [year] * 3,
        "item": ["supervision_compliance_target", "asye_caseload_cap", "suppression_threshold"],
        "value": ["90", "10", "5"],
    })
    return tables


def build_snapshot(folder: Path, year: int = YEAR) -> Path:
    con = make_warehouse(folder / "warehouse.duckdb")
    try:
        for each in YEARS:
            if each <= year:
                build_published(con, each, CONFIG)
                _store(con, each, extra_tables(each))
        return write_snapshot(con, year, folder / "published.duckdb")
    finally:
        con.close()
