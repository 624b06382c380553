"""ingest_year (one extract at a time into candidate.*) against every extract at once: the same
candidate rows and column types, the same problems in the same order, counts, notes and
provenance; and a run that fails midway changes nothing."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from census_returns import children_workforce, write_return

from assets.candidate import validate
from assets.candidate.defs import validation_frame
from assets.candidate.ingest import ingest_year
from assets.candidate.load import (
    PreparedYear,
    _pseudonymised,
    candidate_tables,
    prepare_year,
    read_year,
)
from assets.candidate.readers import find_extracts, other_files
from assets.candidate.store import WAREHOUSE_TABLES, write_candidates
from assets.candidate.validate import ValidationReport, validate_reads
from psw_core.config import AuthorityConfig

KEY = b"0123456789abcdef-test"
CONFIG = AuthorityConfig(name="Test", code="TST")
ROOT = Path(__file__).resolve().parents[2]


def _small(tmp_path: Path) -> Path:
    """Names in a file read after the comments (caseload), a crosswalk with no census (its
    problems go to the first file read), a bad date and an orphan worker."""
    year = tmp_path / "small" / "2025"
    year.mkdir(parents=True)
    (year / "hr_workforce.csv").write_text(
        "worker_id,service,first_name,surname,fte,agency_worker,role_start_date,"
        "role_end_date,person_birth_date\n"
        "W1,children,Ann,Okafor,1,0,2020-01-01,,30/09/1995\n"
        "W2,adults,Bob,Lee,0.5,0,2020-13-01,,01/10/1965\n", encoding="utf-8")
    (year / "caseload.csv").write_text(
        "case_id,worker_id,first_name,surname,service,case_type,allocated_date,"
        "deallocated_date\nC1,W1,Cara,Mendez,children,cin,2025-01-01,\n"
        "C2,W9,Cara,Mendez,children,cin,2025-01-01,\n", encoding="utf-8")
    (year / "health_check_items.csv").write_text(
        "item_id,standard,theme,text,reverse_scored\nQ1,1,workload,My workload is ok,0\n"
        "Q2,0,stress,I am stressed,1\n", encoding="utf-8")
    (year / "health_check_responses.csv").write_text(
        "response_id,service,comments,Q1,Q2\n"
        "R1,children,Cara Mendez was great - call 07700 900123,4,\n"
        "R2,adults,,2,5\nR3,adults,,9,1\n", encoding="utf-8")
    (year / "health_check_invited.csv").write_text("service,invited\nchildren,1\nadults,1\n",
                                                   encoding="utf-8")
    (year / "worker_crosswalk.csv").write_text("worker_id,swe_no\nW1,AB1\nW2,AB1\n",
                                               encoding="utf-8")
    return year


def _census(tmp_path: Path) -> Path:
    """The census beside adults' HR (two sources of hr_workforce) and a crosswalk."""
    workers = children_workforce(2025)
    folder = tmp_path / "census" / "2025"
    write_return(folder, 2025, workers)
    (folder / "hr_workforce.csv").write_text(
        "worker_id,swe_no,service,fte,agency_worker,role_start_date,role_end_date,start_origin\n"
        "L-0003,ab 1000000003,adults,0.8,0,2025-04-01,,9\n"
        "L-0005,,children,1,0,2025-04-01,,9\n", encoding="utf-8")
    (folder / "supervision.csv").write_text(
        "worker_id,session_date,duration_minutes\nL-0001,2025-05-01,60\nL-9,2025-06-02,45\n",
        encoding="utf-8")
    (folder / "worker_crosswalk.csv").write_text(
        "worker_id,swe_no\nL-0001,AB1000000001\nL-0004,AB1000000004\n", encoding="utf-8")
    return folder


def _all_at_once(folder: Path, year: int, config: AuthorityConfig):
    """What the candidate asset did before streaming: every extract read and pseudonymised,
    then the suites and cross-extract rules, then the typed tables."""
    raw = read_year(folder, year, config)
    names = frozenset().union(*(r.staff_names for r in raw.values()))
    with duckdb.connect() as con:
        reads = {s: _pseudonymised(r, KEY, names, con) for s, r in raw.items()}
    report = validate_reads(reads, config, year, ValidationReport(folder=str(folder)))
    problems = other_files(folder, find_extracts(folder))
    for read in reads.values():
        problems += read.problems
    problems = list(dict.fromkeys([*problems, *report.problems]))
    tables = candidate_tables(PreparedYear(year=year, tables={}, read_results=reads), config)
    tables["validation_problems"] = validation_frame(problems, year)
    return report, problems, tables


