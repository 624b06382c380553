"""One reporting year into `candidate.*`, one extract file at a time (the candidate asset).

Each extract is read, pseudonymised, checked by its GX suite, typed and written to DuckDB
before the next is read, so only one extract's rows are in memory (the national year holds
2.5M rows: all at once took 1.6 GB). Everything is written in one transaction, committed
only when every extract and check has run: a run that fails midway leaves no candidate rows
of the year changed. The cross-extract rules run in that transaction, on the year's written
rows. Problems, notes and provenance are the same, in the same order, as from
`prepare_year` then `validate_reads` on every extract at once (tests/candidate/test_ingest_stream.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from assets.candidate import cross_extract
from assets.candidate.contract import TABLES
from assets.candidate.load import PreparedYear, _typed, source_tables, stream_year
from assets.candidate.readers import ReadResult
from assets.candidate.store import CandidateWriter
from assets.candidate.validate import (
    ValidationReport,
    add_checked,
    add_cross,
    checked_problems,
    cross_extract_names,
    start_report,
    submit_check,
)
from psw_core.config import AuthorityConfig

# DuckDB keeps written blocks cached up to its memory limit (80% of RAM by default): in one
# transaction of 2.5M rows that cache grew by 400 MB beside the extract being read. The
# blocks are on disk, so a small limit while the year is written costs no rereading.
WRITE_MEMORY_LIMIT = "128MB"


@dataclass
class IngestedYear:
    prepared: PreparedYear  # provenance, problems and notes; no frames
    report: ValidationReport  # the suites' and cross-extract rules' problems and counts
    problems: list  # prepared's then the report's, each once: what validation_problems holds
    counts: dict[str, int]  # rows written per candidate table


def ingest_year(con, year_dir: Path, year: int, config: AuthorityConfig, key: bytes,
                report: ValidationReport, problems_frame) -> IngestedYear:
    """Stream the year's extracts into candidate.* on `con` (see the module docstring).

    `problems_frame(problems, year)` gives the validation_problems rows."""
    # Arrow's default pool (mimalloc) keeps the pages of every extract's pseudonyms and typed
    # columns for reuse after they are freed: the system allocator hands them back (national
    # peak 1.12 -> 1.0 GB). Same bytes, same results.
    pa.set_memory_pool(pa.system_memory_pool())
    start_report(report, config, year)
    reference = pd.Timestamp(config.reference_date(year))
    checked: dict[str, tuple[list, dict]] = {}
    codebook: set[str] | None = None
    writer = CandidateWriter(con, year)

    def handle(source: str, read: ReadResult) -> None:
        nonlocal codebook
        if source == "health_check_items":  # read before the responses, which need it
            codebook = set(read.frame["item_id"].dropna().astype(str))
        check = submit_check(read, config, year, codebook)  # in the GX worker, if started,
        for table, part in source_tables(read, reference).items():  # while the rows are written
            writer.append(table, part, read.sha256)
        checked[source] = checked_problems(source, read, check.result())

    limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    con.execute("set memory_limit = ?", [WRITE_MEMORY_LIMIT])
    writer.begin()
    try:
        for table in TABLES:
            writer.start(table, _typed(table, pd.DataFrame()))
        prepared = stream_year(year_dir, year, config, key, handle)
        for source, stub in prepared.sources.items():  # reading order, as validate_reads
            add_checked(report, source, stub, prepared.rows[source], *checked.pop(source))
        files, letters = cross_extract_names(prepared.sources)
        cross = cross_extract.check_candidate_year(
            con, year, present={s.extract for s in prepared.sources.values()}, files=files,
            column_letters=letters)
        add_cross(report, cross, prepared.sources)
        problems = list(dict.fromkeys([*prepared.problems, *report.problems]))
        writer.replace("validation_problems", problems_frame(problems, year))
        counts = writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        con.execute("set memory_limit = ?", [limit])
    return IngestedYear(prepared=prepared, report=report, problems=problems, counts=counts)

