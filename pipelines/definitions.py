"""The Dagster code location: a table of contents, nothing more."""

from __future__ import annotations

import dagster as dg

from assets.ingest.asset_defs import candidate_extracts, candidate_year, raw_year
from assets.metrics.asset_defs import metrics_measures, metrics_trends, staging_models
from assets.published.asset_defs import published_tables
from assets.report import annual_report
from pipelines.jobs import build_year, validate_only
from pipelines.resources import default_resources
from pipelines.sensors import new_extract_sensor

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
)
