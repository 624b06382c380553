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
- a year the cursor has not seen yet starts from the stamp it was last built from (recorded on
  the candidate assets as `raw_folder_sha256`), so turning the sensor on rebuilds nothing built;
- raw files are only read, never written; the sensor is off until someone turns it on.
"""


import json
from pathlib import Path

import dagster as dg

from pipelines.jobs import build_year
from psw_core.partitions import reporting_year, year_folders
from psw_core.resources import setting
from psw_core.stamp import folder_stamp

IN_FLIGHT = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.NOT_STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,  # still holds the warehouse until it stops
]

# The sensor's key is the folder's stamp (psw_core.stamp), the same hash the build and the
# candidate assets record.
folder_hash = folder_stamp


# The last step of a year's load: once it has run after the candidates were read from a folder
# stamp, that content is built.
CANDIDATE_PROBE = dg.AssetKey(["candidate", "hr_workforce"])
PROMOTED = dg.AssetKey(["raw", "year"])


def _latest(instance: dg.DagsterInstance, key: dg.AssetKey, year: str):
    records = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=key, asset_partitions=[year]), limit=1).records
    return records[0] if records else None


def built_stamp(instance: dg.DagsterInstance, year: str) -> str | None:
    """The folder stamp that year's warehouse rows were built from (by hand, `psw build` or an
    earlier sensor run), or None when the year was never promoted."""
    read, promoted = _latest(instance, CANDIDATE_PROBE, year), _latest(instance, PROMOTED, year)
    if read is None or promoted is None or promoted.timestamp < read.timestamp:
        return None
    value = read.asset_materialization.metadata.get("raw_folder_sha256")
    return getattr(value, "value", value)


def _in_flight(instance: dg.DagsterInstance, year: str) -> bool:
    runs = instance.get_runs(
        filters=dg.RunsFilter(statuses=IN_FLIGHT, tags={"dagster/partition": year}), limit=1
    )
    return bool(runs)


@dg.sensor(
    job=build_year,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description=f"Watches {setting('PSW_RAW_DIR')}/<year>/ (PSW_RAW_DIR) and runs build_year (validate → load → measures → "
    "report) once for each new content hash of a year folder. Keyed on SHA-256 of the files, "
    "never on modification times; waits while a run for that year is in flight. Years already "
    "built from the same content are not run again.",
)
def new_extract_sensor(context: dg.SensorEvaluationContext):
    raw_dir = Path(setting("PSW_RAW_DIR"))
    seen: dict[str, str] = json.loads(context.cursor) if context.cursor else {}
    folders = {str(y): folder for y, folder in year_folders(raw_dir).items()}
    # A year the cursor has not seen starts from what is already built, so switching the
    # sensor on does not rebuild years built by hand.
    for year in sorted(set(folders) - set(seen)):
        stamp = built_stamp(context.instance, year)
        if stamp:
            seen[year] = stamp
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
