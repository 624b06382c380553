"""Ingest assets: extracts → candidate.* (with blocking GX checks) → raw.* (promote).

Thin wrappers: the logic lives in assets.ingest (readers, pseudonymisation, scrubbing),
assets.checks (suites, cross-extract SQL) and assets.warehouse (candidates, promote).
"""

from __future__ import annotations

import os

import dagster as dg

from assets.common import CODE_VERSION, OWNER, authority, partition_year, problems_table, year_dir
from assets.ingest.contract import EXTRACTS
from assets.warehouse import promote_year, write_candidates
from pipelines.partitions import reporting_year
from pipelines.resources import PswSettings, WarehouseResource

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
            group_name="ingest",
            kinds={"duckdb", "great_expectations"},
            owners=[OWNER],
            code_version=CODE_VERSION,
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
    from assets.checks.validate import validate_folder
    from assets.ingest.load import prepare_year
    from assets.ingest.pseudonymise import resolve_key

    year = partition_year(context)
    folder = year_dir(settings, year)
    config = authority(settings)
    report = validate_folder(folder, config, year)
    prepared = prepare_year(
        folder, year, config,
        resolve_key(os.environ.get("PSW_PSEUDONYMISATION_KEY"),
                    [f["sha256"] for f in report_files(report)], settings_manifest(settings)),
    )
    with warehouse.connect() as con:
        counts = write_candidates(con, year, prepared.tables)
    by_extract: dict[str, list] = {}
    for p in report.problems:
        by_extract.setdefault(_extract_of(p), []).append(p)
    files = prepared.files
    for name, key in CANDIDATE_KEYS.items():
        table_rows = counts.get(name, 0)
        info = files.get(name) or {}
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "present": name in files,
                "source_sha256": info.get("sha256", ""),
                "source_file": os.path.basename(str(info.get("path", ""))),
                "row_count": dg.MetadataValue.int(int(table_rows)),
            },
        )
        problems = by_extract.get(name, [])
        errors = [p for p in problems if p.severity == "error"]
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name=f"gx_suite_{name}",
            passed=not errors,
            severity=dg.AssetCheckSeverity.ERROR if errors else dg.AssetCheckSeverity.WARN,
            metadata={
                "errors": len(errors),
                "warnings": len(problems) - len(errors),
                "failing_rows": problems_table(problems),
            },
        )


def report_files(report) -> list[dict]:
    return list(getattr(report, "files", {}).values())


def settings_manifest(settings: PswSettings):
    from pathlib import Path

    return Path(settings.raw_dir).parent / "sample_manifest.json"


@dg.asset(
    key=["candidate", "year"],
    deps=list(CANDIDATE_KEYS.values()),
    partitions_def=reporting_year,
    group_name="ingest",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=CODE_VERSION,
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
    from assets.checks.cross_extract import cross_extract_problems_sql

    year = partition_year(context)
    with warehouse.connect() as con:
        problems = cross_extract_problems_sql(con, year)
    errors = [p for p in problems if p.severity == "error"]
    yield dg.MaterializeResult(metadata={"problems": len(problems)})
    yield dg.AssetCheckResult(
        check_name="cross_extract_rules",
        passed=not errors,
        metadata={"errors": len(errors), "failing_rows": problems_table(problems)},
    )


@dg.asset(
    key=["raw", "year"],
    deps=[candidate_year],
    partitions_def=reporting_year,
    group_name="warehouse",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=CODE_VERSION,
    description="raw.* for one reporting year: the checked candidates swapped in by one transaction. "
    "Grain: as each extract.",
)
def raw_year(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    year = partition_year(context)
    with warehouse.connect() as con:
        counts = promote_year(con, year)
    return dg.MaterializeResult(
        metadata={"row_counts": dg.MetadataValue.json(counts), "total_rows": sum(counts.values())}
    )
