"""Metrics assets: one per measure family (a SQL file in sql/ that reads staging.*), and the
trends. Dependencies come from the SQL; each family replaces only its own rows of
`metrics.measures` for its own reporting year (the logic is in assets/metrics/measures.py)."""

import warnings

import dagster as dg

from assets.metrics.measures import FAMILIES
from psw_core.asset_helpers import (
    OWNER,
    authority,
    partition_year,
    row_count,
    stage_code_version,
    table_asset_key,
)
from psw_core.instrument import pause_point
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource

# The registry and the helpers every family's rows go through.
SHARED = ("assets/metrics/measures.py", "assets/metrics/definitions.py", "assets/metrics/intervals.py")


def family_key(family: str) -> dg.AssetKey:
    # "<family>_measures": a family can share its name with a staging model (vacancies), and two
    # adjacent nodes with one label read as one.
    return dg.AssetKey(["metrics", f"{family}_measures"])


def _family_asset(family: str, needs: tuple[str, ...]):
    @dg.asset(
        key=family_key(family),
        deps=sorted({table_asset_key(f"staging.{t}") for t in needs}, key=lambda k: k.path),
        partitions_def=reporting_year,
        group_name="metrics",
        kinds={"duckdb"},
        owners=[OWNER],
        code_version=stage_code_version(f"assets/metrics/sql/{family}.sql", *SHARED),
        description=f"The `{family}` measure family for one reporting year "
        f"(assets/metrics/sql/{family}.sql): its rows of metrics.measures, long format, one row "
        "per measure × service (× breakdown category or month end), with numerator, denominator, "
        "unit, 95% interval and the definition's source.",
    )
    def _asset(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
        from assets.metrics.measures import build_family

        year = partition_year(context)
        with warehouse.connect() as con:
            rows = build_family(con, family, year, authority(settings))
            pause_point("measures")
        context.log.info(f"metrics {family}: {rows} measure rows for {year} "
                         f"from staging {', '.join(needs)}")
        return dg.MaterializeResult(metadata=row_count(rows))

    return _asset


family_assets = [_family_asset(family, needs) for family, needs in FAMILIES.items()]


@dg.asset(
    key=["metrics", "trends"],
    deps=[family_key(f) for f in FAMILIES],
    partitions_def=reporting_year,
    group_name="metrics",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=stage_code_version("assets/metrics/trends.py", "assets/metrics/benchmarks.py",
                                    "assets/metrics/sql/benchmarks.sql", *SHARED),
    description="Year-on-year changes (Newcombe intervals) over every year present up to this one, "
    "and the national benchmarks mapped to our measures. Reads all years.",
)
def metrics_trends(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    from assets.metrics.trends import build_trends

    year = partition_year(context)
    with warehouse.connect() as con:
        counts = build_trends(con, year, authority(settings))
    context.log.info(f"metrics trends: {', '.join(f'{n} {c} rows' for n, c in counts.items())} "
                     f"(years up to {year})")
    return dg.MaterializeResult(metadata={**row_count(sum(counts.values())),
                                          "row_counts": dg.MetadataValue.json(counts)})




# Observable source assets are beta in Dagster 1.13; the warning says nothing we can act on.
warnings.filterwarnings("ignore", category=dg.BetaWarning, message=".*observable_source_asset.*")


REFERENCE_GROUP = ("Reference: DfE's published figures for every council, region and England, "
                   "observed so that a new release shows the comparisons as stale.")


@dg.observable_source_asset(
    key=["reference", "dfe_csww"],
    group_name="reference",
    metadata={"group": REFERENCE_GROUP},
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
    deps=[*(family_key(f) for f in FAMILIES), dfe_reference],
    partitions_def=reporting_year,
    group_name="metrics",
    kinds={"duckdb"},
    owners=[OWNER],
    code_version=stage_code_version("assets/metrics/comparisons.py",
                                    "assets/metrics/sql/comparisons.sql", "psw_core/dfe_reference.py"),
    description="Where we stand among all councils (children's services, DfE basis): England, "
    "region, statistical neighbour mean, rank and quartile for turnover, vacancy, agency, "
    "caseload and absence, 2017 to this year; every council's figure for the dot charts; and "
    "the reconciliation of our figures with DfE's published figures for us. Reads all years.",
)
def metrics_comparisons(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    from assets.metrics.comparisons import build_comparisons, release_label

    year = partition_year(context)
    with warehouse.connect() as con:
        counts = build_comparisons(con, year, authority(settings))
    context.log.info(f"metrics comparisons: {', '.join(f'{n} {c} rows' for n, c in counts.items())} "
                     f"(DfE {release_label()})")
    return dg.MaterializeResult(metadata={**row_count(sum(counts.values())),
                                          "row_counts": dg.MetadataValue.json(counts),
                                          "dfe_release": dg.MetadataValue.text(release_label())})


metrics_assets = [*family_assets, metrics_trends, metrics_comparisons]
