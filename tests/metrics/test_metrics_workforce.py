"""Workforce measures on the hand-made authority (see metrics_scenario.py for the rows).

In post at R (2024-09-30), directly employed: children w1 1.0, w2 0.5; adults w5 1.0, w6 0.6.
w3 leaves on R (a leaver, not in post); w4 is agency; w5 moved children -> adults.
"""

import pytest
from metrics_scenario import build, value


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    con, frame = build(tmp_path_factory.mktemp("wf") / "w.duckdb")
    yield frame
    con.close()


@pytest.mark.parametrize(
    "measure, service, expected",
    [
        # FTE in post: children 1.0 + 0.5; adults 1.0 + 0.6; all 3.1 (agency w4 excluded,
        # w3 ends on R so not in post)
        ("fte_in_post", "children", 1.5),
        ("fte_in_post", "adults", 1.6),
        ("fte_in_post", "all", 3.1),
        ("headcount_in_post", "children", 2),
        ("headcount_in_post", "adults", 2),
        ("headcount_in_post", "all", 4),
        # starters: w2 starts on the first day of P (children); w5's move is a starter in
        # adults only
        ("starters_fte", "children", 0.5),
        ("starters_fte", "adults", 1.0),
        ("starters_fte", "all", 0.5),
        # leavers: w3 (0.8, leaves on R) + w5 (1.0, the move) in children; w7 ended before P;
        # for all, the move is not a leaver
        ("leavers_fte", "children", 1.8),
        ("leavers_fte", "adults", 0.0),
        ("leavers_fte", "all", 0.8),
        # turnover FTE: 100 x 1.8 / 1.5; 0 / 1.6; 100 x 0.8 / 3.1
        ("turnover_rate_fte", "children", 120.0),
        ("turnover_rate_fte", "adults", 0.0),
        ("turnover_rate_fte", "all", 25.806451612903224),
        # turnover headcount: 2 / 2; 0 / 2; 1 / 4
        ("turnover_rate_headcount", "children", 100.0),
        ("turnover_rate_headcount", "adults", 0.0),
        ("turnover_rate_headcount", "all", 25.0),
        # vacancies 0.25 + 0.25 children, 0.4 adults: 100 x 0.5 / 2.0; 100 x 0.4 / 2.0;
        # 100 x 0.9 / 4.0
        ("vacancy_rate_fte", "children", 25.0),
        ("vacancy_rate_fte", "adults", 20.0),
        ("vacancy_rate_fte", "all", 22.5),
        # agency FTE at R from the HR extract: w4 1.0 -> 100 x 1 / 2.5; 0; 100 x 1 / 4.1
        ("agency_rate_fte", "children", 40.0),
        ("agency_rate_fte", "adults", 0.0),
        ("agency_rate_fte", "all", 24.390243902439025),
        # agency headcount: 1 / (1 + 2); 0 / 2; 1 / (1 + 4)
        ("agency_rate_headcount", "children", 100 / 3),
        ("agency_rate_headcount", "adults", 0.0),
        ("agency_rate_headcount", "all", 20.0),
        # days lost over employed spells active in P: children w1 10 + w3 5 + w5 4 = 19;
        # adults w6 6 (w7 not active); all 25. Per FTE: 19/1.5, 6/1.6, 25/3.1
        ("absence_days_per_fte", "children", 12.666666666666666),
        ("absence_days_per_fte", "adults", 3.75),
        ("absence_days_per_fte", "all", 8.064516129032258),
        # absence rate with 253 working days in P: 100 x 19 / (1.5 x 253) etc.
        ("absence_rate", "children", 1900 / 379.5),
        ("absence_rate", "adults", 600 / 404.8),
        ("absence_rate", "all", 2500 / 784.3),
        # stress share: (4 + 1) / 19; 0 / 6; 5 / 25
        ("stress_absence_share", "children", 26.315789473684212),
        ("stress_absence_share", "adults", 0.0),
        ("stress_absence_share", "all", 20.0),
        # people with stress absence, active in P: w1 (4 days), w3 (1); w7 ended before P
        ("stress_absence_headcount", "children", 2),
        ("stress_absence_headcount", "adults", 0),
        ("stress_absence_headcount", "all", 2),
        # stability (start <= 2022-09-30): w1 of {w1, w2}; w6 of {w5, w6}; 2 of 4
        ("stability_rate", "children", 50.0),
        ("stability_rate", "adults", 50.0),
        ("stability_rate", "all", 50.0),
    ],
)
def test_workforce_measure(measures, measure, service, expected):
    assert value(measures, measure, service) == pytest.approx(expected, rel=1e-12)


