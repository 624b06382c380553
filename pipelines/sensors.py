"""The new-extract sensor: one run per new or changed year folder, keyed on content hashes.

Modification times are never used: copying a folder or touching a file must not trigger a
rebuild, and the same content must never run twice (run_key = year + folder content hash).

Rules (tests/dagster/test_dagster_sensor.py pins each one):
- a new `data/raw/<year>/` folder adds the `reporting_year` dynamic partition and requests one
  `build_year` run for that partition;
- a changed file (new content hash) requests one more run; the same content never runs twice;
- while a run tagged with that partition is in flight (queued, starting, started or being
  cancelled) nothing is requested for the year, and the change is picked up once it ends;
- runs launched by hand (UI, backfill, `psw build`) change no file, so they never trigger it;
- raw files are only read, never written; the sensor is off until someone turns it on.
"""


import hashlib
import json
from pathlib import Path

import dagster as dg

from pipelines.jobs import build_year
from psw_core.hashing import file_sha256
from psw_core.partitions import reporting_year, year_folders
from psw_core.resources import setting

IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,  # still holds the warehouse until it stops
]

# Not extracts: hidden files, Office's "~$name.xlsx" lock files (present while a workbook is
# open in Excel) and the thumbnail/settings files Windows drops into shared folders.
IGNORED_NAMES = {"thumbs.db", "desktop.ini"}


def is_extract_file(path: Path) -> bool:
    name = path.name
    return (path.is_file() and not name.startswith((".", "~$"))
            and name.lower() not in IGNORED_NAMES)


def folder_hash(folder: Path) -> str | None:
    """Hash of the folder's file names and contents, independent of listing order and of
    modification times. None for a folder with no extract files yet."""
    files = sorted((p for p in folder.iterdir() if is_extract_file(p)), key=lambda p: p.name)
    if not files:
        return None
    digest = hashlib.sha256()
    for path in files:
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
    "report) once for each new content hash of a year folder. Keyed on SHA-256 of the files, "
    "never on modification times; waits while a run for that year is in flight.",
)
def new_extract_sensor(context: dg.SensorEvaluationContext):
    raw_dir = Path(setting("PSW_RAW_DIR"))
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    folders = {str(y): folder for y, folder in year_folders(raw_dir).items()}
    known = set(context.instance.get_dynamic_partitions(reporting_year.name))
    new_partitions = sorted(set(folders) - known)
    requests, cursor, waiting = [], dict(seen), []
    for year, folder in sorted(folders.items()):
        digest = folder_hash(folder)
        if digest is None or seen.get(year) == digest:
            continue
        if _in_flight(context.instance, year):
            # Leave the cursor alone so the change is picked up once the run finishes.
            waiting.append(year)
            continue
        requests.append(dg.RunRequest(
            run_key=f"{year}:{digest}", partition_key=year,
            tags={"psw/content_hash": digest, "psw/source": "sensor"},
        ))
        cursor[year] = digest
    skip_reason = None
    if not requests:
        skip_reason = (
            f"Changes in {', '.join(waiting)} wait for the run in flight for that year."
            if waiting else f"No new or changed year folders under {raw_dir}."
        )
    return dg.SensorResult(
        run_requests=requests,
        skip_reason=skip_reason,
        cursor=json.dumps(cursor, sort_keys=True),
        dynamic_partitions_requests=(
            [reporting_year.build_add_request(new_partitions)] if new_partitions else []
        ),
    )
