"""Small DuckDB helpers every stage shares: schemas, existence, row counts."""

from __future__ import annotations

import duckdb

# The warehouse schemas, in flow order (docs/architecture.md).
SCHEMAS = ("candidate", "raw", "staging", "metrics", "published")


def ensure_schemas(con: duckdb.DuckDBPyConnection) -> None:
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, name],
    ).fetchall()[0][0])


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


def add_missing_columns(con: duckdb.DuckDBPyConnection, table: str, source: str) -> list[str]:
    """Give `table` (schema.name) the columns of the relation `source` it lacks, blank for the
    rows already there: a column added to the contract after a warehouse was made. A column
    still holding pseudonyms as hex text where `source` has BLOBs is converted in place."""
    have = {r[0]: r[1] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    added = []
    for column, type_, *_ in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall():
        if have.get(column) == "VARCHAR" and type_ == "BLOB":
            # A pseudonym column of a warehouse made before 16-byte BLOBs: 64 hex characters,
            # whose first half is today's 16 bytes (assets/candidate/pseudonymise.py).
            con.execute(f'ALTER TABLE {table} ALTER "{column}" TYPE BLOB '
                        f'USING unhex(left("{column}", length("{column}") // 2))')
        if column not in have:
            con.execute(f'ALTER TABLE {table} ADD COLUMN "{column}" {type_}')
            added.append(column)
    return added
