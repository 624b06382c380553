"""Year-on-year changes (`metrics.changes`, docs/design.md §4 "Year-on-year").

One row per headline measure x service x pair of consecutive reporting years present in
`metrics.measures`. A measure whose registry `interval` is not `none` gets a 95% interval for
the change, built from the two years' own intervals by MOVER (Zou & Donner 2008; for Wilson
intervals this is Newcombe's hybrid score method 10), in the measure's units; `direction` says
'rose' or 'fell' only when that interval excludes 0, otherwise 'was similar to'. A measure with
no interval method (FTE ratios of posts, means of days, totals, a census response rate) gets
`direction` 'not tested': the report gives the two figures ('from X to Y') and no direction
word.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from assets.metrics.benchmarks import build_benchmarks
from assets.metrics.definitions import MEASURES
from assets.metrics.intervals import mover_diff
from psw_core.config import AuthorityConfig

PAIRS_SQL = """
with

headline as (
    select * from metrics.measures
    where breakdown is null and month_end is null and value is not null
),

final as (
    select
        cur.authority_code,
        cur.measure,
        cur.service,
        cur.unit,
        prev.reporting_year as previous_year,
        cur.reporting_year,
        prev.value as previous_value,
        cur.value,
        prev.ci_lower as previous_ci_lower,
        prev.ci_upper as previous_ci_upper,
        cur.ci_lower as current_ci_lower,
        cur.ci_upper as current_ci_upper,
        prev.numerator as previous_numerator,
        prev.denominator as previous_denominator,
        cur.numerator,
        cur.denominator
    from headline as cur
    inner join headline as prev
        on prev.authority_code = cur.authority_code
        and prev.measure = cur.measure
        and prev.service = cur.service
        and prev.reporting_year = cur.reporting_year - 1
)

select * from final
"""

COLUMNS = [
    "authority_code", "measure", "service", "unit", "previous_year", "reporting_year",
    "previous_value", "value", "change", "ci_lower", "ci_upper", "method", "direction",
]


NOT_TESTED = "not tested"
METHODS = {
    "wilson": "newcombe hybrid score (method 10)",
    "poisson": "mover from exact poisson intervals",
    "clustered": "mover from respondent-clustered intervals",
}


def direction_words(change, lower, upper, has_interval) -> np.ndarray:
    """'rose'/'fell' only when the change's interval excludes 0, 'was similar to' when it
    includes 0, and 'not tested' without an interval (never a direction by sign)."""
    lower, upper = (np.asarray(a, dtype="float64") for a in (lower, upper))
    has_interval = np.asarray(has_interval, dtype=bool)
    tested = np.where(
        lower > 0, "rose", np.where(upper < 0, "fell", "was similar to")
    )
    return np.where(has_interval, tested, NOT_TESTED)


def compute_changes(pairs: pd.DataFrame) -> pd.DataFrame:
    """Changes with MOVER intervals from a frame shaped like PAIRS_SQL's result."""
    out = pairs.copy()
    out["change"] = out["value"] - out["previous_value"]
    method = out["measure"].map({n: m.interval for n, m in MEASURES.items()}).fillna("none")
    _, lower, upper = mover_diff(
        out["value"].to_numpy(float), out["current_ci_lower"].to_numpy(float),
        out["current_ci_upper"].to_numpy(float), out["previous_value"].to_numpy(float),
        out["previous_ci_lower"].to_numpy(float), out["previous_ci_upper"].to_numpy(float),
    )
    has_interval = (method != "none").to_numpy() & ~np.isnan(lower) & ~np.isnan(upper)
    out["ci_lower"] = np.where(has_interval, lower, np.nan)
    out["ci_upper"] = np.where(has_interval, upper, np.nan)
    out["method"] = np.where(has_interval, method.map(METHODS).fillna("no interval"),
                             "no interval")
    out["direction"] = direction_words(out["change"], out["ci_lower"], out["ci_upper"],
                                       has_interval)
    return out[COLUMNS].reset_index(drop=True)


def build_changes(
    con: duckdb.DuckDBPyConnection, up_to_year: int | None = None
) -> pd.DataFrame:
    """Rebuild `metrics.changes` from the years in `metrics.measures` (up to `up_to_year` when
    given); returns the frame."""
    pairs = con.execute(PAIRS_SQL).df()
    if up_to_year is not None:
        pairs = pairs[pairs["reporting_year"] <= up_to_year]
    frame = compute_changes(pairs)
    con.register("_changes_frame", frame)
    try:
        con.execute("create or replace table metrics.changes as select * from _changes_frame")
    finally:
        con.unregister("_changes_frame")
    return frame


def build_trends(
    con: duckdb.DuckDBPyConnection, reporting_year: int, config: AuthorityConfig
) -> dict[str, int]:
    """`metrics.changes` (years up to `reporting_year`) and `metrics.benchmarks`; row counts."""
    changes = build_changes(con, up_to_year=reporting_year)
    benchmarks = build_benchmarks(con, config)
    return {"metrics.changes": len(changes), "metrics.benchmarks": len(benchmarks)}
