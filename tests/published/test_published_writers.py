"""Writers: CSV injection, determinism, the accessible ODS, the snapshot, the internal file."""

from __future__ import annotations

import io
import time
import zipfile

import duckdb
import pandas as pd
import pytest
from published_fixtures import YEAR

from assets.published.tables import build_published
from assets.published.writers import (
    INTERNAL_BANNER,
    write_csvs,
    write_headline_measures,
    write_ods,
    write_snapshot,
)


@pytest.fixture
def tables(warehouse, config):
    return build_published(warehouse, YEAR, config)


def test_csv_neutralises_formula_text_but_keeps_numbers():
    table = pd.DataFrame({
        "reporting_year": [YEAR] * 6,
        "service": ["children"] * 6,
        "category": ["=SUM(A1:A9)", "+44 1234", "-x", "@cmd", "\tTab", "plain"],
        "change": [-1.5, 2, 0.0, "[c]", -3, 4.2],
    })  # fmt: skip
    text = __import__("assets.published.writers", fromlist=["x"]).table_csv_text(table)
    lines = text.splitlines()
    assert lines[0] == "reporting_year,service,category,change"
    assert lines[1] == "2025,children,'=SUM(A1:A9),-1.5"
    assert lines[2] == "2025,children,'+44 1234,2"
    assert lines[3] == "2025,children,'-x,0.0"
    assert lines[4] == "2025,children,'@cmd,[c]"
    assert lines[5] == "2025,children,'\tTab,-3"
    assert lines[6] == "2025,children,plain,4.2"
    read = pd.read_csv(io.StringIO(text))
    assert read.loc[0, "category"] == "'=SUM(A1:A9)"


def test_csvs_are_byte_identical_across_runs(tables, tmp_path):
    first = write_csvs(tables, tmp_path / "a")
    second = write_csvs(tables, tmp_path / "b")
    assert [p.name for p in first] == [f"{name}.csv" for name in tables]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert not list((tmp_path / "a").glob(".*tmp"))  # no temporary left behind
    leavers = pd.read_csv(tmp_path / "a" / "leavers_by_reason.csv", dtype=str)
    # The stable names, each code column followed by its label column.
    assert list(leavers.columns) == ["reporting_year", "service", "service_label", "reason",
                                     "reason_label", "count", "percent"]
    resignation = leavers[(leavers["reason"] == "1") & (leavers["service"] == "children")]
    assert resignation["reason_label"].iloc[0] == "Resignation"
    assert resignation["service_label"].iloc[0] == "Children's services"
    yoy = (tmp_path / "a" / "year_on_year.csv").read_text().splitlines()
    assert not any(".0," in line.split(",", 5)[4] + "," for line in yoy[1:])  # whole years


def test_ods_is_deterministic_and_accessible(tables, config, tmp_path):
    first = write_ods(tables, tmp_path / "a" / f"psw-tables-{YEAR}.ods", config, ["A note."])
    time.sleep(1.1)  # odfpy stamps zip entries with the clock; the writer must not
    second = write_ods(tables, tmp_path / "b" / f"psw-tables-{YEAR}.ods", config, ["A note."])
    assert first.read_bytes() == second.read_bytes()

    sheets = pd.read_excel(first, engine="odf", sheet_name=None, header=None)
    assert list(sheets)[:3] == ["Cover", "Contents", "Notes"]
    assert set(tables) <= set(sheets)
    assert "Principal Social Worker" in sheets["Cover"].iloc[0, 0]
    notes = sheets["Notes"]
    symbols = set(notes.iloc[:, 0].dropna())
    assert {"[c]", "[x]", "[z]", "[note 1]"} <= symbols
    contents = pd.read_excel(first, engine="odf", sheet_name="Contents", header=2)
    assert list(contents.columns) == ["Table name", "Table title", "Link"]
    assert contents["Table name"].tolist() == list(tables)

    # One header row under the title and description lines; numbers are numeric cells.
    # Headers in words with units, labels not codes.
    grades = pd.read_excel(first, engine="odf", sheet_name="audit_grades", header=2)
    assert list(grades.columns) == ["Reporting year", "Service", "Audit grade",
                                    "Audits (number)", "Share of audits (%)"]
    good = grades[(grades["Service"] == "Children's services") & (grades["Audit grade"] == "Good")]
    assert good["Audits (number)"].iloc[0] == 60
    assert not isinstance(good["Audits (number)"].iloc[0], str)
    assert (grades["Audits (number)"] == "[c]").any()
    for name in tables:
        sheet = pd.read_excel(first, engine="odf", sheet_name=name, header=2)
        assert not [c for c in sheet.columns if "_" in str(c)], (name, list(sheet.columns))
    cover = " ".join(str(v) for v in sheets["Cover"].iloc[:, 0].dropna())
    assert "Publication date: not yet published (draft)" in cover  # no date set for the year


