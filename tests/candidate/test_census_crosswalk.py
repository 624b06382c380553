"""The census (keyed by SWE number) joined to local extracts through a crosswalk, in memory,
before pseudonymisation: one worker id per person, and the SWE number never stored."""

from __future__ import annotations

import duckdb
import pandas as pd
from census_returns import children_workforce, write_return

from assets.candidate.load import prepare_year, read_year
from assets.candidate.store import write_candidates
from assets.candidate.validate import CENSUS_JOIN_HINT, format_text, validate_folder
from assets.raw.warehouse import promote_year
from assets.staging.models import build_staging
from psw_core.config import AuthorityConfig

CONFIG = AuthorityConfig(name="Test Council", code="TST")
KEY = b"k" * 32
# W3 (AB1000000003) leaves children's on 31 March to move (reason 7) to adults' as L-0003.
ADULTS_HR = ("worker_id,swe_no,service,fte,agency_worker,role_start_date,role_end_date,"
             "start_origin\nL-0003,ab 1000000003,adults,0.8,0,2025-04-01,,9\n")
SUPERVISION = ("worker_id,session_date,duration_minutes\nL-0001,2025-05-01,60\n"
               "L-0004,2025-06-02,45\n")
CROSSWALK = "worker_id,swe_no\nL-0001,AB1000000001\nL-0004,AB1000000004\n"


def _folder(tmp_path, crosswalk: str | None = CROSSWALK):
    workers = children_workforce(2025)
    workers["reason_leave"] = pd.array([pd.NA, pd.NA, 7, pd.NA], dtype="Int64")
    folder = tmp_path / "2025"
    write_return(folder, 2025, workers)
    (folder / "hr_workforce.csv").write_text(ADULTS_HR, encoding="utf-8")
    (folder / "supervision.csv").write_text(SUPERVISION, encoding="utf-8")
    if crosswalk is not None:
        (folder / "worker_crosswalk.csv").write_text(crosswalk, encoding="utf-8")
    return folder


def test_census_workers_take_their_local_ids_from_file_and_hr_column(tmp_path):
    reads = read_year(_folder(tmp_path), 2025, CONFIG)
    census = reads["csww:hr_workforce"]
    # W1 and W4 from worker_crosswalk.csv, W3 from the adults' HR swe_no; W2 is not mapped
    assert census.frame["worker_id"].tolist() == ["L-0001", "AB1000000002", "L-0003", "L-0004"]
    assert "3 of 4 census workers joined" in " ".join(census.notes)
    assert all(r.crosswalk == {} for r in reads.values())  # SWE numbers go no further
    assert "swe_no" not in reads["hr_workforce"].frame


def test_the_joined_folder_validates_and_the_mover_is_one_person(tmp_path):
    folder = _folder(tmp_path)
    report = validate_folder(folder, CONFIG)
    assert not [p for p in report.problems if p.rule.startswith("XEX")], format_text(report)
    assert report.exit_code == 0, format_text(report)

    prepared = prepare_year(folder, 2025, CONFIG, KEY)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    write_candidates(con, 2025, prepared.tables)
    promote_year(con, 2025)
    build_staging(con, CONFIG)
    spells = con.execute("select service, is_move_out, is_move_in from staging.worker_spells "
                         "where is_move_out or is_move_in order by service").fetchall()
    assert spells == [("adults", False, True), ("children", True, False)]
    people = con.execute("select count(distinct worker_id) from raw.hr_workforce").fetchone()
    assert people == (4,)  # five spells, four people
    # No SWE number (in any spelling) anywhere in the warehouse
    for (schema, table) in con.execute("select table_schema, table_name from "
                                       "information_schema.tables").fetchall():
        text = con.execute(f'select * from "{schema}"."{table}"').df().to_csv(index=False)
        flat = text.upper().replace(" ", "")
        assert "1000000003" not in flat and "1000000002" not in flat, (schema, table)
    con.close()


def test_a_failed_join_says_how_to_fix_it(tmp_path):
    folder = _folder(tmp_path, crosswalk=None)
    report = validate_folder(folder, CONFIG)
    missing = [p for p in report.problems if p.rule == "XEX-005"]
    assert [p.row for p in missing] == [2, 3]  # neither L-0001 nor L-0004 is in HR
    assert all(p.action.endswith(CENSUS_JOIN_HINT) for p in missing)
    assert "worker_crosswalk.csv" in format_text(report)


def test_one_swe_number_for_two_local_ids_is_an_error(tmp_path):
    folder = _folder(tmp_path, crosswalk=CROSSWALK + "L-0009,AB1000000001\n")
    report = validate_folder(folder, CONFIG)
    clash = [p for p in report.problems if p.rule == "INGEST-CROSSWALK"]
    assert [(p.file, p.row, p.severity) for p in clash] == [("worker_crosswalk.csv", 4, "error")]
