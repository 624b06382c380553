"""The health check as councils receive it (the LGA's aggregate report, answers counted per
item): the metrics compute every measure that counts support from staging.survey_item_counts
(assets/metrics/sql/health_check*.sql), hand-computed here, with the same point estimates as the
respondent-level path on the same answers and design-effect-corrected intervals; hours over
contract is not available; a survey of one service only is valid and leaves the other out."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from assets.candidate.load import prepare_year
from assets.candidate.store import write_candidates
from assets.metrics.intervals import wilson
from assets.metrics.measures import compute_measures
from assets.raw.warehouse import promote_year
from assets.staging.models import build_staging
from psw_core.config import AuthorityConfig
from psw_synth.survey import aggregate

CONFIG = AuthorityConfig(name="Test Council", code="TST")
ITEMS = ("item_id,standard,theme,text,reverse_scored\nq1,1,workload,Workload is manageable,0\n"
         "q2,1,stress,I feel stressed,1\nq3,2,workload,I can plan my week,0\n")
# Four children's respondents; R3 skipped q2 and R4 skipped q3. Adults were invited to the
# council's survey list but this health check covered children's services only.
RESPONSES = pd.DataFrame({
    "response_id": ["R1", "R2", "R3", "R4"], "service": "children",
    "role_group": "social_worker", "q1": [5, 4, 2, 3], "q2": [2, 4, None, 5],
    "q3": [4, 4, 2, None], "hours_over_contract": [2.0, 4.0, 0.0, 6.0]})
INVITED = "service,invited\nchildren,10\nadults,8\n"
Z = 1.959964


def _write(folder, survey: pd.DataFrame, name: str):
    folder.mkdir(parents=True)
    (folder / "health_check_items.csv").write_text(ITEMS, encoding="utf-8")
    (folder / "health_check_invited.csv").write_text(INVITED, encoding="utf-8")
    survey.to_csv(folder / f"{name}.csv", index=False)


def _warehouse(tmp, years: dict[int, tuple[pd.DataFrame, str]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(tmp / "w.duckdb"))
    for year, (survey, name) in years.items():
        _write(tmp / str(year), survey, name)
        prepared = prepare_year(tmp / str(year), year, CONFIG, b"k" * 32)
        assert not prepared.has_errors, [p.describe() for p in prepared.problems]
        write_candidates(con, year, prepared.tables)
        promote_year(con, year)
    build_staging(con, CONFIG)
    return con


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """2025 as respondent rows, 2024 as the LGA's aggregate report of the same answers."""
    items = pd.read_csv(pd.io.common.StringIO(ITEMS))
    con = _warehouse(tmp_path_factory.mktemp("hc"), {
        2024: (aggregate(RESPONSES, items), "health_check_aggregate"),
        2025: (RESPONSES.astype({"q2": "Int64", "q3": "Int64"}), "health_check_responses")})
    yield con
    con.close()


def _measures(con, year: int) -> pd.DataFrame:
    frame = compute_measures(con, year, CONFIG)
    return frame[frame["measure"].str.contains("health_check|hours_over")]


def _headline(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["breakdown"].isna()].set_index(["service", "measure"])


def test_item_counts_are_the_same_from_either_source(warehouse):
    counts = warehouse.execute(
        "select reporting_year, item_id, item_text, answer_1, answer_2, answer_3, answer_4, "
        "answer_5, blank, source from staging.survey_item_counts "
        "order by reporting_year, item_id").df()
    by_year = {y: f.drop(columns=["reporting_year", "source"]).reset_index(drop=True)
               for y, f in counts.groupby("reporting_year")}
    pd.testing.assert_frame_equal(by_year[2024], by_year[2025])
    assert by_year[2025]["blank"].tolist() == [0, 1, 1]
    assert set(counts["source"]) == {"aggregate", "respondents"}


