"""The new-extract sensor: one run per new or changed year folder, keyed on content hashes.

Modification times are never used: copying a folder or touching a file must not trigger a
rebuild, and the same content must never run twice (run_key = year + folder content hash).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import dagster as dg

from pipelines.jobs import build_year
from pipelines.partitions import reporting_year, year_folders
from pipelines.resources import setting

IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_hash(folder: Path) -> str:
    """Hash of the folder's file names and contents; order-independent of listing order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        digest.update(f"{path.name}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()


def _in_flight(instance: dg.DagsterInstance, year: str) -> bool:
    runs = instance.get_runs(
        filters=dg.RunsFilter(statuses=IN_FLIGHT, tags={"dagster/partition": year}), limit=1
    )
    return bool(runs)


@dg.sensor(
    job=build_year,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Watches data/raw/<year>/ and runs build_year (validate → load → measures → "
    "report) once for each new content hash of a year folder.",
)
def new_extract_sensor(context: dg.SensorEvaluationContext):
    raw_dir = Path(setting("PSW_RAW_DIR"))
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    current = {str(y): folder_hash(folder) for y, folder in year_folders(raw_dir).items()}
    known = set(context.instance.get_dynamic_partitions(reporting_year.name))
    new_partitions = sorted(set(current) - known)
    requests, cursor = [], dict(seen)
    for year, digest in sorted(current.items()):
        if seen.get(year) == digest:
            continue
        if _in_flight(context.instance, year):
            # Leave the cursor alone so the change is picked up once the run finishes.
            continue
        requests.append(dg.RunRequest(run_key=f"{year}:{digest}", partition_key=year,
                                      tags={"psw/content_hash": digest}))
        cursor[year] = digest
    return dg.SensorResult(
        run_requests=requests,
        cursor=json.dumps(cursor, sort_keys=True),
        dynamic_partitions_requests=[reporting_year.build_add_request(new_partitions)] if new_partitions else [],
    )
