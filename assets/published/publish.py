"""Publish one year: disclosure-controlled tables, provenance and data quality into
published.*, then the files in build/<Y>/ (docs/design.md §5). Every file is written atomically."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from assets.published.provenance import (
    ASYE_FLAG,
    ASYE_NOT_RECORDED,
    build_provenance,
    write_json_atomic,
)
from psw_core.config import AuthorityConfig


def data_quality(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Validation results that reached the warehouse (warnings; errors block), counted by rule.

    Aggregated: no row values, so it is safe to publish (docs/design.md §2)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema='raw' "
        "AND table_name='validation_problems'"
    ).fetchall()[0][0]
    if not exists:
        text = pd.Series(dtype="string")
        return pd.DataFrame({"reporting_year": pd.Series(dtype="int64"), "file": text,
                             "rule": text, "severity": text, "why": text,
                             "rows_affected": pd.Series(dtype="int64")})
    return con.execute(
        "SELECT reporting_year, file, rule, severity, why, count(*) AS rows_affected "
        "FROM raw.validation_problems WHERE reporting_year = ? "
        "GROUP BY ALL ORDER BY severity, file, rule", [year],
    ).df()


def provenance_tables(provenance: dict, year: int) -> dict[str, pd.DataFrame]:
    inputs = pd.DataFrame(provenance["inputs"], columns=["file", "extract", "sha256", "rows"])
    inputs.insert(0, "reporting_year", year)
    build = pd.DataFrame(
        [("package_version", provenance["package_version"]),
         ("git_commit", provenance["git_commit"]),
         ("benchmark_release", provenance["benchmark_release"]),
         ("authority", provenance["authority"]["name"]),
         ("period_basis", provenance["authority"]["period"]),
         ("caseload_source", provenance.get("caseload_source", "none")),
         ("asye_flag", provenance.get("asye_flag", "recorded"))],
        columns=["item", "value"],
    )
    build.insert(0, "reporting_year", year)
    return {"provenance_inputs": inputs, "provenance_build": build}


def report_settings(config: AuthorityConfig, year: int) -> pd.DataFrame:
    """The authority's targets the report draws against (e.g. the supervision target line)."""
    items = [
        ("supervision_compliance_target", config.targets["supervision_compliance"]),
        ("asye_caseload_cap", config.targets["asye_caseload_cap"]),
        ("suppression_threshold", config.suppression_threshold),
    ]
    return pd.DataFrame({"reporting_year": year, "item": [i for i, _ in items],
                         "value": [str(v) for _, v in items]})


def _store(con: duckdb.DuckDBPyConnection, year: int, tables: dict[str, pd.DataFrame]) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS published")
    for name, frame in tables.items():
        con.register("_frame", frame)
        con.execute(f"CREATE TABLE IF NOT EXISTS published.{name} AS SELECT * FROM _frame WHERE false")
        con.execute(f"DELETE FROM published.{name} WHERE reporting_year = ?", [year])
        con.execute(f"INSERT INTO published.{name} BY NAME SELECT * FROM _frame")
        con.unregister("_frame")


COMPARISON_NOTE = (
    "Other councils', regions' and England's figures are DfE's published figures "
    "(data/reference/dfe/, OGL v3). Neighbour mean: the mean of the statistical neighbours "
    "with a figure (neighbours_used of neighbours_listed). Rank 1 is the highest value among "
    "all councils with a figure; quartile 1 is the highest quarter. Rank and quartile are [z] "
    "where our figure is not on DfE's definition and period (like_for_like = no). DfE symbols: "
    "[u] low reliability, [low] rounds to zero, [c], [x], [z] as above."
)


def comparison_tables(con: duckdb.DuckDBPyConnection, year: int, config: AuthorityConfig,
                      headline: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """Where we stand among councils (assets/published/comparisons.py), stored in published.*."""
    from assets.published.comparisons import build_comparison_tables
    from assets.published.tables import assert_no_identifiers, store_published

    tables = build_comparison_tables(con, year, config, headline)
    assert_no_identifiers(tables)
    store_published(con, year, tables)
    return tables


def publish_year(con: duckdb.DuckDBPyConnection, year: int, config: AuthorityConfig, out: Path,
                 raw_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    from assets.published.tables import build_published
    from assets.published.writers import (
        write_csvs,
        write_headline_measures,
        write_ods,
        write_snapshot,
    )

    tables = build_published(con, year, config)
    tables.update(comparison_tables(con, year, config, tables.get("headline_measures")))
    provenance = build_provenance(con, year, config, raw_dir)
    extra = {**provenance_tables(provenance, year), "data_quality": data_quality(con, year),
             "report_settings": report_settings(config, year)}
    _store(con, year, extra)
    out.mkdir(parents=True, exist_ok=True)
    write_csvs(tables, out / "tables")
    notes = {"Benchmarks": f"National figures: {config.benchmark_vintage}.",
             "Comparisons": COMPARISON_NOTE}
    if provenance.get("asye_flag") == ASYE_FLAG[False]:
        notes["ASYE"] = ASYE_NOT_RECORDED  # why the ASYE figures are [x]
    write_ods(tables, out / "tables" / f"psw-tables-{year}.ods", config, notes=notes,
              reporting_year=year)
    write_headline_measures(con, year, out / "internal" / "headline_measures.csv")
    write_snapshot(con, year, out / "published.duckdb")
    write_json_atomic(provenance, out / "provenance.json")
    return tables
