"""Candidate assets: extracts → candidate.* with blocking GX checks and cross-extract rules.

Thin wrappers: the logic lives beside them in assets.candidate (readers, pseudonymisation,
scrubbing, suites, cross-extract SQL, the candidate store).
"""


import os
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.candidate.contract import EXTRACTS
from assets.candidate.store import write_candidates
from psw_core.asset_helpers import (
    OWNER,
    authority,
    failures_in_words,
    partition_year,
    problems_table,
    stage_code_version,
    year_dir,
)
from psw_core.instrument import pause_point
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource
from psw_core.stamp import folder_stamp, hashes_stamp

CANDIDATE_CODE_VERSION = stage_code_version("assets/candidate", "expectations")
CANDIDATE_KEYS = {name: dg.AssetKey(["candidate", name]) for name in EXTRACTS}

GRAIN = {
    "hr_workforce": "one row per employment spell of a social worker in a service",
    "hr_vacancies": "one row per service (or service and team) at the reference date",
    "learning": "one row per completed learning activity",
    "supervision": "one row per supervision session held",
    "health_check_responses": "one row per anonymous survey respondent",
    "health_check_items": "one row per survey item in the codebook",
    "health_check_invited": "one row per service: the headcount invited",
    "caseload": "one row per allocation of a case to a worker",
    "assessments": "one row per assessment",
    "audits": "one row per case audit",
}


def _extract_of(problem) -> str:
    stem = problem.file.rsplit(".", 1)[0].lower()
    return "hr_workforce" if stem == "csww" else stem


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            description=f"Candidate `{name}` for one reporting year: {GRAIN[name]}. Ids pseudonymised, "
            "direct identifiers dropped, free text scrubbed.",
            group_name="candidate",
            kinds={"duckdb", "great_expectations"},
            owners=[OWNER],
            code_version=CANDIDATE_CODE_VERSION,
            skippable=True,
        )
        for name, key in CANDIDATE_KEYS.items()
    ],
    check_specs=[
        dg.AssetCheckSpec(
            f"gx_suite_{name}",
            asset=key,
            blocking=True,
            description=f"Great Expectations suite expectations/{name}.json (errors block).",
        )
        for name, key in CANDIDATE_KEYS.items()
    ],
    partitions_def=reporting_year,
    can_subset=False,
)
def candidate_extracts(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    """Read, check and prepare every extract of the year into candidate.* tables."""
    from assets.candidate.load import prepare_year
    from assets.candidate.pseudonymise import resolve_key
    from assets.candidate.validate import ValidationReport, validate_reads
    from psw_core.hashing import file_sha256

    year = partition_year(context)
    folder = year_dir(settings, year)
    config = authority(settings)
    with failures_in_words(FileNotFoundError, what_to_do=f"Run `psw validate {folder}` to see every problem."):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} does not exist.")
        # The key is checked first, so a run that cannot work fails in its first seconds.
        hashes = [file_sha256(p) for p in sorted(folder.iterdir()) if p.is_file()]
        key = resolve_key(os.environ.get("PSW_PSEUDONYMISATION_KEY"), hashes, sample_manifest(settings))
        prepared = prepare_year(folder, year, config, key)
    # The suites run on the prepared (pseudonymised) frames: one read serves both.
    report = validate_reads(prepared.read_results, config, year, ValidationReport(folder=str(folder)))
    problems = list(dict.fromkeys([*prepared.problems, *report.problems]))
    tables = dict(prepared.tables)
    tables["validation_problems"] = validation_frame(problems, year)
    with warehouse.connect() as con:
        counts = write_candidates(con, year, tables)
        pause_point("ingest")
    by_extract: dict[str, list] = {}
    for p in problems:
        by_extract.setdefault(_extract_of(p), []).append(p)
    built_from = folder_stamp(folder)  # the sensor starts from this (pipelines/sensors.py)
    for name, key_ in CANDIDATE_KEYS.items():
        sources = prepared.files_for(name)
        yield dg.MaterializeResult(
            asset_key=key_,
            # Staleness follows content: the data version is the stamp of this extract's files.
            data_version=dg.DataVersion(hashes_stamp(s.get("sha256", "") for s in sources)),
            metadata={
                "raw_folder_sha256": built_from or "",
                "present": bool(sources),
                "source_files": ", ".join(sorted(str(s.get("file") or os.path.basename(str(s.get("path", "")))) for s in sources)),
                "source_sha256": ", ".join(sorted(s.get("sha256", "") for s in sources)),
                "row_count": dg.MetadataValue.int(int(counts.get(name, 0))),
            },
        )
        found = by_extract.get(name, [])
        errors = [p for p in found if p.severity == "error"]
        yield dg.AssetCheckResult(
            asset_key=key_,
            check_name=f"gx_suite_{name}",
            passed=not errors,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "errors": len(errors),
                "warnings": len(found) - len(errors),
                "failing_rows": problems_table(found),
            },
        )


def validation_frame(problems, year: int) -> pd.DataFrame:
    """Validation results for the warehouse, values redacted (DESIGN §2)."""
    rows = [p.redacted().to_dict() for p in problems]
    frame = pd.DataFrame(rows, columns=["file", "rule", "severity", "why", "action", "row", "column",
                                        "column_letter", "value"])
    frame = frame.drop(columns=["value"]).astype({"row": "Int64"})
    frame.insert(0, "reporting_year", year)
    return frame


def sample_manifest(settings: PswSettings) -> Path:
    return Path(settings.raw_dir).parent / "sample_manifest.json"


@dg.asset(
    key=["candidate", "year"],
    deps=list(CANDIDATE_KEYS.values()),
    partitions_def=reporting_year,
    group_name="candidate",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=CANDIDATE_CODE_VERSION,
    description="All candidate extracts of one reporting year, checked together by the "
    "cross-extract rules before promotion. One row per extract in its metadata.",
    check_specs=[
        dg.AssetCheckSpec(
            "cross_extract_rules", asset=["candidate", "year"], blocking=True,
            description="Every worker_id exists in HR; survey responses ≤ invited (errors block).",
        )
    ],
)
def candidate_year(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    from assets.candidate.cross_extract import check_frames

    year = partition_year(context)
    with warehouse.connect() as con:
        frames = candidate_frames(con, year)
    problems = check_frames(frames)
    errors = [p for p in problems if p.severity == "error"]
    yield dg.MaterializeResult(metadata={"problems": len(problems)})
    yield dg.AssetCheckResult(
        check_name="cross_extract_rules",
        passed=not errors,
        metadata={"errors": len(errors), "failing_rows": problems_table(problems)},
    )


def candidate_frames(con, year: int) -> dict[str, pd.DataFrame]:
    """This year's candidate rows (other years' candidates may sit beside them)."""
    from assets.candidate.store import WAREHOUSE_TABLES
    from psw_core.warehouse import table_exists

    frames = {}
    for name in WAREHOUSE_TABLES:
        if name != "validation_problems" and table_exists(con, "candidate", name):
            frame = con.execute(f"SELECT * FROM candidate.{name} WHERE reporting_year = ?", [year]).df()
            if len(frame):
                frames[name] = frame.rename(columns={"source_row": "_row"})
    return frames
