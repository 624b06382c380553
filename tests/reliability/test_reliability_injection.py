"""CSV injection: every CSV, ODS or XLSX the pipeline writes neutralises text cells that begin
with =, +, -, @, tab or CR, and keeps numbers numeric. Covered writers: the published CSVs and
ODS, the internal headline CSV and the `psw validate` error workbook."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
import zipfile

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_helpers import ROOT

from assets.candidate.validate import ValidationReport, write_error_workbook
from assets.metrics.measures import COLUMNS, CREATE_MEASURES
from assets.published.writers import (
    FORMULA_PREFIXES,
    ods_bytes,
    table_csv_text,
    write_headline_measures,
)
from psw_core.config import load_config
from psw_core.problems import Problem

CONFIG = load_config(ROOT / "data" / "authority.yml")
FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])
PREFIXES = list(FORMULA_PREFIXES)
hostile = st.builds(lambda p, rest: p + rest, st.sampled_from(PREFIXES), st.text(max_size=20))
any_text = st.one_of(hostile, st.text(max_size=20),
                     st.sampled_from(['=HYPERLINK("http://127.0.0.1/x","y")', "=1+1", "@SUM(A1)",
                                      "+44 1234", "-2", "\t=cmd", "\r=cmd", "[c]", "[x]"]))
number = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False))
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def dangerous(text: str) -> bool:
    return isinstance(text, str) and text.startswith(FORMULA_PREFIXES)


def _table(labels: list[str], values: list[object]) -> pd.DataFrame:
    n = min(len(labels), len(values))
    return pd.DataFrame({"reporting_year": [2025] * n, "service": ["children"] * n,
                         "category": labels[:n], "value": values[:n]})


@FAST
@given(labels=st.lists(any_text, min_size=1, max_size=8),
       values=st.lists(st.one_of(number, any_text), min_size=1, max_size=8),
       column=any_text)
def test_published_csv_neutralises_text_and_keeps_numbers(labels, values, column):
    table = _table(labels, values).rename(columns={"category": column or "c"})
    rows = list(csv.reader(io.StringIO(table_csv_text(table), newline="")))
    assert len(rows) == len(table) + 1 and all(len(r) == 4 for r in rows), "rows were split"
    for original, written in zip(table["value"], (r[3] for r in rows[1:]), strict=True):
        if isinstance(original, int | float):
            assert float(written) == float(original), "a number was changed"
        else:
            assert not dangerous(written), written
    assert not any(dangerous(cell) for row in rows for cell in row[:3]), rows


@FAST
@given(labels=st.lists(any_text, min_size=1, max_size=6),
       values=st.lists(st.one_of(number, any_text), min_size=1, max_size=6),
       name=st.sampled_from(["headline_measures", "learning_hours_by_category"]))
def test_published_ods_neutralises_text_and_keeps_numbers(labels, values, name):
    table = _table(labels, values)
    data = ods_bytes({name: table}, CONFIG, {"=note": "=HYPERLINK(\"x\")"}, 2025)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        root = ET.fromstring(zf.read("content.xml"))
    numbers = 0
    for cell in root.iter(f"{{{TABLE}}}table-cell"):
        kind = cell.get(f"{{{OFFICE}}}value-type")
        text = "".join(cell.itertext())
        assert f"{{{TABLE}}}formula" not in cell.attrib, "a cell carries a formula"
        if kind == "string":
            assert not dangerous(text), text
        elif kind == "float":
            numbers += 1
            float(cell.get(f"{{{OFFICE}}}value"))
    expected = sum(isinstance(v, int | float) for v in table["value"])
    assert numbers >= expected, "numbers must stay numeric cells"


@FAST
@given(texts=st.lists(st.tuples(any_text, any_text, any_text), min_size=1, max_size=5),
       value=number)
def test_internal_headline_csv_neutralises_text(texts, value):
    con = duckdb.connect()
    con.execute("CREATE SCHEMA metrics")
    con.execute(CREATE_MEASURES)
    rows = []
    for measure, unit, source in texts:
        row = dict.fromkeys(COLUMNS)
        row.update(authority_code="X", reporting_year=2025, measure=measure, service="all",
                   value=float(value), numerator=1.0, denominator=2.0, unit=unit, source=source)
        rows.append(row)
    con.register("_rows", pd.DataFrame(rows, columns=COLUMNS))
    con.execute(f"INSERT INTO metrics.measures SELECT {', '.join(COLUMNS)} FROM _rows")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = write_headline_measures(con, 2025, Path(tmp) / "headline_measures.csv")
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    con.close()
    body = list(csv.reader(io.StringIO("".join(lines[1:]), newline="")))
    text_columns = [body[0].index(c) for c in ("measure", "service", "unit", "source")]
    assert not any(dangerous(row[i]) for row in body[1:] for i in text_columns), body
    assert float(body[1][2]) == float(value)


@FAST
@given(texts=st.lists(any_text, min_size=4, max_size=4), row_value=any_text, number_=number)
def test_validate_error_workbook_never_holds_a_formula(tmp_path_factory, texts, row_value,
                                                       number_):
    from openpyxl import load_workbook

    file, why, action, column = texts
    report = ValidationReport(folder="=cmd|' /C calc'!A0", year=2025)
    report.problems = [Problem(file=file or "f", rule="=RULE", severity="error", why=why,
                               action=action, row=2, column=column, column_letter="A",
                               value=row_value)]
    report.files = {"x": file or "f"}
    report.frames = {"x": pd.DataFrame({"_row": [2], "team": [row_value], "activity": [why],
                                        "hours": [number_]})}
    path = tmp_path_factory.mktemp("wb") / "errors.xlsx"
    write_error_workbook(report, path)
    book = load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                assert not dangerous(cell.value), f"{sheet.title}!{cell.coordinate}"
    rows_sheet = next(s for s in book.worksheets if s.title.startswith("Rows"))
    header = [c.value for c in rows_sheet[1]]
    hours = rows_sheet.cell(row=2, column=header.index("hours") + 1).value
    assert isinstance(hours, int | float)
    assert abs(float(hours) - float(number_)) <= 1e-12 * max(1.0, abs(float(number_)))
