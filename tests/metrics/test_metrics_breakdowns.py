"""Breakdowns (E&D, reasons, destinations, routes), moves between services and the rolling
12-month turnover."""

import datetime as dt
import math

import pytest
from metrics_scenario import HR, TABLES, build, value


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    con, frame = build(tmp_path_factory.mktemp("bd") / "w.duckdb")
    yield frame
    con.close()


def test_leavers_by_reason(measures):
    # children leavers: w3 (reason 1), w5 (reason 7, a move); all: w3 only, and the move's
    # reason shows as 0 for `all` (a category seen this year gets a zero row, not no row).
    assert value(measures, "leavers_headcount", "children", "reason_leave", "1") == 1
    assert value(measures, "leavers_headcount", "children", "reason_leave", "7") == 1
    assert value(measures, "leavers_share", "children", "reason_leave", "7") == 50.0
    rows = measures[(measures["measure"] == "leavers_headcount") & (measures["service"] == "all")
                    & (measures["breakdown"] == "reason_leave")]
    assert dict(zip(rows["category"], rows["value"], strict=True)) == {"1": 1, "7": 0}


def test_equality_profile_in_post_is_integer_headcounts(measures):
    # all in post: w1 WBRI, w2 ABAN, w5 BAFR, w6 WBRI
    assert value(measures, "headcount_in_post", "all", "ethnicity", "WBRI") == 2
    assert value(measures, "headcount_in_post", "all", "ethnicity", "WBRI",
                 column="denominator") == 4
    counts = measures[measures["measure"].isin(
        ["headcount_in_post", "starters_headcount", "leavers_headcount"])]
    assert (counts["numerator"] == counts["numerator"].round()).all()


def test_starter_routes(tmp_path):
    # One children's starter of each route; w9 is an agency conversion (start_origin 4) and
    # an international recruit, so routes overlap: 2 starters, 6 route memberships.
    hr = [
        dict(worker_id="w8", service="children", agency_worker=0, fte=1.0,
             role_start_date="2024-01-01", start_origin=1, apprentice=1, step_up_grad=1,
             frontline_grad=1, asye=1),
        dict(worker_id="w9", service="children", agency_worker=0, fte=1.0,
             role_start_date="2024-02-01", start_origin=4, international_recruit=1),
    ]
    _, frame = build(tmp_path / "w.duckdb", tables=dict(hr_workforce=hr))
    for route in ["apprentice", "step_up_grad", "frontline_grad", "asye",
                  "international_recruit", "agency_conversion"]:
        assert value(frame, "starters_headcount", "children", "route", route) == 1
        assert value(frame, "starters_share", "children", "route", route) == 50.0


def test_move_more_than_7_days_later_is_not_a_move(tmp_path):
    # w5 starts in adults 8 days after leaving children: a leaver and a starter for all too.
    hr = [dict(r) for r in HR]
    hr[5]["role_start_date"] = "2024-03-23"
    _, frame = build(tmp_path / "w.duckdb", tables=dict(hr_workforce=hr))
    assert value(frame, "leavers_fte", "all") == pytest.approx(1.8)
    assert value(frame, "starters_fte", "all") == pytest.approx(1.5)


def test_rolling_turnover_without_previous_year(measures):
    # Only 2024 is loaded: months before R need 2023's leavers -> NULL ([x]); at R the window
    # is P itself, so the value equals the annual turnover (100 x 1.8 / 1.5).
    early = value(measures, "turnover_rate_fte", "children", "rolling_12_month",
                  month_end=dt.date(2023, 10, 31))
    assert math.isnan(early)
    assert value(measures, "turnover_rate_fte", "children", "rolling_12_month",
                 month_end=dt.date(2024, 9, 30)) == pytest.approx(120.0)
    rolling = measures[measures["breakdown"] == "rolling_12_month"]
    assert len(rolling) == 36  # 12 month ends x 3 services


def test_rolling_turnover_with_previous_year(tmp_path):
    # 2023 extract: w9 children 1.0 left 2023-06-15 (in P 2023).
    previous = {2023: dict(hr_workforce=[dict(
        worker_id="w9", service="children", agency_worker=0, fte=1.0,
        role_start_date="2015-01-01", role_end_date="2023-06-15", reason_leave=1,
        leaver_destination=1)])}
    _, frame = build(tmp_path / "w.duckdb", tables=TABLES, extra_years=previous)
    # M = 2023-10-31: window (2022-10-31, 2023-10-31] holds w9 (1.0); in post at M:
    # w1 1.0 + w2 0.5 + w3 0.8 + w5 1.0 = 3.3 -> 100 / 3.3
    assert value(frame, "turnover_rate_fte", "children", "rolling_12_month",
                 month_end=dt.date(2023, 10, 31)) == pytest.approx(100 / 3.3)
    # M = 2024-06-30: window (2023-06-30, 2024-06-30] holds w5 (1.0, the move); in post:
    # w1, w2, w3 = 2.3 -> 100 / 2.3. For all the move is not a leaver: 0.
    assert value(frame, "turnover_rate_fte", "children", "rolling_12_month",
                 month_end=dt.date(2024, 6, 30)) == pytest.approx(100 / 2.3)
    assert value(frame, "turnover_rate_fte", "all", "rolling_12_month",
                 month_end=dt.date(2024, 6, 30)) == 0.0
