"""`metrics.benchmarks`: national figures mapped onto our measures (docs/design.md §4).

The national file and the map are passed in (defaults below); the map names the release
(vintage) of every national series and whether its definition matches ours exactly. A local
figure may be compared only with a national figure whose `definition_match` is `exact`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from psw_core.config import AuthorityConfig

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
DEFAULT_BENCHMARKS = REFERENCE_DIR / "national_benchmarks.csv"
DEFAULT_MAP = REFERENCE_DIR / "benchmark_map.csv"
SQL = Path(__file__).with_name("sql") / "benchmarks.sql"


def read_reference(path: str | Path) -> pd.DataFrame:
    """A reference CSV as text columns (values are cast in SQL)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def compute_benchmarks(
    con: duckdb.DuckDBPyConnection, nation: str, national: pd.DataFrame, mapping: pd.DataFrame,
    period: str = "dfe",
) -> pd.DataFrame:
    """Join the national series to our measures for one nation; a pair is `exact` only on
    the DfE period basis (every national series is for the year to 30 September)."""
    con.register("_national", national)
    con.register("_benchmark_map", mapping)
    try:
        return con.execute(SQL.read_text(encoding="utf-8"),
                           {"nation": nation, "period": period}).df()
    finally:
        con.unregister("_national")
        con.unregister("_benchmark_map")


def build_benchmarks(
    con: duckdb.DuckDBPyConnection,
    config: AuthorityConfig,
    benchmarks_path: str | Path = DEFAULT_BENCHMARKS,
    map_path: str | Path = DEFAULT_MAP,
) -> pd.DataFrame:
    """Rebuild `metrics.benchmarks` for the authority's nation; returns the frame."""
    frame = compute_benchmarks(
        con, config.nation, read_reference(benchmarks_path), read_reference(map_path),
        config.period,
    )
    con.execute("create schema if not exists metrics")
    con.register("_benchmarks_frame", frame)
    try:
        con.execute(
            "create or replace table metrics.benchmarks as select * from _benchmarks_frame"
        )
    finally:
        con.unregister("_benchmarks_frame")
    return frame
