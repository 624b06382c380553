"""Cross-extract rules (docs/design.md §3) as DuckDB SQL, over in-memory frames or warehouse tables.

The SQL in `sql/` names tables without a schema and rows by `source_row`, as the warehouse's
`candidate.*` tables do. `check_frames` registers the validated frames under those names (with
`_row` as `source_row`) on a private in-memory connection; `check_warehouse` runs the same SQL
with `search_path` pointing at the candidate schema. Data values only ever reach SQL through
parameter binding; the only text substituted is a table name from `WORKER_CHECKS`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from assets.candidate.contract import SPECS
from assets.candidate.pseudonymise import pseudonym_hex
from psw_core.problems import Problem

SQL_DIR = Path(__file__).with_name("sql")
DEFAULT_CAP = 1000

# extract -> (rule, why, action) for "every worker_id exists in hr_workforce", from the contract.
WORKER_CHECKS: dict[str, tuple[str, str, str]] = {
    name: spec.worker_check for name, spec in SPECS.items() if spec.worker_check
}
RESPONSE_RULES: dict[str, tuple[str, str, str]] = {
    "XEX-006": (
        "error",
        "More survey responses than staff invited for this service, so the response rate would "
        "be over 100%.",
        "Check the invited headcount in health_check_invited and look for duplicate responses.",
    ),
    "XEX-007": (
        "warning",
        "Survey responses for this service have no invited headcount, so no response rate can "
        "be given.",
        "Add a row for this service to health_check_invited.",
    ),
}
CROSS_RULES = (*[r for r, _, _ in WORKER_CHECKS.values()], *RESPONSE_RULES)


def _shown(value) -> str:
    """An offending id as text: a pseudonym (bytes, in the warehouse) as hex, a raw id as is."""
    return pseudonym_hex(value) if isinstance(value, bytes | bytearray) else str(value)


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def _run_checks(
    con: duckdb.DuckDBPyConnection,
    tables: set[str],
    files: dict[str, str],
    column_letters: dict[str, dict[str, str]],
    cap: int,
) -> list[Problem]:
    problems: list[Problem] = []
    if "hr_workforce" in tables:
        template = _sql("worker_in_hr.sql")
        for source, (rule, why, action) in WORKER_CHECKS.items():
            if source not in tables:
                continue
            found = con.execute(template.replace("{source}", source), {"cap": cap}).df()
            letter = column_letters.get(source, {}).get("worker_id")
            problems += [
                Problem(file=files.get(source, source), rule=rule, severity="error", why=why,
                        action=action, row=int(row), column="worker_id", column_letter=letter,
                        value=_shown(value))
                for row, value in zip(found["row"].tolist(), found["value"].tolist(), strict=True)
            ]
    if {"health_check_responses", "health_check_invited"} <= tables:
        found = con.execute(_sql("responses_within_invited.sql")).df()
        letters = column_letters.get("health_check_invited", {})
        for rule, row, service, invited, responses in found.itertuples(index=False):
            severity, why, action = RESPONSE_RULES[rule]
            over = rule == "XEX-006"
            problems.append(Problem(
                file=files.get("health_check_invited", "health_check_invited"),
                rule=rule, severity=severity, why=why, action=action,
                row=int(row) if over else None,
                column="invited" if over else "service",
                column_letter=letters.get("invited" if over else "service"),
                value=(f"{service}: {int(invited)} invited, {int(responses)} responses"
                       if over else str(service)),
            ))
    return problems


def check_frames(
    frames: dict[str, pd.DataFrame],
    files: dict[str, str] | None = None,
    column_letters: dict[str, dict[str, str]] | None = None,
    cap: int = DEFAULT_CAP,
) -> list[Problem]:
    """Cross-extract problems for typed frames keyed by extract name (each with `_row`)."""
    con = duckdb.connect()  # private and in memory: psw validate never touches a warehouse
    try:
        for extract, frame in frames.items():
            con.register(extract, frame.rename(columns={"_row": "source_row"}))
        return _run_checks(con, set(frames), files or {}, column_letters or {}, cap)
    finally:
        con.close()


def check_candidate_year(con: duckdb.DuckDBPyConnection, year: int,
                         cap: int = DEFAULT_CAP, present: set[str] | None = None,
                         files: dict[str, str] | None = None,
                         column_letters: dict[str, dict[str, str]] | None = None
                         ) -> list[Problem]:
    """Cross-extract problems for one year's rows of `candidate.*` (other years' candidates may
    sit beside them), run where the rows are: each table the rules read becomes a temporary view
    of its year's rows, so no copy of millions of rows is made in pandas. A table with no rows
    for the year counts as absent, as in `check_frames`, unless `present` names the extracts
    read (the ingest, which knows them, and whose rows are not yet committed); `files` and
    `column_letters` name each extract's file and letters in the problems, as `check_frames`."""
    if present is None:
        present = set()
        for name in ("hr_workforce", *WORKER_CHECKS, "health_check_responses",
                     "health_check_invited"):
            exists = con.execute("select count(*) from information_schema.tables where "
                                 "table_schema = 'candidate' and table_name = ?",
                                 [name]).fetchone()[0]
            if exists and con.execute(f"select exists (select 1 from candidate.{name} "
                                      "where reporting_year = ?)", [year]).fetchone()[0]:
                present.add(name)
    else:  # only the tables the rules read
        present = present & {"hr_workforce", *WORKER_CHECKS, "health_check_responses",
                             "health_check_invited"}
    con.execute("set variable psw_check_year = ?", [year])
    try:
        for name in present:
            con.execute(f"create or replace temp view {name} as select * from candidate.{name} "
                        "where reporting_year = getvariable('psw_check_year')")
        return _run_checks(con, present, files or {}, column_letters or {}, cap)
    finally:
        for name in present:
            con.execute(f"drop view if exists temp.main.{name}")
        con.execute("reset variable psw_check_year")


def check_warehouse(
    con: duckdb.DuckDBPyConnection,
    schema: str = "candidate",
    files: dict[str, str] | None = None,
    column_letters: dict[str, dict[str, str]] | None = None,
    cap: int = DEFAULT_CAP,
) -> list[Problem]:
    """Cross-extract problems for the tables of one schema (the year's `candidate.*`).

    The candidate schema holds only the year being promoted, so no year filter is needed.
    """
    tables = {
        name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = ?", [schema]
        ).fetchall()
    }
    previous = con.execute("select current_setting('search_path')").fetchall()[0][0]
    con.execute("set search_path = ?", [schema])
    try:
        return _run_checks(con, tables, files or {}, column_letters or {}, cap)
    finally:
        con.execute("set search_path = ?", [previous or "main"])
