"""The Dagster code location: a table of contents, nothing more."""

from __future__ import annotations

import dagster as dg

from assets.candidate.defs import candidate_extracts, candidate_year
from assets.metrics.defs import metrics_measures, metrics_trends
from assets.published.defs import published_tables
from assets.raw.defs import raw_year
from assets.report.defs import annual_report
from assets.staging.defs import staging_models
from pipelines.jobs import build_year, validate_only
from pipelines.sensors import new_extract_sensor
from psw_core.resources import default_resources

defs = dg.Definitions(
    assets=[
        candidate_extracts,
        candidate_year,
        raw_year,
        staging_models,
        metrics_measures,
        metrics_trends,
        published_tables,
        annual_report,
    ],
    jobs=[build_year, validate_only],
    sensors=[new_extract_sensor],
    resources=default_resources(),
    # *Materialize all…* runs as __ASSET_JOB, which otherwise gets the multiprocess executor:
    # 10–17 s of process start-up per step on 2 cores, and DuckDB has one writing process anyway.
    executor=dg.in_process_executor,
)