def test_hand_computed_measures_from_the_aggregate_report(warehouse):
    got = _headline(_measures(warehouse, 2024))
    child = got.loc["children"]
    # scores: q1 100+75+25+50, q2 reversed 75+25+0 over 7 answers; q3 75+75+25 over 3
    assert child.loc["health_check_score_standard_1", "value"] == pytest.approx(350 / 7)
    assert child.loc["health_check_score_standard_2", "value"] == pytest.approx(175 / 3)
    # favourable, polarity aligned: workload q1 2/4 + q3 2/3 (4 or 5) = 4/7; stress q2 is
    # reverse scored, so 1 or 2 is favourable: answers 2, 4, 5 -> 1/3
    workload = child.loc["health_check_favourable_workload"]
    assert workload[["value", "numerator", "denominator"]].tolist() == pytest.approx(
        [100 * 4 / 7, 4, 7])
    assert child.loc["health_check_favourable_stress", "value"] == pytest.approx(100 / 3)
    assert (child.loc["health_check_response_rate", ["value", "numerator", "denominator"]]
            .tolist() == [40.0, 4.0, 10.0])
    # design effect: 7 workload answers, at least 4 people (q1's answers): m = 1.75, ρ = 1,
    # deff 1.75 -> Wilson on 4 / 1.75 favourable of 7 / 1.75
    lower, upper = wilson(4 / 1.75, 7 / 1.75)
    assert (workload["ci_lower"], workload["ci_upper"]) == (
        pytest.approx(100 * lower), pytest.approx(100 * upper))
    # stress: 3 answers from at least 3 people, deff 1: the plain Wilson interval on 1 of 3
    stress = child.loc["health_check_favourable_stress"]
    lower, upper = wilson(1, 3)
    assert (stress["ci_lower"], stress["ci_upper"]) == (
        pytest.approx(100 * lower), pytest.approx(100 * upper))
    # standard 1 score: answers' scores 100 75 25 50 75 25 0, mean 50, Σy² = 25000,
    # s² = (25000 - 7 x 50²) / 6 = 1250; deff 7 / 4 = 1.75: var = 1250 x 1.75 / 7 = 312.5
    half = Z * math.sqrt(312.5)
    standard_1 = child.loc["health_check_score_standard_1"]
    assert (standard_1["ci_lower"], standard_1["ci_upper"]) == (
        pytest.approx(50 - half), pytest.approx(50 + half))
    # hours over contract needs respondent rows: no row, published as [x]
    assert not any(m == "hours_over_contract_mean" for _, m in got.index)


def test_agree_share_per_item_from_the_aggregate_report(warehouse):
    frame = _measures(warehouse, 2024)
    items = frame[(frame["measure"] == "health_check_agree_item")
                  & (frame["service"] == "children")].set_index("category")
    # answers of 4 or 5 as given: q1 5,4 of 4; q2 4,5 of 3 (agreeing is unfavourable); q3 4,4 of 3
    assert items.loc["Workload is manageable", ["value", "numerator", "denominator"]].tolist() \
        == pytest.approx([50.0, 2, 4])
    assert items.loc["I feel stressed", "value"] == pytest.approx(200 / 3)
    assert items.loc["I feel stressed", "breakdown"] == "item:stress:disagree"
    assert items.loc["I can plan my week", "breakdown"] == "item:workload:agree"


def test_the_aggregate_path_agrees_with_the_respondent_path(warehouse):
    from_counts, from_rows = _measures(warehouse, 2024), _measures(warehouse, 2025)
    key = ["service", "measure", "breakdown", "category"]
    counts = from_counts.set_index(key)
    rows = from_rows[from_rows["measure"] != "hours_over_contract_mean"].set_index(key)
    # the same cells (the aggregate report has no role group split, so no by-role rows) ...
    by_role = rows.index.get_level_values("breakdown") == "role_group"
    assert sorted(counts.index) == sorted(rows.index[~by_role])
    assert len(counts) >= 15
    # ... and the same point estimates and counts
    for cell in counts.index:
        for column in ("value", "numerator"):
            assert counts.loc[cell, column] == pytest.approx(rows.loc[cell, column],
                                                             nan_ok=True), (cell, column)
    # Intervals differ by design (docs/design.md §4 "Intervals"): respondent rows are clustered
    # by respondent (Taylor linearisation, with its small-sample n / (n - 1)); counts cannot be,
    # so they take the cautious ρ = 1 design effect, wider than answers taken as independent.
    # On these 4 respondents: workload 18.8-88.5 from counts, 15.5-90.6 from rows.
    c = counts.loc[("children", "health_check_favourable_workload", None, None)]
    r = rows.loc[("children", "health_check_favourable_workload", None, None)]
    plain_lower, plain_upper = wilson(4, 7)
    assert c["ci_lower"] < 100 * plain_lower and c["ci_upper"] > 100 * plain_upper
    assert (c["ci_lower"], c["ci_upper"]) == (pytest.approx(18.83, abs=0.01),
                                              pytest.approx(88.46, abs=0.01))
    assert (r["ci_lower"], r["ci_upper"]) == (pytest.approx(15.50, abs=0.01),
                                              pytest.approx(90.65, abs=0.01))
    # hours over contract: only the respondent year has it
    assert (from_rows["measure"] == "hours_over_contract_mean").any()
    assert not (from_counts["measure"] == "hours_over_contract_mean").any()


