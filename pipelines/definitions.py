"""The Dagster code location: a table of contents, nothing more."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

import dagster as dg

import assets.candidate
import assets.metrics
import assets.published
import assets.raw
import assets.report
import assets.staging
from assets.candidate.defs import candidate_extracts, candidate_year
from assets.metrics.defs import REFERENCE_GROUP, dfe_reference, metrics_assets
from assets.published.defs import published_tables
from assets.raw.defs import raw_year
from assets.report.defs import annual_report
from assets.staging.defs import staging_assets
from pipelines.jobs import build_year, validate_only
from pipelines.sensors import new_extract_sensor
from psw_core.partitions import register_year_folders
from psw_core.resources import default_resources, setting

# Code references are beta in 1.13; they only add links, so their warning is noise in the UI log.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*(with_source_code_references|"
                        "LocalFileCodeReference|CodeReferencesMetadataValue)")

# Dagster 1.13 has no description for a group, so each asset carries its group's: the stage
# package's docstring, shown as the "group" entry of the asset's definition metadata.
GROUP_DESCRIPTIONS = {
    package.__name__.rpartition(".")[2]: " ".join(package.__doc__.split())
    for package in (assets.candidate, assets.raw, assets.staging, assets.metrics,
                    assets.published, assets.report)
}
GROUP_DESCRIPTIONS["reference"] = REFERENCE_GROUP  # a source asset: it carries its own


def _with_group_description(spec: dg.AssetSpec) -> dg.AssetSpec:
    return spec.merge_attributes(metadata={"group": GROUP_DESCRIPTIONS[spec.group_name]})


defs = dg.Definitions(
    # Code references: each asset links to the file and line that defines it.
    assets=dg.with_source_code_references(dg.map_asset_specs(_with_group_description, [
        candidate_extracts,
        candidate_year,
        raw_year,
        *staging_assets,
        *metrics_assets,
        published_tables,
        annual_report,
    ]) + [dfe_reference]),
    jobs=[build_year, validate_only],
    sensors=[new_extract_sensor],
    resources=default_resources(),
    # *Materialize all…* runs as __ASSET_JOB, which otherwise gets the multiprocess executor:
    # 10–17 s of process start-up per step on 2 cores, and DuckDB has one writing process anyway.
    executor=dg.in_process_executor,
)


def register_years_on_load() -> list[str]:
    """Every data/raw/<year> folder becomes a partition when the UI (a code server) loads or
    reloads this location, so a fresh DAGSTER_HOME shows the years with no typing.

    The partitions stay dynamic rather than computed from the folders: the sensor can then add a
    year dropped while the UI is open without a reload, and the partitions definition (part of
    every asset's identity) does not change each time a folder appears. Only an initial load
    registers (not a run worker re-loading the code, nor a plain import in tests or scripts).
    """
    from dagster._core.definitions.definitions_load_context import (
        DefinitionsLoadContext,
        DefinitionsLoadType,
    )

    if not (os.environ.get("DAGSTER_HOME") and DefinitionsLoadContext.is_set()
            and DefinitionsLoadContext.get().load_type == DefinitionsLoadType.INITIALIZATION):
        return []
    try:
        return register_year_folders(dg.DagsterInstance.get(), Path(setting("PSW_RAW_DIR")))
    except Exception as exc:  # noqa: BLE001 - never stop the location loading over this
        logging.getLogger("psw").warning("Could not register year partitions: %s", exc)
        return []


register_years_on_load()
