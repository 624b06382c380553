"""Candidate assets: extracts → candidate.* with blocking GX checks and cross-extract rules.

Thin wrappers: the logic lives beside them in assets.candidate (readers, pseudonymisation,
scrubbing, suites, cross-extract SQL, the candidate store).
"""


import os
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.candidate.contract import EXTRACTS, NEVER_LOADED, SPECS
from psw_core.asset_helpers import (
    OWNER,
    authority,
    failing_rows,
    failures_in_words,
    partition_year,
    row_count,
    stage_code_version,
    year_dir,
)
from psw_core.instrument import pause_point
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource
from psw_core.stamp import folder_stamp, hashes_stamp

CANDIDATE_CODE_VERSION = stage_code_version("assets/candidate", "expectations")
CANDIDATE_KEYS = {name: dg.AssetKey(["candidate", name]) for name in EXTRACTS}

GRAIN = {name: SPECS[name].grain for name in EXTRACTS}  # from the contract


def column_schema(name: str) -> dg.TableSchema:
    """The extract's columns as the data contract states them (what the UI's Columns tab shows);
    direct identifiers are never loaded, so they are left out."""
    return dg.TableSchema(columns=[
        dg.TableColumn(c.name, c.duckdb_type.lower(), description=c.why or None,
                       constraints=dg.TableColumnConstraints(nullable=not c.not_null))
        for c in SPECS[name].columns if c.name not in NEVER_LOADED
    ])


def _extract_of(problem, files: dict[str, dict]) -> str:
    """The extract whose check reports a problem: by the file it was found in (a census return
    has any name), else by the file's stem; a folder-level problem goes to hr_workforce."""
    if problem.file in files:
        return files[problem.file]["extracts"][0]
    stem = problem.file.rsplit(".", 1)[0].lower()
    return stem if stem in CANDIDATE_KEYS else "hr_workforce"


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
            metadata={"dagster/column_schema": column_schema(name)},
        )
        for name, key in CANDIDATE_KEYS.items()
    ],
    check_specs=[
        spec
        for name, key in CANDIDATE_KEYS.items()
        for spec in (
            dg.AssetCheckSpec(
                f"gx_suite_{name}", asset=key, blocking=True, partitions_def=reporting_year,
                description=f"Great Expectations suite expectations/{name}.json: its error rules "
                "(an error blocks everything downstream; nothing is promoted).",
            ),
            dg.AssetCheckSpec(
                f"gx_warnings_{name}", asset=key, blocking=False, partitions_def=reporting_year,
                description=f"The warning rules of expectations/{name}.json: worth a look, never "
                "blocking. Fails (as a warning) when any row breaks one.",
            ),
        )
    ],
    partitions_def=reporting_year,
    can_subset=False,
)
def candidate_extracts(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    """Read, check and prepare every extract of the year into candidate.* tables."""
    from assets.candidate import gx_runner
    from assets.candidate.ingest import ingest_year
    from assets.candidate.pseudonymise import resolve_key
    from assets.candidate.validate import ValidationReport
    from psw_core.hashing import file_sha256

    year = partition_year(context)
    folder = year_dir(settings, year)
    config = authority(settings)
    # GX's import overlaps reading, in a thread: a worker process started inside a run that the
    # UI launched kept that run's process (and the code server's shutdown) waiting. psw build
    # starts its worker before Dagster (pipelines/build.py); then this does nothing.
    gx_runner.warm_up()
    with failures_in_words(FileNotFoundError, what_to_do=f"Run `psw validate {folder}` to see every problem."):
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder} does not exist.")
        # The key is checked first, so a run that cannot work fails in its first seconds.
        hashes = [file_sha256(p) for p in sorted(folder.iterdir()) if p.is_file()]
        key = resolve_key(os.environ.get("PSW_PSEUDONYMISATION_KEY"), hashes, sample_manifest(settings))
        with warehouse.connect() as con:
            # One extract at a time: read, pseudonymise, its suite, its typed rows written;
            # committed once every extract and the cross-extract rules have run.
            ingested = ingest_year(con, folder, year, config, key,
                                   ValidationReport(folder=str(folder)), validation_frame)
            pause_point("ingest")
    prepared, report, problems, counts = (ingested.prepared, ingested.report, ingested.problems,
                                          ingested.counts)
    by_extract: dict[str, list] = {}
    for p in problems:
        by_extract.setdefault(_extract_of(p, prepared.files), []).append(p)
    built_from = folder_stamp(folder)  # the sensor starts from this (pipelines/sensors.py)
    blocked = []
    for name, key_ in CANDIDATE_KEYS.items():
        sources = prepared.files_for(name)
        results = suite_check_results(name, key_, by_extract.get(name, []), report.counts)
        if results[0].passed:
            yield dg.MaterializeResult(
                asset_key=key_,
                # Staleness follows content: the data version is the stamp of this extract's files.
                data_version=dg.DataVersion(hashes_stamp(s.get("sha256", "") for s in sources)),
                metadata={
                    **row_count(counts.get(name, 0)),
                    "raw_folder_sha256": built_from or "",
                    "present": bool(sources),
                    "source_files": ", ".join(sorted(str(s.get("file") or os.path.basename(str(s.get("path", "")))) for s in sources)),
                    "source_sha256": ", ".join(sorted(s.get("sha256", "") for s in sources)),
                },
            )
        else:
            blocked.append(f"{name} ({results[0].metadata['rows_counted'].value} failing rows)")
        yield from results
    context.log.info(f"candidate: read {sum(counts.values())} rows of {year} from "
                     f"{len([n for n in CANDIDATE_KEYS if prepared.files_for(n)])} extracts; "
                     f"{len(problems)} problems listed; blocked: {', '.join(blocked) or 'none'}")
    if blocked:
        # The extract whose suite failed is not materialised, so the graph marks it (not the
        # assets downstream, which are skipped).
        raise dg.Failure(
            description=f"Blocking checks failed for {', '.join(blocked)}; nothing for {year} was "
            f"promoted. What to do: open the failed gx_suite check for its failing rows, or run "
            f"`psw validate {folder}`; fix the extract and run again.",
            allow_retries=False,
        )


