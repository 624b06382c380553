"""Expected problems read as `dg.Failure`s in words, not as tracebacks, and a run whose inputs
cannot work fails in its first seconds."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(180)


def _candidate_run(tmp_path: Path, raw: Path, year: str) -> tuple[dg.ExecuteInProcessResult, float]:
    from assets.candidate.defs import candidate_extracts
    from psw_core.resources import PswSettings, WarehouseResource

    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("reporting_year", [year])
    started = time.perf_counter()
    result = dg.materialize(
        [candidate_extracts], partition_key=year, instance=instance, raise_on_error=False,
        resources={
            "warehouse": WarehouseResource(path=str(tmp_path / "w.duckdb")),
            "settings": PswSettings(raw_dir=str(raw), out_dir=str(tmp_path / "build"),
                                    config_path=str(ROOT / "data" / "authority.yml"),
                                    report_dir=str(ROOT / "report")),
        },
    )
    return result, time.perf_counter() - started


def test_a_missing_key_is_a_failure_in_words_before_any_work(tmp_path, monkeypatch):
    monkeypatch.delenv("PSW_PSEUDONYMISATION_KEY", raising=False)
    year = sorted(p.name for p in (ROOT / "data" / "raw").iterdir() if p.name.isdigit())[-1]
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / year, raw / year)
    # One changed byte: no longer the committed sample, so the development key is refused.
    extract = sorted((raw / year).glob("hr_vacancies.*"))[0]
    extract.write_bytes(extract.read_bytes() + b"\n")

    result, seconds = _candidate_run(tmp_path, raw, year)

    assert not result.success
    [failure] = result.get_step_failure_events()
    data = failure.step_failure_data
    assert data.user_failure_data is not None, data.error  # a dg.Failure, not a crash
    description = data.user_failure_data.description
    assert description.startswith("KEY-MISSING: PSW_PSEUDONYMISATION_KEY: ")
    assert "is not set and the input is not the committed sample data" in description
    assert "What to do: Set PSW_PSEUDONYMISATION_KEY to your authority's secret key" in description
    assert "\n" not in description
    metadata = data.user_failure_data.metadata
    assert metadata["rule"].value == "KEY-MISSING"
    assert metadata["what_to_do"].value.startswith("Set PSW_PSEUDONYMISATION_KEY")
    assert data.error.cls_name == "Failure"  # the UI shows it as a Failure with its message
    assert not (tmp_path / "w.duckdb").exists()  # nothing was written
    # Refused at the start: no extract was materialised before the failure.
    assert not result.get_asset_materialization_events()


def test_a_missing_year_folder_is_a_failure_in_words(tmp_path, monkeypatch):
    (tmp_path / "raw").mkdir()
    result, _ = _candidate_run(tmp_path, tmp_path / "raw", "2031")
    [failure] = result.get_step_failure_events()
    description = failure.step_failure_data.user_failure_data.description
    assert "2031 does not exist." in description and "What to do: Run `psw validate" in description
