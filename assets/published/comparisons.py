"""The published comparison tables (docs/comparisons.md): metrics.comparisons,
metrics.comparison_councils and metrics.reconciliation, rounded as DfE publishes them.

Every figure but ours is DfE's published figure for a council, region or England (public, OGL
v3). Ours are the children's service-level workforce rates, which are published unsuppressed
(the `exempt` rule in tables.py); in the reconciliation, a local cell that the headline table
shows as shorthand is shown the same way here.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from assets.metrics.definitions import MEASURES
from assets.published.disclosure import NOT_APPLICABLE, NOT_AVAILABLE, present
from psw_core.config import AuthorityConfig, resolve_peers
from psw_core.dfe_reference import DFE_DIR, INDICATORS_FILE, release_of

# Each measure's unit, from the measure registry (rounding follows it).
UNITS = {name: m.unit for name, m in MEASURES.items()}


def _symbolled(values: pd.Series, symbols: pd.Series, unit: pd.Series) -> pd.Series:
    """Rounded figures; a DfE symbol shows as [symbol]; blank as [x]."""
    cells = present(values, unit)
    symbol = symbols.fillna("").astype(str)
    return cells.where(values.notna() | (symbol == ""), "[" + symbol + "]")


def _read(con: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return con.execute(f"select * from metrics.{name}").df()


def comparison_table(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    from assets.metrics.comparisons import COMPARED

    order = {m: i for i, m in enumerate(COMPARED)}
    frame = frame.assign(_m=frame["measure"].map(order)).sort_values(
        ["_m", "reporting_year"], kind="mergesort").reset_index(drop=True)
    units = frame["measure"].map(UNITS).fillna("percent")
    out = pd.DataFrame({"reporting_year": year, "series_year": frame["reporting_year"],
                        "measure": frame["measure"]})
    for column in ("council_value", "england_value", "region_value", "neighbour_mean"):
        out[column.removesuffix("_value")] = present(frame[column], units)
    out["council_source"] = frame["council_source"].replace("", NOT_AVAILABLE)
    out["region_name"] = frame["region_name"].fillna("")
    out["neighbours_used"] = frame["neighbours_used"].astype("int64")
    out["neighbours_listed"] = frame["neighbours_listed"].astype("int64")
    comparable = frame["comparable"].fillna(False).astype(bool)
    for column in ("rank", "councils_ranked", "quartile"):
        ints = frame[column].astype("Int64").astype(object)
        out[column] = ints.where(frame[column].notna(), np.where(
            comparable, NOT_AVAILABLE, NOT_APPLICABLE))
    out["like_for_like"] = np.where(comparable, "yes", "no")
    out["better"] = frame["better"].fillna("")
    out["definition_match"] = frame["definition_match"].fillna("")
    return out.reset_index(drop=True)


def councils_table(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    out = pd.DataFrame({"reporting_year": year, "comparison_year": frame["reporting_year"],
                        "measure": frame["measure"], "la_code": frame["la_code"],
                        "council": frame["la_name"], "role": frame["role"]})
    units = frame["measure"].map(UNITS).fillna("percent")
    out["value"] = _symbolled(frame["value"], frame["reason"].map(_symbol_of_reason), units)
    out["neighbour_position"] = frame["neighbour_position"].astype("Int64").astype(object).where(
        frame["neighbour_position"].notna(), NOT_APPLICABLE)
    return out.reset_index(drop=True)


def _symbol_of_reason(reason: str) -> str:
    from psw_core.dfe_reference import SYMBOLS

    return next((s for s, meaning in SYMBOLS.items() if meaning == reason), "")


def reconciliation_table(frame: pd.DataFrame, year: int, headline: pd.DataFrame | None) -> pd.DataFrame:
    frame = frame[frame["reporting_year"] == year]
    units = frame["measure"].map(UNITS).fillna("percent")
    out = pd.DataFrame({"reporting_year": year, "measure": frame["measure"],
                        "dfe_figure": frame["dfe_figure"]})
    for column in ("local_value", "dfe_value", "difference"):
        out[column.removesuffix("_value")] = present(frame[column], units)
    if headline is not None and not headline.empty:
        # A local cell the headline table withholds is withheld here too, with its difference.
        shown = headline[headline["service"] == "children"].set_index("measure")["value"]
        cell = frame["measure"].map(shown)
        hidden = cell.map(lambda c: isinstance(c, str) and c.startswith("[")).astype(bool)
        for column in ("local", "difference"):
            out[column] = out[column].where(~hidden.to_numpy(), cell.to_numpy())
    out["tolerance"] = frame["tolerance"].astype(float)
    out["tolerance_kind"] = frame["tolerance_kind"]
    out["flag"] = frame["flag"]
    out["likely_reasons"] = frame["likely_reasons"]
    return out.reset_index(drop=True)


def group_table(config: AuthorityConfig, year: int, councils: pd.DataFrame) -> pd.DataFrame:
    peers = resolve_peers(config)
    release = release_of(DFE_DIR / INDICATORS_FILE)
    names = councils.drop_duplicates("la_code").set_index("la_code")["council"] \
        if not councils.empty else pd.Series(dtype=str)
    items = [("dfe_release", release.label), ("dfe_sha256_prefix", release.sha256[:12])]
    if peers is not None:
        items += [
            ("dfe_la_code", peers.la_code or ""), ("region", peers.region or ""),
            ("region_from", peers.region_from), ("neighbours_from", peers.neighbours_from),
            ("illustrative", "yes" if peers.illustrative else "no"),
            *((f"neighbour_{i}", f"{code} {names.get(code, '')}".strip())
              for i, code in enumerate(peers.neighbours, 1)),
        ]
    return pd.DataFrame({"reporting_year": year, "item": [i for i, _ in items],
                         "value": [v for _, v in items]})


def build_comparison_tables(
    con: duckdb.DuckDBPyConnection, year: int, config: AuthorityConfig,
    headline: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """The four published comparison tables for the build year (empty when metrics has none)."""
    exists = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'metrics'").fetchall()}
    if not {"comparisons", "comparison_councils", "reconciliation"} <= exists:
        return {}
    comparisons = _read(con, "comparisons")
    comparisons = comparisons[comparisons["reporting_year"] <= year]
    councils = councils_table(_read(con, "comparison_councils"), year)
    return {
        "comparisons": comparison_table(comparisons, year),
        "comparison_councils": councils,
        "reconciliation": reconciliation_table(_read(con, "reconciliation"), year, headline),
        "comparison_group": group_table(config, year, councils),
    }
