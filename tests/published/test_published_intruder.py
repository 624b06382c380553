"""The intruder test (docs/design.md §4): at least 200 random small authorities, fed straight into the
disclosure code, attacked with an integer programme on every published number; a planted
linked-table leak must be caught. The sample years are attacked in
tests/pipeline/test_pipeline_intruder.py, on the session's sample build."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from intruder import (
    attack,
    group_patterns,
    learning_truth,
    magnitude_findings,
    protect_authorities,
    random_authorities,
    random_authority,
    relations,
    zero_patterns,
)

from assets.published.disclosure import CONFIDENTIAL, DOMINANCE_P
from assets.published.tables import apply_category_schemes, protect_year

THRESHOLD = 5
AUTHORITIES = 200


@pytest.mark.slow
def test_intruder_on_random_small_authorities():
    started, cpu = time.monotonic(), time.process_time()
    measures = random_authorities(range(AUTHORITIES))
    protected = protect_authorities(measures, THRESHOLD)
    truths = dict(tuple(measures.groupby("reporting_year")))
    failures, suppressed, dominated = [], 0, 0
    for seed, tables in protected.items():
        suppressed += sum(int((t.get("count", pd.Series(dtype=object)).astype(str)
                               == CONFIDENTIAL).sum()) for t in tables.values())
        system = relations(tables)
        failures += [f"authority {seed}: {finding}" for finding in attack(tables, THRESHOLD,
                                                                          system)]
        failures += [f"authority {seed}: zero pattern {z}" for z in zero_patterns(tables, system)]
        failures += [f"authority {seed}: group disclosure {g}"
                     for g in group_patterns(tables, THRESHOLD)]
        failures += [f"authority {seed}: p% {m}" for m in magnitude_findings(
            tables, learning_truth(truths[seed]), DOMINANCE_P)]
        dominated += int((tables["learning_hours_by_category"]["value"].astype(str)
                          == CONFIDENTIAL).sum())
    assert len(protected) == AUTHORITIES
    assert dominated > 0, "some learning-hours cells should need protection"
    assert suppressed > AUTHORITIES, "the random authorities should need suppression"
    assert not failures, "\n".join(failures[:20])
    # No timing assertion (the machine is shared); the time is printed with -s.
    print(f"intruder: {AUTHORITIES} authorities in {time.monotonic() - started:.0f} s wall, "
          f"{time.process_time() - cpu:.0f} s CPU")


def test_all_authorities_in_one_pass_are_protected_as_each_on_its_own():
    # The random authorities are protected in one call, each as a reporting year of its own:
    # the tables must be those protect_year gives each authority alone.
    seeds = [0, 3, 7, 11]
    together = protect_authorities(random_authorities(seeds), THRESHOLD)
    for seed in seeds:
        alone = protect_year(random_authority(seed, year=seed), seed, THRESHOLD)
        assert together[seed].keys() == alone.keys()
        for name, table in alone.items():
            pd.testing.assert_frame_equal(together[seed][name], table, check_dtype=False,
                                          obj=f"authority {seed}: {name}")


def test_planted_linked_table_leak_is_caught():
    # Seed 0: children's leavers by ethnic group are hidden (the Total is public: turnover
    # rate x headcount). Plant a leak: hide the Total in the equality table and show every
    # hidden group but one, as a table protected on its own would. Within the table the last
    # one now looks safe; with the exempt headline rate x headcount, or the leavers' Total in
    # the table of reasons, it is pinned exactly.
    measures = random_authority(0)
    tables = protect_year(measures, 2025, THRESHOLD)
    equality = tables["equality_diversity"].copy()
    rows = equality[(equality["service"] == "children")
                    & (equality["characteristic"] == "leavers_ethnicity")]
    hidden = rows[(rows["count"].astype(str) == CONFIDENTIAL) & (rows["group"] != "Total")]
    assert len(hidden) >= 2, "seed 0 should hide children's leaver ethnicities"
    assert attack(tables, THRESHOLD) == []
    # Un-suppress every hidden part but one, and hide the Total instead.
    truth = apply_category_schemes(measures[(measures["measure"] == "leavers_headcount")
                                            & (measures["breakdown"] == "ethnicity")], THRESHOLD)
    truth = truth[truth["service"] == "children"].set_index("category")["value"]
    keep_hidden = hidden.index[0]
    for index in hidden.index[1:]:
        equality.loc[index, "count"] = int(truth[equality.loc[index, "group"]])
    total = rows.index[rows["group"] == "Total"][0]
    equality.loc[total, "count"] = CONFIDENTIAL
    planted = dict(tables, equality_diversity=equality)
    findings = attack(planted, THRESHOLD)
    assert any(f.table == "equality_diversity" and f.service == "children"
               and f.category == equality.loc[keep_hidden, "group"] for f in findings), findings
    # It is the link to other published numbers that pins it: the group on its own is safe.
    alone = attack({"equality_diversity": equality[
        equality["characteristic"] == "leavers_ethnicity"]}, THRESHOLD)
    assert not any(f.table == "equality_diversity" and f.service == "children"
                   and f.category == equality.loc[keep_hidden, "group"] for f in alone)
    message = "\n".join(str(f) for f in findings)
    # names what pins it: the exempt headline figures and the leavers' Total shown elsewhere
    assert "headline_measures (rate x denominator)" in message
    assert "leavers_by_reason+equality_diversity" in message


def test_group_disclosure_hides_the_dominant_category_and_the_zeros():
    # Adults' leavers: 15 of 15 White British. Publishing 15, 0, 0... would tell anyone who
    # knows a colleague left that they are White.
    rows = []
    for service, counts in {"children": {"WBRI": 20, "ABAN": 7, "BAFR": 6, "MWBC": 6},
                            "adults": {"WBRI": 15, "ABAN": 0, "BAFR": 0, "MWBC": 0},
                            "all": {"WBRI": 35, "ABAN": 7, "BAFR": 6, "MWBC": 6}}.items():
        for category, n in counts.items():
            rows.append(dict(reporting_year=2025, measure="leavers_headcount", service=service,
                             breakdown="ethnicity", category=category, month_end=None,
                             value=float(n), numerator=float(n), denominator=None,
                             unit="headcount", ci_lower=None, ci_upper=None))
    tables = protect_year(pd.DataFrame(rows), 2025, THRESHOLD)
    table = tables["equality_diversity"].set_index(["service", "group"])["count"]
    # Every ethnic group has a row (Other, with nobody in it, folded into the combined
    # residual); adults' White and their zeros are hidden.
    groups = ["White", "Asian or Asian British", "Black or Black British",
              "Mixed or multiple", "Other ethnic groups or not recorded (combined)"]
    assert sorted(table.loc["adults"].index) == sorted([*groups, "Total"])
    assert [table[("adults", c)] for c in groups] == [CONFIDENTIAL] * 5
    assert table[("adults", "Total")] == 15
    # all's 35 White would show that adults' 15 are all White (35 <= 20 + adults'), so
    # children's categories are hidden too, as secondary suppression.
    assert table[("children", "White")] == CONFIDENTIAL
    assert group_patterns(tables, THRESHOLD) == []
    assert attack(tables, THRESHOLD) == []


def test_mover_zero_pattern_is_closed_by_suppressing_the_zero():
    # Six children's leavers of ethnicity BAFR (Black African) moved to adults (reason 7):
    # leavers in children, in neither adults' nor all's leavers. Published as 6, 0, 0 it
    # would say that the movers are Black; the 0 for all is suppressed as secondary.
    rows = []
    for service, counts in {"children": {"WBRI": 20, "ABAN": 7, "BAFR": 6},
                            "adults": {"WBRI": 15, "ABAN": 6, "BAFR": 0},
                            "all": {"WBRI": 35, "ABAN": 13, "BAFR": 0}}.items():
        for category, n in counts.items():
            rows.append(dict(reporting_year=2025, measure="leavers_headcount", service=service,
                             breakdown="ethnicity", category=category, month_end=None,
                             value=float(n), numerator=float(n), denominator=None,
                             unit="headcount", ci_lower=None, ci_upper=None))
    tables = protect_year(pd.DataFrame(rows), 2025, THRESHOLD)
    table = tables["equality_diversity"].set_index(["service", "group"])["count"]
    black = "Black or Black British"
    assert table[("all", black)] == CONFIDENTIAL  # the zero, suppressed as secondary
    assert table[("adults", black)] == 0
    assert zero_patterns(tables) == []
    assert attack(tables, THRESHOLD) == []


def test_p_percent_protection_of_hours_and_a_planted_magnitude_leak():
    # Children's cpd: 95 of 100 hours are one person's (p% rule: [c]). all (180) <= children
    # + adults: with adults' 80 hours published, children's would be at least 100, its true
    # value, so the protection hides adults' too; planting adults' hours back pins it.
    rows = []
    for service, (learners, hours, largest, second) in {
            "children": (7, 100, 95, 3), "adults": (8, 80, 15, 12),
            "all": (15, 180, 95, 15)}.items():
        for measure, value, numerator in (
                ("learners_headcount", learners, learners),
                ("learning_hours_per_fte", hours / 10, hours),
                ("learning_hours_largest", largest, largest),
                ("learning_hours_second_largest", second, second)):
            rows.append(dict(reporting_year=2025, measure=measure, service=service,
                             breakdown="category", category="cpd", month_end=None,
                             value=float(value), numerator=float(numerator), denominator=None,
                             unit="hours", ci_lower=None, ci_upper=None))
    measures = pd.DataFrame(rows)
    tables = protect_year(measures, 2025, THRESHOLD)
    truth = learning_truth(measures)
    hours = tables["learning_hours_by_category"]
    assert (hours.set_index("service")["value"] == CONFIDENTIAL).tolist() == [True, True, False]
    assert magnitude_findings(tables, truth, DOMINANCE_P) == []
    planted = hours.copy()
    planted.loc[planted["service"] == "adults", "value"] = 80.0
    found = magnitude_findings(dict(tables, learning_hours_by_category=planted), truth,
                               DOMINANCE_P)
    assert len(found) == 1 and "children" in found[0], found


def _learning(cells: dict[str, dict[str, tuple]], fte: dict[str, float]) -> pd.DataFrame:
    """Learning rows: per service and category (learners, hours, largest, second largest),
    and the headline hours per FTE and FTE in post they publish (rate x denominator)."""
    rows = []

    def add(measure, service, value, category="", numerator=None, denominator=None,
            unit="hours"):
        rows.append(dict(reporting_year=2025, measure=measure, service=service,
                         breakdown="category" if category else "", category=category,
                         month_end=None, value=float(value), numerator=numerator,
                         denominator=denominator, unit=unit, ci_lower=None, ci_upper=None))

    for service, categories in cells.items():
        for category, (learners, hours, largest, second) in categories.items():
            add("learners_headcount", service, learners, category, learners, unit="headcount")
            add("learning_hours_per_fte", service, hours / fte[service], category, hours)
            add("learning_hours_largest", service, largest, category, largest)
            add("learning_hours_second_largest", service, second, category, second)
        total = sum(hours for _, hours, _, _ in categories.values())
        add("learning_hours_per_fte", service, total / fte[service], numerator=total,
            denominator=fte[service], unit="hours per fte")
        add("fte_in_post", service, fte[service], numerator=fte[service], unit="fte")
    return pd.DataFrame(rows)


def test_hours_per_fte_times_fte_is_a_known_sum_of_the_categories():
    # Children's cpd: 95 of 100 hours are one person's (p% rule: [c]). The headline 20.0 hours
    # per FTE x 10.0 FTE publishes children's 200 hours over all categories to within about
    # 1.5 hours, so with mandatory (60) and leadership (40) shown, cpd = 100 +- 1.5: pinned
    # within 10% of 95 (9.5). The protection hides another children's category.
    cells = {"children": {"cpd": (7, 100, 95, 3), "mandatory": (10, 60, 10, 9),
                          "leadership": (8, 40, 8, 7)},
             "adults": {"cpd": (8, 80, 15, 12), "mandatory": (9, 50, 8, 7),
                        "leadership": (6, 30, 7, 6)},
             "all": {"cpd": (15, 180, 95, 15), "mandatory": (19, 110, 10, 9),
                     "leadership": (14, 70, 8, 7)}}
    measures = _learning(cells, {"children": 10.0, "adults": 8.0, "all": 18.0})
    tables = protect_year(measures, 2025, THRESHOLD)
    truth = learning_truth(measures)
    hours = tables["learning_hours_by_category"].set_index(["service", "category"])["value"]
    assert hours[("children", "cpd")] == CONFIDENTIAL
    assert (hours.loc["children"] == CONFIDENTIAL).sum() >= 2
    headline = tables["headline_measures"].set_index(["measure", "service"])["value"]
    assert headline[("learning_hours_per_fte", "children")] == 20.0  # shown: it is enough
    assert magnitude_findings(tables, truth, DOMINANCE_P) == []
    # Planted: children's other categories shown again. The table alone keeps cpd's range
    # open (all <= children + adults); with the headline's rate x FTE it is pinned.
    planted = tables["learning_hours_by_category"].copy()
    for category in ("mandatory", "leadership"):
        planted.loc[(planted["service"] == "children") & (planted["category"] == category),
                    "value"] = float(cells["children"][category][1])
    leak = dict(tables, learning_hours_by_category=planted)
    found = magnitude_findings(leak, truth, DOMINANCE_P)
    assert any("('children', 'cpd')" in f for f in found), found
    assert not any("('children', 'cpd')" in f for f in magnitude_findings(
        {"learning_hours_by_category": planted}, truth, DOMINANCE_P))


def test_a_dominated_service_total_hides_its_hours_per_fte():
    # One category only: children's hours are cpd's 100, 95 of them one person's. Hours per
    # FTE x FTE would publish them, so the headline figure is [c] too; all's 180 hours are
    # spread (95 of 180) and stay shown.
    cells = {"children": {"cpd": (7, 100, 95, 3)}, "adults": {"cpd": (8, 80, 15, 12)},
             "all": {"cpd": (15, 180, 95, 15)}}
    measures = _learning(cells, {"children": 10.0, "adults": 8.0, "all": 18.0})
    tables = protect_year(measures, 2025, THRESHOLD)
    headline = tables["headline_measures"].set_index(["measure", "service"])["value"]
    hours = tables["learning_hours_by_category"].set_index("service")["value"]
    assert hours["children"] == CONFIDENTIAL
    assert headline[("learning_hours_per_fte", "children")] == CONFIDENTIAL
    assert headline[("learning_hours_per_fte", "all")] == 10.0
    assert magnitude_findings(tables, learning_truth(measures), DOMINANCE_P) == []
