"""Years appear by themselves: loading the code location, as `psw ui` and *Reload definitions*
do, makes every data/raw/<year> folder a `reporting_year` partition on a fresh DAGSTER_HOME."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(240)


def test_a_fresh_home_has_every_year_folder_as_a_partition_after_each_load(tmp_path, monkeypatch):
    from dagster_graphql.test.utils import define_out_of_process_workspace

    raw = tmp_path / "raw"
    for year in ("2023", "2024"):
        (raw / year).mkdir(parents=True)
    (raw / "notes").mkdir()  # not a year
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("PSW_RAW_DIR", str(raw))
    monkeypatch.setenv("PSW_OUT_DIR", str(tmp_path / "build"))
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home), overrides={"telemetry": {"enabled": False}}) as instance:
        assert instance.get_dynamic_partitions("reporting_year") == []
        with define_out_of_process_workspace(str(ROOT / "workspace.yaml"), None, instance) as workspace:
            assert list(workspace.get_current_workspace().code_location_entries) == ["psw-report"]
            assert sorted(instance.get_dynamic_partitions("reporting_year")) == ["2023", "2024"]
            # A folder dropped later appears when the location is reloaded.
            shutil.copytree(raw / "2024", raw / "2025")
            workspace.reload_code_location("psw-report")
            assert sorted(instance.get_dynamic_partitions("reporting_year")) == ["2023", "2024", "2025"]


def test_a_plain_import_registers_nothing(tmp_path, monkeypatch):
    # Scripts and tests that import the definitions do not write to whatever DAGSTER_HOME is set.
    from pipelines.definitions import register_years_on_load

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert register_years_on_load() == []
    assert list(tmp_path.iterdir()) == []
