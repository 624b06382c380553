"""Build a tiny `raw.*` warehouse in a DuckDB file from hand-made rows (docs/interfaces.md).

Each table is given as a list of dicts; columns left out are NULL, and `reporting_year`,
`source_sha256` and `source_row` are filled in when missing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from assets.candidate.contract import TABLE_COLUMNS

# The raw tables' columns come from the extract contract, the one source for them.
RAW_COLUMNS: dict[str, dict[str, str]] = {
    table: {column: type_.lower() for column, type_ in columns}
    for table, columns in TABLE_COLUMNS.items()
}

LINEAGE = {"reporting_year": "integer", "source_sha256": "varchar", "source_row": "integer"}


def create_raw(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...] = tuple(RAW_COLUMNS)):
    """Create empty raw tables with the interface columns."""
    con.execute("create schema if not exists raw")
    for table in tables:
        cols = {**RAW_COLUMNS[table], **LINEAGE}
        ddl = ", ".join(f"{c} {t}" for c, t in cols.items())
        con.execute(f"create table if not exists raw.{table} ({ddl})")


def load(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], year: int) -> None:
    """Append hand-made rows to raw.<table> (creating it if needed)."""
    create_raw(con, (table,))
    cols = {**RAW_COLUMNS[table], **LINEAGE}
    frame = pd.DataFrame(rows, columns=list(cols)).astype(object)
    frame["reporting_year"] = frame["reporting_year"].fillna(year)
    frame["source_sha256"] = frame["source_sha256"].fillna(f"{table}-{year}")
    frame["source_row"] = range(2, len(frame) + 2)
    select = ", ".join(f"cast({c} as {t}) as {c}" for c, t in cols.items())
    con.register("_rows", frame)
    try:
        con.execute(f"insert into raw.{table} by name select {select} from _rows")
    finally:
        con.unregister("_rows")


def warehouse(path: Path, year: int, **tables: list[dict]) -> duckdb.DuckDBPyConnection:
    """A DuckDB file at `path` holding the given raw tables for `year`."""
    con = duckdb.connect(str(path))
    for table, rows in tables.items():
        load(con, table, rows, year)
    return con
