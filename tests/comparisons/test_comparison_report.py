"""The published comparison tables and the report's words, charts and alt text built on them.

Gateshead (390) with no local data: its own figures are DfE's, so rank and neighbour mean are
the ones test_comparisons.py works out by hand (2025 FTE turnover: 16.0%, neighbours 15.62%,
30th highest of 148, the highest quarter)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from assets.metrics.comparisons import build_comparisons
from assets.metrics.measures import replace_year
from assets.published.comparisons import build_comparison_tables
from assets.published.tables import assert_no_identifiers
from assets.report.support import comparisons as cmp
from assets.report.support.snapshot import Snapshot
from psw_core.config import AuthorityConfig
from quarto_lite.execute import _figure_markdown


def _snapshot(tmp_path, config: AuthorityConfig, local: pd.DataFrame | None = None) -> Snapshot:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        if local is not None:
            replace_year(con, local, 2025, config.code)
        build_comparisons(con, 2025, config)
        tables = build_comparison_tables(con, 2025, config)
    finally:
        con.close()
    assert_no_identifiers(tables)
    for frame in tables.values():
        frame["reporting_year"] = frame["reporting_year"].astype("Int64")
    return Snapshot(path=tmp_path / "published.duckdb", reporting_year=2025, tables=tables)


@pytest.fixture(scope="module")
def gateshead(tmp_path_factory):
    return _snapshot(tmp_path_factory.mktemp("g"), AuthorityConfig(
        name="Gateshead test", code="GAT", dfe_la_code="390"))


def test_published_row_is_rounded_and_marked(gateshead):
    row = cmp.row(gateshead, "turnover_rate_fte")
    assert (row["council"], row["neighbour_mean"]) == (16.0, 15.6)
    assert (row["rank"], row["councils_ranked"], row["quartile"]) == (30, 148, 1)
    assert row["council_source"] == "DfE published" and row["like_for_like"] == "yes"


def test_sentence_and_alt_text_say_where_we_sit(gateshead):
    sentence = cmp.measure_sentence(gateshead, "turnover_rate_fte")
    assert "16.0%" in sentence and "30th highest of 148 councils" in sentence
    assert "the highest quarter" in sentence and "lower is better" in sentence
    assert "above the average of our statistical neighbours (15.6%, 10 of 10" in sentence
    alt = cmp.dot_alt(gateshead, "turnover_rate_fte")
    assert "30th highest of 148" in alt and "16.0%" in alt and "England" in alt


def test_every_council_is_a_row_of_the_annex_table(gateshead):
    table = cmp.councils_table(gateshead)
    councils = gateshead.table("comparison_councils")
    assert len(table) == councils["la_code"].nunique()
    assert table["Council"].str.endswith("(neighbour)").sum() == 10
    assert list(table.columns[1:]) == list(cmp.SHORT.values())


def test_series_marks_dfe_published_years(gateshead):
    series = cmp.series_table(gateshead, "caseload_fte")
    assert list(series["Year"]) == [str(y) for y in range(2017, 2026)]
    assert series["Ours"].str.endswith("\\*").all()  # no local data: every year is DfE's


def test_a_different_definition_gets_no_above_or_below(tmp_path):
    # Every children's pair in benchmark_map is exact on DfE's period, so a council reporting
    # on the financial year is the case whose figure is on a different basis.
    local = pd.DataFrame({
        "authority_code": "GAT", "reporting_year": 2025, "measure": ["absence_rate"],
        "service": "children", "breakdown": None, "category": None, "month_end": None,
        "value": [9.0], "numerator": None, "denominator": None, "unit": "percent",
        "ci_lower": None, "ci_upper": None, "source": "test"})
    snap = _snapshot(tmp_path, AuthorityConfig(name="G", code="GAT", dfe_la_code="390",
                                               period="financial"), local)
    sentence = cmp.measure_sentence(snap, "absence_rate")
    assert "not set above or below" in sentence
    assert " above England" not in sentence and "highest of" not in sentence
    assert "not placed among the others" in cmp.dot_alt(snap, "absence_rate")
    summary = cmp.summary_table(snap).set_index("Measure (children's)")
    assert summary.loc["Sickness absence", "Quartile"] == "[z]"
    # The dot chart leaves our figure out: no "us" dot for a different definition.
    councils = snap.table("comparison_councils")
    assert not ((councils["measure"] == "absence_rate") & (councils["role"] == "us")).any()


def test_illustrative_group_says_so(tmp_path):
    snap = _snapshot(tmp_path, AuthorityConfig(
        name="Fictional", code="FIC", region="North West",
        statistical_neighbours=["350", "354"], peers_illustrative=True))
    text = cmp.group_sentence(snap)
    assert "illustrative only" in text and "Bolton" in text and "North West" in text


def test_dot_chart_draws_every_council(gateshead):
    fig = cmp.dot_chart(gateshead, "turnover_rate_fte", show=False)
    drawn = sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    values = pd.to_numeric(gateshead.table("comparison_councils").query(
        "measure == 'turnover_rate_fte'")["value"], errors="coerce")
    assert drawn == values.notna().sum()


def test_chart_alt_text_written_at_run_time_wins():
    markdown = _figure_markdown({"fig-alt": "static"}, "media/a.png", True, "from the data")
    assert 'fig-alt="from the data"' in markdown and "static" not in markdown
    assert 'fig-alt="static"' in _figure_markdown({"fig-alt": "static"}, "media/a.png", True)


def test_a_comparison_inside_our_interval_is_similar_not_above_or_below():
    # 11.6% against England's 11.8%: "below" by sign, but 11.8 lies in our interval 10.1-13.3
    assert cmp._relation(11.6, 11.8, (10.1, 13.3)) == "similar to"
    assert cmp._relation(11.6, 13.6, (10.1, 13.3)) == "below"  # outside: a real difference
    assert cmp._relation(11.6, 13.3, (10.1, 13.3)) == "similar to"  # the boundary is inside
    assert cmp._relation(11.6, 11.8, None) == "below"  # no interval: the sign (DfE's own figure)
    assert cmp._relation(11.64, 11.56, (11.0, 12.0)) == "the same as"  # both show 11.6