def test_a_one_service_survey_is_valid_and_the_other_service_has_no_figures(warehouse):
    """Both years covered children's services only though adults were invited: no adults'
    figure at all (not a 0% response rate), so the report shows [x]; "all" is over the
    surveyed service: 4 of the 10 children's invitees, not 4 of 18."""
    for year in (2024, 2025):
        frame = _measures(warehouse, year)
        assert set(frame["service"]) == {"children", "all"}, year
        rate = _headline(frame).loc[("all", "health_check_response_rate")]
        assert rate[["value", "numerator", "denominator"]].tolist() == [40.0, 4.0, 10.0]


def test_an_adults_only_aggregate_report(tmp_path):
    """The 2025-26 health check covered adults' services only, as the aggregate report."""
    adults = RESPONSES.assign(service="adults", role_group="")
    items = pd.read_csv(pd.io.common.StringIO(ITEMS))
    con = _warehouse(tmp_path, {2026: (aggregate(adults, items), "health_check_aggregate")})
    frame = _headline(_measures(con, 2026))
    con.close()
    assert set(frame.index.get_level_values("service")) == {"adults", "all"}
    # 4 respondents of 8 invited adults
    assert frame.loc[("adults", "health_check_response_rate"), "value"] == 50.0
    assert frame.loc[("all", "health_check_score_standard_1"), "value"] == pytest.approx(50.0)


def test_the_unsurveyed_service_is_published_as_not_available(warehouse):
    """In the published headline table the adults' health check figures of this children-only
    survey are [x] (not available), while a workforce measure that only children's services
    have stays [z] (not applicable)."""
    from assets.published.tables import _headline_rows, protect_headline

    measures = compute_measures(warehouse, 2024, CONFIG)
    workforce = pd.DataFrame({
        "reporting_year": 2024, "measure": ["fte_in_post", "headcount_in_post"],
        "service": ["children", "adults"], "value": [10.0, 12.0], "numerator": None,
        "denominator": None, "breakdown": None, "category": None, "month_end": None,
        "unit": "FTE", "ci_lower": None, "ci_upper": None, "source": "test",
        "authority_code": "TST"})
    rows = _headline_rows(pd.concat([measures, workforce], ignore_index=True)
                          .assign(breakdown=lambda f: f["breakdown"].fillna("")))
    grid = protect_headline(rows, threshold=1).set_index(["measure", "service"])["missing"]
    assert grid[("health_check_response_rate", "children")] == ""
    assert grid[("health_check_response_rate", "adults")] == "[x]"
    assert grid[("health_check_score_standard_1", "adults")] == "[x]"
    assert grid[("hours_over_contract_mean", "children")] == "[x]"  # aggregate: no hours
    assert grid[("fte_in_post", "adults")] == "[z]"


def test_an_aggregate_split_by_role_group_gives_the_by_role_scores(tmp_path):
    """An aggregate report with role-group rows: the by-role scores equal the respondent path's,
    and the respondents behind a cell are summed over role groups (different people)."""
    roles = RESPONSES.assign(role_group=["social_worker", "social_worker", "manager", "manager"])
    items = pd.read_csv(pd.io.common.StringIO(ITEMS))
    split = pd.concat([aggregate(roles[roles["role_group"] == r], items).assign(role_group=r)
                       for r in ("manager", "social_worker")], ignore_index=True)
    con = _warehouse(tmp_path, {
        2024: (split, "health_check_aggregate"),
        2025: (roles.astype({"q2": "Int64", "q3": "Int64"}), "health_check_responses")})
    from_counts, from_rows = _measures(con, 2024), _measures(con, 2025)
    con.close()
    key = ["service", "measure", "breakdown", "category"]
    by_role = from_counts[from_counts["breakdown"] == "role_group"].set_index(key)
    rows = from_rows[from_rows["breakdown"] == "role_group"].set_index(key)
    assert sorted(by_role.index) == sorted(rows.index) and len(by_role) == 8
    for cell in by_role.index:
        assert by_role.loc[cell, "value"] == pytest.approx(rows.loc[cell, "value"]), cell
    # managers R3, R4 on standard 1: q1 2, 3 -> 25 + 50; q2 reversed 5 -> 0: 75 / 3 = 25
    assert by_role.loc[("children", "health_check_score_standard_1", "role_group", "manager"),
                       "value"] == pytest.approx(25.0)
    # standard 1 over the service: at least 2 people per role group saw it -> 4 respondents
    headline = _headline(from_counts)
    assert headline.loc[("children", "health_check_score_standard_1"), "denominator"] == 4
    assert headline.loc[("children", "health_check_response_rate"), "numerator"] == 4
