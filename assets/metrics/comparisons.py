"""Where we stand among all councils, and the reconciliation with DfE's published figures for
us (docs/comparisons.md). Children's services, DfE basis.

- `metrics.comparisons`: one row per compared measure × reporting year (2017 to the build
  year): our figure (local, else DfE's published figure for us, marked), England, our region,
  the mean of our statistical neighbours that have a figure (with how many), our rank
  (1 = highest) and quartile among every council with a figure. Like-for-like rule: a local
  figure is `comparable` only when benchmark_map says `exact` and the authority reports on
  DfE's year (`period: dfe`); otherwise it gets no rank and the report says no above/below.
- `metrics.comparison_councils`: every council's figure for the comparison year (the dot
  charts and the technical annex), with ours, our neighbours and the rest marked.
- `metrics.reconciliation`: our locally computed children's figures beside DfE's published
  figures for our council, with the difference, the tolerance and the likely reasons.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from assets.metrics.benchmarks import DEFAULT_MAP, REFERENCE_DIR, read_reference
from psw_core.config import AuthorityConfig, Peers, resolve_peers
from psw_core.dfe_reference import joint_code_map, read_indicators, release_of

SQL = Path(__file__).with_name("sql") / "comparisons.sql"
RECONCILIATION_MAP = REFERENCE_DIR / "reconciliation.csv"
# The measures placed among all councils (children's services, DfE basis), in report order.
COMPARED = ("turnover_rate_fte", "vacancy_rate_fte", "agency_rate_fte", "caseload_fte",
            "absence_rate")


def measure_map(mapping: pd.DataFrame) -> pd.DataFrame:
    """measure -> DfE figure, definition_match, better, release, from benchmark_map's DfE rows."""
    rows = mapping[(mapping["service"] == "children") & (mapping["nation"].str.lower() == "england")
                   & mapping["measure"].isin(COMPARED)
                   & mapping["benchmark_source"].str.startswith("DfE")]
    rows = rows.drop_duplicates("measure")
    out = rows.rename(columns={"benchmark_measure": "figure"})
    if "better" not in out:
        out["better"] = ""
    return out[["measure", "figure", "definition_match", "better", "release"]].reset_index(drop=True)


def _local(con: duckdb.DuckDBPyConnection, config: AuthorityConfig, measures) -> pd.DataFrame:
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = 'metrics' and table_name = 'measures'").fetchall()[0][0]
    if not exists:
        return pd.DataFrame({"measure": pd.Series(dtype=str), "reporting_year": pd.Series(dtype=int),
                             "value": pd.Series(dtype=float)})
    placeholders = ", ".join("?" for _ in measures)
    return con.execute(
        "select measure, reporting_year, value from metrics.measures "
        "where service = 'children' and breakdown is null and month_end is null "
        f"and value is not null and authority_code = ? and measure in ({placeholders})",
        [config.code, *measures]).df()


