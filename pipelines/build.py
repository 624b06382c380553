"""`psw build`: materialise the asset graph in this process, one reporting year at a time.

The same assets run from the Dagster UI; here they run in process so that a council
analyst needs nothing but the command line. Years go oldest first, because a year's
rolling turnover and trends read the years before it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from rich.console import Console

from pipelines.dagster_home import ensure_dagster_home
from psw_core.problems import Problem, RulesBroken, StepFailed, UnusableInput
from psw_core.settings import warehouse_path, year_folders
from psw_core.stamp import year_stamp


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


def check_hr_source(raw: Path, years: list[int]) -> None:
    """Every year needs its HR workforce (a CSV/XLSX or the census return): stop before anything
    runs, rather than build a report with nothing in it."""
    from assets.candidate.contract import has_build_minimum
    from assets.candidate.readers import find_extracts

    for y in years:
        if not has_build_minimum(find_extracts(raw / str(y))):
            raise UnusableInput(Problem(
                file=str(raw / str(y)), rule="BUILD-003", severity="error",
                why=f"Year {y} has no HR workforce: neither hr_workforce.csv/.xlsx nor a CSWW "
                    "census return (.xml, any name) is in the folder, so no measure can be "
                    "computed.",
                action=f"Add it, then run `psw validate {raw / str(y)}` and build again."))


def check_measured(out: Path, year: int) -> None:
    """A build that measured nothing is an error, never an empty report that looks done."""
    import pandas as pd

    path = out / "internal" / "headline_measures.csv"
    frame = pd.read_csv(path, comment="#") if path.exists() else pd.DataFrame()
    if "value" not in frame or frame["value"].notna().sum() == 0:
        raise RulesBroken(f"The build for {year} computed no measures ({path} has no values): "
                          "the report would be empty. Run `psw validate` on the year's folder "
                          "and check that the HR workforce was read.")


def check_key(raw: Path, years: list[int]) -> None:
    """Refuse real data without PSW_PSEUDONYMISATION_KEY before touching anything (docs/design.md §2)."""
    from assets.candidate.pseudonymise import resolve_key
    from psw_core.hashing import file_sha256

    hashes = [file_sha256(p) for y in years for p in sorted((raw / str(y)).iterdir()) if p.is_file()]
    resolve_key(os.environ.get("PSW_PSEUDONYMISATION_KEY"), hashes, raw.parent / "sample_manifest.json")


def run_build(raw: Path, year: str, out_dir: Path, formats: str, config: Path, console: Console) -> str:
    years = select_years(raw, year)
    report_year = max(years)
    year_formats = {y: formats if y == report_year else "" for y in years}
    prints, previous = {}, ""
    for y in years if Path(config).is_file() else ():
        previous = prints[y] = fingerprint(raw / str(y), config, previous, year_formats[y])
    # A rebuild with nothing changed is decided here, from the stamps alone: nothing below
    # (Dagster, GX, pandas) is imported for it. The settings, the reference data and the code
    # are in the stamp, so they are as valid as when that build checked them; the narrative is
    # too, so its warnings are the ones that build saved beside the stamp.
    if prints and all(is_current(out_dir / str(y), prints[y], year_formats[y]) for y in years):
        home = ensure_dagster_home()
        warnings = saved_warnings(out_dir / str(report_year))
        for warning in warnings:
            console.print(f"[yellow]Warning:[/yellow] {warning}")
        lines = []
        for y in years:
            console.print(f"[green]✓[/green] {y}: inputs, settings and code unchanged; kept")
            lines.append(f"  {out_dir / str(y)}/  (unchanged)")
        return _summary(lines, out_dir, report_year, formats, home, warnings)
    from psw_core.config import load_config
    load_config(config)  # a bad settings file stops here with a clear message
    check_hr_source(raw, years)
    check_key(raw, years)
    from assets.candidate import gx_worker

    gx_worker.start(*(raw / str(y) for y in years))  # GX's import runs while Dagster starts
    home = ensure_dagster_home()
    import dagster as dg

    # Resources read the settings the CLI put in the environment, so import only now.
    from pipelines.definitions import defs
    from pipelines.progress import FAILURES, psw_progress
    from psw_core.partitions import reporting_year
    from psw_core.resources import writer_lock

    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(reporting_year.name, [str(y) for y in years])
    warnings = narrative_warnings_for(report_year)
    for warning in warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    job = defs.resolve_implicit_global_asset_job_def().with_logger_defs({"psw_progress": psw_progress})
    lines = []
    with writer_lock(warehouse_path(), on_wait=console.print):
        for y in years:
            started = time.perf_counter()
            print_ = prints[y]
            if is_current(out_dir / str(y), print_, year_formats[y]):
                console.print(f"[green]✓[/green] {y}: inputs, settings and code unchanged; kept")
                lines.append(f"  {out_dir / str(y)}/  (unchanged)")
                continue
            selection = dg.AssetSelection.all() if y == report_year else (
                dg.AssetSelection.all() - dg.AssetSelection.assets(["report", "annual_report"]))
            console.print(f"[bold]{y}[/bold]")
            # Forget the last success before changing anything, so a failed run is never kept.
            (out_dir / str(y) / FINGERPRINT_FILE).unlink(missing_ok=True)
            FAILURES.clear()
            if year_formats[y]:  # the report's kernels start and import beside the year's run
                from assets.report.build import prestart_report
                from psw_core.settings import settings_from_env

                prestart_report(settings_from_env())
            result = job.execute_in_process(
                run_config={"loggers": {"psw_progress": {}}}, instance=instance,
                partition_key=str(y), raise_on_error=False,
                asset_selection=list(selection.resolve(defs.get_repository_def().asset_graph)),
                tags={"psw/source": "cli"},
            )
            _raise_on_failed_checks(result, y, raw, config)
            if not result.success and "candidate_extracts" in {
                    e.step_key for e in result.get_step_failure_events()}:
                _raise_on_unreadable(raw / str(y), y, config)
            if not result.success:
                detail = FAILURES[-1] if FAILURES else "see the Dagster run"
                raise StepFailed(f"The build for {y} failed at {detail} (Dagster run {result.run_id}).")
            check_measured(out_dir / str(y), y)
            done = [e.asset_key.to_user_string() for e in result.get_asset_materialization_events()]
            saved = warnings if y == report_year else []
            (out_dir / str(y) / FINGERPRINT_FILE).write_text(
                "".join(f"{line}\n" for line in [print_, *saved]), encoding="utf-8")
            console.print(f"[green]✓[/green] {y}: {len(done)} assets in {time.perf_counter() - started:.1f} s")
            lines.append(f"  {out_dir / str(y)}/  tables, published.duckdb, provenance.json")
    return _summary(lines, out_dir, report_year, formats, home, warnings)


def _summary(lines: list[str], out_dir: Path, report_year: int, formats: str, home: Path,
             warnings: list[str]) -> str:
    summary = ["Wrote:", *lines]
    for stem in REPORT_STEMS:
        for fmt in formats.split(","):
            summary.append(f"  {out_dir / str(report_year) / f'{stem}.{fmt}'}")
    summary.append(f"Warehouse: {warehouse_path()}   Dagster home: {home}")
    summary += [f"Warning: {w}" for w in warnings]
    return "\n".join(summary)


def narrative_warnings_for(year: int) -> list[str]:
    """A report year without its narrative folder (placeholders) or with drafts left in it."""
    from assets.report.support.narrative import narrative_warnings

    return narrative_warnings(Path(os.environ.get("PSW_REPORT_DIR", "report")) / "narrative"
                              / str(year))


FINGERPRINT_FILE = ".build-fingerprint"
REPORT_STEMS = ("psw-annual-report", "psw-technical-annex")  # the Cabinet paper, the annex


def fingerprint(year_dir: Path, config: Path, previous: str, formats: str) -> str:
    """The year's stamp from psw_core.stamp, the one source of staleness (also the sensor's key
    and the candidate assets' data versions)."""
    return year_stamp(year_dir, config, previous, formats)


