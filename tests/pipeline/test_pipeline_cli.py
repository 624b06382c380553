"""The `psw` command line as CI and analysts use it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import json
import shutil

import pytest
from pipeline_helpers import ROOT, run_psw


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    out = tmp_path_factory.mktemp("faulty")
    done = run_psw(["synth", "--out", str(out), "--years", "2025", "--faults"], out)
    assert done.returncode == 0, done.stderr
    return out


def test_validate_clean_sample_exits_zero(tmp_path):
    done = run_psw(["validate", "data/raw/2025"], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout


def test_validate_names_every_planted_fault_by_file_row_column_and_rule(faulty):
    done = run_psw(["validate", str(faulty / "2025"), "--format", "json"], faulty)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    faults = json.loads((faulty / "faults.json").read_text())
    assert len(faults) >= 10
    for fault in faults:
        hits = [p for p in report["problems"] if (p["rule"], p["row"], p["column"]) ==
                (fault["rule"], fault["row"], fault["column"])
                and p["file"] == fault["file"].split("/")[-1]]
        assert hits, f"planted fault not reported: {fault}"


def test_validate_text_output_shows_row_column_letter_and_value(faulty):
    done = run_psw(["validate", str(faulty / "2025")], faulty)
    assert done.returncode == 1
    fte = next(f for f in json.loads((faulty / "faults.json").read_text()) if f["rule"] == "HR-003")
    assert f"row {fte['row']}, column fte (" in done.stdout
    assert "'1.5'" in done.stdout and "What to do" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


def test_validate_writes_an_error_workbook(faulty, tmp_path):
    import openpyxl

    book = tmp_path / "errors.xlsx"
    done = run_psw(["validate", str(faulty / "2025"), "--xlsx", str(book)], faulty)
    assert done.returncode == 1
    sheets = openpyxl.load_workbook(book, read_only=True).sheetnames
    assert any("Problem" in s for s in sheets)


def test_csww_sample_gives_clear_census_errors_not_a_crash(tmp_path):
    folder = tmp_path / "2022"
    folder.mkdir()
    shutil.copy(ROOT / "tests/fixtures/csww/social_work_workforce_2022.xml", folder / "csww.xml")
    done = run_psw(["validate", str(folder)], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "CSWW-002" in done.stdout and "RoleEndDate" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["validate", "no/such/folder"], 2, "not a folder"),
        (["build", "--formats", "html,rtf"], 2, "--formats"),
        (["build", "--year", "1999"], 2, "1999"),
        (["build", "--config", "no/such.yml"], 2, "not found"),
        (["synth", "--out", "x", "--years", "20x5"], 2, "--years"),
    ],
)
def test_usage_errors_exit_2_with_a_message(tmp_path, args, code, needle):
    done = run_psw(args, tmp_path)
    assert done.returncode == code, done.stdout + done.stderr
    assert needle in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_real_data_without_a_key_is_refused(tmp_path):
    raw = tmp_path / "raw" / "2025"
    shutil.copytree(ROOT / "data/raw/2025", raw)
    (raw / "hr_vacancies.csv").write_text(
        (raw / "hr_vacancies.csv").read_text() + "\n", encoding="utf-8")  # no longer the sample
    done = run_psw(["build", "--raw", str(raw.parent), "--out", str(tmp_path / "b")], tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "PSW_PSEUDONYMISATION_KEY" in done.stdout + done.stderr
    assert not (tmp_path / "warehouse.duckdb").exists()
