"""The registry, docs/measures.md, the SQL output and the plain formulas agree."""

import re
from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import pytest
from metrics_scenario import build

from assets.metrics import formulas
from assets.metrics.benchmarks import (
    DEFAULT_BENCHMARKS,
    DEFAULT_MAP,
    compute_benchmarks,
    read_reference,
)
from assets.metrics.definitions import (
    HEADLINE,
    MEASURES,
    UNITS,
    registry_problems,
    render_annex,
    render_markdown,
)
from assets.metrics.measures import family_sql, finish

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


# ---------------------------------------------------------------------------------------------
# The registry is the one source (issues #11 and #13): every field filled, texts complete.

SNAKE_CASE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def test_registry_is_sound_and_a_broken_entry_fails_loudly():
    assert registry_problems(MEASURES) == []
    good = MEASURES["stability_rate"]
    broken = {
        "no headline rule": replace(good, disclosure=None),
        "unknown table": replace(good, tables=(*good.tables, "stability_by_team")),
        "unknown family": replace(good, family="stability"),
        "empty title": replace(good, title=" "),
        "snake_case in the plain text": replace(good, plain="100 × stable / headcount_in_post"),
        "unknown benchmark": replace(good, comparison=("ons",)),
    }
    for why, measure in broken.items():
        problems = registry_problems({**MEASURES, measure.name: measure})
        assert len(problems) == 1 and problems[0].startswith("stability_rate: "), (why, problems)


@pytest.mark.parametrize("name", list(MEASURES))
def test_formula_and_plain_definition_state_all_five_things(name):
    m = MEASURES[name]
    formula, plain = m.formula, m.plain_definition
    assert m.calculation in formula
    for label in ("Reference date:", "Population:", "Interval:", "Comparison:"):
        assert formula.count(label) == 1, (label, formula)
    for label in ("When:", "Who:", "Range:", "Compared with:"):
        assert plain.count(label) == 1, (label, plain)
    # Plain English: no notation, no code names, no pointers into the design document.
    assert not SNAKE_CASE.search(plain), SNAKE_CASE.search(plain)
    for notation in ("Σ", "§", "DESIGN", "design.md", "`", "≥", " R ", " P "):
        assert notation not in plain, (notation, plain)
    # A ratio says what it divides by, in both texts; a total or count says it has none.
    if m.unit in ("percent", "days per fte", "cases per fte", "hours per fte", "score 0-100",
                  "hours per week"):
        assert "/" in m.calculation and "divided by" in m.plain, name
    else:
        assert "denominator" in m.calculation, name


def _map_benchmarks() -> dict[str, set[str]]:
    """measure -> benchmarks in data/reference/benchmark_map.csv, by publisher."""
    mapping = read_reference(DEFAULT_MAP)
    publisher = mapping["benchmark_source"].map(
        lambda s: "dfe" if s.startswith("DfE") else "sfc" if s.startswith("Skills for Care")
        else "scw" if s.startswith("Social Care Wales") else s)
    return mapping.assign(publisher=publisher).groupby("measure")["publisher"].agg(set).to_dict()


def test_comparison_basis_matches_the_benchmark_map():
    mapped = _map_benchmarks()
    for m in MEASURES.values():
        assert set(m.comparison) - {"lga"} == mapped.get(m.name, set()), m.name
        # The health check has its framework but no national figure.
        assert ("lga" in m.comparison) == (m.section == "Social work health check"), m.name
    assert "dfe" in MEASURES["turnover_rate_fte"].comparison
    assert MEASURES["fte_in_post"].comparison == ()


@pytest.mark.parametrize("period, exact", [("dfe", True), ("financial", False)])
def test_dfe_comparisons_are_exact_only_on_the_dfe_period(period, exact):
    # The formula says so, and benchmarks.sql does it: on the financial year every DfE pair
    # becomes context ('differs').
    con = duckdb.connect()
    try:
        frame = compute_benchmarks(con, "england", read_reference(DEFAULT_BENCHMARKS),
                                   read_reference(DEFAULT_MAP), period)
    finally:
        con.close()
    exact_measures = set(frame.loc[frame["definition_match"] == "exact", "measure"])
    dfe = {m.name for m in MEASURES.values() if "dfe" in m.comparison}
    assert exact_measures == (dfe if exact else set())
    for name in dfe:
        assert "only when authority.yml sets `period: dfe`" in MEASURES[name].formula
        assert "only when the council reports on the Department's year to 30 September" in (
            MEASURES[name].plain_definition)


SQL_PREFIX = re.compile(r"'([a-z_]+_)'")


@pytest.mark.parametrize("name", list(MEASURES))
def test_each_measure_is_emitted_by_its_family(name):
    # The family's SQL names the measure, or the prefix it builds the name from
    # ('health_check_score_standard_' || standard).
    m = MEASURES[name]
    sql = family_sql(m.family)
    assert f"'{m.name}'" in sql or any(
        m.name.startswith(prefix) for prefix in SQL_PREFIX.findall(sql)), (name, m.family)


def test_the_sql_emitting_an_unregistered_measure_fails(measures):
    from metrics_scenario import config

    rows = measures[measures["measure"] == "stability_rate"].head(1)
    rogue = rows.assign(measure="stability_rate_two_years")[
        ["service", "measure", "breakdown", "category", "month_end", "value", "numerator",
         "denominator"]]
    with pytest.raises(ValueError, match="stability_rate_two_years"):
        finish([rogue], 2024, config())


def test_emitted_measures_are_in_the_tables_the_registry_names(measures):
    headline = set(measures.loc[measures["breakdown"].isna(), "measure"])
    assert all(HEADLINE in MEASURES[m].tables for m in headline), sorted(
        m for m in headline if HEADLINE not in MEASURES[m].tables)


def test_annex_definitions_are_plain_and_cover_every_published_measure():
    text = render_annex()
    for m in MEASURES.values():
        assert (m.plain_definition in text) == bool(m.tables), m.name
        assert (f"**{m.title}**" in text) == bool(m.tables), m.name
    body = text.split("### Choices we made")[0]
    assert not SNAKE_CASE.search(body.replace("docs/measures.md", "")), SNAKE_CASE.search(body)
    assert "Σ" not in body
