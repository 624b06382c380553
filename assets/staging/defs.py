"""Staging assets: thin wrappers over the SQL in assets/staging."""

import dagster as dg

from assets.raw.defs import raw_year
from psw_core.asset_helpers import CODE_VERSION, OWNER, authority, partition_year
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource


@dg.asset(
    key=["staging", "models"],
    deps=[raw_year],
    partitions_def=reporting_year,
    group_name="staging",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=CODE_VERSION,
    description="staging.* models, one row per stated grain: worker spell, worker-month, case "
    "allocation, assessment, audit, response-item.",
)
def staging_models(
    context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource
):
    from assets.staging.models import build_staging
    from psw_core.warehouse import table_counts

    with warehouse.connect() as con:
        build_staging(con, authority(settings))
        counts = table_counts(con, "staging", partition_year(context))
    return dg.MaterializeResult(metadata={"row_counts": dg.MetadataValue.json(counts)})
