"""Suite loading, spreadsheet-row mapping, capping, and the cross-extract SQL rules."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from _checks_fixtures import BASE, PERIOD_START, REFERENCE, letters_for, typed_frame

from assets.candidate import cross_extract
from assets.candidate.gx_runner import (
    EXTRACTS,
    SuiteLoadError,
    build_suite,
    check_frame,
    load_suite,
    load_suite_json,
)

ROOT = Path(__file__).resolve().parents[2]


def _prefixes() -> dict[str, str]:
    found = {e: {x["meta"]["rule"].split("-")[0] for x in load_suite_json(e)["expectations"]}
             for e in EXTRACTS}
    assert all(len(p) == 1 for p in found.values()), found
    prefixes = {e: p.pop() for e, p in found.items()}
    assert len(set(prefixes.values())) == len(prefixes), prefixes
    return prefixes


PREFIX = _prefixes()


@pytest.mark.parametrize("extract", EXTRACTS)
def test_suite_loads_every_expectation_with_meta(extract):
    raw = load_suite_json(extract)
    suite = load_suite(extract)
    assert len(suite.expectations) == len(raw["expectations"]) > 3
    for exp in raw["expectations"]:
        meta = exp["meta"]
        assert meta["severity"] in ("error", "warning")
        # one rule prefix per suite, used by no other suite (HR, VAC, ..., HCA)
        assert meta["rule"].split("-")[0] == PREFIX[extract]
        assert meta["why"].endswith(".") and meta["action"]


def test_unknown_expectation_type_is_refused_not_dropped():
    raw = load_suite_json("learning")
    raw["expectations"].append({"type": "expect_column_values_to_be_lovely",
                                "kwargs": {"column": "hours"}, "meta": {"rule": "LRN-999"}})
    with pytest.raises(SuiteLoadError, match="12 expectations but GX loaded 11"):
        build_suite(raw)


def test_failure_maps_to_the_spreadsheet_row_and_letter():
    # Rows 2, 3 and 5 as Excel shows them (row 4 was a blank line the reader skipped).
    rows = [BASE["learning"], {**BASE["learning"], "hours": 250.0}, BASE["learning"]]
    frame = typed_frame("learning", rows)
    frame["_row"] = [2, 3, 5]
    frame = frame.iloc[[0, 2, 1]].reset_index(drop=True)  # order must not matter
    letters = {**letters_for(frame), "hours": "F"}
    problems = check_frame("learning", frame, file_name="learning.xlsx", column_letters=letters,
                           period_start=PERIOD_START, reference_date=REFERENCE).problems
    (hours,) = [p for p in problems if p.rule == "LRN-003"]
    assert (hours.file, hours.row, hours.column, hours.column_letter, hours.value) == (
        "learning.xlsx", 3, "hours", "F", "250")


def test_problems_are_capped_per_rule_but_all_counted():
    rows = [{**BASE["learning"], "category": "training"}] * 30
    outcome = check_frame("learning", typed_frame("learning", rows), cap=10,
                          period_start=PERIOD_START, reference_date=REFERENCE)
    listed = [p for p in outcome.problems if p.rule == "LRN-002"]
    assert len(listed) == 10 and outcome.unexpected_counts["LRN-002"] == 30
    assert [p.row for p in listed] == list(range(2, 12))


def test_conditional_rule_still_fires_when_the_column_is_absent():
    # A leaver in P, and a file with no reason_leave column at all: HR-007 names the row.
    leaver = {**BASE["hr_workforce"], "worker_id": "W2", "role_end_date": "2025-03-31",
              "leaver_destination": 1}
    frame = typed_frame("hr_workforce", [BASE["hr_workforce"], leaver])
    problems = check_frame("hr_workforce", frame,
                           column_letters=letters_for(frame, drop=("reason_leave",)),
                           period_start=PERIOD_START, reference_date=REFERENCE).problems
    assert [(p.rule, p.row, p.column_letter) for p in problems] == [("HR-007", 3, None)]


def _frames(**changes) -> dict[str, pd.DataFrame]:
    base = {name: [BASE[name]] for name in BASE}
    base.update(changes)
    return {name: typed_frame(name, rows) for name, rows in base.items()}


def test_xex_001_caseload_worker_not_in_hr():
    # W1 is in hr_workforce (passes, row 2); W9 is not (fails, row 3).
    frames = _frames(caseload=[BASE["caseload"], {**BASE["caseload"], "worker_id": "W9"}])
    problems = cross_extract.check_frames(frames, {"caseload": "caseload.csv"},
                                          {"caseload": {"worker_id": "B"}})
    assert [(p.rule, p.file, p.row, p.column_letter, p.value) for p in problems] == [
        ("XEX-001", "caseload.csv", 3, "B", "W9")]


@pytest.mark.parametrize(("extract", "rule"), [("assessments", "XEX-002"),
                                               ("audits", "XEX-003"), ("learning", "XEX-004"),
                                               ("supervision", "XEX-005")])
def test_other_worker_ids_must_be_in_hr(extract, rule):
    frames = _frames(**{extract: [BASE[extract], {**BASE[extract], "worker_id": "W9"}]})
    problems = cross_extract.check_frames(frames)
    assert [(p.rule, p.row) for p in problems] == [(rule, 3)]
    assert cross_extract.check_frames(_frames()) == []  # every base row's worker is in HR


def test_responses_do_not_exceed_invited():
    two = [BASE["health_check_responses"], {**BASE["health_check_responses"], "response_id": "R2"}]
    # 2 responses, 2 invited: passes. 2 responses, 1 invited: XEX-006 on the invited row.
    ok = _frames(health_check_responses=two,
                 health_check_invited=[{"service": "children", "invited": 2}])
    assert cross_extract.check_frames(ok) == []
    over = _frames(health_check_responses=two,
                   health_check_invited=[{"service": "children", "invited": 1}])
    (problem,) = cross_extract.check_frames(over)
    assert (problem.rule, problem.row, problem.column, problem.severity) == (
        "XEX-006", 2, "invited", "error")
    # Adults' responses with no invited row: a warning, not an error.
    adults = _frames(health_check_responses=[{**BASE["health_check_responses"],
                                              "service": "adults"}])
    assert [(p.rule, p.severity) for p in cross_extract.check_frames(adults)] == [
        ("XEX-007", "warning")]


def test_cross_extract_sql_runs_on_candidate_tables():
    con = duckdb.connect()
    con.execute("create schema candidate")
    con.register("hr", pd.DataFrame({"worker_id": ["a" * 64], "source_row": [2]}))
    con.register("sup", pd.DataFrame({"worker_id": ["a" * 64, "b" * 64], "source_row": [2, 7]}))
    con.execute("create table candidate.hr_workforce as select * from hr")
    con.execute("create table candidate.supervision as select * from sup")
    problems = cross_extract.check_warehouse(con, "candidate")
    assert [(p.rule, p.row, p.value) for p in problems] == [("XEX-005", 7, "b" * 64)]
    assert json.dumps([p.to_dict() for p in problems])


def test_cross_extract_rules_for_one_year_of_candidates_run_in_duckdb():
    # The candidate_year asset checks one year's rows where they are, beside other years'
    # candidates: the same problems as check_frames on that year's frames, nothing from 2024.
    con = duckdb.connect()
    con.execute("create schema candidate")
    hr = pd.DataFrame({"reporting_year": [2024, 2025], "worker_id": ["a" * 64, "c" * 64],
                       "source_row": [2, 2]})
    sup = pd.DataFrame({"reporting_year": [2024, 2025, 2025, 2025],
                        "worker_id": ["z" * 64, "c" * 64, "b" * 64, "a" * 64],
                        "source_row": [9, 2, 7, 8]})
    responses = pd.DataFrame({"reporting_year": [2025, 2025], "service": ["children"] * 2,
                              "source_row": [2, 3]})
    invited = pd.DataFrame({"reporting_year": [2024, 2025], "service": ["children"] * 2,
                            "invited": [5, 1], "source_row": [2, 2]})
    for name, frame in (("hr_workforce", hr), ("supervision", sup),
                        ("health_check_responses", responses), ("health_check_invited", invited)):
        con.register("frame", frame)
        con.execute(f"create table candidate.{name} as select * from frame")
        con.unregister("frame")
    con.execute("create table candidate.caseload as select * from candidate.supervision limit 0")
    problems = cross_extract.check_candidate_year(con, 2025)
    assert [(p.rule, p.row, p.value) for p in problems] == [
        ("XEX-005", 7, "b" * 64), ("XEX-005", 8, "a" * 64),
        ("XEX-006", 2, "children: 1 invited, 2 responses")]
    frames = {name: con.execute(f"select * exclude (reporting_year) from candidate.{name} "
                                "where reporting_year = 2025").df().rename(
                                    columns={"source_row": "_row"})
              for name in ("hr_workforce", "supervision", "health_check_responses",
                           "health_check_invited")}
    assert [p.to_dict() for p in problems] == [
        p.to_dict() for p in cross_extract.check_frames(frames)]
    # No temporary view is left behind, and 2024 has only its own orphan.
    assert con.execute("select count(*) from information_schema.tables "
                       "where table_catalog = 'temp'").fetchone()[0] == 0
    assert [(p.rule, p.row) for p in cross_extract.check_candidate_year(con, 2024)] == [
        ("XEX-005", 9)]


def test_the_gx_worker_finds_what_check_frame_finds_in_process(monkeypatch):
    from assets.candidate import gx_runner, gx_worker

    monkeypatch.setattr(gx_worker, "_POOL", [])  # this test's own worker, whatever ran before
    monkeypatch.setattr(gx_worker, "_THREAD", [])

    rows = [BASE["learning"], {**BASE["learning"], "hours": 250.0},
            {**BASE["learning"], "category": "training", "completed_date": "2031-01-01"}]
    frame = typed_frame("learning", rows)
    frame["_row"] = [2, 3, 5]
    kwargs = dict(file_name="learning.csv", column_letters=letters_for(frame),
                  period_start=PERIOD_START, reference_date=REFERENCE)
    here = check_frame("learning", frame, **kwargs)
    small = ROOT / "data" / "raw" / "2025"
    gx_runner.warm_up(small)
    gx_runner.warm_up(small)  # one worker per process
    assert gx_worker.in_worker() and len(gx_worker._POOL) == 1 and not gx_worker._THREAD
    there = gx_worker.submit("learning", frame, **kwargs).result()
    assert (there.problems, there.unexpected_counts, there.evaluated) == (
        here.problems, here.unexpected_counts, here.evaluated)
    assert [(p.rule, p.row) for p in there.problems if p.rule == "LRN-003"] == [("LRN-003", 3)]
    with pytest.raises(ValueError, match="no _row column"):  # its errors are raised here
        gx_worker.submit("learning", frame.drop(columns="_row"), **kwargs).result()
    gx_worker._POOL[0].shutdown()


def test_large_extracts_are_checked_in_process_after_a_warm_up_thread(tmp_path, monkeypatch):
    from assets.candidate import gx_worker

    monkeypatch.setattr(gx_worker, "_POOL", [])
    monkeypatch.setattr(gx_worker, "_THREAD", [])
    monkeypatch.setattr(gx_worker, "WORKER_MAX_BYTES", 10)
    (tmp_path / "learning.csv").write_text("worker_id,hours\nW1,1\n", encoding="utf-8")
    gx_worker.start(tmp_path)
    assert not gx_worker.in_worker() and len(gx_worker._THREAD) == 1
    frame = typed_frame("learning", [{**BASE["learning"], "hours": 250.0}])
    outcome = gx_worker.submit("learning", frame, period_start=PERIOD_START,
                               reference_date=REFERENCE).result()
    assert not gx_worker._THREAD[0].is_alive()
    assert [(p.rule, p.row) for p in outcome.problems if p.rule == "LRN-003"] == [("LRN-003", 2)]
