"""*Materialize all…* runs in one process.

The UI launches it as `__ASSET_JOB` through GraphQL; without an executor on `Definitions` that job
gets the multiprocess executor, which cost 10–17 s of start-up per step on 2 cores (issue 16).
This drives the same GraphQL mutation the UI sends, against workspace.yaml loaded in a code
server as `psw ui` loads it, and checks every step ran in the run worker's own process.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.timeout(300)


def test_definitions_default_to_the_in_process_executor():
    from pipelines.definitions import defs

    asset_job = defs.resolve_implicit_global_asset_job_def()
    assert asset_job.executor_def is dg.in_process_executor
    for job in defs.get_repository_def().get_all_jobs():
        assert job.executor_def is dg.in_process_executor, job.name


def test_asset_job_through_graphql_runs_every_step_in_one_process(tmp_path, monkeypatch):
    from dagster._core.storage.dagster_run import DagsterRunStatus
    from dagster._core.test_utils import wait_for_runs_to_finish
    from dagster_graphql.test.utils import define_out_of_process_context, materialize_assets

    monkeypatch.chdir(ROOT)
    for name, value in {
        "PSW_RAW_DIR": str(ROOT / "data" / "raw"), "PSW_OUT_DIR": str(tmp_path / "build"),
        "PSW_WAREHOUSE": str(tmp_path / "build" / "warehouse.duckdb"),
        "PSW_CONFIG": str(ROOT / "data" / "authority.yml"), "GX_ANALYTICS_ENABLED": "false",
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("PSW_PSEUDONYMISATION_KEY", raising=False)
    year = sorted(p.name for p in (ROOT / "data" / "raw").iterdir() if p.name.isdigit())[0]
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home), overrides={
        "telemetry": {"enabled": False},
        # Launch at once, as `psw ui` does (no queue daemon in a test).
        "run_coordinator": {"module": "dagster._core.run_coordinator", "class": "DefaultRunCoordinator"},
    }) as instance:
        instance.add_dynamic_partitions("reporting_year", [year])
        with define_out_of_process_context(str(ROOT / "workspace.yaml"), None, instance) as context:
            # Two steps are enough to tell one process from one per step.
            keys = [dg.AssetKey(["candidate", "hr_workforce"]), dg.AssetKey(["candidate", "checked_year"])]
            from pipelines.definitions import defs

            graph = defs.get_repository_def().asset_graph
            keys = sorted({*keys, *graph.get(keys[0]).execution_set_asset_keys})
            (result,) = materialize_assets(context, keys, partition_keys=[year])
            launched = result.data["launchPipelineExecution"]
            assert launched["__typename"] == "LaunchRunSuccess", launched
            run_id = launched["run"]["runId"]
            wait_for_runs_to_finish(instance, timeout=180)
        run = instance.get_run_by_id(run_id)
        assert run.job_name == "__ASSET_JOB"
        records = instance.all_logs(run_id)
        steps = [r.dagster_event for r in records
                 if r.dagster_event and r.dagster_event.event_type_value == "STEP_START"]
        assert len(steps) == 2, [r.dagster_event.event_type_value for r in records if r.dagster_event]
        assert len({e.pid for e in steps}) == 1, {e.step_key: e.pid for e in steps}
        assert run.status == DagsterRunStatus.SUCCESS, [
            r.user_message for r in records if r.level >= 40]
