"""Metrics assets: thin wrappers over the SQL in assets/metrics."""


import dagster as dg

from assets.staging.defs import staging_models
from psw_core.asset_helpers import CODE_VERSION, OWNER, authority, partition_year
from psw_core.instrument import pause_point
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource


@dg.asset(
    key=["metrics", "measures"],
    deps=[staging_models],
    partitions_def=reporting_year,
    group_name="metrics",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=CODE_VERSION,
    description="metrics.measures for one reporting year: long format, one row per measure × "
    "service (× breakdown category or month end), with numerator, denominator, unit, 95% "
    "interval and the definition's source (DESIGN §4).",
)
def metrics_measures(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    from assets.metrics.measures import build_metrics

    year = partition_year(context)
    with warehouse.connect() as con:
        build_metrics(con, year, authority(settings), rebuild_staging=False)
        pause_point("measures")
        rows = con.execute(
            "SELECT count(*) FROM metrics.measures WHERE reporting_year = ?", [year]
        ).fetchall()[0][0]
    return dg.MaterializeResult(metadata={"row_count": dg.MetadataValue.int(int(rows))})


@dg.asset(
    key=["metrics", "trends"],
    deps=[metrics_measures],
    partitions_def=reporting_year,
    group_name="metrics",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=CODE_VERSION,
    description="Year-on-year changes (Newcombe intervals) over every year present up to this one, "
    "and the national benchmarks mapped to our measures. Reads all years.",
)
def metrics_trends(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    from assets.metrics.trends import build_trends

    with warehouse.connect() as con:
        counts = build_trends(con, partition_year(context), authority(settings))
    return dg.MaterializeResult(metadata={"row_counts": dg.MetadataValue.json(counts)})
