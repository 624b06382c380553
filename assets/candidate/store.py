"""Candidate tables: one year's prepared extracts, waiting for the checks (docs/design.md §2).

Ingest writes a year's frames to `candidate.<table>`; the checks read them; the raw stage
promotes them.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from assets.candidate.contract import TABLES as RAW_TABLES
from psw_core.warehouse import add_missing_columns, ensure_schemas, table_exists

# The extracts plus the redacted validation results (warnings reach the data-quality appendix).
WAREHOUSE_TABLES = (*RAW_TABLES, "validation_problems")


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
            exists = table_exists(con, "candidate", name)
            if exists:
                con.execute(f"DELETE FROM candidate.{name} WHERE reporting_year = ?", [year])
            if frame is None:
                continue
            con.register("candidate_frame", frame)
            if not exists:
                con.execute(f"CREATE TABLE candidate.{name} AS SELECT * FROM candidate_frame")
            else:
                add_missing_columns(con, f"candidate.{name}", "candidate_frame")
                con.execute(f"INSERT INTO candidate.{name} BY NAME SELECT * FROM candidate_frame")
            con.unregister("candidate_frame")
            counts[name] = len(frame)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts
