"""Checks per year, warnings seen, failing rows as a table with nothing silently left out.

Partitioned asset checks (`partitions_def` on AssetCheckSpec) are a preview feature in Dagster
1.13; these tests pin the behaviour we rely on: each year's check run is recorded against its
own partition, so a later year never overwrites an earlier year's status.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from assets.candidate.defs import CANDIDATE_KEYS, candidate_extracts, suite_check_results
from psw_core.problems import Problem

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(300)


def _warning(rule: str, row: int) -> Problem:
    return Problem(file="learning.csv", rule=rule, severity="warning", why="Hours look high.",
                   action="Check the hours recorded.", row=row, column="hours",
                   column_letter="F", value="99")


def test_more_than_1000_warnings_on_one_extract_are_all_counted():
    # The GX runner lists at most 1,000 rows per rule but counts them all (report.counts).
    listed = [_warning("LRN-006", r) for r in range(2, 1002)] + [_warning("LRN-007", r) for r in range(2, 202)]
    counts = {("learning.csv", "LRN-006"): 1500, ("learning.csv", "LRN-007"): 200}
    errors, warnings = suite_check_results("learning", CANDIDATE_KEYS["learning"], listed, counts)

    assert errors.passed and errors.severity == dg.AssetCheckSeverity.ERROR
    assert not warnings.passed and warnings.severity == dg.AssetCheckSeverity.WARN
    assert warnings.metadata["warnings"].value == 1700
    assert warnings.metadata["rows_counted"].value == 1700
    assert warnings.metadata["rows_listed"].value == 1200
    assert "500 more failing rows were counted but not listed" in warnings.metadata["rows_left_out"].value
    table = warnings.metadata["failing_rows"]
    assert len(table.records) == 1200  # no silent cap in the table itself
    first = table.records[0].data
    assert first == {"rule": "LRN-006", "file": "learning.csv", "row": 2, "column": "hours (F)",
                     "value": "<redacted>", "why": "Hours look high.",
                     "what_to_do": "Check the hours recorded."}
    assert [c.name for c in table.schema.columns] == [
        "rule", "file", "row", "column", "value", "why", "what_to_do"]


def test_check_records_are_per_year_and_warnings_have_their_own_warn_check(tmp_path, monkeypatch):
    from psw_core.resources import PswSettings, WarehouseResource

    monkeypatch.delenv("PSW_PSEUDONYMISATION_KEY", raising=False)
    years = sorted(p.name for p in (ROOT / "data" / "raw").iterdir() if p.name.isdigit())[-2:]
    resources = {
        "warehouse": WarehouseResource(path=str(tmp_path / "w.duckdb")),
        "settings": PswSettings(raw_dir=str(ROOT / "data" / "raw"), out_dir=str(tmp_path / "b"),
                                config_path=str(ROOT / "data" / "authority.yml"),
                                report_dir=str(ROOT / "report")),
    }
    (tmp_path / "home").mkdir()
    with dg.instance_for_test(temp_dir=str(tmp_path / "home")) as instance:
        instance.add_dynamic_partitions("reporting_year", years)
        for year in years:
            result = dg.materialize([candidate_extracts], partition_key=year, instance=instance,
                                    resources=resources)
            assert result.success
        storage = instance.event_log_storage
        for name in CANDIDATE_KEYS:
            for check in (f"gx_suite_{name}", f"gx_warnings_{name}"):
                key = dg.AssetCheckKey(CANDIDATE_KEYS[name], check)
                history = storage.get_asset_check_execution_history(key, limit=10)
                assert sorted(r.partition for r in history) == years, (check, history)
        # The sample's latest year has LRN-006 warnings: their check fails, as a warning.
        key = dg.AssetCheckKey(CANDIDATE_KEYS["learning"], "gx_warnings_learning")
        [latest] = [r for r in storage.get_asset_check_execution_history(key, limit=10)
                    if r.partition == years[-1]]
        evaluation = latest.event.dagster_event.event_specific_data
        assert evaluation.severity == dg.AssetCheckSeverity.WARN and not evaluation.passed
        assert evaluation.metadata["warnings"].value > 0
        assert evaluation.metadata["rows_counted"].value == len(
            evaluation.metadata["failing_rows"].records)
        # and the error check of that extract passed, so the extract was materialised
        record = instance.fetch_materializations(dg.AssetRecordsFilter(
            asset_key=CANDIDATE_KEYS["learning"], asset_partitions=[years[-1]]), limit=1).records[0]
        metadata = record.asset_materialization.metadata
        assert metadata["dagster/row_count"].value > 0


def test_the_extract_whose_suite_failed_is_the_one_marked(tmp_path, monkeypatch):
    import shutil

    from psw_core.resources import PswSettings, WarehouseResource

    monkeypatch.setenv("PSW_PSEUDONYMISATION_KEY", "a-test-key-of-thirty-two-chars!!")
    year = sorted(p.name for p in (ROOT / "data" / "raw").iterdir() if p.name.isdigit())[-1]
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / year, raw / year)
    hr = raw / year / "hr_workforce.csv"
    lines = hr.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("fte")] = "1.5"  # HR-003: more than one full-time post
    hr.write_text("\n".join([lines[0], ",".join(row), *lines[2:]]) + "\n", encoding="utf-8")
    resources = {
        "warehouse": WarehouseResource(path=str(tmp_path / "w.duckdb")),
        "settings": PswSettings(raw_dir=str(raw), out_dir=str(tmp_path / "b"),
                                config_path=str(ROOT / "data" / "authority.yml"),
                                report_dir=str(ROOT / "report")),
    }
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("reporting_year", [year])
    result = dg.materialize([candidate_extracts], partition_key=year, instance=instance,
                            resources=resources, raise_on_error=False)
    assert not result.success
    materialized = {e.asset_key for e in result.get_asset_materialization_events()}
    assert CANDIDATE_KEYS["hr_workforce"] not in materialized
    assert CANDIDATE_KEYS["learning"] in materialized
    [failure] = result.get_step_failure_events()
    description = failure.step_failure_data.user_failure_data.description
    assert description.startswith("Blocking checks failed for hr_workforce (1 failing rows)")
    [check] = [e for e in result.get_asset_check_evaluations() if e.check_name == "gx_suite_hr_workforce"]
    assert not check.passed
    [record] = check.metadata["failing_rows"].records
    assert (record.data["rule"], record.data["row"], record.data["column"]) == ("HR-003", 2, "fte (H)")