def test_working_days_in_period(tmp_path):
    # 2023-10-01 (Sun) .. 2024-09-30 (Mon): 261 weekdays less 8 English bank holidays = 253.
    con, _ = build(tmp_path / "w.duckdb")
    days = con.execute(
        "select working_days_in_period from staging.periods where reporting_year = 2024"
    ).fetchall()
    assert days == [(253,)]


def test_absence_rate_uses_dfe_253_days_not_the_period(tmp_path):
    # On the financial basis P is 2023-04-01 .. 2024-03-31, whose working days are not 253;
    # the rate still divides by FTE in post x 253 (DfE's fixed working year).
    from metrics_scenario import config

    con, frame = build(tmp_path / "f.duckdb", cfg=config(period="financial"))
    days = con.execute(
        "select working_days_in_period from staging.periods where reporting_year = 2024"
    ).fetchall()[0][0]
    assert days != 253
    lost = value(frame, "absence_days_per_fte", "all", column="numerator")
    fte = value(frame, "fte_in_post", "all")
    assert value(frame, "absence_rate", "all") == pytest.approx(100 * lost / (fte * 253))
    assert value(frame, "absence_rate", "all", column="denominator") == pytest.approx(fte * 253)
    con.close()


def test_turnover_carries_exact_poisson_intervals(measures):
    # Leavers are not a subset of those in post at R, so turnover is events over exposure:
    # exact Poisson limits for k leavers are chi2(0.025; 2k)/2 and chi2(0.975; 2k + 2)/2.
    # all: 1 leaver over headcount 4: 25% x [0.025318, 5.571643]
    assert value(measures, "turnover_rate_headcount", "all", column="ci_lower") == (
        pytest.approx(25 * 0.0253178, rel=1e-5))
    assert value(measures, "turnover_rate_headcount", "all", column="ci_upper") == (
        pytest.approx(25 * 5.5716434, rel=1e-5))
    # FTE turnover, children: 1.8 FTE over 2 leavers (w3, w5's move) / 1.5 FTE = 120%,
    # so 60 points an event: 60 x [0.242209, 7.224688]
    assert value(measures, "turnover_rate_fte", "children", column="ci_lower") == (
        pytest.approx(60 * 0.2422093, rel=1e-5))
    assert value(measures, "turnover_rate_fte", "children", column="ci_upper") == (
        pytest.approx(60 * 7.2246877, rel=1e-5))
    # No leavers (adults): 0 to the rate one leaver would give x 3.688879
    assert value(measures, "turnover_rate_headcount", "adults", column="ci_lower") == 0
    assert value(measures, "turnover_rate_headcount", "adults", column="ci_upper") == (
        pytest.approx(50 * 3.6888794, rel=1e-5))


def test_ratios_of_posts_and_days_carry_no_interval(measures):
    import math

    for measure in ("vacancy_rate_fte", "agency_rate_fte", "absence_rate", "caseload_fte"):
        assert math.isnan(value(measures, measure, "all", column="ci_lower")), measure


def test_units_and_sources(measures):
    assert value(measures, "caseload_fte", "all", column="unit") == "cases per fte"
    assert value(measures, "absence_days_per_fte", "all", column="unit") == "days per fte"
    assert "DfE" in value(measures, "turnover_rate_fte", "all", column="source")
    assert set(measures["authority_code"]) == {"TST"}
    assert set(measures["reporting_year"]) == {2024}
