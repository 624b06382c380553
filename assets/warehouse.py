"""Candidate tables and the one-transaction promote (DESIGN §2 "Atomicity").

Ingest writes a year's frames to `candidate.<table>`; checks read them; `promote_year` swaps
the year into `raw.<table>` inside one transaction, so a reader sees the previous year or the
new one, never a mix.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from assets.ingest.contract import TABLES as RAW_TABLES
from assets.pause import pause_point

SCHEMAS = ("candidate", "raw", "staging", "metrics", "published")
# The extracts plus the redacted validation results (warnings reach the data-quality appendix).
WAREHOUSE_TABLES = (*RAW_TABLES, "validation_problems")


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")


def write_candidates(
    con: duckdb.DuckDBPyConnection, year: int, tables: dict[str, pd.DataFrame]
) -> dict[str, int]:
    """Replace this year's rows in every candidate table (none when the extract is absent).

    Candidate tables keep other years' rows, so runs for different years never clobber each
    other's candidates even if they interleave.
    """
    ensure_schemas(con)
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for name in WAREHOUSE_TABLES:
            frame = tables.get(name)
            exists = _exists(con, "candidate", name)
            if exists:
                con.execute(f"DELETE FROM candidate.{name} WHERE reporting_year = ?", [year])
            if frame is None:
                continue
            con.register("candidate_frame", frame)
            if not exists:
                con.execute(f"CREATE TABLE candidate.{name} AS SELECT * FROM candidate_frame")
            else:
                con.execute(f"INSERT INTO candidate.{name} BY NAME SELECT * FROM candidate_frame")
            con.unregister("candidate_frame")
            counts[name] = len(frame)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def _exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, name],
    ).fetchall()[0][0])


def promote_year(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, int]:
    """Swap the year's candidates into raw.* in one transaction; absent extracts clear the year."""
    ensure_schemas(con)
    present = {name for name in WAREHOUSE_TABLES if _exists(con, "candidate", name) and con.execute(
        f"SELECT count(*) > 0 FROM candidate.{name} WHERE reporting_year = ?", [year]
    ).fetchall()[0][0]}
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for name in WAREHOUSE_TABLES:
            if name in present:
                con.execute(
                    f"CREATE TABLE IF NOT EXISTS raw.{name} AS SELECT * FROM candidate.{name} WHERE false"
                )
            if not _exists(con, "raw", name):
                continue
            con.execute(f"DELETE FROM raw.{name} WHERE reporting_year = ?", [year])
            pause_point("promote")
            if name in present:
                con.execute(
                    f"INSERT INTO raw.{name} BY NAME SELECT * FROM candidate.{name} WHERE reporting_year = ?",
                    [year],
                )
                counts[name] = con.execute(
                    f"SELECT count(*) FROM raw.{name} WHERE reporting_year = ?", [year]
                ).fetchall()[0][0]
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts


def table_counts(con: duckdb.DuckDBPyConnection, schema: str, year: int | None = None) -> dict[str, int]:
    names = [
        r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1", [schema]
        ).fetchall()
    ]
    out = {}
    for name in names:
        if year is None:
            out[name] = con.execute(f"SELECT count(*) FROM {schema}.{name}").fetchall()[0][0]
        else:
            cols = {c[0] for c in con.execute(f"DESCRIBE {schema}.{name}").fetchall()}
            where = " WHERE reporting_year = ?" if "reporting_year" in cols else ""
            out[name] = con.execute(f"SELECT count(*) FROM {schema}.{name}{where}", [year] if where else []).fetchall()[0][0]
    return out
