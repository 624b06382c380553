"""The three core measure families (workforce, vacancies, caseload) agree row for row with the
benchmark's plain-pandas computation of the same definitions (benchmarks/pandas_baseline.py),
on the sample's real extracts (2025: moves between services, agency spells, a caseload
extract) and on a census year (2022: caseloads from Cases30). The SQL was reshaped for speed
(one grouping per worker, moves by a join, open allocations counted once): this pins that it
still computes every row the definitions give, value, numerator, denominator and interval."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

from assets.candidate.load import prepare_year
from assets.candidate.store import write_candidates
from assets.metrics import measures as m
from assets.raw.warehouse import promote_year
from assets.staging.models import build_staging
from psw_core.config import load_config

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import pandas_baseline  # noqa: E402

KEY = b"k" * 32
CORE = ("workforce", "vacancies", "caseload")


@pytest.mark.parametrize("year", [2025, 2022])
def test_core_families_match_the_pandas_baseline_row_for_row(tmp_path, year):
    config = load_config(ROOT / "data" / "authority.yml")
    prepared = prepare_year(ROOT / "data" / "raw" / str(year), year, config, KEY)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    write_candidates(con, year, prepared.tables)
    promote_year(con, year)
    build_staging(con, config)
    staging = m.existing_tables(con, "staging")
    params = m.query_params(year, config)
    ours = m.finish([m.family_frame(con, f, params, staging) for f in CORE], year, config)
    raw = {t: pandas_baseline.loaded(con.execute(
               f"select * from raw.{t} where reporting_year = $y", {"y": year}).df())
           for t in ("hr_workforce", "hr_vacancies", "caseload")}
    con.close()
    theirs = pandas_baseline.core_measures(
        raw["hr_workforce"], raw["hr_vacancies"], raw["caseload"], config.period_start(year),
        config.reference_date(year), int(config.targets["asye_caseload_cap"]))
    check = pandas_baseline.compare(theirs, ours)
    assert (check["only_pandas"], check["only_ours"]) == (0, 0), check
    assert check["rows"] == len(ours) > 20
    assert max(check["largest"].values()) < 1e-9, check
