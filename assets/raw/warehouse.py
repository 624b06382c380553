"""The one-transaction promote (docs/design.md §2 "Atomicity").

`promote_year` swaps a year's checked candidates into `raw.<table>` inside one transaction, so
a reader sees the previous year or the new one, never a mix.
"""

from __future__ import annotations

import duckdb

from assets.candidate.pseudonymise import upgrade_stored_ids
from assets.candidate.store import WAREHOUSE_TABLES
from psw_core.instrument import pause_point
from psw_core.warehouse import add_missing_columns, ensure_schemas, table_exists


def promote_year(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, int]:
    """Swap the year's candidates into raw.* in one transaction; absent extracts clear the year."""
    ensure_schemas(con)
    present = {name for name in WAREHOUSE_TABLES if table_exists(con, "candidate", name) and con.execute(
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
            if not table_exists(con, "raw", name):
                continue
            # Every year in raw.<name>, present now or not, must hold ids in one form to join.
            upgrade_stored_ids(con, "raw", name)
            if name in present:  # a column added to the contract since raw.<name> was made
                add_missing_columns(con, f"raw.{name}", f"candidate.{name}")
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
