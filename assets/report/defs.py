"""The annual_report asset: renders report/ from build/<Y>/published.duckdb only."""


from datetime import timedelta
from pathlib import Path

import dagster as dg

from assets.published.defs import published_tables
from psw_core.asset_helpers import OWNER, failures_in_words, partition_year, stage_code_version
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings


@dg.asset(
    key=["report", "annual_report"],
    deps=[published_tables],
    partitions_def=reporting_year,
    group_name="report",
    kinds={"quarto"},
    owners=[OWNER],
    code_version=stage_code_version("assets/report", "quarto_lite", "report"),
    # The report goes to Cabinet once a year: a year and a month without a new render is late.
    freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(days=396),
                                                    warn_window=timedelta(days=366)),
    description="The annual Principal Social Worker report for one year, as HTML, DOCX and PDF, "
    "rendered from the published snapshot (Quarto when on PATH, else the built-in renderer).",
)
def annual_report(context: dg.AssetExecutionContext, settings: PswSettings):
    from assets.report.build import build_report
    from quarto_lite.errors import RenderError

    year = partition_year(context)

    with failures_in_words(RenderError, FileNotFoundError, what_to_do=(
            "Fix the file the message names (a narrative file is under report/narrative/<year>/), "
            "then materialise report/annual_report again with Materialize selected; the tables "
            "need not be rebuilt.")):
        result = build_report(year, settings)
    context.log.info(f"report: {len(result['paths'])} formats ({', '.join(result['paths'])}) for "
                     f"{year} rendered by {result['renderer']} in {result['seconds']:.1f} s")
    return dg.MaterializeResult(
        metadata={
            "renderer": result["renderer"],
            "seconds": round(result["seconds"], 2),
            **{f"{fmt}_path": dg.MetadataValue.url(Path(p).resolve().as_uri())
               for fmt, p in result["paths"].items()},
            **{f"{fmt}_sha256": h for fmt, h in result["sha256"].items()},
        }
    )

