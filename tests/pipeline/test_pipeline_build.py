"""End to end: the real CLI runs the real Dagster assets on a real DuckDB file."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from pipeline_helpers import PSW, ROOT, psw_env, run_psw

DESIGN_MEASURES = {
    "fte_in_post", "headcount_in_post", "starters_fte", "leavers_fte", "turnover_rate_fte",
    "turnover_rate_headcount", "vacancy_rate_fte", "agency_rate_fte", "agency_rate_headcount",
    "absence_days_per_fte", "absence_rate", "stress_absence_share", "stress_absence_headcount",
    "stability_rate",
    "caseload_fte", "children_looked_after", "supervision_compliance",
    "asye_caseload_within_cap", "assessment_timeliness", "audits_good_or_better",
    "learning_hours_per_fte", "health_check_response_rate", "health_check_score_wellbeing",
    "hours_over_contract_mean",
    *{f"health_check_score_standard_{n}" for n in range(1, 9)},
}
AGREE = re.compile(r"^health_check_favourable_[a-z_]+$")
RAW_ID = re.compile(r"NFC-[WCRAU]-\d{6}")


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_output_of_design_section_5_is_written(sample_build):
    build = sample_build / "build"
    for year in (2023, 2024, 2025):
        out = build / str(year)
        assert (out / "published.duckdb").is_file()
        assert (out / "tables" / f"psw-tables-{year}.ods").is_file()
        assert (out / "tables" / "headline_measures.csv").is_file()
        assert (out / "internal" / "headline_measures.csv").is_file()
        provenance = json.loads((out / "provenance.json").read_text())
        assert {i["file"] for i in provenance["inputs"]} >= {"hr_workforce.csv", "caseload.csv"}
        assert all(len(i["sha256"]) == 64 and i["rows"] > 0 for i in provenance["inputs"])
    for fmt in ("html", "docx", "pdf"):
        assert (build / "2025" / f"psw-annual-report.{fmt}").stat().st_size > 10_000
    assert not list(build.rglob("*.tmp")), "a temporary file was left behind"


def test_internal_headline_file_has_the_design_columns_and_names(sample_build):
    path = sample_build / "build" / "2025" / "internal" / "headline_measures.csv"
    lines = path.read_text().splitlines()
    assert lines[0].startswith("#") and "not for publication" in lines[0].lower()
    header = next(csv.reader([lines[1]]))
    assert header[:6] == ["measure", "service", "value", "numerator", "denominator", "unit"]
    frame = pd.read_csv(path, comment="#")
    names = set(frame["measure"])
    assert names - DESIGN_MEASURES == {n for n in names if AGREE.match(n)}
    assert DESIGN_MEASURES - names == set(), "a docs/design.md §4 measure is missing for the sample"
    assert set(frame["service"]) == {"children", "adults", "all"}


def test_sql_measures_equal_an_independent_pandas_computation(sample_build):
    reference = _load("pandas_reference", ROOT / "tests/metrics/pandas_reference.py")
    synth = _load("synth_measures", ROOT / "tests/synth/synth_measures.py")
    from psw_core.config import load_config

    config = load_config(ROOT / "data/authority.yml")
    for year in (2023, 2024, 2025):
        frames = synth.read_year(ROOT / "data/raw" / str(year))
        r, p0 = config.reference_date(year), config.period_start(year)
        internal = pd.read_csv(sample_build / "build" / str(year) / "internal/headline_measures.csv",
                               comment="#").set_index(["measure", "service"])["value"]
        for service in ("children", "adults"):
            hr = frames["hr_workforce"][frames["hr_workforce"]["service"] == service]
            cases = frames["caseload"][frames["caseload"]["service"] == service]
            vac = frames["hr_vacancies"][frames["hr_vacancies"]["service"] == service]
            expected = {
                "turnover_rate_fte": reference.turnover_rate_fte(hr, p0, r),
                "vacancy_rate_fte": reference.vacancy_rate_fte(hr, vac, r),
                "agency_rate_fte": reference.agency_rate_fte(hr, r),
                "caseload_fte": reference.caseload_fte(hr, cases, r),
            }
            for measure, value in expected.items():
                assert internal[(measure, service)] == pytest.approx(value, rel=1e-9), (
                    year, service, measure)


def test_no_raw_identifier_or_name_reaches_the_warehouse(sample_build):
    hr = pd.read_csv(ROOT / "data/raw/2025/hr_workforce.csv", dtype=str)
    surnames = set(hr["surname"].dropna())
    any_surname = re.compile(r"\b(" + "|".join(map(re.escape, sorted(surnames))) + r")\b")
    con = duckdb.connect(str(sample_build / "warehouse.duckdb"), read_only=True)
    try:
        tables = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables").fetchall()
        assert len(tables) > 20
        for schema, table in tables:
            columns = {c[0] for c in con.execute(f'DESCRIBE "{schema}"."{table}"').fetchall()}
            assert not columns & {"first_name", "surname", "name", "email", "ni_number", "swe_no",
                                  "person_birth_date", "postcode", "address"}, (schema, table)
            # Pseudonyms are 16-byte BLOBs: read them as the 32 hex anyone would see (Python's
            # repr of bytes shows printable bytes as letters, '@' among them).
            text = " ".join(
                v.hex() if isinstance(v, bytes | bytearray) else str(v)
                for row in con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()
                for v in row)
            assert not RAW_ID.search(text), f"raw id in {schema}.{table}"
            assert "@" not in text or schema == "metrics", f"email-like text in {schema}.{table}"
            leaked = set(any_surname.findall(text))
            assert not leaked, f"staff surnames in {schema}.{table}: {sorted(leaked)[:3]}"
    finally:
        con.close()


def test_a_blocking_error_leaves_the_warehouse_as_it_was(sample_build, tmp_path):
    # A copy of the built warehouse, then a year with a planted error-severity fault.
    import shutil

    shutil.copy(sample_build / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data/raw/2025", raw / "2025")
    path = raw / "2025" / "hr_workforce.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("fte")] = "1.5"
    lines[1] = ",".join(cells) + "\n"
    path.write_text("".join(lines), encoding="utf-8")

    def checksums() -> dict:
        con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
        try:
            names = con.execute("SELECT table_schema, table_name FROM information_schema.tables "
                                "WHERE table_schema IN ('raw', 'metrics')").fetchall()
            assert len(names) > 5
            return {(s, n): con.execute(f'SELECT count(*), sum(hash(t::VARCHAR)) FROM "{s}"."{n}" t')
                    .fetchall() for s, n in names}
        finally:
            con.close()

    before = checksums()
    done = run_psw(["build", "--raw", str(raw), "--out", str(tmp_path / "build"), "--formats",
                    "html"], tmp_path, PSW_PSEUDONYMISATION_KEY="test-key-0123456789abcdef")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "HR-003" in done.stdout + done.stderr and "row 2" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert checksums() == before
    assert not (tmp_path / "build" / "2025" / "psw-annual-report.html").exists()


def test_published_tables_carry_row_count_and_column_schema_in_dagster(sample_build):
    """The UI's plots and Columns tab read these keys from the latest materialisation."""
    import dagster as dg

    home = sample_build / "dagster_home"
    with dg.DagsterInstance.from_config(str(home)) as instance:
        record = instance.fetch_materializations(dg.AssetRecordsFilter(
            asset_key=dg.AssetKey(["published", "tables"]), asset_partitions=["2025"]),
            limit=1).records[0]
    metadata = record.asset_materialization.metadata
    assert metadata["dagster/row_count"].value > 0
    columns = [c.name for c in metadata["dagster/column_schema"].schema.columns]
    assert {"measure", "service", "value"} <= set(columns)
    assert "columns/headline_measures" in metadata


