"""Year-on-year changes (`metrics.changes`, DESIGN §4 "Year-on-year").

One row per headline measure x service x pair of consecutive reporting years present in
`metrics.measures`. For proportions of counts (registry `wilson`), the change carries a
Newcombe hybrid score 95% interval (method 10), in percentage points, and `direction` says
'rose' or 'fell' only when that interval excludes 0, otherwise 'was similar to'. Other measures
(FTE-based rates, means, totals) have no interval: their direction is given by the sign of the
change ('rose', 'fell', or 'was unchanged') and `method` says 'no interval'.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from assets.metrics.benchmarks import build_benchmarks
from assets.metrics.definitions import MEASURES
from assets.metrics.intervals import newcombe_diff
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


def direction_words(change, lower, upper, has_interval) -> np.ndarray:
    """'rose'/'fell' only when the interval excludes 0 (or, without an interval, by sign)."""
    change, lower, upper = (np.asarray(a, dtype="float64") for a in (change, lower, upper))
    has_interval = np.asarray(has_interval, dtype=bool)
    tested = np.where(
        lower > 0, "rose", np.where(upper < 0, "fell", "was similar to")
    )
    by_sign = np.where(change > 0, "rose", np.where(change < 0, "fell", "was unchanged"))
    return np.where(has_interval, tested, by_sign)


def compute_changes(pairs: pd.DataFrame) -> pd.DataFrame:
    """Changes with Newcombe intervals from a frame shaped like PAIRS_SQL's result."""
    out = pairs.copy()
    out["change"] = out["value"] - out["previous_value"]
    is_wilson = out["measure"].map({n: m.wilson for n, m in MEASURES.items()})
    is_wilson = is_wilson.fillna(False).astype(bool).to_numpy()
    _, lower, upper = newcombe_diff(
        out["numerator"].to_numpy(float), out["denominator"].to_numpy(float),
        out["previous_numerator"].to_numpy(float), out["previous_denominator"].to_numpy(float),
    )
    has_interval = is_wilson & ~np.isnan(lower)
    out["ci_lower"] = np.where(has_interval, 100 * lower, np.nan)
    out["ci_upper"] = np.where(has_interval, 100 * upper, np.nan)
    out["method"] = np.where(has_interval, "newcombe hybrid score (method 10)", "no interval")
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
