"""Year-on-year changes (Newcombe) and benchmarks."""

import duckdb
import pandas as pd
import pytest
from metrics_scenario import config

from assets.metrics.benchmarks import build_benchmarks
from assets.metrics.measures import replace_year
from assets.metrics.trends import build_changes, build_trends


def _row(year, measure, value, numerator, denominator, unit="percent"):
    return dict(authority_code="TST", reporting_year=year, measure=measure, service="all",
                breakdown=None, category=None, month_end=None, value=value,
                numerator=numerator, denominator=denominator, unit=unit, ci_lower=None,
                ci_upper=None, source="s")


@pytest.fixture
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    rows = {
        # Newcombe (1998b) Table II example the other way round: 48/80 (2023) -> 56/70 (2024)
        # is +20 points, 95% CI 5.24 to 33.39 -> 'rose'
        2023: [_row(2023, "turnover_rate_headcount", 60.0, 48, 80),
               _row(2023, "stability_rate", 50.0, 5, 10),
               _row(2023, "turnover_rate_fte", 10.0, 1.0, 10.0)],
        2024: [_row(2024, "turnover_rate_headcount", 80.0, 56, 70),
               _row(2024, "stability_rate", 60.0, 6, 10),
               _row(2024, "turnover_rate_fte", 12.0, 1.2, 10.0)],
    }
    for year, year_rows in rows.items():
        replace_year(con, pd.DataFrame(year_rows), year, "TST")
    yield con
    con.close()


def test_changes(con):
    changes = build_changes(con).set_index("measure")
    t = changes.loc["turnover_rate_headcount"]
    assert t["change"] == pytest.approx(20.0)
    assert round(t["ci_lower"], 2) == 5.24 and round(t["ci_upper"], 2) == 33.39
    assert t["direction"] == "rose"
    # 5/10 -> 6/10: interval spans 0 -> 'was similar to'
    assert changes.loc["stability_rate", "direction"] == "was similar to"
    # FTE rate: no interval, direction by sign
    fte = changes.loc["turnover_rate_fte"]
    assert pd.isna(fte["ci_lower"]) and fte["method"] == "no interval"
    assert fte["direction"] == "rose"


def test_replace_year_is_idempotent(con):
    before = con.execute("select count(*) from metrics.measures").fetchall()
    replace_year(con, pd.DataFrame([_row(2024, "stability_rate", 60.0, 6, 10)]), 2024, "TST")
    after = con.execute(
        "select reporting_year, count(*) from metrics.measures group by 1 order by 1").fetchall()
    assert before == [(6,)] and after == [(2023, 3), (2024, 1)]


def test_build_trends_counts(con):
    counts = build_trends(con, 2024, config())
    assert counts["metrics.changes"] == 3
    assert counts["metrics.benchmarks"] > 0


def test_benchmarks_name_release_and_match(tmp_path):
    con = duckdb.connect(str(tmp_path / "b.duckdb"))
    frame = build_benchmarks(con, config()).set_index(["measure", "service", "reporting_year"])
    row = frame.loc[("turnover_rate_fte", "children", 2023)]
    # DfE 2025 release: 15.9% for the year to 30 Sep 2023
    assert row["benchmark_value"] == 15.9 and row["definition_match"] == "exact"
    assert "2025 release" in row["release"]
    # Skills for Care adults' turnover is on headcount: our FTE rate 'differs'
    assert frame.loc[("turnover_rate_fte", "adults", 2023), "definition_match"] == "differs"
    assert frame.loc[("turnover_rate_headcount", "adults", 2023), "benchmark_value"] == 14.5
    wales = build_benchmarks(con, config(nation="wales"))
    assert set(wales["nation"]) == {"Wales"}
