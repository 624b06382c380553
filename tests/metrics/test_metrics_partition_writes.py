"""A partitioned asset writes only its own partition: a staging model or a measure family run for
one reporting year leaves every other year's rows, and every other family's rows, as they were."""

import duckdb
import pytest
from metrics_scenario import HR, TABLES, YEAR, build, config

from assets.metrics.measures import FAMILIES, build_family, compute_measures
from assets.staging.models import build_model, build_staging_year
from psw_core.sql_models import replace_partition


def test_replace_partition_leaves_other_years_and_recreates_on_new_columns(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create table src as select * from (values (2024, 'a'), (2025, 'b')) t(reporting_year, v)")
    assert replace_partition(con, "staging", "toy", "select * from src", 2024) == 1
    assert replace_partition(con, "staging", "toy", "select * from src", 2025) == 1
    con.execute("update staging.toy set v = 'kept' where reporting_year = 2024")
    con.execute("update src set v = 'new' where reporting_year = 2025")
    assert replace_partition(con, "staging", "toy", "select * from src", 2025) == 1
    assert con.execute("select * from staging.toy order by 1").fetchall() == [(2024, "kept"), (2025, "new")]
    # New columns: the table is rebuilt with this year only (the others are then stale).
    replace_partition(con, "staging", "toy", "select *, 1 as extra from src", 2025)
    assert con.execute("select * from staging.toy").fetchall() == [(2025, "new", 1)]


def test_a_staging_model_run_for_one_year_keeps_the_year_before(tmp_path):
    con, _ = build(tmp_path / "w.duckdb", extra_years={YEAR - 1: {"hr_workforce": HR}})
    before = con.execute("select count(*) from staging.worker_spells where reporting_year = ?",
                         [YEAR - 1]).fetchone()[0]
    assert before == len(HR)
    con.execute("update staging.worker_spells set service = 'marked' where reporting_year = ?", [YEAR - 1])
    assert build_model(con, "worker_spells", YEAR) == len(TABLES["hr_workforce"])
    assert con.execute("select count(*) from staging.worker_spells where reporting_year = ? "
                       "and service = 'marked'", [YEAR - 1]).fetchone()[0] == before


def test_a_family_replaces_only_its_own_rows_and_all_families_equal_the_whole_year(tmp_path):
    con, whole = build(tmp_path / "w.duckdb")
    con.execute("delete from metrics.measures")
    for family in FAMILIES:
        build_family(con, family, YEAR, config())
    rows = con.execute("select * from metrics.measures").df()
    key = ["measure", "service", "breakdown", "category", "month_end"]
    pd_sorted = rows.sort_values(key, na_position="first").reset_index(drop=True)
    expected = compute_measures(con, YEAR, config())
    assert len(pd_sorted) == len(expected) == len(whole)
    assert pd_sorted[key].astype(str).equals(expected[key].astype(str))
    # Re-running one family does not touch another's rows, even where they share a measure name
    # (turnover_rate_fte is a headline of workforce and monthly in rolling_turnover).
    monthly = "select count(*) from metrics.measures where breakdown = 'rolling_12_month'"
    n_monthly = con.execute(monthly).fetchone()[0]
    assert n_monthly > 0
    build_family(con, "workforce", YEAR, config())
    assert con.execute(monthly).fetchone()[0] == n_monthly
    assert len(con.execute("select * from metrics.measures").df()) == len(whole)


@pytest.mark.parametrize("missing", ["caseload"])
def test_a_family_whose_inputs_went_away_removes_its_rows(tmp_path, missing):
    con, _ = build(tmp_path / "w.duckdb")
    assert build_family(con, "caseload", YEAR, config()) > 0  # as its asset writes it
    assert con.execute("select count(*) from metrics.measures where measure = 'caseload_fte'").fetchone()[0]
    con.execute(f"drop table raw.{missing}")
    build_staging_year(con, config(), YEAR)
    con.execute("drop view staging.case_allocations")  # a view model (VIEW_MODELS)
    assert build_family(con, "caseload", YEAR, config()) == 0
    assert con.execute("select count(*) from metrics.measures where measure = 'caseload_fte'").fetchone()[0] == 0