def test_a_rebuild_with_nothing_changed_imports_neither_dagster_nor_gx(sample_build):
    """The no-op is decided from psw_core.stamp alone (the one source of staleness)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", PSW, "build", "--out", str(sample_build / "build")],
        cwd=ROOT, env=psw_env(sample_build), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    for year in (2023, 2024, 2025):
        assert f"{year}: inputs, settings and code unchanged; kept" in done.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "typer" in imported  # the import log was read
    assert not imported & {"dagster", "great_expectations", "duckdb", "pandas"}


def test_a_build_leaves_no_duckdb_object_alive_at_exit(sample_build):
    """A DuckDB object alive at interpreter exit makes nanobind print "leaked" lines."""
    stderr = (sample_build / "build.stderr").read_text(encoding="utf-8")
    assert "2025:" in stderr  # the build's progress log was read
    assert "nanobind" not in stderr, stderr[-2000:]


def test_every_sample_years_narrative_agrees_with_its_published_figures(sample_build):
    """The claims check on every year the sample builds, not only the one rendered: an older
    year's narrative is what `psw narrative start` copies forward."""
    build = sample_build / "build"
    years = sorted(p.name for p in build.iterdir() if p.name.isdigit())
    assert len(years) >= 3
    for year in years:
        done = run_psw(["report", "--check", "--year", year, "--out", str(build)], sample_build)
        assert done.returncode == 0, f"{year}: {done.stdout}{done.stderr}"
