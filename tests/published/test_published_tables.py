"""build_published on a hand-built warehouse: rules per measure, layout, no identifiers."""

from __future__ import annotations

import base64

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from published_fixtures import YEAR, make_warehouse

from assets.candidate.pseudonymise import PSEUDONYM_DTYPE, pseudonym, pseudonym_hex
from assets.published.disclosure import CONFIDENTIAL, NOT_APPLICABLE
from assets.published.tables import assert_no_identifiers, build_published


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    from psw_core.config import AuthorityConfig

    con = make_warehouse(tmp_path_factory.mktemp("published") / "warehouse.duckdb")
    try:
        return build_published(con, YEAR, AuthorityConfig(name="Northfield", code="NFC"))
    finally:
        con.close()


def _cell(table: pd.DataFrame, measure: str, service: str, column: str = "value"):
    row = table[(table["measure"] == measure) & (table["service"] == service)]
    assert len(row) == 1, (measure, service)
    return row[column].iloc[0]


def test_headline_rules(tables):
    headline = tables["headline_measures"]
    # Exempt service-level workforce rate: 2 agency workers in adults, still published.
    assert _cell(headline, "agency_rate_headcount", "adults") == 2.2
    # A rate whose numerator counts 3 assessments is [c], and so is its interval.
    assert _cell(headline, "assessment_timeliness", "adults") == CONFIDENTIAL
    assert _cell(headline, "assessment_timeliness", "children") == 85.0
    # 4 survey responses in adults: every adults survey figure is [c].
    for measure in ("health_check_response_rate", "health_check_score_standard_1",
                    "health_check_favourable_stress"):
        assert _cell(headline, measure, "adults") == CONFIDENTIAL
        assert _cell(headline, measure, "children") != CONFIDENTIAL
    # Not applicable: adults have no children looked after.
    assert _cell(headline, "children_looked_after", "adults") == NOT_APPLICABLE
    assert _cell(headline, "children_looked_after", "all") == 312
    # Rounding: rates to 1 d.p., headcount as an integer, benchmark beside.
    assert _cell(headline, "vacancy_rate_fte", "children") == 12.3
    assert _cell(headline, "headcount_in_post", "all") == 238
    assert _cell(headline, "vacancy_rate_fte", "children", "national_value") == 18.2
    assert _cell(headline, "stability_rate", "children", "ci_upper") == 75.5


def test_every_table_is_tidy_with_year_and_service(tables):
    assert {"headline_measures", "turnover_trend", "leavers_by_reason", "audit_grades",
            "equality_diversity", "year_on_year"} <= set(tables)
    for name, table in tables.items():
        assert {"reporting_year", "service"} <= set(table.columns), name
        assert table.columns.is_unique, name
        if name != "turnover_trend":
            assert set(table["reporting_year"]) <= {YEAR}, name
    assert set(tables["turnover_trend"]["reporting_year"]) == {YEAR - 1, YEAR}


def test_no_published_count_cell_is_small(tables):
    for name, table in tables.items():
        if "count" in table:
            counts = pd.to_numeric(table["count"], errors="coerce")
            assert not counts.between(1, 5).any(), name
    leavers = tables["leavers_by_reason"].set_index(["service", "reason"])["count"]
    # Categories a service counts 1..5 people in (dismissed: adults 2; not known: children 1)
    # or nobody is in are folded into one residual before protection; while the residual is
    # small in a service (children 1, adults 2), the next smallest joins it (retired 0 + 10,
    # then other 8 + 6): resignation and the residual remain, and nothing needs hiding.
    assert sorted(leavers.loc["children"].index) == ["1", "Other reasons (combined)", "Total"]
    assert [leavers[("children", "Other reasons (combined)")],
            leavers[("adults", "Other reasons (combined)")]] == [9, 18]
    assert not (leavers == CONFIDENTIAL).any()


def test_year_on_year_hides_a_change_of_a_suppressed_figure(tables):
    changes = tables["year_on_year"]
    assert _cell(changes, "health_check_response_rate", "adults", "direction") == CONFIDENTIAL
    assert _cell(changes, "turnover_rate_headcount", "children", "direction") == "was similar to"


def test_no_identifiers_anywhere(tables):
    for table in tables.values():
        assert not any(c.endswith("_id") or c == "id" for c in table.columns)
    assert_no_identifiers(tables)
    with pytest.raises(ValueError, match="identifier"):
        assert_no_identifiers({"t": pd.DataFrame({"worker_id": ["x"]})})
    with pytest.raises(ValueError, match="pseudonymised"):
        assert_no_identifiers({"t": pd.DataFrame({"note": ["ab" * 32]})})


_PLANTED = pseudonym(b"a-test-key-0123456789", "worker", "W1")  # a real 16-byte pseudonym


