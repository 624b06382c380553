"""Build a tiny `raw.*` warehouse in a DuckDB file from hand-made rows (docs/interfaces.md).

Each table is given as a list of dicts; columns left out are NULL, and `reporting_year`,
`source_sha256` and `source_row` are filled in when missing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

RAW_COLUMNS: dict[str, dict[str, str]] = {
    "hr_workforce": {
        "worker_id": "varchar", "service": "varchar", "team": "varchar", "org_role": "integer",
        "agency_worker": "integer", "fte": "double", "role_start_date": "date",
        "role_end_date": "date", "start_origin": "integer", "reason_leave": "integer",
        "leaver_destination": "integer", "gender": "integer", "ethnicity": "varchar",
        "qual_level": "integer", "step_up_grad": "integer", "frontline_grad": "integer",
        "international_recruit": "integer", "apprentice": "integer", "asye": "integer",
        "working_days_lost": "double", "stress_days_lost": "double", "age_band": "varchar",
    },
    "hr_vacancies": {
        "service": "varchar", "team": "varchar", "vacancies_fte": "double",
        "agency_cover_fte": "double", "agency_cover_headcount": "integer",
    },
    "learning": {
        "worker_id": "varchar", "activity": "varchar", "category": "varchar", "hours": "double",
        "completed_date": "date",
    },
    "supervision": {"worker_id": "varchar", "session_date": "date", "duration_minutes": "integer"},
    "health_check_responses": {
        "response_id": "varchar", "service": "varchar", "role_group": "varchar",
        "tenure_band": "varchar", "submitted_date": "date", "hours_over_contract": "double",
        "comments": "varchar",
    },
    "health_check_answers": {"response_id": "varchar", "item_id": "varchar", "answer": "integer"},
    "health_check_items": {
        "item_id": "varchar", "standard": "integer", "theme": "varchar", "text": "varchar",
        "reverse_scored": "integer",
    },
    "health_check_invited": {"service": "varchar", "invited": "integer"},
    "caseload": {
        "case_id": "varchar", "worker_id": "varchar", "service": "varchar",
        "case_type": "varchar", "allocated_date": "date", "deallocated_date": "date",
    },
    "assessments": {
        "assessment_id": "varchar", "case_id": "varchar", "worker_id": "varchar",
        "service": "varchar", "assessment_type": "varchar", "start_date": "date",
        "completed_date": "date",
    },
    "audits": {
        "audit_id": "varchar", "case_id": "varchar", "worker_id": "varchar",
        "service": "varchar", "audit_date": "date", "grade": "varchar",
    },
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
