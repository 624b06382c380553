"""Metrics assets: thin wrappers over the SQL in assets/metrics."""

import warnings

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


# Observable source assets are beta in Dagster 1.13; the warning says nothing we can act on.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*observable_source_asset.*")


@dg.observable_source_asset(
    key=["reference", "dfe_csww"],
    group_name="reference",
    description="DfE's published children's social work workforce figures for every council, "
    "region and England, and its statistical neighbour model (data/reference/dfe/, OGL v3). "
    "Observing it records the release in use and its SHA-256; a new file (psw reference "
    "update) changes the data version, so the comparisons show as stale.",
)
def dfe_reference():
    from psw_core.dfe_reference import DFE_DIR, INDICATORS_FILE, reference_files, release_of

    release = release_of(DFE_DIR / INDICATORS_FILE)
    files = reference_files()
    return dg.ObserveResult(
        data_version=dg.DataVersion("-".join(f["sha256"][:16] for f in files)),
        metadata={"release": dg.MetadataValue.text(release.label),
                  "files": dg.MetadataValue.json(files)},
    )


@dg.asset(
    key=["metrics", "comparisons"],
    deps=[metrics_measures, dfe_reference],
    partitions_def=reporting_year,
    group_name="metrics",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=CODE_VERSION,
    description="Where we stand among all councils (children's services, DfE basis): England, "
    "region, statistical neighbour mean, rank and quartile for turnover, vacancy, agency, "
    "caseload and absence, 2017 to this year; every council's figure for the dot charts; and "
    "the reconciliation of our figures with DfE's published figures for us. Reads all years.",
)
def metrics_comparisons(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    from assets.metrics.comparisons import build_comparisons, release_label

    with warehouse.connect() as con:
        counts = build_comparisons(con, partition_year(context), authority(settings))
    return dg.MaterializeResult(metadata={"row_counts": dg.MetadataValue.json(counts),
                                          "dfe_release": dg.MetadataValue.text(release_label())})
