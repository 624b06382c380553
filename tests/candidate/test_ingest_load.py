"""prepare_year: pseudonymised, identifier-free, stamped candidate frames."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from assets.candidate.contract import TABLES, table_schema
from assets.candidate.load import age_band, prepare_year, read_extract
from assets.candidate.pseudonymise import pseudonym
from psw_core.config import AuthorityConfig

KEY = b"0123456789abcdef-test"
CONFIG = AuthorityConfig(name="Test", code="TST")


def _folder(tmp_path: Path) -> Path:
    year = tmp_path / "2025"
    year.mkdir()
    (year / "hr_workforce.csv").write_text(
        "worker_id,service,first_name,surname,email,fte,agency_worker,role_start_date,"
        "role_end_date,person_birth_date\n"
        "W1,children,Ann,Okafor,ann@x.org,1,0,2020-01-01,,30/09/1995\n"
        "W2,adults,Bob,Lee,,0.5,0,2020-01-01,,01/10/1965\n", encoding="utf-8")
    (year / "caseload.csv").write_text(
        "case_id,worker_id,service,case_type,allocated_date,deallocated_date\n"
        "C1,W1,children,cin,2025-01-01,\n", encoding="utf-8")
    (year / "health_check_items.csv").write_text(
        "item_id,standard,theme,text,reverse_scored\nQ1,1,workload,My workload is ok,0\n"
        "Q2,0,stress,I am stressed,1\n", encoding="utf-8")
    (year / "health_check_responses.csv").write_text(
        "response_id,service,comments,Q1,Q2\n"
        "R1,children,Ann Okafor was great - call 07700 900123,4,\n"
        "R2,adults,,2,5\n", encoding="utf-8")
    return year


def test_prepare_year_tables(tmp_path):
    year_dir = _folder(tmp_path)
    prepared = prepare_year(year_dir, 2025, CONFIG, KEY)
    assert set(prepared.tables) == set(TABLES)
    for table, frame in prepared.tables.items():
        assert list(frame.columns) == [c for c, _ in table_schema(table)]

    hr = prepared.tables["hr_workforce"]
    assert hr["worker_id"].tolist() == [pseudonym(KEY, "worker", "W1"),
                                        pseudonym(KEY, "worker", "W2")]
    # 30/09/1995 turns 30 on the reference date 30/09/2025; 01/10/1965 is still 59
    assert hr["age_band"].tolist() == ["30-39", "50-59"]
    for gone in ("person_birth_date", "first_name", "surname", "email"):
        assert gone not in hr
    sha = hashlib.sha256((year_dir / "hr_workforce.csv").read_bytes()).hexdigest()
    assert hr["source_sha256"].unique().tolist() == [sha]
    assert hr["source_row"].tolist() == [2, 3]
    assert hr["reporting_year"].unique().tolist() == [2025]

    # the same worker has the same pseudonym in another extract
    assert prepared.tables["caseload"]["worker_id"].iloc[0] == hr["worker_id"].iloc[0]
    assert prepared.tables["caseload"]["case_id"].iloc[0] == pseudonym(KEY, "case", "C1")

    responses = prepared.tables["health_check_responses"]
    assert "Q1" not in responses
    assert responses["comments"].iloc[0] == "[name] was great - call [phone]"
    answers = prepared.tables["health_check_answers"]
    assert sorted(zip(answers["source_row"], answers["item_id"], answers["answer"],
                      strict=True)) == [(2, "Q1", 4), (3, "Q1", 2), (3, "Q2", 5)]
    assert str(answers["answer"].dtype) == "Int64"

    assert prepared.files["hr_workforce.csv"]["rows"] == 2
    assert [f["sha256"] for f in prepared.files_for("hr_workforce")] == [sha]
    assert "supervision" in prepared.missing
    assert prepared.tables["supervision"].empty
    # nothing prepared holds a raw id or a staff name
    assert all(not r.staff_names for r in prepared.read_results.values())
    assert "W1" not in set(prepared.read_results["hr_workforce"].frame["worker_id"])


def test_age_band_edges():
    births = pd.Series(pd.to_datetime(["1995-09-30", "1995-10-01", "1965-09-30", None,
                                       "2020-01-01"]))
    bands = age_band(births, pd.Timestamp("2025-09-30"))
    assert bands.tolist()[:3] == ["30-39", "<30", "60+"]
    assert bands.isna().tolist()[3:] == [True, True]  # blank, and a 5-year-old


def test_a_large_caseload_reads_whole(tmp_path):
    """300,000 rows read and typed in one go (benchmarks/ time it; tests do not)."""
    n = 300_000
    rng = np.random.default_rng(1)
    day = rng.integers(1, 29, n).astype(str)
    month = rng.integers(1, 13, n).astype(str)
    frame = pd.DataFrame({
        "case_id": "C" + pd.Series(np.arange(n)).astype(str),
        "worker_id": "W" + pd.Series(rng.integers(0, 3000, n)).astype(str),
        "service": "children", "case_type": "cin",
        "allocated_date": pd.Series(day) + "/" + month + "/2024", "deallocated_date": ""})
    path = tmp_path / "caseload.csv"
    frame.to_csv(path, index=False)
    result = read_extract(path, "caseload", CONFIG)
    assert result.rows == n and result.problems == []
    assert result.frame["allocated_date"].notna().all()


def test_tables_made_after_the_checks_equal_those_made_at_once(tmp_path):
    # The candidate asset makes the typed tables after the suites (so its peak memory does not
    # hold both): the tables, problems, notes and files must be exactly those of one call.
    from assets.candidate.load import candidate_tables

    folder = _folder(tmp_path)
    eager = prepare_year(folder, 2025, CONFIG, KEY)
    lazy = prepare_year(folder, 2025, CONFIG, KEY, tables=False)
    assert lazy.tables == {} and lazy.read_results
    assert (lazy.problems, lazy.notes, lazy.files) == (eager.problems, eager.notes, eager.files)
    later = candidate_tables(lazy, CONFIG)
    assert set(later) == set(eager.tables) == set(TABLES)
    for name in TABLES:
        pd.testing.assert_frame_equal(later[name], eager.tables[name], check_exact=True, obj=name)
    assert len(later["health_check_answers"]) == 3  # R1 Q1, R2 Q1, R2 Q2: melted from responses
