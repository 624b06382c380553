"""The extract contract (assets/candidate/contract.py) is the one source for extract columns:
every registry derives from it, and every suite agrees with it, or a test here fails.

Adding an extract needs its contract entry, its suite (expectations/<name>.json) and its
generator (psw_synth): three places (docs/architecture.md)."""

from __future__ import annotations

import pytest

from assets.candidate import cross_extract, gx_runner
from assets.candidate.contract import EXTRACTS, SPECS, TABLE_COLUMNS, TABLES
from assets.candidate.defs import CANDIDATE_KEYS, GRAIN
from assets.staging.models import MODELS, RAW_TABLES_WITH_YEARS

# Suite expectation types that state a contract column rule.
EXISTS, NOT_NULL = "expect_column_to_exist", "expect_column_values_to_not_be_null"
IN_SET, BETWEEN = "expect_column_values_to_be_in_set", "expect_column_values_to_be_between"


def _expectations(extract: str, type_: str, column: str, conditional: bool | None = None):
    found = [e["kwargs"] for e in gx_runner.load_suite_json(extract)["expectations"]
             if e["type"] == type_ and e["kwargs"].get("column") == column]
    if conditional is None:
        return found
    return [k for k in found if ("row_condition" in k) == conditional]


def test_every_extract_has_exactly_one_suite_and_nothing_else_does():
    suites = {p.stem for p in gx_runner.EXPECTATIONS_DIR.glob("*.json")}
    assert suites == set(EXTRACTS)
    for extract in EXTRACTS:
        assert gx_runner.load_suite_json(extract)["meta"]["extract"] == extract


@pytest.mark.parametrize("extract", EXTRACTS)
def test_the_suite_states_every_column_rule_of_the_contract(extract):
    for col in SPECS[extract].columns:
        if col.required:
            assert _expectations(extract, EXISTS, col.name), (extract, col.name, "required")
        if col.not_null:
            assert _expectations(extract, NOT_NULL, col.name, False), (col.name, "not_null")
        if col.allowed is not None:
            plain = _expectations(extract, IN_SET, col.name, False)
            # a value set split by a condition (caseload case_type by service) unites to it
            sets = plain or _expectations(extract, IN_SET, col.name, True)
            union = set().union(*(set(k["value_set"]) for k in sets)) if sets else None
            assert union == set(col.allowed), (extract, col.name, union, col.allowed)
        if col.minimum is not None or col.maximum is not None:
            ranges = _expectations(extract, BETWEEN, col.name)
            # the contract's range is stated (a suite may add a plausibility warning beside it)
            assert (col.minimum, col.maximum, col.min_exclusive) in [
                (k.get("min_value"), k.get("max_value"), bool(k.get("strict_min")))
                for k in ranges], (extract, col.name, ranges)


@pytest.mark.parametrize("extract", EXTRACTS)
def test_the_suite_names_only_contract_columns(extract):
    columns = set(SPECS[extract].column_names)
    for exp in gx_runner.load_suite_json(extract)["expectations"]:
        kwargs = exp["kwargs"]
        named = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
        named += kwargs.get("column_list", [])
        unknown = [c for c in named if c not in columns and not c.startswith("_")]
        assert not unknown, (extract, exp["meta"]["rule"], unknown)


def test_every_registry_derives_from_the_contract():
    assert gx_runner.EXTRACTS == EXTRACTS
    assert gx_runner.RESPONSE_FIXED_COLUMNS == SPECS["health_check_responses"].column_names
    assert set(GRAIN) == set(CANDIDATE_KEYS) == set(EXTRACTS)
    assert all(GRAIN[name] == SPECS[name].grain for name in EXTRACTS)
    assert set(RAW_TABLES_WITH_YEARS) <= set(TABLES)
    assert set(TABLE_COLUMNS) == set(TABLES) and set(EXTRACTS) <= set(TABLES)
    # every staging model reads only raw tables the contract defines (MODELS is read from the
    # SQL: "raw.<table>" and the staging models it builds on)
    read = {t for needs in MODELS.values() for t in needs}
    assert {t.split(".", 1)[1] for t in read if t.startswith("raw.")} <= set(TABLES)
    assert {t for t in read if not t.startswith(("raw.", "staging."))} == set()


def test_every_extract_that_names_a_worker_is_checked_against_hr():
    naming = {name for name, spec in SPECS.items()
              if "worker_id" in spec.column_names and name != "hr_workforce"}
    assert set(cross_extract.WORKER_CHECKS) == naming
    rules = [rule for rule, _, _ in cross_extract.WORKER_CHECKS.values()]
    assert len(set(rules)) == len(rules)


def test_the_generator_writes_every_extract_of_the_contract():
    from psw_synth.generator import EXTRACTS as GENERATED
    from psw_synth.generator import FILE_FORMAT, OPTIONAL_EXTRACTS

    assert set(GENERATED) | set(OPTIONAL_EXTRACTS) == set(EXTRACTS) == set(FILE_FORMAT)
    assert not set(GENERATED) & set(OPTIONAL_EXTRACTS)
