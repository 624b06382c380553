"""The raw asset: a year's checked candidates promoted into raw.* in one transaction."""

import dagster as dg

from assets.candidate.defs import candidate_year
from assets.raw.warehouse import promote_year
from psw_core.asset_helpers import OWNER, partition_year, row_count, stage_code_version
from psw_core.partitions import reporting_year
from psw_core.resources import WarehouseResource


@dg.asset(
    key=["raw", "year"],
    deps=[candidate_year],
    partitions_def=reporting_year,
    group_name="raw",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=stage_code_version("assets/raw"),
    description="raw.* for one reporting year: the checked candidates swapped in by one transaction. "
    "Grain: as each extract.",
)
def raw_year(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    year = partition_year(context)
    with warehouse.connect() as con:
        counts = promote_year(con, year)
    context.log.info(f"raw: promoted {sum(counts.values())} rows of {year} into "
                     f"{len(counts)} raw.* tables in one transaction")
    return dg.MaterializeResult(
        metadata={**row_count(sum(counts.values())), "row_counts": dg.MetadataValue.json(counts)}
    )
