"""Candidate tables: one year's prepared extracts, waiting for the checks (docs/design.md §2).

Ingest writes a year's frames to `candidate.<table>`; the checks read them; the raw stage
promotes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
    writer = CandidateWriter(con, year)
    writer.begin()
    try:
        for name in WAREHOUSE_TABLES:
            writer.replace(name, tables.get(name))
        return writer.commit()
    except Exception:
        writer.rollback()
        raise


class CandidateWriter:
    """A year's candidate rows written a part at a time (one extract file's rows), all in one
    transaction: nothing is seen, and nothing of the year's earlier rows is lost, until
    `commit`; any error before it rolls everything back, as `write_candidates` does.

    `start(name, empty)` replaces the year's rows of a table by none, creating the table from
    `empty` (its typed columns) if needed; `append` adds a part, with the year and the file's
    sha256 added in SQL (constants, not a column of the frame)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, year: int) -> None:
        self.con, self.year = con, year
        self.counts: dict[str, int] = {}

    def begin(self) -> None:
        ensure_schemas(self.con)
        self.con.execute("BEGIN TRANSACTION")

    def replace(self, name: str, frame: pd.DataFrame | None) -> None:
        """The year's rows of `name` become `frame`'s (stamps included); none when None."""
        exists = table_exists(self.con, "candidate", name)
        if exists:
            self.con.execute(f"DELETE FROM candidate.{name} WHERE reporting_year = ?", [self.year])
        if frame is None:
            return
        with self._registered(frame):
            if not exists:
                self.con.execute(f"CREATE TABLE candidate.{name} AS SELECT * FROM candidate_frame")
            else:
                add_missing_columns(self.con, f"candidate.{name}", "candidate_frame")
                self.con.execute(f"INSERT INTO candidate.{name} BY NAME "
                                 "SELECT * FROM candidate_frame")
        self.counts[name] = len(frame)

    def start(self, name: str, empty: pd.DataFrame) -> None:
        self.replace(name, empty)

    def append(self, name: str, frame: pd.DataFrame, sha256: str) -> None:
        with self._registered(frame):
            self.con.execute(f"INSERT INTO candidate.{name} BY NAME SELECT *, "
                             "$year AS reporting_year, $sha256 AS source_sha256 "
                             "FROM candidate_frame", {"year": self.year, "sha256": sha256})
        self.counts[name] = self.counts.get(name, 0) + len(frame)

    def commit(self) -> dict[str, int]:
        self.con.execute("COMMIT")
        return self.counts

    def rollback(self) -> None:
        self.con.execute("ROLLBACK")

    @contextmanager
    def _registered(self, frame: pd.DataFrame) -> Iterator[None]:
        self.con.register("candidate_frame", frame)
        try:
            yield
        finally:
            self.con.unregister("candidate_frame")