def is_current(out: Path, print_: str, formats: str) -> bool:
    """A year is skipped only if its last successful build had this fingerprint (the first line
    of FINGERPRINT_FILE) and its outputs
    (and the warehouse that later years read) are all still there."""
    marker = out / FINGERPRINT_FILE
    needed = [out / "published.duckdb", out / "provenance.json", warehouse_path()]
    needed += [out / f"{stem}.{fmt}" for stem in REPORT_STEMS for fmt in formats.split(",") if fmt]
    return (marker.is_file() and marker.read_text(encoding="utf-8").split("\n", 1)[0] == print_
            and all(p.exists() for p in needed))


def saved_warnings(out: Path) -> list[str]:
    """The narrative warnings of the build that wrote the fingerprint (its lines after the
    first)."""
    return (out / FINGERPRINT_FILE).read_text(encoding="utf-8").splitlines()[1:]


def _raise_on_unreadable(folder: Path, year: int, config: Path) -> None:
    """Reading failed inside Dagster: say why as `psw validate` would (exit 2 or 1)."""
    from assets.candidate.validate import format_text, validate_folder
    from psw_core.config import load_config

    report = validate_folder(folder, load_config(config), year)
    if report.exit_code == 2:
        raise UnusableInput(next(p for p in report.problems if p.severity == "error"))
    if report.exit_code == 1:
        raise RulesBroken(f"Year {year} cannot be loaded; nothing was promoted.\n"
                          f"{format_text(report)}")


def _raise_on_failed_checks(result, year: int, raw: Path, config: Path) -> None:
    import dagster as dg

    failed = [e for e in result.get_asset_check_evaluations() if not e.passed
              and e.severity == dg.AssetCheckSeverity.ERROR]
    if not failed:
        return
    from assets.candidate.validate import format_text, validate_folder
    from psw_core.config import load_config

    report = validate_folder(raw / str(year), load_config(config), year)
    names = ", ".join(sorted({e.check_name for e in failed}))
    raise RulesBroken(
        f"Year {year} failed blocking checks ({names}); nothing for {year} was promoted and the "
        f"warehouse is as it was.\n{format_text(report)}"
    )