@pytest.mark.parametrize("column", [
    pd.Series([_PLANTED], dtype=object),  # raw bytes
    pd.Series(pd.arrays.ArrowExtensionArray(pa.array([_PLANTED], pa.binary(16)))),
    pd.Series([_PLANTED], dtype=PSEUDONYM_DTYPE),
    pd.Series([pseudonym_hex(_PLANTED)], dtype="string"),  # 32 hex, as shown
    pd.Series([pseudonym_hex(_PLANTED).upper()], dtype=object),
    pd.Series([base64.b64encode(_PLANTED).decode()], dtype=object),
    pd.Series([base64.urlsafe_b64encode(_PLANTED).decode()], dtype="string"),
    pd.Series([duckdb.connect().execute("select ?::blob::varchar", [_PLANTED]).fetchone()[0]],
              dtype="string"),  # DuckDB's text of a BLOB (\xAB...)
    pd.Series(["ab" * 32], dtype="string"),  # the 64-hex form before
], ids=["bytes", "arrow-binary", "pseudonym-dtype", "hex", "HEX", "base64", "base64url",
        "duckdb-text", "hex64"])
def test_a_planted_pseudonym_is_found_in_every_form(tables, column):
    planted = dict(tables)
    name = sorted(planted)[0]
    table = planted[name].head(1).copy()
    table["note"] = column.to_numpy() if column.dtype == object else column.array
    planted[name] = table
    with pytest.raises(ValueError, match=f"published.{name} holds a pseudonymised id"):
        assert_no_identifiers(planted)


def test_published_schema_is_written_and_rebuilds_idempotently(warehouse, config):
    tables = build_published(warehouse, YEAR, config)
    count = warehouse.execute("select count(*) from published.leavers_by_reason").fetchall()[0][0]
    assert count == len(tables["leavers_by_reason"])
    build_published(warehouse, YEAR, config)
    assert warehouse.execute(
        "select count(*) from published.leavers_by_reason").fetchall()[0][0] == count
    build_published(warehouse, YEAR - 1, config)  # another year adds its own rows
    years = warehouse.execute(
        "select distinct reporting_year from published.leavers_by_reason order by 1").fetchall()
    assert years == [(YEAR - 1,), (YEAR,)]
    cell = warehouse.execute(
        "select count from published.leavers_by_reason where reporting_year = ? and "
        "service = 'children' and reason = 'Other reasons (combined)'", [YEAR]).fetchall()[0][0]
    assert cell == "9"


def test_an_empty_warehouse_gives_empty_tables_with_headers(tmp_path, config):
    import duckdb

    with duckdb.connect(str(tmp_path / "empty.duckdb")) as con:
        tables = build_published(con, YEAR, config)
        assert tables and all(t.empty for t in tables.values())
        assert list(tables["audit_grades"].columns) == [
            "reporting_year", "service", "grade", "count", "percent",
        ]  # fmt: skip
        assert con.execute("select count(*) from published.audit_grades").fetchall()[0] == (0,)


# ---------------------------------------------------------------------------------------------
# The tables take their measures from the registry (assets/metrics/definitions.py)


def test_headline_list_rules_and_trend_come_from_the_registry():
    from assets.metrics.definitions import MEASURES
    from assets.published.tables import (
        HEADLINE_MEASURES,
        TREND_MEASURES,
        headline_rule,
    )

    # Today's published layout, as hand-listed before the registry held it.
    assert HEADLINE_MEASURES[:4] == ("fte_in_post", "headcount_in_post", "starters_fte",
                                     "leavers_fte")
    assert "health_check_score_wellbeing" not in HEADLINE_MEASURES  # shown when present
    assert set(TREND_MEASURES) == {"fte_in_post", "leavers_fte", "turnover_rate_fte",
                                   "turnover_rate_headcount"}
    assert headline_rule("turnover_rate_fte").kind == "exempt"
    assert headline_rule("health_check_score_standard_3").count_from == (
        "health_check_response_rate", "numerator")
    assert headline_rule("stability_rate").count_columns == ("numerator", "denominator")
    for m in MEASURES.values():
        if m.breakdown_only:
            with pytest.raises(KeyError, match="no headline entry"):
                headline_rule(m.name)
    with pytest.raises(KeyError, match="registry"):
        headline_rule("stability_rate_two_years")


def test_breakdown_tables_and_registry_name_the_same_measures():
    from fnmatch import fnmatchcase

    from assets.metrics.comparisons import COMPARED
    from assets.metrics.definitions import MEASURES, measures_in
    from assets.published.tables import BREAKDOWN_TABLES

    for spec in BREAKDOWN_TABLES:
        used = {name for pattern in spec.breakdowns for name in MEASURES
                if fnmatchcase(name, pattern.split(":", 1)[0])
}
        used |= {spec.value_from.split(":")[0]} if spec.value_from else set()
        used |= set(spec.dominance_from or ())
        assert used == set(measures_in(spec.name)), spec.name
    assert set(COMPARED) == set(measures_in("comparisons"))


def test_a_headline_row_of_an_unregistered_measure_fails():
    from assets.published.tables import protect_year

    rows = pd.DataFrame([{"reporting_year": 2025, "measure": "stability_rate_two_years",
                          "service": "all", "breakdown": "", "category": "", "month_end": None,
                          "value": 50.0, "numerator": 10.0, "denominator": 20.0,
                          "unit": "percent", "ci_lower": None, "ci_upper": None}])
    with pytest.raises(KeyError, match="stability_rate_two_years"):
        protect_year(rows, 2025, 5)
