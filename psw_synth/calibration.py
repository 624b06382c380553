"""What the synthetic authority is calibrated to.

Children's workforce targets are read from `data/reference/national_benchmarks.csv` (the DfE
children's social work workforce, reporting-year 2025 release), so the sample authority sits near
the national figures of each year. Figures that have no national series in that file are named
constants here, each with its source or the reason it was chosen.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

BENCHMARKS_PATH = (
    Path(__file__).resolve().parents[1] / "data" / "reference" / "national_benchmarks.csv"
)

# The DfE release whose (revised) series we calibrate children's figures to.
BENCHMARK_VINTAGE = "DfE Children's social work workforce, reporting-year 2025 release"

# Children's measures read from the benchmark file (DfE CSWW names).
CHILDREN_MEASURES = (
    "turnover_rate_fte",
    "vacancy_rate_fte",
    "agency_rate_fte",
    "caseload_fte",
    "absence_rate_fte",
)

# Adults' figures: Skills for Care, as copied into national_benchmarks.csv (rows "adults'").
ADULTS_TURNOVER_RATE = 14.5  # Skills for Care LA adult social worker turnover, year to Sep 2023
ADULTS_VACANCY_RATE = 10.5  # Skills for Care LA adult social worker vacancy rate, Sep 2023
ADULTS_AGENCY_RATE = 10.0  # Skills for Care agency share of LA adult social workers, Sep 2023
# No national adults' caseload series exists; we use the DfE children's figure's order of size.
ADULTS_CASELOAD = 16.0

# Size of the single sample authority at scale 1: headcount in post at R, agency included.
# Chosen so that ~350 spells are held in a year and 153 authorities give roughly the national
# 36k children's and 18k adults' social workers (docs/design.md §6).
CHILDREN_HEADCOUNT = 185
ADULTS_HEADCOUNT = 92

# Between-authority spread, used only when several authorities are generated: sizes are
# log-normal around the reference size; rates get a normal offset (percentage points).
AUTHORITY_SIZE_SIGMA = 0.45
AUTHORITY_RATE_SD = 3.0

# Workforce dynamics (assumptions, documented in docs/synthetic-data.md).
WORKFORCE_GROWTH = 0.01  # per year, directly employed FTE
SERVICE_MOVE_RATE = 0.012  # share of direct stock moving to the other service each year
SAME_YEAR_LEAVER_RATE = 0.06  # share of starters who leave again within the year
AGENCY_CHURN = 0.45  # share of agency spells ending each year
AGENCY_CONVERSION_SHARE = 0.12  # share of agency leavers who join as direct employees
TEAM_MOVE_RATE = 0.04  # share of direct stock changing team (same spell) each year
EXTRACT_LAG_DAYS = 42  # extracts are taken about six weeks after R
RECORDS_BEGAN_YEARS = 8  # start_origin is blank for spells older than this (pre-HR-system)

# Mix of full-time and part-time contracts (fte values and their weights).
FTE_VALUES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
FTE_WEIGHTS = (0.78, 0.05, 0.08, 0.03, 0.04, 0.02)

# Sickness absence: share of days from long-term episodes, and share of people with one.
LONG_TERM_DAYS_SHARE = 0.45
LONG_TERM_PEOPLE_SHARE = 0.08
NO_ABSENCE_SHARE = 0.35

# Supervision sessions per eligible month: P(0, 1, 2, 3). ASYE needs two a month.
SESSIONS_P_STANDARD = (0.09, 0.83, 0.08, 0.0)
SESSIONS_P_ASYE = (0.03, 0.09, 0.78, 0.10)

# Survey: share of invited staff who respond.
RESPONSE_RATE = 0.40

# ASYE protected caseloads: mean open allocations at R (cap is 10 in authority.yml).
ASYE_MEAN_CASELOAD = 6.5
CO_WORKED_SHARE = 0.05  # share of open allocations where a second worker holds the same case
CLOSED_PER_OPEN = 0.75  # allocations closed in P per allocation open at R

# Assessments per case-holding FTE per year, and the share completed within timescale.
ASSESSMENTS_PER_FTE = {"children": 12.0, "adults": 10.0}
ON_TIME_SHARE = {"single_assessment": 0.82, "care_act_assessment": 0.72, "other": 0.80}
OTHER_ASSESSMENT_SHARE = 0.05

# Audits per case-holding FTE per year and the grade mix (mostly good).
AUDITS_PER_FTE = 4.0
AUDIT_GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
AUDIT_GRADE_WEIGHTS = (0.06, 0.62, 0.26, 0.06)


@lru_cache(maxsize=4)
def _children_series(path: str) -> dict[str, dict[int, float]]:
    frame = pd.read_csv(path, dtype=str)
    rows = frame[
        frame["source"].str.startswith(BENCHMARK_VINTAGE)
        & frame["nation"].eq("England")
        & frame["measure"].isin(CHILDREN_MEASURES)
        & frame["reporting_year"].str.fullmatch(r"\d{4}")
    ]
    series: dict[str, dict[int, float]] = {m: {} for m in CHILDREN_MEASURES}
    for measure, group in rows.groupby("measure"):
        series[measure] = dict(
            zip(group["reporting_year"].astype(int), group["value"].astype(float), strict=True)
        )
    missing = [m for m, s in series.items() if not s]
    if missing:
        raise ValueError(f"{path}: no {BENCHMARK_VINTAGE!r} rows for {', '.join(missing)}")
    return series


def children_target(measure: str, year: int, path: Path = BENCHMARKS_PATH) -> float:
    """National children's figure for `year`; the nearest published year outside the series."""
    series = _children_series(str(path))[measure]
    nearest = min(series, key=lambda y: (abs(y - year), -y))
    return series[nearest]


def targets(service: str, year: int, path: Path = BENCHMARKS_PATH) -> dict[str, float]:
    """Calibration targets for one service and reporting year (percent, or cases per FTE)."""
    absence = children_target("absence_rate_fte", year, path)  # no adults' series: same rate
    if service == "children":
        return {
            "turnover": children_target("turnover_rate_fte", year, path),
            "vacancy": children_target("vacancy_rate_fte", year, path),
            "agency": children_target("agency_rate_fte", year, path),
            "caseload": children_target("caseload_fte", year, path),
            "absence": absence,
        }
    return {
        "turnover": ADULTS_TURNOVER_RATE,
        "vacancy": ADULTS_VACANCY_RATE,
        "agency": ADULTS_AGENCY_RATE,
        "caseload": ADULTS_CASELOAD,
        "absence": absence,
    }
