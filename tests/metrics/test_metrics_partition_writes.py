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


def test_replace_partition_writes_from_the_query_in_one_transaction(tmp_path):
    """The year's rows go straight from the query into the table (no temporary copy): a changed
    column type still rebuilds the table, parameters reach the query, a view of the name is
    replaced, and a query that fails leaves the year's previous rows as they were."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("create table src as select * from (values (2024, 1), (2025, 2), (2025, 3)) "
                "t(reporting_year, v)")
    con.execute("create schema staging")
    con.execute("create view staging.toy as select * from src")
    query = "select reporting_year, v from src where v >= $low"
    assert replace_partition(con, "staging", "toy", query, 2025, {"low": 3}) == 1
    assert replace_partition(con, "staging", "toy", query, 2024, {"low": 0}) == 1
    assert con.execute("select table_type from information_schema.tables "
                       "where table_name = 'toy'").fetchone()[0] == "BASE TABLE"
    assert con.execute("select * from staging.toy order by 1").fetchall() == [(2024, 1), (2025, 3)]
    with pytest.raises(duckdb.Error):
        replace_partition(con, "staging", "toy", "select reporting_year, (case when v > 2 "
                          "then error('fails while the year is being written') else v end)::integer "
                          "as v from src", 2025)
    assert con.execute("select * from staging.toy order by 1").fetchall() == [(2024, 1), (2025, 3)]
    # Same names, another type: rebuilt with this year only, as for new columns.
    replace_partition(con, "staging", "toy", "select reporting_year, v::varchar as v from src", 2025)
    assert con.execute("select * from staging.toy order by 2").fetchall() == [(2025, "2"), (2025, "3")]


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


def _kind(con, name: str) -> str | None:
    row = con.execute("select table_type from information_schema.tables "
                      "where table_schema = 'staging' and table_name = ?", [name]).fetchone()
    return row[0] if row else None


def test_a_view_model_is_a_view_over_every_year_counting_its_own(tmp_path):
    # staging.vacancies only renames and casts: it is a view, never a written table, yet its
    # asset still reports the year's rows (a count through the view) and sees every year.
    from assets.staging.models import VIEW_MODELS

    assert {"vacancies", "case_allocations", "supervision_sessions"} <= VIEW_MODELS
    assert "worker_spells" not in VIEW_MODELS  # windowed spells are worth writing once
    con, _ = build(tmp_path / "w.duckdb", extra_years={YEAR - 1: {"hr_workforce": HR}})
    assert _kind(con, "vacancies") == "VIEW" and _kind(con, "worker_spells") == "BASE TABLE"
    vacancies = len(TABLES["hr_vacancies"])
    assert build_model(con, "vacancies", YEAR) == vacancies
    assert build_model(con, "vacancies", YEAR - 1) == 0  # that year had no vacancies extract
    # A row reaching raw is in the view at once, with no rebuild.
    con.execute("insert into raw.hr_vacancies by name select * replace (? as reporting_year) "
                "from raw.hr_vacancies where reporting_year = ?", [YEAR - 1, YEAR])
    assert con.execute("select count(*) from staging.vacancies where reporting_year = ?",
                       [YEAR - 1]).fetchone()[0] == vacancies
    # A warehouse from before views holds a table of that name: the view replaces it.
    con.execute("drop view staging.vacancies")
    con.execute("create table staging.vacancies as select 1 as reporting_year")
    assert build_model(con, "vacancies", YEAR) == vacancies and _kind(con, "vacancies") == "VIEW"
    # Its input gone, the view goes too (as a table model's year would be emptied).
    con.execute("drop table raw.hr_vacancies")
    assert build_model(con, "vacancies", YEAR) is None and _kind(con, "vacancies") is None


def test_the_census_caseload_view_takes_the_extract_once_one_arrives(tmp_path):
    # case_allocations reads raw.caseload when it exists, else an empty relation: as a stored
    # view it cannot use a temporary one, so the choice is written into the view each build.
    con, _ = build(tmp_path / "w.duckdb")
    with_extract = build_model(con, "case_allocations", YEAR)
    assert with_extract == len(TABLES["caseload"]) and _kind(con, "case_allocations") == "VIEW"
    con.execute("alter table raw.caseload rename to caseload_away")
    con.execute("update raw.hr_workforce set cases_held = 2")  # the census's Cases30
    in_post = con.execute(
        "select count(*) from staging.worker_spells where reporting_year = ? "
        "and role_start_date <= ? and (role_end_date is null or role_end_date > ?)",
        [YEAR, config().reference_date(YEAR), config().reference_date(YEAR)]).fetchone()[0]
    census = build_model(con, "case_allocations", YEAR)
    assert census == 2 * in_post > 0
    assert con.execute("select count(*) from staging.case_allocations "
                       "where case_type <> 'cases30'").fetchone()[0] == 0
    con.execute("alter table raw.caseload_away rename to caseload")
    assert build_model(con, "case_allocations", YEAR) == with_extract
