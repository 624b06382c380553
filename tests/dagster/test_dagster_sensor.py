"""The new-extract sensor over a temporary data/raw and a real (temporary, on-disk) instance.

`evaluate_tick` is what the sensor daemon calls: it resolves partition tags and checks that the
requested partition exists once the sensor's own dynamic-partition requests are applied. It
needs an instance with a ref, hence `dg.instance_for_test` rather than
`DagsterInstance.ephemeral()`.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import uuid
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType
from dagster._core.remote_origin import (
    RegisteredCodeLocationOrigin,
    RemoteJobOrigin,
    RemoteRepositoryOrigin,
)

from pipelines.jobs import build_year
from pipelines.sensors import folder_hash, new_extract_sensor
from psw_core.partitions import reporting_year

pytestmark = pytest.mark.timeout(120)


@dg.asset(partitions_def=reporting_year)
def _stub_year() -> None:
    """Stands in for the real graph: the sensor only needs build_year and its partitions."""


REPO = dg.Definitions(
    assets=[_stub_year], jobs=[build_year], sensors=[new_extract_sensor]
).get_repository_def()


@pytest.fixture
def raw(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "data" / "raw"
    root.mkdir(parents=True)
    monkeypatch.setenv("PSW_RAW_DIR", str(root))
    return root


@pytest.fixture
def instance(tmp_path):
    home = tmp_path / "dagster_home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home),
                              overrides={"telemetry": {"enabled": False}}) as inst:
        yield inst


class Ticker:
    """Evaluates the sensor tick after tick, carrying the cursor and applying what the daemon
    applies: the dynamic-partition requests and (optionally) runs for the requests."""

    def __init__(self, instance: dg.DagsterInstance):
        self.instance = instance
        self.cursor: str | None = None

    def tick(self):
        with dg.build_sensor_context(
            instance=self.instance, instance_ref=self.instance.get_ref(), cursor=self.cursor,
            repository_def=REPO,
        ) as context:
            data = new_extract_sensor.evaluate_tick(context)
        for request in data.dynamic_partitions_requests or []:
            self.instance.add_dynamic_partitions(request.partitions_def_name,
                                                 list(request.partition_keys))
        self.cursor = data.cursor
        return data


def write_year(raw: Path, year: int, files: dict[str, str]) -> Path:
    folder = raw / str(year)
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def sha256_tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def add_run(instance: dg.DagsterInstance, year: str, status: dg.DagsterRunStatus,
            tags: dict[str, str] | None = None) -> dg.DagsterRun:
    """A run as the UI, a backfill or `psw build` would record it (a QUEUED run must name the
    code location it came from)."""
    origin = RemoteJobOrigin(
        repository_origin=RemoteRepositoryOrigin(
            code_location_origin=RegisteredCodeLocationOrigin(location_name="pipelines.definitions"),
            repository_name="__repository__",
        ),
        job_name="build_year",
    )
    run = dg.DagsterRun(job_name="build_year", run_id=str(uuid.uuid4()), status=status,
                        tags={"dagster/partition": year, **(tags or {})}, remote_job_origin=origin)
    instance.add_run(run)
    run = instance.get_run_by_id(run.run_id)
    assert run.status == status
    return run


def finish(instance: dg.DagsterInstance, run: dg.DagsterRun) -> None:
    instance.report_dagster_event(
        DagsterEvent(DagsterEventType.RUN_SUCCESS.value, job_name=run.job_name), run.run_id
    )
    assert instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.SUCCESS


HR = "worker_id,service\nW1,children\n"
VAC = "service,vacancies_fte\nchildren,2.0\n"


def test_new_year_folder_requests_one_run_and_adds_the_partition(raw, instance):
    write_year(raw, 2025, {"hr_workforce.csv": HR, "hr_vacancies.csv": VAC})
    data = Ticker(instance).tick()

    assert len(data.run_requests) == 1
    request = data.run_requests[0]
    digest = folder_hash(raw / "2025")
    assert request.partition_key == "2025"
    assert request.run_key == f"2025:{digest}"
    assert request.tags["dagster/partition"] == "2025"
    assert request.tags["psw/content_hash"] == digest
    [add] = data.dynamic_partitions_requests
    assert isinstance(add, dg.AddDynamicPartitionsRequest)
    assert (add.partitions_def_name, list(add.partition_keys)) == ("reporting_year", ["2025"])


def test_two_new_years_request_one_run_each(raw, instance):
    write_year(raw, 2024, {"hr_workforce.csv": HR})
    write_year(raw, 2025, {"hr_workforce.csv": HR + "W2,adults\n"})
    (raw / "notes").mkdir()  # not a year folder
    data = Ticker(instance).tick()
    assert sorted(r.partition_key for r in data.run_requests) == ["2024", "2025"]
    assert sorted(data.dynamic_partitions_requests[0].partition_keys) == ["2024", "2025"]


def test_changed_file_requests_exactly_one_more_run(raw, instance):
    folder = write_year(raw, 2025, {"hr_workforce.csv": HR})
    ticker = Ticker(instance)
    first = ticker.tick().run_requests
    (folder / "hr_workforce.csv").write_text(HR + "W2,adults\n", encoding="utf-8")
    second = ticker.tick()
    assert len(second.run_requests) == 1
    assert second.run_requests[0].partition_key == "2025"
    assert second.run_requests[0].run_key != first[0].run_key
    assert second.dynamic_partitions_requests == []  # the partition exists already
    assert ticker.tick().run_requests == []


def test_a_new_file_in_a_known_year_is_a_change(raw, instance):
    folder = write_year(raw, 2025, {"hr_workforce.csv": HR})
    ticker = Ticker(instance)
    ticker.tick()
    (folder / "hr_vacancies.csv").write_text(VAC, encoding="utf-8")
    assert [r.partition_key for r in ticker.tick().run_requests] == ["2025"]


def test_same_content_never_runs_twice_touch_or_copy(raw, instance):
    folder = write_year(raw, 2025, {"hr_workforce.csv": HR, "hr_vacancies.csv": VAC})
    ticker = Ticker(instance)
    assert len(ticker.tick().run_requests) == 1
    assert ticker.tick().run_requests == []

    # touch: only the modification time changes
    later = time.time() + 3600
    for path in folder.iterdir():
        os.utime(path, (later, later))
    assert ticker.tick().run_requests == []

    # the same files copied in again (new inodes and times, identical bytes)
    copy = raw.parent / "incoming"
    shutil.copytree(folder, copy)
    shutil.rmtree(folder)
    time.sleep(0.01)
    shutil.copytree(copy, folder)
    assert ticker.tick().run_requests == []


def test_same_content_as_already_run_after_a_change_back_keeps_its_run_key(raw, instance):
    # A → B → A: the third request reuses A's run key, which the sensor daemon never launches
    # twice (docs/design.md §2: never twice for the same content); the docs say to run it by hand.
    folder = write_year(raw, 2025, {"hr_workforce.csv": HR})
    ticker = Ticker(instance)
    key_a = ticker.tick().run_requests[0].run_key
    (folder / "hr_workforce.csv").write_text(HR + "W2,adults\n", encoding="utf-8")
    ticker.tick()
    (folder / "hr_workforce.csv").write_text(HR, encoding="utf-8")
    again = ticker.tick().run_requests
    assert [r.run_key for r in again] == [key_a]


@pytest.mark.parametrize("status", [
    dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING,
])
def test_no_run_while_one_for_that_year_is_in_flight(raw, instance, status):
    write_year(raw, 2024, {"hr_workforce.csv": HR})
    write_year(raw, 2025, {"hr_workforce.csv": HR})
    ticker = Ticker(instance)
    running = add_run(instance, "2025", status)

    data = ticker.tick()
    assert [r.partition_key for r in data.run_requests] == ["2024"]  # other years go ahead
    assert data.dynamic_partitions_requests  # the partition is still added
    assert ticker.tick().run_requests == []  # still in flight: still nothing

    finish(instance, running)
    after = ticker.tick().run_requests
    assert [r.partition_key for r in after] == ["2025"]
    assert ticker.tick().run_requests == []


def test_a_run_for_another_year_does_not_block(raw, instance):
    write_year(raw, 2025, {"hr_workforce.csv": HR})
    add_run(instance, "2024", dg.DagsterRunStatus.STARTED)
    assert [r.partition_key for r in Ticker(instance).tick().run_requests] == ["2025"]


def test_manual_runs_do_not_retrigger(raw, instance):
    write_year(raw, 2025, {"hr_workforce.csv": HR})
    ticker = Ticker(instance)
    assert len(ticker.tick().run_requests) == 1
    # the data team re-runs 2025 from the UI, and `psw build` runs it too: no file changes
    for tags in ({}, {"psw/source": "cli"}):
        run = add_run(instance, "2025", dg.DagsterRunStatus.STARTED, tags)
        assert ticker.tick().run_requests == []
        finish(instance, run)
        assert ticker.tick().run_requests == []


def test_office_lock_and_hidden_files_are_not_changes(raw, instance):
    folder = write_year(raw, 2025, {"hr_workforce.csv": HR})
    ticker = Ticker(instance)
    ticker.tick()
    (folder / "~$hr_workforce.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"finder")
    (folder / "Thumbs.db").write_bytes(b"thumbs")
    assert ticker.tick().run_requests == []


def test_empty_year_folder_waits_for_files(raw, instance):
    folder = raw / "2026"
    folder.mkdir()
    ticker = Ticker(instance)
    data = ticker.tick()
    assert data.run_requests == []
    assert data.skip_message
    (folder / "hr_workforce.csv").write_text(HR, encoding="utf-8")
    assert [r.partition_key for r in ticker.tick().run_requests] == ["2026"]


def test_raw_files_are_never_modified(raw, instance):
    folder = write_year(raw, 2025, {"hr_workforce.csv": HR, "hr_vacancies.csv": VAC})
    (folder / "csww.xml").write_bytes(b"\xef\xbb\xbf<Message/>")
    before = sha256_tree(raw)
    stats = {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()}
    ticker = Ticker(instance)
    ticker.tick()
    add_run(instance, "2025", dg.DagsterRunStatus.STARTED)
    ticker.tick()
    assert sha256_tree(raw) == before
    assert {p.name: (p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()} == stats
    assert sorted(p.name for p in raw.rglob("*")) == sorted(
        ["2025", "hr_workforce.csv", "hr_vacancies.csv", "csww.xml"])


def test_nothing_to_do_says_why(raw, instance):
    data = Ticker(instance).tick()
    assert data.run_requests == [] and "No new or changed" in data.skip_message


def test_ephemeral_instance_direct_call(raw):
    # The plain call (no daemon resolution) works on an ephemeral instance too.
    write_year(raw, 2025, {"hr_workforce.csv": HR})
    instance = dg.DagsterInstance.ephemeral()
    result = new_extract_sensor(dg.build_sensor_context(instance=instance))
    assert [r.partition_key for r in result.run_requests] == ["2025"]
    again = new_extract_sensor(dg.build_sensor_context(instance=instance, cursor=result.cursor))
    assert again.run_requests == []


def test_sensor_is_off_by_default_and_targets_build_year():
    assert new_extract_sensor.default_status == dg.DefaultSensorStatus.STOPPED
    assert new_extract_sensor.job_name == "build_year"


def test_sensor_is_registered_in_the_code_location():
    from pipelines.definitions import defs

    repo = defs.get_repository_def()
    assert repo.get_sensor_def("new_extract_sensor").job_name == "build_year"


def test_switching_the_sensor_on_does_not_rerun_years_already_built(raw, instance):
    # 2024 was built by hand (UI or `psw build`) from the folder as it is; 2025's folder changed
    # after its build; 2026 was never built. Only 2025 and 2026 run.
    for year in (2024, 2025, 2026):
        write_year(raw, year, {"hr_workforce.csv": HR + f"W{year},adults\n"})
    built = {"2024": folder_hash(raw / "2024"), "2025": "an older content stamp"}
    for year, stamp in built.items():
        instance.report_runless_asset_event(dg.AssetMaterialization(
            ["candidate", "hr_workforce"], partition=year, metadata={"raw_folder_sha256": stamp}))
        instance.report_runless_asset_event(dg.AssetMaterialization(["raw", "year"], partition=year))
    ticker = Ticker(instance)
    assert sorted(r.partition_key for r in ticker.tick().run_requests) == ["2025", "2026"]
    assert ticker.tick().run_requests == []
    # and a later change to the hand-built year still runs it
    (raw / "2024" / "hr_workforce.csv").write_text(HR, encoding="utf-8")
    assert [r.partition_key for r in ticker.tick().run_requests] == ["2024"]


def test_a_read_that_was_never_promoted_is_not_built(raw, instance):
    # The candidates were read (e.g. a blocking check failed) but raw/year never ran after them.
    write_year(raw, 2025, {"hr_workforce.csv": HR})
    instance.report_runless_asset_event(dg.AssetMaterialization(
        ["candidate", "hr_workforce"], partition="2025",
        metadata={"raw_folder_sha256": folder_hash(raw / "2025")}))
    assert [r.partition_key for r in Ticker(instance).tick().run_requests] == ["2025"]
