"""Comparisons among all councils, checked against hand computations from DfE's file rows.

Three real councils (Gateshead 390, Camden 202, York 816), two measures (FTE turnover,
caseload), two years (2019, 2025). With no local data the council's own figure is DfE's
published one, so everything can be worked out from the file:
- neighbour mean: the mean of the ten neighbours (DfE's 2025 model) that have a figure;
- rank: 1 + the number of other councils with a higher figure (1 = highest);
- quartile: ceil(4 × rank / councils ranked).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from assets.metrics.comparisons import build_comparisons
from assets.metrics.measures import replace_year
from psw_core.config import AuthorityConfig
from psw_core.dfe_reference import DFE_DIR, INDICATORS_FILE, NEIGHBOURS_FILE

ROWS = list(csv.DictReader((DFE_DIR / INDICATORS_FILE).open(encoding="utf-8")))
MODEL = {r["old_la_code"]: [r[f"SN_{i}"].strip() for i in range(1, 11)]
         for r in csv.DictReader((DFE_DIR / NEIGHBOURS_FILE).open(encoding="utf-8-sig"))}


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def by_hand(code: str, figure: str, year: int) -> dict:
    """Neighbour mean, neighbours used, rank, councils ranked and quartile from the rows."""
    councils = {r["old_la_code"]: _number(r[figure]) for r in ROWS
                if r["geographic_level"] == "Local authority" and r["time_period"] == str(year)}
    ours = councils[code]
    used = [councils[n] for n in MODEL[code] if councils.get(n) is not None]
    others = [v for c, v in councils.items() if c != code and v is not None]
    rank = 1 + sum(v > ours for v in others)
    ranked = len(others) + 1
    return {"council_value": ours, "neighbour_mean": sum(used) / len(used),
            "neighbours_used": len(used), "rank": rank, "councils_ranked": ranked,
            "quartile": math.ceil(4 * rank / ranked)}


def _build(path: Path, config: AuthorityConfig, year: int = 2025) -> pd.DataFrame:
    con = duckdb.connect(str(path))
    try:
        build_comparisons(con, year, config)
        return con.execute("select * from metrics.comparisons").df()
    finally:
        con.close()


@pytest.fixture(scope="module", params=["390", "202", "816"], ids=["Gateshead", "Camden", "York"])
def council(request, tmp_path_factory):
    config = AuthorityConfig(name="Test", code="TST", dfe_la_code=request.param)
    return request.param, _build(tmp_path_factory.mktemp("cmp") / "w.duckdb", config)


@pytest.mark.parametrize("measure", ["turnover_rate_fte", "caseload_fte"])
@pytest.mark.parametrize("year", [2019, 2025])
def test_neighbour_mean_rank_and_quartile_match_a_hand_computation(council, measure, year):
    code, frame = council
    row = frame[(frame["measure"] == measure) & (frame["reporting_year"] == year)].iloc[0]
    expected = by_hand(code, measure, year)
    assert row["council_source"] == "DfE published" and bool(row["comparable"])
    assert row["council_value"] == pytest.approx(expected["council_value"])
    assert row["neighbour_mean"] == pytest.approx(expected["neighbour_mean"])
    for column in ("neighbours_used", "rank", "councils_ranked", "quartile"):
        assert int(row[column]) == expected[column], column
    assert row["neighbours_listed"] == 10


def test_hand_figures_written_out_for_gateshead_and_camden(tmp_path):
    """The same, as literals read off the rows (a guard against both sides drifting)."""
    frame = _build(tmp_path / "g.duckdb", AuthorityConfig(name="G", code="G", dfe_la_code="390"))
    row = frame.set_index(["measure", "reporting_year"]).loc[("turnover_rate_fte", 2025)]
    # Gateshead 2025 FTE turnover 16.0. Neighbours 841 15.4, 357 18.3, 393 9.1, 372 13.6,
    # 808 13.9, 840 7.7, 807 18.9, 394 11.8, 332 34.9, 384 12.6: sum 156.2 / 10 = 15.62.
    # 147 other councils have a figure (3 show z or x), 29 of them above 16.0: rank 30 of 148,
    # quartile ceil(4 × 30 / 148) = ceil(0.81) = 1.
    assert row["neighbour_mean"] == pytest.approx(15.62)
    assert (row["rank"], row["councils_ranked"], row["quartile"]) == (30, 148, 1)
    assert row["region_name"] == "North East"
    camden = _build(tmp_path / "c.duckdb", AuthorityConfig(name="C", code="C", dfe_la_code="202"))
    row = camden.set_index(["measure", "reporting_year"]).loc[("caseload_fte", 2025)]
    # Camden 2025 caseload 11.2; Westminster (213) and Kensington and Chelsea (207) show x,
    # so 8 neighbours: 10.1 + 13.1 + 12.3 + 11.2 + 14.2 + 14.6 + 13.9 + 14.1 = 103.5 / 8.
    assert row["neighbour_mean"] == pytest.approx(12.9375)
    assert row["neighbours_used"] == 8
    assert (row["rank"], row["councils_ranked"], row["quartile"]) == (144, 149, 4)


def test_local_figures_replace_ours_and_years_without_them_are_dfe_published(tmp_path):
    """Local 2024–2025 figures for Gateshead are ranked in place of DfE's; earlier years show
    DfE's figure for Gateshead, marked; absence (benchmark_map: differs) is not ranked."""
    path = tmp_path / "l.duckdb"
    con = duckdb.connect(str(path))
    config = AuthorityConfig(name="Gateshead test", code="GAT", dfe_la_code="390")
    for year, turnover in ((2024, 99.0), (2025, 0.1)):
        frame = pd.DataFrame({
            "authority_code": "GAT", "reporting_year": year,
            "measure": ["turnover_rate_fte", "absence_rate"], "service": "children",
            "breakdown": None, "category": None, "month_end": None, "value": [turnover, 3.0],
            "numerator": None, "denominator": None, "unit": "percent", "ci_lower": None,
            "ci_upper": None, "source": "test"})
        replace_year(con, frame, year, "GAT")
    con.close()
    frame = _build(path, config).set_index(["measure", "reporting_year"])
    assert frame.loc[("turnover_rate_fte", 2024), "council_source"] == "local"
    assert frame.loc[("turnover_rate_fte", 2024), "rank"] == 1  # 99% is above every council
    last = frame.loc[("turnover_rate_fte", 2025)]
    # 0.1% is at the bottom: ranked below every other council with a higher figure.
    higher = [r for r in ROWS if r["time_period"] == "2025" and r["old_la_code"] != "390"
              and r["geographic_level"] == "Local authority"
              and (_number(r["turnover_rate_fte"]) or 0) > 0.1]
    assert last["rank"] == 1 + len(higher) and last["quartile"] == 4
    assert frame.loc[("turnover_rate_fte", 2023), "council_source"] == "DfE published"
    assert frame.loc[("turnover_rate_fte", 2023), "council_value"] == by_hand(
        "390", "turnover_rate_fte", 2023)["council_value"]
    # Absence is on DfE's 253-day basis (docs/design.md §4), so the local figure is ranked too.
    absence = frame.loc[("absence_rate", 2025)]
    assert absence["council_source"] == "local" and absence["comparable"]
    assert absence["rank"] >= 1 and absence["quartile"] in (1, 2, 3, 4)
    years = sorted({y for _, y in frame.index})
    assert years == list(range(2017, 2026))


