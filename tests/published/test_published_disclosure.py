"""Disclosure control: primary and secondary suppression, the LP audit, presentation."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assets.published.disclosure import (
    CONFIDENTIAL,
    NOT_AVAILABLE,
    Total,
    audit_feasible_ranges,
    category_totals,
    mask,
    present,
    primary_suppressed,
    rate_suppressed,
    secondary_suppress,
    service_totals,
)
from assets.published.tables import BREAKDOWN_TABLES, breakdown_cells, protect_breakdown

THRESHOLD = 5
LEAVERS = next(spec for spec in BREAKDOWN_TABLES if spec.name == "leavers_by_reason")


def test_primary_suppresses_one_to_threshold_and_keeps_zero():
    counts = pd.Series([0, 1, 2, 3, 4, 5, 6, 250, None])
    assert primary_suppressed(counts, THRESHOLD).tolist() == [
        False, True, True, True, True, True, False, False, False,
    ]  # fmt: skip


def test_rate_with_small_numerator_or_denominator_is_suppressed():
    numerator = pd.Series([3, 50, 0, 40])
    denominator = pd.Series([100, 4, 100, 80])
    assert rate_suppressed(numerator, denominator, THRESHOLD).tolist() == [True, True, False, False]


def test_present_rounds_counts_to_integers_and_rates_to_one_decimal():
    cells = present(pd.Series([12.0, 17.5676, -0.04, None]), pd.Series(["count", "percent",
                                                                         "percent", "percent"]))
    assert cells.tolist() == [12, 17.6, 0.0, NOT_AVAILABLE]
    assert isinstance(cells[0], int) and str(cells[2]) == "0.0"  # never "-0.0"


def _group(parts: list[int]) -> tuple[pd.Series, list[Total]]:
    values = pd.Series([*parts, sum(parts)], dtype="float64")
    return values, [Total(len(parts), tuple(range(len(parts))))]


def test_single_suppressed_cell_in_a_group_with_a_total_gets_a_partner():
    values, totals = _group([10, 3, 20, 0])
    suppressed = secondary_suppress(values, primary_suppressed(values, THRESHOLD), totals, THRESHOLD)
    # 3 is primary; the next-smallest non-zero cell (10) hides it; 0 is never used.
    assert suppressed.tolist() == [True, True, False, False, False]
    published = mask(values.astype(object), suppressed).to_frame("count")
    ranges = audit_feasible_ranges(published, totals, THRESHOLD)
    assert ranges["ok"].all()
    # a zero may be suppressed as secondary suppression, so a [c] is known only to be >= 0
    assert ranges.loc[1, "lower"] == 0 and ranges.loc[1, "upper"] == 13


def test_two_small_suppressed_cells_protect_each_other_from_zero():
    # 1 + 2 hidden beside a published total: a [c] may hide a 0 (secondary suppression of
    # zeros), so each lies in [0, 3]: nobody can tell whether anyone is in either cell.
    values, totals = _group([1, 2, 9, 30])
    suppressed = secondary_suppress(values, primary_suppressed(values, THRESHOLD), totals, THRESHOLD)
    assert suppressed.tolist() == [True, True, False, False, False]
    ranges = audit_feasible_ranges(mask(values.astype(object), suppressed).to_frame("count"),
                                   totals, THRESHOLD)
    assert ranges[["lower", "upper"]].to_numpy().tolist() == [[0, 3], [0, 3]]


def test_two_small_suppressed_cells_are_not_enough_when_known_to_be_at_least_one():
    # Where a [c] is known to be at least 1, 1 + 2 leaves each in [1, 2]: a third cell goes.
    values, totals = _group([1, 2, 9, 30])
    suppressed = secondary_suppress(values, primary_suppressed(values, THRESHOLD), totals,
                                    THRESHOLD, lower=1)
    assert suppressed.tolist() == [True, True, True, False, False]


def test_audit_catches_a_recoverable_cell():
    values, totals = _group([10, 3, 20])
    published = mask(values.astype(object), pd.Series([False, True, False, False])).to_frame("count")
    ranges = audit_feasible_ranges(published, totals, THRESHOLD)
    assert ranges.loc[1, ["lower", "upper", "width"]].tolist() == [3, 3, 0]
    assert not ranges["ok"].any()


def test_children_plus_adults_equals_all_is_protected():
    frame = pd.DataFrame({
        "measure": ["children_looked_after"] * 3,
        "service": ["children", "adults", "all"],
        "count": [4, 40, 44],
    })  # fmt: skip
    totals = service_totals(frame, ["measure"])
    assert totals == [Total(2, (0, 1))]
    suppressed = secondary_suppress(
        frame["count"], primary_suppressed(frame["count"], THRESHOLD), totals, THRESHOLD
    )
    assert suppressed.tolist() == [True, True, False]  # adults (40) hides children (4)
    published = frame.assign(count=mask(frame["count"], suppressed))
    assert audit_feasible_ranges(published, totals, THRESHOLD)["ok"].all()


def _breakdown(counts: dict[str, list[int]]) -> pd.DataFrame:
    categories = [f"reason_{i}" for i in range(len(counts["children"]))]
    counts = {**counts, "all": [c + a for c, a in zip(counts["children"], counts["adults"],
                                                        strict=True)]}
    rows = [
        {"reporting_year": 2025, "service": service, "breakdown": "leavers_by_reason",
         "category": category, "value": float(n), "numerator": float(n)}
        for service, ns in counts.items() for category, n in zip(categories, ns, strict=True)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def _audit(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    protected = protect_breakdown(rows, LEAVERS, THRESHOLD)
    published = breakdown_cells(protected, LEAVERS)
    ranges = audit_feasible_ranges(published, protected.attrs["constraints"], THRESHOLD)
    return published, ranges


@pytest.mark.parametrize(
    "counts",
    [
        {"children": [14, 3, 0, 1, 8], "adults": [9, 7, 2, 0, 6]},  # leavers by reason
        {"children": [4, 60, 22, 2], "adults": [9, 41, 15, 0]},  # audit grades
        {"children": [120, 14, 9, 3, 2], "adults": [70, 8, 11, 1, 0]},  # ethnicity in post
        {"children": [40, 35, 50], "adults": [22, 18, 30]},  # nothing small: nothing hidden
    ],
)
def test_lp_audit_every_suppressed_cell_keeps_a_wide_range(counts):
    published, ranges = _audit(_breakdown(counts))
    assert ranges["ok"].all(), ranges[~ranges["ok"]]
    assert len(ranges) == (published["count"] == CONFIDENTIAL).sum()
    if min(min(v for v in ns if v) for ns in counts.values()) > THRESHOLD:
        assert ranges.empty


def test_category_totals_link_parts_to_their_total():
    frame = pd.DataFrame({"service": ["children"] * 3, "category": ["a", "b", "Total"]})
    assert category_totals(frame, ["service"], "category", "Total") == [Total(2, (0, 1))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda k: st.tuples(
            st.lists(st.integers(0, 25), min_size=k, max_size=k),
            st.lists(st.integers(0, 25), min_size=k, max_size=k),
        )
    )
)
def test_property_no_published_count_is_small_and_every_c_is_protected(children_adults):
    children, adults = children_adults
    published, ranges = _audit(_breakdown({"children": children, "adults": adults}))
    counts = pd.to_numeric(published["count"], errors="coerce")
    assert not counts.between(1, THRESHOLD).any()
    assert (published.loc[counts == 0, "count"] == 0).all()  # zeros stay 0
    assert ranges["feasible"].all()
    assert ranges["ok"].all(), ranges[~ranges["ok"]]


def test_dominance_p_percent_rule():
    from assets.published.disclosure import dominance_suppressed

    totals = pd.Series([100.0, 100.0, 100.0, 100.0])
    largest = pd.Series([90.0, 50.0, 100.0, 50.0])
    second = pd.Series([5.0, 30.0, 0.0, 45.0])
    # remainders 5 (< 9: fails), 20 (>= 5), 0 (one contributor: fails), 5 (= 10% of 50: the
    # boundary passes)
    assert dominance_suppressed(totals, largest, second, p=10).tolist() == [
        True, False, True, False]


def test_at_most_relation_bounds_all_by_the_services():
    # all <= children + adults (movers): children hidden, adults 3, all 10 -> children >= 7
    from assets.published.disclosure import audit_feasible_ranges

    table = pd.DataFrame({"count": [CONFIDENTIAL, 3, 10, CONFIDENTIAL, 12]})
    totals = [Total(2, (0, 1), at_most=True), Total(4, (0, 3))]  # children + other = 12
    ranges = audit_feasible_ranges(table, totals, THRESHOLD)
    assert ranges.loc[0, ["lower", "upper"]].tolist() == [7, 12]


def _learning_rows(cells: dict[str, tuple[int, float, float, float]]) -> pd.DataFrame:
    """Metrics rows for learning hours by category: service -> (learners, hours, largest,
    second largest) for the category `cpd`."""
    rows = []
    for service, (learners, hours, largest, second) in cells.items():
        for measure, value in (("learners_headcount", learners),
                               ("learning_hours_per_fte", hours / 10),
                               ("learning_hours_largest", largest),
                               ("learning_hours_second_largest", second)):
            rows.append(dict(reporting_year=2025, measure=measure, service=service,
                             breakdown="category", category="cpd", month_end=None,
                             value=float(value),
                             numerator=float(hours if measure == "learning_hours_per_fte"
                                             else value),
                             denominator=None, unit="hours", ci_lower=None, ci_upper=None))
    return pd.DataFrame(rows)


def test_p_percent_dominance_hides_hours_one_person_dominates():
    # Children's cpd: 7 learners (above the threshold) but one did 95 of the 100 hours; the
    # others' 2 hours (100 - 95 - 3) are under 10% of 95, so the second learner could
    # estimate the first's hours to within 10%: [c]. Adults' 80 hours are spread out.
    from assets.published.disclosure import dominance_suppressed
    from assets.published.tables import protect_year

    assert dominance_suppressed(pd.Series([100.0, 80.0, 105.0]), pd.Series([95.0, 15.0, 95.0]),
                                pd.Series([3.0, 12.0, 0.5])).tolist() == [True, False, False]
    # 105 - 95 - 0.5 = 9.5 = 10% of 95 exactly: not under it, so published (the boundary).
    tables = protect_year(_learning_rows({"children": (7, 100, 95, 3),
                                          "adults": (8, 80, 15, 12),
                                          "all": (15, 180, 95, 15)}), 2025, THRESHOLD)
    table = tables["learning_hours_by_category"].set_index("service")
    assert table.loc["children", "value"] == CONFIDENTIAL
    # all (180) <= children + adults would put children's hours at >= 100, their true value:
    # no room below it, so adults' hours are hidden too (p% protection, both sides).
    assert table.loc["adults", "value"] == CONFIDENTIAL
    assert table.loc["all", "value"] == 180.0
