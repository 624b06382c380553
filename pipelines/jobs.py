"""Jobs. Writers run in one process: DuckDB allows one writing process per file (docs/design.md §2)."""

from __future__ import annotations

import dagster as dg

from psw_core.partitions import reporting_year

build_year = dg.define_asset_job(
    "build_year",
    selection=dg.AssetSelection.all(),
    partitions_def=reporting_year,
    executor_def=dg.in_process_executor,
    description="Validate, load, measure, publish and render one reporting year.",
)

validate_only = dg.define_asset_job(
    "validate_only",
    selection=dg.AssetSelection.groups("candidate"),
    partitions_def=reporting_year,
    executor_def=dg.in_process_executor,
    description="Read and check one year's extracts into candidate.* without promoting them.",
)