def test_financial_year_figures_are_not_ranked(tmp_path):
    """Like-for-like: a local figure on the April-March year is not DfE's definition."""
    path = tmp_path / "f.duckdb"
    con = duckdb.connect(str(path))
    frame = pd.DataFrame({
        "authority_code": "FIN", "reporting_year": 2025, "measure": ["turnover_rate_fte"],
        "service": "children", "breakdown": None, "category": None, "month_end": None,
        "value": [12.0], "numerator": None, "denominator": None, "unit": "percent",
        "ci_lower": None, "ci_upper": None, "source": "test"})
    replace_year(con, frame, 2025, "FIN")
    con.close()
    config = AuthorityConfig(name="F", code="FIN", period="financial", region="North East",
                             statistical_neighbours=["390", "391"])
    row = _build(path, config).set_index(["measure", "reporting_year"]).loc[
        ("turnover_rate_fte", 2025)]
    assert not row["comparable"] and pd.isna(row["rank"])
    # The region and neighbour figures are still shown, from DfE's rows.
    assert row["neighbours_used"] == 2 and row["region_value"] == pytest.approx(
        _number(next(r["turnover_rate_fte"] for r in ROWS if r["time_period"] == "2025"
                     and r["geographic_level"] == "Regional" and r["region_name"] == "North East")))


def test_joint_councils_count_once_in_the_neighbour_mean(tmp_path):
    """Kingston (314) and Richmond (318) report as one row: both listed, counted once."""
    config = AuthorityConfig(name="J", code="J", region="London",
                             statistical_neighbours=["314", "318", "302"])
    row = _build(tmp_path / "j.duckdb", config).set_index(["measure", "reporting_year"]).loc[
        ("turnover_rate_fte", 2025)]
    joint = next(r for r in ROWS if r["time_period"] == "2025" and r["old_la_code"] == "314 / 318")
    barnet = next(r for r in ROWS if r["time_period"] == "2025" and r["old_la_code"] == "302")
    assert row["neighbours_used"] == 2 and row["neighbours_listed"] == 2
    assert row["neighbour_mean"] == pytest.approx(
        (float(joint["turnover_rate_fte"]) + float(barnet["turnover_rate_fte"])) / 2)
