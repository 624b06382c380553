"""The annual_report asset: renders report/ from build/<Y>/published.duckdb only."""


import dagster as dg

from assets.published.defs import published_tables
from psw_core.asset_helpers import CODE_VERSION, OWNER, partition_year
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings


@dg.asset(
    deps=[published_tables],
    partitions_def=reporting_year,
    group_name="report",
    kinds={"quarto"},
    owners=[OWNER],
    code_version=CODE_VERSION,
    description="The annual Principal Social Worker report for one year, as HTML, DOCX and PDF, "
    "rendered from the published snapshot (Quarto when on PATH, else the built-in renderer).",
)
def annual_report(context: dg.AssetExecutionContext, settings: PswSettings):
    from assets.report.build import build_report

    year = partition_year(context)
    result = build_report(year, settings)
    return dg.MaterializeResult(
        metadata={
            "renderer": result["renderer"],
            "seconds": round(result["seconds"], 2),
            **{f"{fmt}_path": dg.MetadataValue.path(p) for fmt, p in result["paths"].items()},
            **{f"{fmt}_sha256": h for fmt, h in result["sha256"].items()},
        }
    )