def test_ods_cover_has_publication_date_contact_and_link(tables, tmp_path):
    from dataclasses import replace

    from psw_core.config import AuthorityConfig

    config = replace(
        AuthorityConfig(name="Northfield City Council", code="NFC", suppression_threshold=5),
        publication={"contact": "PSW office", "email": "psw@example.gov.uk",
                     "report_url": "https://example.gov.uk/psw", "dates": {str(YEAR): "2026-01-14"}},
    )  # fmt: skip
    path = write_ods(tables, tmp_path / "t.ods", config)
    cover = pd.read_excel(path, engine="odf", sheet_name="Cover", header=None).iloc[:, 0]
    text = " | ".join(str(v) for v in cover.dropna())
    assert "Publication date: 14 January 2026" in text
    assert "Contact: PSW office, psw@example.gov.uk" in text
    assert "The report: https://example.gov.uk/psw" in text
    with zipfile.ZipFile(path) as archive:
        assert 'xlink:href="https://example.gov.uk/psw"' in archive.read("content.xml").decode()


def test_spreadsheet_labels_codes_and_whole_years():
    from assets.published.labels import for_spreadsheet, with_label_columns

    ed = pd.DataFrame({"reporting_year": [YEAR] * 3, "service": ["all"] * 3,
                       "characteristic": ["in_post_ethnicity", "in_post_gender", "leavers_gender"],
                       "group": ["ABAN", "9", "1"], "count": [6, 12, "[c]"],
                       "percent": [2.2, 4.5, "[c]"]})  # fmt: skip
    shown = for_spreadsheet("equality_diversity", ed)
    assert shown["Group"].tolist() == ["Bangladeshi", "Not specified", "Male"]
    assert shown["Population and characteristic"].tolist() == [
        "Staff in post: ethnicity", "Staff in post: gender", "Leavers: gender"]
    assert list(shown.columns[-2:]) == ["People", "Share of the population (%)"]
    csv = with_label_columns(ed)
    assert csv["group_label"].tolist() == ["Bangladeshi", "Not specified", "Male"]
    assert list(csv.columns[:4]) == ["reporting_year", "service", "service_label", "characteristic"]
    yoy = pd.DataFrame({"reporting_year": [YEAR, YEAR], "previous_year": [2024.0, float("nan")]})
    assert with_label_columns(yoy)["previous_year"].tolist() == [2024, ""]


def test_published_labels_match_the_reports():
    from assets.published import labels
    from assets.report.support import tables as report

    for name in ("REASON_LEAVE", "LEAVER_DESTINATION", "START_ORIGIN", "ROUTES", "GRADES",
                 "LEARNING", "STANDARDS", "ROLE_GROUPS", "ETHNICITY", "GENDER", "AGE_BAND"):
        assert getattr(labels, name) == getattr(report, name), name


def test_snapshot_holds_only_the_year(warehouse, config, tmp_path):
    build_published(warehouse, YEAR - 1, config)
    tables = build_published(warehouse, YEAR, config)
    path = write_snapshot(warehouse, YEAR, tmp_path / str(YEAR) / "published.duckdb")
    assert sorted(p.name for p in path.parent.iterdir()) == ["published.duckdb"]
    with duckdb.connect(str(path), read_only=True) as snap:
        names = {r[0] for r in snap.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()}
        assert names == set(tables)
        assert snap.execute("select distinct reporting_year from published.audit_grades"
                            ).fetchall() == [(YEAR,)]
        trend_years = snap.execute(
            "select distinct reporting_year from published.turnover_trend order by 1").fetchall()
        assert trend_years == [(YEAR - 1,), (YEAR,)]
        schemas = {r[0] for r in snap.execute(
            "select distinct table_schema from information_schema.tables").fetchall()}
        assert schemas == {"main"}  # no metrics or raw data in the snapshot
    write_snapshot(warehouse, YEAR, path)  # replaces an existing snapshot in place


def test_internal_headline_file_is_unsuppressed_and_marked(warehouse, tmp_path):
    path = write_headline_measures(warehouse, YEAR, tmp_path / "internal" / "headline_measures.csv")
    first_line = path.read_text().splitlines()[0]
    assert first_line == INTERNAL_BANNER and first_line.startswith("# ")
    frame = pd.read_csv(path, comment="#")
    assert list(frame.columns[:6]) == [
        "measure", "service", "value", "numerator", "denominator", "unit",
    ]  # fmt: skip
    timeliness = frame[(frame["measure"] == "assessment_timeliness") & (frame["service"] == "adults")]
    assert timeliness["numerator"].iloc[0] == 3  # unsuppressed
    vacancy = frame[(frame["measure"] == "vacancy_rate_fte") & (frame["service"] == "children")]
    assert vacancy["value"].iloc[0] == 12.345  # unrounded
    assert frame["breakdown"].isna().all() if "breakdown" in frame else True
    again = write_headline_measures(warehouse, YEAR, tmp_path / "again.csv")
    assert again.read_bytes() == path.read_bytes()
