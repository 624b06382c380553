"""Readers: encodings, dates, row numbers, columns, XLSX ids, code maps, hostile input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from assets.candidate.load import read_extract
from assets.candidate.readers import find_extracts
from psw_core.config import AuthorityConfig
from psw_core.problems import UnusableInput

SUPERVISION_HEADER = "worker_id,session_date,duration_minutes\r\n"


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _rules(result) -> list[str]:
    return [p.rule for p in result.problems]


# --------------------------------------------------------------------------- encodings


def test_utf8_with_bom_is_read_and_bom_is_not_in_the_header(tmp_path):
    path = _write(tmp_path, "learning.csv", b"\xef\xbb\xbfworker_id,activity,category,hours,"
                  b"completed_date\nW1,Caf\xc3\xa9 session,cpd,2,2025-01-01\n")
    result = read_extract(path, "learning", None)
    assert result.frame["worker_id"].tolist() == ["W1"]
    assert result.frame["activity"].tolist() == ["Café session"]
    assert "PARSE-MISSING-COLUMN" not in _rules(result)


def test_windows_1252_falls_back_after_strict_utf8(tmp_path):
    # 0x92 is a right single quote in Windows-1252 and invalid as UTF-8
    path = _write(tmp_path, "learning.csv", b"worker_id,activity,category,hours,completed_date\n"
                  b"W1,O\x92Neil \x80 course,cpd,2,2025-01-01\n")
    result = read_extract(path, "learning", None)
    assert result.frame["activity"].tolist() == ["O\u2019Neil \u20ac course"]


def test_undecodable_bytes_are_unusable_and_name_the_file(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8
    path = _write(tmp_path, "learning.csv", b"worker_id,activity\nW1,ab\x81cd\n")
    with pytest.raises(UnusableInput) as err:
        read_extract(path, "learning", None)
    assert err.value.problem.file == "learning.csv"
    assert err.value.problem.rule == "PARSE-ENCODING"


@pytest.mark.parametrize("payload", [
    b"PK\x03\x04" + bytes(range(256)) * 4,  # a workbook named .csv
    "worker_id,session_date\nW1,2025-01-01\n".encode("utf-16"),  # UTF-16 export
    b"worker_id,session_date\nW1\x00,2025-01-01\n",  # embedded NUL
    bytes(range(1, 32)) * 200,  # control-character junk that decodes as cp1252
])
def test_binary_junk_is_unusable_not_a_crash(tmp_path, payload):
    path = _write(tmp_path, "supervision.csv", payload)
    with pytest.raises(UnusableInput) as err:
        read_extract(path, "supervision", None)
    assert err.value.problem.rule in ("PARSE-BINARY", "PARSE-ENCODING")


def test_formula_text_is_kept_as_text(tmp_path):
    path = _write(tmp_path, "learning.csv", "worker_id,activity,category,hours,completed_date\n"
                  'W1,"=HYPERLINK(""http://x"",""y"")",cpd,2,2025-01-01\n')
    result = read_extract(path, "learning", None)
    assert result.frame["activity"].tolist() == ['=HYPERLINK("http://x","y")']


# ------------------------------------------------------------------------------- dates


def test_each_accepted_date_form_and_midnight_datetimes(tmp_path):
    path = _write(tmp_path, "supervision.csv", SUPERVISION_HEADER
                  + "W1,2025-03-31,60\r\nW1,31/3/2025,60\r\nW1,01/04/2025,60\r\n"
                  + "W1,31-Mar-2025,60\r\nW1,2025-03-31 00:00:00,60\r\n"
                  + "W1,2025-03-31T00:00:00,60\r\nW1,31/03/2025 00:00,60\r\n")
    result = read_extract(path, "supervision", None)
    assert _rules(result) == []
    dates = result.frame["session_date"]
    assert str(dates.dtype) == "datetime64[ns]"
    assert dates.dt.strftime("%Y-%m-%d").tolist() == [
        "2025-03-31", "2025-03-31", "2025-04-01", "2025-03-31", "2025-03-31", "2025-03-31",
        "2025-03-31"]


@pytest.mark.parametrize("value", ["13/25/2025", "31/02/2025", "2025-03-31 09:30:00",
                                   "03/31/2025", "31.03.2025", "1/4/25", "yesterday",
                                   "45000", "31-March-2025"])
def test_rejected_dates_are_null_with_a_problem_naming_the_cell(tmp_path, value):
    path = _write(tmp_path, "supervision.csv", SUPERVISION_HEADER
                  + f"W1,2025-01-01,60\r\nW2,{value},30\r\n")
    result = read_extract(path, "supervision", None)
    assert result.frame["session_date"].isna().tolist() == [False, True]
    (problem,) = result.problems
    assert (problem.rule, problem.severity, problem.row, problem.column, problem.column_letter,
            problem.value) == ("PARSE-DATE", "error", 3, "session_date", "B", value)


def test_us_order_is_never_used_even_when_day_first_is_impossible(tmp_path):
    # 4/5/2025 is 4 May 2025 (UK); 5/13/2025 would only be valid in US order
    path = _write(tmp_path, "supervision.csv",
                  SUPERVISION_HEADER + "W1,4/5/2025,60\r\nW1,5/13/2025,60\r\n")
    result = read_extract(path, "supervision", None)
    assert result.frame["session_date"].iloc[0] == pd.Timestamp("2025-05-04")
    assert pd.isna(result.frame["session_date"].iloc[1])
    assert _rules(result) == ["PARSE-DATE"]


def test_numbers_that_do_not_parse(tmp_path):
    path = _write(tmp_path, "hr_vacancies.csv", "service,vacancies_fte,agency_cover_fte,"
                  "agency_cover_headcount\nchildren,3.5,1,2\nadults,three,1,2.5\n")
    result = read_extract(path, "hr_vacancies", None)
    assert [(p.rule, p.row, p.column, p.value) for p in result.problems] == [
        ("PARSE-ABSENT-COLUMN", 1, None, None),  # team is optional
        ("PARSE-NUMBER", 3, "vacancies_fte", "three"),
        ("PARSE-NUMBER", 3, "agency_cover_headcount", "2.5"),
    ]
    assert str(result.frame["agency_cover_headcount"].dtype) == "Int64"
    assert result.frame["vacancies_fte"].iloc[0] == 3.5


# ------------------------------------------------------------------------- row numbers


def test_row_numbers_count_blank_lines_and_keep_multiline_fields_as_one_row(tmp_path):
    # Hand count, as Excel shows it:
    # 1 header | 2 R1 | 3 blank | 4 R2 (comment spans two physical lines) | 5 ",,,,,,,,"
    # 6 R3 with a bad date
    text = ("response_id,service,role_group,tenure_band,submitted_date,hours_over_contract,"
            "comments,q1\r\n"
            "R1,children,manager,<2,2025-01-01,2,fine,4\r\n"
            "\r\n"
            'R2,adults,asye,2-5,2025-01-02,3,"line one\r\nline two",5\r\n'
            ",,,,,,,\r\n"
            "R3,adults,asye,5+,2025-02-30,1,ok,3\r\n")
    path = _write(tmp_path, "health_check_responses.csv", text)
    result = read_extract(path, "health_check_responses", None)
    assert result.frame["_row"].tolist() == [2, 4, 6]
    assert result.frame["comments"].iloc[1] == "line one\r\nline two"
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.column_letter) == (6, "submitted_date", "E")


def test_ragged_rows_fall_back_and_keep_row_numbers(tmp_path):
    text = (SUPERVISION_HEADER + "W1,2025-01-01,60\r\n\r\n"
            "W2,2025-01-02,30,surplus\r\nW3,2025-01-03\r\n")
    result = read_extract(_write(tmp_path, "supervision.csv", text), "supervision", None)
    assert result.frame["_row"].tolist() == [2, 4, 5]
    assert [(p.rule, p.row) for p in result.problems] == [("PARSE-ROW-LENGTH", 4)]
    assert pd.isna(result.frame["duration_minutes"].iloc[2])


# ---------------------------------------------------------------------------- columns


def test_column_names_are_normalised_and_unknown_ones_dropped_with_a_note(tmp_path):
    text = (" Worker ID ,SESSION-DATE,Duration Minutes,Room\nW1,2025-01-01,60,3B\n")
    result = read_extract(_write(tmp_path, "supervision.csv", text), "supervision", None)
    assert list(result.frame.columns) == ["worker_id", "session_date", "duration_minutes", "_row"]
    assert result.column_letters == {"worker_id": "A", "session_date": "B",
                                     "duration_minutes": "C"}
    assert any("room" in note for note in result.notes)
    assert result.problems == []


def test_missing_required_column_is_an_error_but_the_rest_is_still_checked(tmp_path):
    text = "worker_id,duration_minutes\nW1,sixty\n"
    result = read_extract(_write(tmp_path, "supervision.csv", text), "supervision", None)
    assert {(p.rule, p.column) for p in result.problems} == {
        ("PARSE-MISSING-COLUMN", "session_date"), ("PARSE-NUMBER", "duration_minutes")}
    assert not result.usable_for_build


def test_duplicate_and_empty_files(tmp_path):
    dup = "worker_id,session_date,Worker ID\nW1,2025-01-01,W2\n"
    result = read_extract(_write(tmp_path, "supervision.csv", dup), "supervision", None)
    problem = next(p for p in result.problems if p.rule == "PARSE-DUPLICATE-COLUMN")
    assert (problem.column, problem.column_letter) == ("worker_id", "C")
    assert result.frame["worker_id"].tolist() == ["W1"]

    empty = read_extract(_write(tmp_path, "supervision.csv", SUPERVISION_HEADER + "\r\n,,\r\n"),
                         "supervision", None)
    assert _rules(empty) == ["PARSE-EMPTY"] and empty.rows == 0
    nothing = read_extract(_write(tmp_path, "supervision.csv", b""), "supervision", None)
    assert "PARSE-EMPTY" in _rules(nothing)


def test_never_loaded_columns_are_dropped_and_names_kept_for_scrubbing(tmp_path):
    text = ("worker_id,service,first_name,surname,email,ni_number,swe_no,fte,agency_worker,"
            "role_start_date,role_end_date,person_birth_date\n"
            "W1,children,Ann,Smith-Jones,a@x.org,AB123456C,SW123,1,0,2020-01-01,,1980-05-05\n")
    result = read_extract(_write(tmp_path, "hr_workforce.csv", text), "hr_workforce", None)
    for column in ("first_name", "surname", "email", "ni_number", "swe_no"):
        assert column not in result.frame
    assert result.staff_names == {"Ann", "Smith-Jones", "Ann Smith-Jones"}
    assert result.frame["person_birth_date"].iloc[0] == pd.Timestamp("1980-05-05")


def test_survey_item_columns_not_in_the_codebook_are_warnings(tmp_path):
    text = ("response_id,service,Q1,q2,q9\nR1,children,4,,5\n")
    path = _write(tmp_path, "health_check_responses.csv", text)
    result = read_extract(path, "health_check_responses", None, item_ids=["Q1", "Q2"])
    assert result.item_ids == ("Q1", "Q2")
    assert result.frame["Q1"].tolist() == [4] and result.frame["Q2"].isna().all()
    assert "q9" not in result.frame
    warn = next(p for p in result.problems if p.rule == "PARSE-UNKNOWN-ITEM")
    assert (warn.severity, warn.column, warn.column_letter) == ("warning", "q9", "E")


# ------------------------------------------------------------------------------- XLSX


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


def test_xlsx_ids_never_gain_dot_zero_and_date_cells_are_dates(tmp_path):
    path = _xlsx(tmp_path / "caseload.xlsx", [
        ["case_id", "worker_id", "service", "case_type", "allocated_date", "deallocated_date"],
        [12345, 678.0, "children", "cin", dt.datetime(2025, 3, 31), None],
        [None, None, None, None, None, None],  # blank row 3 still counts
        ["C9", "007", "Adults", "review", dt.date(2024, 1, 2), "31/01/2025"],
        ["C10", 42, "adults", "review", dt.datetime(2024, 1, 2, 13, 5), None],
    ])
    result = read_extract(path, "caseload", None)
    frame = result.frame
    assert frame["case_id"].tolist()[:2] == ["12345", "C9"]
    assert frame["worker_id"].tolist() == ["678", "007", "42"]
    assert frame["service"].tolist() == ["children", "adults", "adults"]
    assert frame["_row"].tolist() == [2, 4, 5]
    assert frame["allocated_date"].iloc[0] == pd.Timestamp("2025-03-31")
    assert frame["deallocated_date"].iloc[1] == pd.Timestamp("2025-01-31")
    assert [(p.rule, p.row, p.column_letter) for p in result.problems] == [
        ("PARSE-DATE", 5, "E")]  # 13:05 is not midnight


def test_broken_xlsx_is_unusable(tmp_path):
    path = _write(tmp_path, "caseload.xlsx", b"PK\x03\x04 not really a zip")
    with pytest.raises(UnusableInput):
        read_extract(path, "caseload", None)


# -------------------------------------------------------------------------- code maps


def test_code_maps_turn_local_codes_into_contract_codes(tmp_path):
    config = AuthorityConfig(name="T", code="T", code_maps={
        "hr_workforce": {"reason_leave": {"RES": 1, "RET": 5}, "service": {"CSC": "children"}}})
    text = ("worker_id,service,fte,agency_worker,role_start_date,role_end_date,reason_leave\n"
            "W1,CSC,1,0,2020-01-01,2025-03-31,RES\nW2,adults,1,0,2020-01-01,2025-03-31,RET\n"
            "W3,adults,1,0,2020-01-01,2025-03-31,XXX\n")
    result = read_extract(_write(tmp_path, "hr_workforce.csv", text), "hr_workforce", config)
    assert result.frame["reason_leave"].tolist()[:2] == [1, 5]
    assert result.frame["service"].iloc[0] == "children"
    bad = next(p for p in result.problems if p.rule == "PARSE-NUMBER")
    assert (bad.row, bad.value) == (4, "XXX")


# ------------------------------------------------------------------------ find_extracts


def test_find_extracts(tmp_path):
    _write(tmp_path, "HR_Workforce.CSV", "x\n")
    _write(tmp_path, "csww.xml", "<Message/>")
    _write(tmp_path, "notes.txt", "ignored")
    assert set(find_extracts(tmp_path)) == {"hr_workforce", "csww"}
    _write(tmp_path, "hr_workforce.xlsx", "x")
    with pytest.raises(UnusableInput) as err:
        find_extracts(tmp_path)
    assert err.value.problem.rule == "INGEST-DUPLICATE-EXTRACT"


def test_old_excel_format_is_refused_by_name(tmp_path):
    _write(tmp_path, "caseload.xls", b"\xd0\xcf\x11\xe0")
    with pytest.raises(UnusableInput) as err:
        find_extracts(tmp_path)
    assert err.value.problem.rule == "INGEST-FORMAT"


@pytest.mark.parametrize("text", [
    "a,b\r\n1,2\r\n\r\n3,4\r\n",  # CRLF and a blank record
    "a,b\r1,2\r3,4",  # old Mac line ends, no final newline
    'a,b\n"x\r\ny",2\n"q""uote",\n',  # a quoted multi-line field and a doubled quote
    "a,b\nÉlodie ☕,😀\n ,\t\n",  # non-ASCII text and blank-looking cells
])
def test_csv_grid_reads_utf8_bytes_as_it_read_the_text(text):
    """csv_grid parses the text's UTF-8 bytes: the grid is the one a StringIO of it gave."""
    import io

    from assets.candidate.readers import csv_grid

    header, body, problems = csv_grid(text, "x.csv")
    grid = pd.read_csv(io.StringIO(text, newline=""), header=None, dtype=object,
                       na_filter=False, skip_blank_lines=False, engine="c")
    assert header == [str(h) for h in grid.iloc[0]] and problems == []
    expected = grid.iloc[1:].reset_index(drop=True)
    expected.columns = range(expected.shape[1])
    pd.testing.assert_frame_equal(body, expected)
