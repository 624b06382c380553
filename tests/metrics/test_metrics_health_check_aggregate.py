"""The health check as councils receive it (the LGA's aggregate report): hand-computed, and the
same figures as the respondent-level path on the same answers, with design-effect-corrected
intervals (assets/staging/survey.py, staging.survey_item_counts)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from assets.candidate.load import prepare_year
from assets.candidate.store import write_candidates
from assets.metrics.intervals import wilson as metrics_wilson
from assets.metrics.measures import compute_measures
from assets.raw.warehouse import promote_year
from assets.staging.models import build_staging
from assets.staging.survey import health_check_from_counts, wilson
from psw_core.config import AuthorityConfig
from psw_synth.survey import aggregate

CONFIG = AuthorityConfig(name="Test Council", code="TST")
ITEMS = ("item_id,standard,theme,text,reverse_scored\nq1,1,workload,Workload is manageable,0\n"
         "q2,1,stress,I feel stressed,1\nq3,2,workload,I can plan my week,0\n")
# Four children's respondents; R3 skipped q2 and R4 skipped q3.
RESPONSES = pd.DataFrame({
    "response_id": ["R1", "R2", "R3", "R4"], "service": "children",
    "role_group": "social_worker", "q1": [5, 4, 2, 3], "q2": [2, 4, None, 5],
    "q3": [4, 4, 2, None], "hours_over_contract": [2.0, 4.0, 0.0, 6.0]})
INVITED = "service,invited\nchildren,10\nadults,8\n"


def _write(folder, survey: pd.DataFrame, name: str):
    folder.mkdir(parents=True)
    (folder / "health_check_items.csv").write_text(ITEMS, encoding="utf-8")
    (folder / "health_check_invited.csv").write_text(INVITED, encoding="utf-8")
    survey.to_csv(folder / f"{name}.csv", index=False)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    """2025 as respondent rows, 2024 as the aggregate report of the same answers."""
    tmp = tmp_path_factory.mktemp("hc")
    _write(tmp / "2025", RESPONSES.astype({"q2": "Int64", "q3": "Int64"}),
           "health_check_responses")
    items = pd.read_csv(tmp / "2025" / "health_check_items.csv")
    _write(tmp / "2024", aggregate(RESPONSES, items), "health_check_aggregate")
    con = duckdb.connect(str(tmp / "w.duckdb"))
    for year in (2024, 2025):
        prepared = prepare_year(tmp / str(year), year, CONFIG, b"k" * 32)
        assert not prepared.has_errors, [p.describe() for p in prepared.problems]
        write_candidates(con, year, prepared.tables)
        promote_year(con, year)
    build_staging(con, CONFIG)
    yield con
    con.close()


def _from_counts(con, year: int) -> pd.DataFrame:
    counts = con.execute("select * from staging.survey_item_counts where reporting_year = ?",
                         [year]).df()
    invited = con.execute("select service, invited from raw.health_check_invited "
                          "where reporting_year = ?", [year]).df()
    return health_check_from_counts(counts, invited).set_index(["service", "measure"])


def test_item_counts_are_the_same_from_either_source(warehouse):
    counts = warehouse.execute(
        "select reporting_year, item_id, answer_1, answer_2, answer_3, answer_4, answer_5, "
        "blank, source from staging.survey_item_counts order by reporting_year, item_id").df()
    by_year = {y: f.drop(columns=["reporting_year", "source"]).reset_index(drop=True)
               for y, f in counts.groupby("reporting_year")}
    pd.testing.assert_frame_equal(by_year[2024], by_year[2025])
    assert by_year[2025]["blank"].tolist() == [0, 1, 1]
    assert set(counts["source"]) == {"aggregate", "respondents"}


def test_hand_computed_measures_from_the_aggregate_report(warehouse):
    got = _from_counts(warehouse, 2024)
    child = got.loc["children"]
    # scores: q1 100+75+25+50, q2 reversed 75+25+0 over 7 answers; q3 75+75+25 over 3
    assert child.loc["health_check_score_standard_1", "value"] == pytest.approx(350 / 7)
    assert child.loc["health_check_score_standard_2", "value"] == pytest.approx(175 / 3)
    # favourable, polarity aligned: workload q1 2/4 + q3 2/3 (4 or 5) = 4/7; stress q2 is
    # reverse scored, so 1 or 2 is favourable: answers 2, 4, 5 -> 1/3
    assert child.loc["health_check_favourable_workload", "value"] == pytest.approx(100 * 4 / 7)
    assert child.loc["health_check_favourable_stress", "value"] == pytest.approx(100 * 1 / 3)
    assert (child.loc["health_check_response_rate", ["value", "numerator", "denominator"]]
            .tolist() == [40.0, 4.0, 10.0])
    # design effect: 7 workload answers from 4 respondents, m = 1.75, ρ = 1 -> deff 1.75
    workload = child.loc["health_check_favourable_workload"]
    assert workload["design_effect"] == pytest.approx(1.75)
    lower, upper = wilson(4 / 1.75, 7 / 1.75)
    assert (workload["ci_lower"], workload["ci_upper"]) == (
        pytest.approx(100 * lower), pytest.approx(100 * upper))
    assert child.loc["health_check_favourable_stress", "design_effect"] == 1.0  # 3 answers, 4 people
    # the one-service survey: no adults' figures at all (not a 0% response rate), so the
    # report shows [x]; the total covers the surveyed service only
    assert "adults" not in got.index.get_level_values("service")
    assert got.loc[("all", "health_check_response_rate"), "value"] == 40.0


def test_the_aggregate_path_agrees_with_the_respondent_path(warehouse):
    from_rows = compute_measures(warehouse, 2025, CONFIG)
    from_rows = from_rows[from_rows["breakdown"].isna()].set_index(["service", "measure"])
    aggregate_year = _from_counts(warehouse, 2024)
    respondent_year = _from_counts(warehouse, 2025)
    # The one difference, by design: the metrics' response rate for "all" also counts the 8
    # invited adults whom this children-only survey never asked (4 / 18); here it is 4 / 10.
    unsurveyed = ("all", "health_check_response_rate")
    assert from_rows.loc[unsurveyed, "value"] == pytest.approx(100 * 4 / 18)
    shared = [k for k in aggregate_year.index if k in from_rows.index and k != unsurveyed]
    assert len(shared) >= 8
    for key in shared:
        assert aggregate_year.loc[key, "value"] == pytest.approx(from_rows.loc[key, "value"]), key
        assert respondent_year.loc[key, "value"] == pytest.approx(from_rows.loc[key, "value"])
    # The metrics cluster respondent rows by respondent (docs/design.md §4), which counts alone
    # cannot: the counts path gives the plain interval for respondent rows and the cautious
    # design effect for the aggregate report, both narrower or wider than the plain one as stated.
    key = ("children", "health_check_favourable_workload")
    assert from_rows.loc[key, "ci_lower"] < respondent_year.loc[key, "ci_lower"]
    assert aggregate_year.loc[key, "ci_lower"] < respondent_year.loc[key, "ci_lower"]
    # hours over contract needs respondent rows: only the respondent year has it
    assert ("children", "hours_over_contract_mean") in from_rows.index
    assert ("children", "hours_over_contract_mean") not in aggregate_year.index


def test_the_staging_wilson_is_the_metrics_wilson():
    x, n = np.array([0, 3, 2.2857, 7]), np.array([4, 7, 4, 7])
    np.testing.assert_allclose(wilson(x, n), metrics_wilson(x, n))
