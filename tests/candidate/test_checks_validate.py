"""`validate_folder` end to end through the real readers, and its four outputs."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest
from _checks_fixtures import BASE

from assets.candidate.validate import (
    format_json,
    format_text,
    validate_folder,
    write_data_docs,
    write_error_workbook,
)
from psw_core.config import AuthorityConfig

CONFIG = AuthorityConfig(name="Test Council", code="TST")
SECRET_WORKER = "STAFF-SECRET-77"  # an identifier that must never reach a file on disk


def _write(folder, extract, rows):
    pd.DataFrame(rows).to_csv(folder / f"{extract}.csv", index=False)


@pytest.fixture(scope="module")
def faulty_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("raw") / "2025"
    folder.mkdir()
    for extract, row in BASE.items():
        if extract != "audits":  # audits left out: listed as missing
            _write(folder, extract, [row])
    hr = BASE["hr_workforce"]
    _write(folder, "hr_workforce", [
        hr,
        {**hr, "worker_id": "W2", "fte": 1.5},  # row 3: HR-003
        {**hr, "worker_id": SECRET_WORKER, "role_end_date": "2025-06-30",
         "leaver_destination": 1},  # row 4: HR-007, a leaver in P with no reason
    ])
    _write(folder, "caseload", [BASE["caseload"],
                                {**BASE["caseload"], "case_id": "C2", "worker_id": "W404"}])
    return validate_folder(folder, CONFIG)


def test_folder_report_finds_each_planted_fault(faulty_report):
    report = faulty_report
    assert report.year == 2025 and report.period == ("2024-10-01", "2025-09-30")
    assert report.missing == ["audits"]
    found = {(p.file, p.rule, p.row, p.column) for p in report.errors}
    assert found == {("hr_workforce.csv", "HR-003", 3, "fte"),
                     ("hr_workforce.csv", "HR-007", 4, "reason_leave"),
                     ("caseload.csv", "XEX-001", 3, "worker_id")}
    assert report.exit_code == 1


def test_clean_folder_exits_zero(tmp_path):
    folder = tmp_path / "2025"
    folder.mkdir()
    for extract, row in BASE.items():
        _write(folder, extract, [row])
    report = validate_folder(folder, CONFIG)
    assert [p.describe() for p in report.problems] == [] and report.exit_code == 0


def test_unreadable_folder_exits_two(tmp_path):
    report = validate_folder(tmp_path / "nowhere", CONFIG, year=2025)
    assert report.exit_code == 2 and report.unusable


def test_text_names_file_row_column_letter_value_rule_why_action(faulty_report):
    text = format_text(faulty_report)
    assert "== hr_workforce.csv" in text
    assert "ERROR HR-003: Contracted FTE must be more than 0" in text
    assert "What to do: Enter the contracted FTE" in text
    assert "row 3, column fte (F): value '1.5'" in text
    assert "Extracts not in the folder" in text and "audits" in text
    assert text.rstrip().endswith("Validation FAILED: fix the errors and run it again.")


def test_json_parses_and_is_redacted(faulty_report):
    data = json.loads(format_json(faulty_report))
    assert data["exit_code"] == 1 and data["summary"]["errors"] == 3
    assert {p["rule"] for p in data["problems"]} >= {"HR-003", "HR-007", "XEX-001"}
    assert SECRET_WORKER not in format_json(faulty_report)
    assert "W404" in format_json(faulty_report, redact=False)


def test_error_workbook_opens_and_holds_no_raw_values(faulty_report, tmp_path):
    path = write_error_workbook(faulty_report, tmp_path / "errors.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["Summary", "Problems"]
    problems = list(wb["Problems"].iter_rows(values_only=True))
    assert problems[0][:2] == ("file", "row")
    assert ("hr_workforce.csv", 3, "fte", "F", "<redacted>", "HR-003") in [
        r[:6] for r in problems]
    rows_sheet = wb["Rows hr_workforce.csv"]
    header, *records = rows_sheet.iter_rows(values_only=True)
    assert [r[0] for r in records] == [3, 4]  # the problem rows, by spreadsheet row
    assert {r[header.index("worker_id")] for r in records} == {"<redacted>"}
    every_cell = [c for ws in wb for r in ws.iter_rows(values_only=True) for c in r]
    assert not {SECRET_WORKER, "W404", "1980-01-01"} & {str(c) for c in every_cell}
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


def test_data_docs_hold_no_raw_values(faulty_report, tmp_path):
    index = write_data_docs(faulty_report, tmp_path / "docs")
    page = index.read_text(encoding="utf-8")
    assert "HR-003" in page and "&lt;redacted&gt;" in page
    for persisted in tmp_path.joinpath("docs").iterdir():
        text = persisted.read_text(encoding="utf-8")
        assert SECRET_WORKER not in text and "W404" not in text and "1.5" not in text


def test_the_error_workbook_survives_a_header_with_control_characters(tmp_path):
    # A survey header cell holding a backspace once crashed the rows sheet (found by hypothesis).
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "health_check_responses.csv").write_bytes(
        b"response_id,service,Q\x08one\nR1,both,4\n")
    report = validate_folder(folder, CONFIG)
    assert report.exit_code == 1
    book = write_error_workbook(report, tmp_path / "errors.xlsx")
    assert book.exists()
