"""Year-on-year changes (MOVER from each year's interval; Newcombe for Wilson) and
benchmarks."""

import duckdb
import pandas as pd
import pytest
from metrics_scenario import config

from assets.metrics.benchmarks import build_benchmarks
from assets.metrics.intervals import wilson
from assets.metrics.measures import add_intervals, replace_year
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
        # is +20 points, 95% CI 5.24 to 33.39 -> 'rose' (a Wilson measure)
        2023: [_row(2023, "asye_caseload_within_cap", 60.0, 48, 80),
               _row(2023, "stability_rate", 50.0, 5, 10),
               _row(2023, "turnover_rate_headcount", 10.0, 10, 100),
               _row(2023, "turnover_rate_fte", 10.0, 9.0, 90.0),
               _row(2023, "vacancy_rate_fte", 10.0, 1.0, 10.0)],
        2024: [_row(2024, "asye_caseload_within_cap", 80.0, 56, 70),
               _row(2024, "stability_rate", 60.0, 6, 10),
               _row(2024, "turnover_rate_headcount", 30.0, 30, 100),
               _row(2024, "turnover_rate_fte", 12.0, 10.8, 90.0),
               _row(2024, "vacancy_rate_fte", 10.1, 1.01, 10.0)],
    }
    for year, year_rows in rows.items():
        frame = pd.DataFrame(year_rows)
        add_intervals(frame)
        replace_year(con, frame, year, "TST")
    yield con
    con.close()


def test_changes(con):
    changes = build_changes(con).set_index("measure")
    t = changes.loc["asye_caseload_within_cap"]
    assert t["change"] == pytest.approx(20.0)
    assert round(t["ci_lower"], 2) == 5.24 and round(t["ci_upper"], 2) == 33.39
    assert t["direction"] == "rose"
    # 5/10 -> 6/10: a change the interval does not support -> 'was similar to'
    assert changes.loc["stability_rate", "direction"] == "was similar to"
    assert changes.loc["stability_rate", "change"] == pytest.approx(10.0)
    # An FTE ratio of posts has no interval: no direction word, not even by sign
    vacancy = changes.loc["vacancy_rate_fte"]
    assert pd.isna(vacancy["ci_lower"]) and vacancy["method"] == "no interval"
    assert vacancy["direction"] == "not tested"


def test_poisson_change_on_turnover(con):
    # Headcount turnover 10 -> 30 leavers per 100: exact Poisson limits for 10 and 30 events
    # (chi-square quantiles / 2), combined by MOVER.
    from scipy.stats import chi2

    def limits(k):
        return chi2.ppf(0.025, 2 * k) / 2, chi2.ppf(0.975, 2 * k + 2) / 2

    (l1, u1), (l2, u2) = limits(30), limits(10)
    lower = 20 - ((30 - l1) ** 2 + (u2 - 10) ** 2) ** 0.5
    upper = 20 + ((u1 - 30) ** 2 + (10 - l2) ** 2) ** 0.5
    changes = build_changes(con).set_index("measure")
    t = changes.loc["turnover_rate_headcount"]
    assert (t["ci_lower"], t["ci_upper"]) == (pytest.approx(lower, abs=1e-3),
                                             pytest.approx(upper, abs=1e-3))
    assert t["direction"] == "rose" and t["method"] == "mover from exact poisson intervals"
    # FTE turnover rests on the same 10 and 11 leavers... here 9.0 FTE over 10 leavers and
    # 10.8 FTE over 30: the FTE rate's interval scales the leavers' Poisson limits.
    fte = changes.loc["turnover_rate_fte"]
    assert fte["method"] == "mover from exact poisson intervals"
    assert fte["direction"] == "was similar to"  # +2 points on 10 and 30 events: not supported


def test_wilson_limits_match_wilson(con):
    row = con.execute("select ci_lower, ci_upper from metrics.measures where measure = "
                      "'stability_rate' and reporting_year = 2023").fetchall()[0]
    lower, upper = wilson(5, 10)
    assert row == (pytest.approx(100 * lower[()]), pytest.approx(100 * upper[()]))


def test_replace_year_is_idempotent(con):
    before = con.execute("select count(*) from metrics.measures").fetchall()
    replace_year(con, pd.DataFrame([_row(2024, "stability_rate", 60.0, 6, 10)]), 2024, "TST")
    after = con.execute(
        "select reporting_year, count(*) from metrics.measures group by 1 order by 1").fetchall()
    assert before == [(10,)] and after == [(2023, 5), (2024, 1)]


def test_build_trends_counts(con):
    counts = build_trends(con, 2024, config())
    assert counts["metrics.changes"] == 5
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
    # Skills for Care counts its 'social worker' job role, we count managers too: context
    adults = frame.loc[("turnover_rate_headcount", "adults", 2023)]
    assert adults["definition_match"] == "differs" and "org roles 1-3" in adults["note"]
    # The DfE pair is exact only on the DfE period basis
    financial = build_benchmarks(con, config(period="financial")).set_index(
        ["measure", "service", "reporting_year"])
    row = financial.loc[("turnover_rate_fte", "children", 2023)]
    assert row["definition_match"] == "differs" and "31 March" in row["note"]
    absence = frame.loc[("absence_rate", "children", 2023)]
    assert absence["definition_match"] == "exact" and "Sefton" in absence["note"]
    wales = build_benchmarks(con, config(nation="wales"))
    assert set(wales["nation"]) == {"Wales"}
