"""Missing extracts and zero denominators give no row (docs/design.md §4 "Missing values")."""

import duckdb
from metrics_scenario import HR, YEAR, build, config
from metrics_warehouse import warehouse

from assets.metrics.measures import build_metrics


def test_hr_only_builds_workforce_and_nothing_else(tmp_path):
    _, frame = build(tmp_path / "w.duckdb", tables=dict(hr_workforce=HR))
    measures = set(frame["measure"])
    assert "turnover_rate_fte" in measures
    # no supervision, caseload, learning, vacancies or survey extract: no rows, not zeros
    for absent in ["supervision_compliance", "caseload_fte", "asye_caseload_within_cap",
                   "learning_hours_per_fte", "vacancy_rate_fte", "health_check_response_rate",
                   "assessment_timeliness", "audits_good_or_better"]:
        assert absent not in measures


def test_zero_denominator_leaves_measure_out(tmp_path):
    # Only an adults leaver: adults fte_in_post is 0, so turnover has no row (not inf/0).
    hr = [dict(worker_id="x", service="adults", agency_worker=0, fte=1.0,
               role_start_date="2020-01-01", role_end_date="2024-05-01", reason_leave=1,
               leaver_destination=1)]
    _, frame = build(tmp_path / "w.duckdb", tables=dict(hr_workforce=hr))
    assert not (frame["measure"] == "turnover_rate_fte").loc[frame["breakdown"].isna()].any()
    assert (frame["value"].notna() | (frame["breakdown"] == "rolling_12_month")).all()


def test_empty_warehouse_gives_empty_year(tmp_path):
    con = warehouse(tmp_path / "w.duckdb", YEAR)
    build_metrics(con, YEAR, config())
    assert con.execute("select count(*) from metrics.measures").fetchall() == [(0,)]
    con.close()
    assert duckdb  # imported for the connection type
