"""The registry, docs/measures.md, the SQL output and the plain formulas agree."""

from pathlib import Path

import numpy as np
import pytest
from metrics_scenario import build

from assets.metrics import formulas
from assets.metrics.definitions import MEASURES, UNITS, render_markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "measures.md"

DESIGN_MEASURES = [
    "fte_in_post", "headcount_in_post", "starters_fte", "leavers_fte", "turnover_rate_fte",
    "turnover_rate_headcount", "vacancy_rate_fte", "agency_rate_fte", "agency_rate_headcount",
    "absence_days_per_fte", "absence_rate", "stress_absence_share", "stress_absence_headcount",
    "stability_rate",
    "caseload_fte", "children_looked_after", "supervision_compliance",
    "asye_caseload_within_cap", "assessment_timeliness", "audits_good_or_better",
    "learning_hours_per_fte", "health_check_response_rate", "health_check_score_wellbeing",
    "hours_over_contract_mean",
] + [f"health_check_score_standard_{n}" for n in range(1, 9)]


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    con, frame = build(tmp_path_factory.mktemp("df") / "w.duckdb")
    yield frame
    con.close()


def test_docs_are_generated_from_registry():
    assert DOCS.read_text(encoding="utf-8") == render_markdown(), (
        "docs/measures.md is stale: run `python -m assets.metrics.definitions`")


def test_registry_covers_design_names_and_units():
    assert set(DESIGN_MEASURES) <= set(MEASURES)
    assert all(m.unit in UNITS for m in MEASURES.values())
    assert all(m.count_kind in {"people", "cases", "responses", "none"}
               for m in MEASURES.values())


def test_every_headline_measure_is_emitted(measures):
    headline = set(measures.loc[measures["breakdown"].isna(), "measure"])
    # standards 2-8 have no items in the scenario, so no rows (docs/design.md §4 "Missing values")
    expected = {m for m in DESIGN_MEASURES if not m.startswith("health_check_score_standard_")}
    assert expected | {"health_check_score_standard_1"} <= headline


def test_columns_are_exact(measures):
    assert list(measures.columns) == [
        "authority_code", "reporting_year", "measure", "service", "breakdown", "category",
        "month_end", "value", "numerator", "denominator", "unit", "ci_lower", "ci_upper",
        "source"]
    assert set(measures["service"]) == {"children", "adults", "all"}


@pytest.mark.parametrize("measure, formula", [
    ("turnover_rate_fte", formulas.turnover_rate),
    ("caseload_fte", formulas.caseload),
])
def test_sql_agrees_with_ratio_formulas(measures, measure, formula):
    rows = measures[(measures["measure"] == measure) & measures["value"].notna()]
    np.testing.assert_allclose(rows["value"], formula(rows["numerator"], rows["denominator"]))


def test_sql_percentages_agree_with_percent_formula(measures):
    # every percent row is 100 x numerator / denominator (vacancy and agency rates included:
    # their denominators are vacancies + in post, agency + in post)
    rows = measures[(measures["unit"] == "percent") & measures["value"].notna()]
    np.testing.assert_allclose(rows["value"], formulas.percent(rows["numerator"],
                                                               rows["denominator"]))


def test_vacancy_and_agency_formulas_match_sql(measures):
    from metrics_scenario import value
    # children: vacancies 0.5, in post 1.5; agency 1.0
    assert value(measures, "vacancy_rate_fte", "children") == pytest.approx(
        float(formulas.vacancy_rate(0.5, 1.5)))
    assert value(measures, "agency_rate_fte", "children") == pytest.approx(
        float(formulas.agency_rate(1.0, 1.5)))