def _mapped(dfe: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    codes = dfe.loc[dfe["la_code"] != "", "la_code"]
    mapping = joint_code_map(codes)
    return dfe, mapping


def compute_comparisons(
    con: duckdb.DuckDBPyConnection, config: AuthorityConfig, peers: Peers, up_to_year: int,
    dfe: pd.DataFrame, mapping: pd.DataFrame,
) -> pd.DataFrame:
    """`metrics.comparisons` rows from DfE's long file and benchmark_map (no side effects)."""
    dfe, joint = _mapped(dfe)
    measures = measure_map(mapping)
    neighbours = pd.DataFrame({"la_code": list(dict.fromkeys(joint.get(c, c) for c in peers.neighbours))})
    neighbours.insert(0, "position", range(1, len(neighbours) + 1))
    local = _local(con, config, list(measures["measure"]))
    frames = {"_dfe": dfe, "_measure_map": measures, "_local": local, "_neighbours": neighbours}
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        return con.execute(SQL.read_text(encoding="utf-8"), {
            "our_code": joint.get(peers.la_code) if peers.la_code else None,
            "region": peers.region, "same_period": config.period == "dfe", "up_to": up_to_year,
        }).df()
    finally:
        for name in frames:
            con.unregister(name)


def comparison_year(comparisons: pd.DataFrame, dfe: pd.DataFrame, up_to_year: int) -> int:
    """The build year if DfE has published it, else DfE's latest year before it."""
    years = dfe.loc[dfe["level"] == "Local authority", "year"]
    years = years[years <= up_to_year]
    return int(years.max()) if not years.empty else int(up_to_year)


def compute_council_dots(
    comparisons: pd.DataFrame, peers: Peers, dfe: pd.DataFrame, year: int, config: AuthorityConfig,
) -> pd.DataFrame:
    """Every council's figure for `year` and each compared measure; ours replaces our DfE row
    (and is left out when it is not comparable), marked `us`; neighbours marked with their
    position in DfE's order."""
    _, joint = _mapped(dfe)
    figures = comparisons[["measure", "dfe_figure"]].drop_duplicates()
    rows = dfe[(dfe["level"] == "Local authority") & (dfe["year"] == year)].merge(
        figures, left_on="figure", right_on="dfe_figure")
    our_code = joint.get(peers.la_code) if peers.la_code else None
    rows = rows[rows["la_code"] != our_code] if our_code else rows
    position = {joint.get(c, c): i for i, c in reversed(list(enumerate(peers.neighbours, 1)))}
    out = pd.DataFrame({
        "reporting_year": year, "measure": rows["measure"], "la_code": rows["la_code"],
        "la_name": rows["la_name"], "value": rows["value"], "reason": rows["reason"],
        "neighbour_position": rows["la_code"].map(position).astype("Int64"),
    })
    out["role"] = np.where(out["neighbour_position"].notna(), "neighbour", "other")
    ours = comparisons[(comparisons["reporting_year"] == year) & comparisons["comparable"].fillna(False)
                       & comparisons["council_value"].notna()]
    us = pd.DataFrame({
        "reporting_year": year, "measure": ours["measure"], "la_code": our_code or "",
        "la_name": config.name, "value": ours["council_value"], "reason": "",
        "neighbour_position": pd.Series([pd.NA] * len(ours), dtype="Int64", index=ours.index),
        "role": "us",
    })
    out = pd.concat([out, us], ignore_index=True)
    order = {m: i for i, m in enumerate(COMPARED)}
    out = out.assign(_m=out["measure"].map(order)).sort_values(
        ["_m", "role", "la_name"], kind="mergesort").drop(columns="_m")
    return out.reset_index(drop=True)


def compute_reconciliation(
    con: duckdb.DuckDBPyConnection, config: AuthorityConfig, peers: Peers, dfe: pd.DataFrame,
    tolerances: pd.DataFrame, up_to_year: int,
) -> pd.DataFrame:
    """Our children's figures beside DfE's published figures for our council, for every year
    with both; `within_tolerance` False is flagged with the likely reasons."""
    columns = ["reporting_year", "measure", "dfe_figure", "local_value", "dfe_value", "dfe_reason",
               "difference", "tolerance", "tolerance_kind", "within_tolerance", "flag",
               "likely_reasons"]
    if not peers.la_code:
        return pd.DataFrame(columns=columns)
    _, joint = _mapped(dfe)
    ours = dfe[(dfe["level"] == "Local authority") & (dfe["la_code"] == joint.get(peers.la_code))]
    local = _local(con, config, list(tolerances["measure"]))
    local = local[local["reporting_year"] <= up_to_year]
    tolerances = tolerances.astype({"tolerance": float})
    out = local.merge(tolerances, on="measure").merge(
        ours[["year", "figure", "value", "reason"]].rename(columns={
            "year": "reporting_year", "figure": "dfe_figure", "value": "dfe_value",
            "reason": "dfe_reason"}),
        on=["reporting_year", "dfe_figure"])
    out = out.rename(columns={"value": "local_value"})
    out["difference"] = out["local_value"] - out["dfe_value"]
    relative = out["tolerance_kind"].str.startswith("percent of")
    allowed = np.where(relative, out["tolerance"] / 100 * out["dfe_value"].abs(), out["tolerance"])
    out["within_tolerance"] = (out["difference"].abs() <= allowed + 1e-9).where(
        out["dfe_value"].notna())
    out["flag"] = np.select(
        [out["dfe_value"].isna(), out["within_tolerance"].fillna(False).astype(bool)],
        ["no DfE figure: " + out["dfe_reason"].replace("", "blank"), "within tolerance"],
        "outside tolerance")
    out["likely_reasons"] = out["likely_reasons"].where(out["flag"] == "outside tolerance", "")
    order = {m: i for i, m in enumerate(tolerances["measure"])}
    out = out.assign(_m=out["measure"].map(order)).sort_values(
        ["reporting_year", "_m"], kind="mergesort")
    return out[columns].reset_index(drop=True)


def _store(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.execute("create schema if not exists metrics")
    con.register("_comparison_frame", frame)
    try:
        con.execute(f"create or replace table metrics.{name} as select * from _comparison_frame")
    finally:
        con.unregister("_comparison_frame")


def build_comparisons(
    con: duckdb.DuckDBPyConnection, reporting_year: int, config: AuthorityConfig,
    indicators_path: str | Path | None = None, map_path: str | Path = DEFAULT_MAP,
    reconciliation_path: str | Path = RECONCILIATION_MAP,
) -> dict[str, int]:
    """Rebuild metrics.comparisons, metrics.comparison_councils and metrics.reconciliation for
    the build year; row counts. With no region, neighbours or LA code set, the tables are empty."""
    peers = resolve_peers(config)
    dfe = read_indicators(indicators_path)
    tables: dict[str, pd.DataFrame] = {}
    if peers is None:
        peers = Peers(None, None, (), "", "", False)
    comparisons = compute_comparisons(con, config, peers, reporting_year, dfe,
                                      read_reference(map_path))
    year = comparison_year(comparisons, dfe, reporting_year)
    tables["comparisons"] = comparisons
    tables["comparison_councils"] = compute_council_dots(comparisons, peers, dfe, year, config)
    tables["reconciliation"] = compute_reconciliation(
        con, config, peers, dfe, read_reference(reconciliation_path), reporting_year)
    for name, frame in tables.items():
        _store(con, name, frame)
    return {f"metrics.{name}": len(frame) for name, frame in tables.items()}


def release_label(indicators_path: str | Path | None = None) -> str:
    from psw_core.dfe_reference import DFE_DIR, INDICATORS_FILE

    return release_of(indicators_path or DFE_DIR / INDICATORS_FILE).label