def _contents(con) -> dict:
    out = {}
    for name in WAREHOUSE_TABLES:
        out[name] = (con.execute(f"describe candidate.{name}").fetchall(),
                     con.execute(f"select * from candidate.{name}").df())
    return out


@pytest.mark.parametrize("make", [_small, _census], ids=["small", "census"])
def test_streamed_ingest_equals_all_at_once(tmp_path, make):
    folder = make(tmp_path)
    report, problems, tables = _all_at_once(folder, 2025, CONFIG)
    before = duckdb.connect(str(tmp_path / "before.duckdb"))
    counts = write_candidates(before, 2025, tables)
    after = duckdb.connect(str(tmp_path / "after.duckdb"))
    ingested = ingest_year(after, folder, 2025, CONFIG, KEY,
                           ValidationReport(folder=str(folder)), validation_frame)

    assert [p.to_dict() for p in ingested.problems] == [p.to_dict() for p in problems]
    assert [p.to_dict() for p in ingested.report.problems] == [
        p.to_dict() for p in report.problems]
    assert ingested.report.counts == report.counts
    assert ingested.report.rows == report.rows and ingested.report.files == report.files
    assert ingested.report.notes == report.notes
    assert {k: v for k, v in ingested.counts.items() if v} == {
        k: v for k, v in counts.items() if v}
    old, new = _contents(before), _contents(after)
    for name in WAREHOUSE_TABLES:
        assert new[name][0] == old[name][0], name  # column names and types
        pd.testing.assert_frame_equal(new[name][1], old[name][1], obj=name)
    reference = prepare_year(folder, 2025, CONFIG, KEY, tables=False)
    for field in ("problems", "notes", "files", "missing", "pattern_only_scrub"):
        assert getattr(ingested.prepared, field) == getattr(reference, field), field


def test_the_sample_census_year_streams_the_same(tmp_path):
    folder = ROOT / "data" / "raw" / "2022"
    report, problems, tables = _all_at_once(folder, 2022, CONFIG)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingested = ingest_year(con, folder, 2022, CONFIG, KEY, ValidationReport(folder=str(folder)),
                           validation_frame)
    assert [p.to_dict() for p in ingested.problems] == [p.to_dict() for p in problems]
    assert ingested.report.counts == report.counts
    for name, frame in tables.items():
        con.register("expected", frame)  # typed as the old write typed it
        pd.testing.assert_frame_equal(
            con.execute(f"select * from candidate.{name}").df(),
            con.execute("select * from expected").df(), obj=name)
        con.unregister("expected")


def test_a_run_that_fails_midway_changes_nothing(tmp_path, monkeypatch):
    folder = _small(tmp_path)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest_year(con, folder, 2025, CONFIG, KEY, ValidationReport(folder=str(folder)),
                validation_frame)
    other = tmp_path / "small" / "2024"
    other.mkdir()
    for f in folder.iterdir():
        (other / f.name).write_bytes(f.read_bytes())
    ingest_year(con, other, 2024, CONFIG, KEY, ValidationReport(folder=str(other)),
                validation_frame)
    before = _contents(con)
    real = validate.submit_check

    def fail_on_caseload(read, *args):
        if read.extract == "caseload":  # after hr_workforce's rows were written
            raise RuntimeError("stopped midway")
        return real(read, *args)

    monkeypatch.setattr("assets.candidate.ingest.submit_check", fail_on_caseload)
    with pytest.raises(RuntimeError, match="stopped midway"):
        ingest_year(con, folder, 2025, CONFIG, KEY, ValidationReport(folder=str(folder)),
                    validation_frame)
    after = _contents(con)
    for name in WAREHOUSE_TABLES:
        pd.testing.assert_frame_equal(after[name][1], before[name][1], obj=name)
    assert con.execute("select count(distinct reporting_year) from candidate.hr_workforce"
                       ).fetchone()[0] == 2
