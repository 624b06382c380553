"""Writers: CSV injection, determinism, the accessible ODS, the snapshot, the internal file."""

from __future__ import annotations

import io
import time

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
    leavers = pd.read_csv(tmp_path / "a" / "leavers_by_reason.csv")
    assert list(leavers.columns) == ["reporting_year", "service", "reason", "count", "percent"]


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
    grades = pd.read_excel(first, engine="odf", sheet_name="audit_grades", header=2)
    assert list(grades.columns) == list(tables["audit_grades"].columns)
    good = grades[(grades["service"] == "children") & (grades["grade"] == "good")]
    assert good["count"].iloc[0] == 60 and not isinstance(good["count"].iloc[0], str)
    assert (grades["count"] == "[c]").any()


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
