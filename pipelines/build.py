"""`psw build`: materialise the asset graph in this process, one reporting year at a time.

The same assets run from the Dagster UI; here they run in process so that a council
analyst needs nothing but the command line. Years go oldest first, because a year's
rolling turnover and trends read the years before it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
from rich.console import Console

from assets.problems import Problem, RulesBroken, UnusableInput
from pipelines.dagster_home import ensure_dagster_home
from pipelines.partitions import reporting_year, year_folders
from pipelines.resources import PswSettings, WarehouseResource, warehouse_path, writer_lock


def select_years(raw: Path, year: str) -> list[int]:
    found = year_folders(raw)
    if not found:
        raise UnusableInput(Problem(file=str(raw), rule="BUILD-001", severity="error",
                                    why="No <year>/ folders of extracts were found here.",
                                    action="Pass --raw pointing at a folder holding e.g. 2025/."))
    if year == "all":
        return sorted(found)
    if not year.isdigit() or int(year) not in found:
        raise UnusableInput(Problem(file=str(raw), rule="BUILD-002", severity="error",
                                    why=f"There is no folder for reporting year {year}.",
                                    value=year, action=f"Choose one of {sorted(found)} or 'all'."))
    return [int(year)]


def check_key(raw: Path, years: list[int]) -> None:
    """Refuse real data without PSW_PSEUDONYMISATION_KEY before touching anything (DESIGN §2)."""
    from assets.ingest.pseudonymise import resolve_key
    from pipelines.sensors import file_sha256

    hashes = [file_sha256(p) for y in years for p in sorted((raw / str(y)).iterdir()) if p.is_file()]
    resolve_key(os.environ.get("PSW_PSEUDONYMISATION_KEY"), hashes, raw.parent / "sample_manifest.json")


def run_build(raw: Path, year: str, out_dir: Path, formats: str, config: Path, console: Console) -> str:
    from assets.config import load_config
    from pipelines.definitions import defs

    load_config(config)  # a bad settings file stops here with a clear message
    years = select_years(raw, year)
    check_key(raw, years)
    home = ensure_dagster_home()
    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(reporting_year.name, [str(y) for y in years])
    report_year = max(years)
    resources = {
        "warehouse": WarehouseResource(path=str(warehouse_path())),
        "settings": PswSettings(raw_dir=str(raw), out_dir=str(out_dir), config_path=str(config),
                                report_dir=os.environ.get("PSW_REPORT_DIR", "report"), formats=formats),
    }
    job = defs.resolve_implicit_global_asset_job_def()
    lines = []
    with writer_lock(warehouse_path(), on_wait=console.print):
        for y in years:
            started = time.perf_counter()
            selection = dg.AssetSelection.all() if y == report_year else (
                dg.AssetSelection.all() - dg.AssetSelection.assets("annual_report"))
            with console.status(f"[bold]{y}[/bold]: validating, loading, measuring, publishing…"):
                result = dg.materialize(
                    [*defs.assets], instance=instance, resources=resources, partition_key=str(y),
                    raise_on_error=False, selection=selection,
                    tags={"psw/source": "cli"},
                )
            _raise_on_failed_checks(result, y, raw, config)
            if not result.success:
                raise RuntimeError(f"The build for {y} failed; see the Dagster run {result.run_id}.")
            done = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
            console.print(f"[green]✓[/green] {y}: {len(done)} assets in {time.perf_counter() - started:.1f} s")
            lines.append(f"  {out_dir / str(y)}/  tables, published.duckdb, provenance.json")
    del job
    summary = ["Wrote:", *lines]
    for fmt in formats.split(","):
        summary.append(f"  {out_dir / str(report_year) / f'psw-annual-report.{fmt}'}")
    summary.append(f"Warehouse: {warehouse_path()}   Dagster home: {home}")
    return "\n".join(summary)


def _raise_on_failed_checks(result, year: int, raw: Path, config: Path) -> None:
    failed = [e for e in result.get_asset_check_evaluations() if not e.passed
              and e.severity == dg.AssetCheckSeverity.ERROR]
    if not failed:
        return
    from assets.checks.validate import format_text, validate_folder
    from assets.config import load_config

    report = validate_folder(raw / str(year), load_config(config), year)
    names = ", ".join(sorted({e.check_name for e in failed}))
    raise RulesBroken(
        f"Year {year} failed blocking checks ({names}); nothing for {year} was promoted and the "
        f"warehouse is as it was.\n{format_text(report)}"
    )

