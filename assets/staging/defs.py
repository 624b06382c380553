"""Staging assets: one per staging model (a SQL file in sql/) and one per table built from
authority.yml (calendar, periods, timescales). Dependencies come from the SQL; each asset writes
only its own reporting year's rows (the logic is in assets/staging/models.py)."""

import dagster as dg

from assets.staging.models import MODEL_INPUTS, SETTINGS_BUILDERS, SETTINGS_TABLES, SQL_DIR
from psw_core.asset_helpers import (
    OWNER,
    authority,
    partition_year,
    row_count,
    sql_description,
    stage_code_version,
    table_asset_key,
)
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource

SETTINGS_DESCRIPTIONS = {
    "calendar": "One row per day around the reporting year: working day or not (Monday to Friday "
    "less the nation's bank holidays) and a running working-day number, for assessment due dates.",
    "periods": "One row per reporting year: period_start, reference_date and working days in "
    "the period, from authority.yml.",
    "timescales": "One row per assessment type with a timescale in authority.yml: days and basis.",
    "asye_schedule": "One row per phase of the ASYE supervision schedule in authority.yml (the "
    "ASYE framework by default): until when, and how often a session is due.",
}


def _staging_asset(name: str, inputs: frozenset[str], description: str, code_version: str):
    @dg.asset(
        key=["staging", name],
        deps=sorted({table_asset_key(t) for t in inputs}, key=lambda k: k.path),
        partitions_def=reporting_year,
        group_name="staging",
        kinds={"duckdb"},
        owners=[OWNER],
        code_version=code_version,
        description=description,
    )
    def _asset(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
        from assets.staging.models import SETTINGS_BUILDERS, build_model

        year = partition_year(context)
        with warehouse.connect() as con:
            if name in SETTINGS_BUILDERS:
                rows = SETTINGS_BUILDERS[name](con, authority(settings), year)
            else:
                rows = build_model(con, name, year)
        if rows is None:
            context.log.info(f"staging.{name}: not built for {year}; an input it reads is "
                             f"missing ({', '.join(sorted(inputs))})")
            return dg.MaterializeResult(metadata={**row_count(0), "built": False})
        context.log.info(f"staging.{name}: {rows} rows for {year}")
        return dg.MaterializeResult(metadata={**row_count(rows), "built": True})

    return _asset


staging_assets = [
    _staging_asset(name, SETTINGS_TABLES[name], SETTINGS_DESCRIPTIONS[name],
                   stage_code_version("assets/staging/models.py"))
    for name in SETTINGS_BUILDERS
] + [
    _staging_asset(name, inputs, sql_description(SQL_DIR / f"{name}.sql"),
                   stage_code_version(f"assets/staging/sql/{name}.sql", "assets/staging/models.py"))
    for name, inputs in MODEL_INPUTS.items()
]
