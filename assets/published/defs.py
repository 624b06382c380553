"""Published asset: disclosure-controlled tables, CSV/ODS files and the report's snapshot."""


from pathlib import Path

import dagster as dg

from assets.metrics.defs import metrics_comparisons, metrics_trends
from psw_core.asset_helpers import CODE_VERSION, OWNER, authority, partition_year, preview
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource


@dg.asset(
    key=["published", "tables"],
    deps=[metrics_trends, metrics_comparisons],
    partitions_def=reporting_year,
    group_name="published",
    kinds={"duckdb", "csv"},
    owners=[OWNER],
    code_version=CODE_VERSION,
    description="published.* after disclosure control ([c] for 1–threshold people, secondary "
    "suppression, GSS shorthand), written to build/<Y>/tables/*.csv, psw-tables-<Y>.ods, "
    "build/<Y>/published.duckdb (the report's only input) and the internal headline file.",
)
def published_tables(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    from assets.published.publish import publish_year

    year = partition_year(context)
    out = Path(settings.out_dir) / str(year)
    with warehouse.connect() as con:
        tables = publish_year(con, year, authority(settings), out, Path(settings.raw_dir))
    metadata = {
        "tables": dg.MetadataValue.json({name: len(frame) for name, frame in tables.items()}),
        "snapshot": dg.MetadataValue.path(str(out / "published.duckdb")),
    }
    if "headline_measures" in tables:
        metadata["preview"] = preview(tables["headline_measures"], 15)
    return dg.MaterializeResult(metadata=metadata)