def suite_check_results(name: str, key: dg.AssetKey, found: list, counts) -> list[dg.AssetCheckResult]:
    """The extract's error check (blocking) and warning check, every failing row counted."""
    out = []
    for severity, check, level in (("error", f"gx_suite_{name}", dg.AssetCheckSeverity.ERROR),
                                   ("warning", f"gx_warnings_{name}", dg.AssetCheckSeverity.WARN)):
        listed = [p for p in found if p.severity == severity]
        pairs = {(p.file, p.rule) for p in listed}
        counted = sum(max(counts.get(pair, 0), sum(1 for p in listed if (p.file, p.rule) == pair))
                      for pair in pairs)
        out.append(dg.AssetCheckResult(
            asset_key=key, check_name=check, passed=not listed, severity=level,
            metadata={f"{severity}s": dg.MetadataValue.int(counted), **failing_rows(listed, counted)},
        ))
    return out


def validation_frame(problems, year: int) -> pd.DataFrame:
    """Validation results for the warehouse, values redacted (docs/design.md §2)."""
    rows = [p.redacted().to_dict() for p in problems]
    frame = pd.DataFrame(rows, columns=["file", "rule", "severity", "why", "action", "row", "column",
                                        "column_letter", "value"])
    frame = frame.drop(columns=["value"]).astype({"row": "Int64"})
    frame.insert(0, "reporting_year", year)
    return frame


def sample_manifest(settings: PswSettings) -> Path:
    return Path(settings.raw_dir).parent / "sample_manifest.json"


@dg.asset(
    key=["candidate", "checked_year"],
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
            "cross_extract_rules", asset=["candidate", "checked_year"], blocking=True,
            partitions_def=reporting_year,
            description="Every worker_id exists in HR; survey responses ≤ invited (errors block).",
        )
    ],
)
def candidate_year(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    from assets.candidate.cross_extract import check_candidate_year

    year = partition_year(context)
    with warehouse.connect() as con:  # the rules run in DuckDB, on the year's candidate rows
        problems = check_candidate_year(con, year)
    errors = [p for p in problems if p.severity == "error"]
    context.log.info(f"candidate year: cross-extract rules over the candidate tables of {year}: "
                     f"{len(errors)} errors, {len(problems) - len(errors)} warnings")
    yield dg.MaterializeResult(metadata={"problems": len(problems)})
    yield dg.AssetCheckResult(
        check_name="cross_extract_rules",
        passed=not errors,
        metadata={"errors": len(errors), **failing_rows(problems, len(problems))},
    )
