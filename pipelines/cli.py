"""`psw`: the command line (docs/design.md §5). Exit codes: 0 success, 1 the data breaks a rule,
2 unusable input or usage, 3 an internal error (one line, with the log path)."""

from __future__ import annotations

import functools
import logging
import os
import sys
import time
import traceback
from pathlib import Path

import typer
from rich.console import Console

from psw_core.problems import RulesBroken, StepFailed, UnusableInput

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Principal Social Worker report pipeline.")
console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)

EXIT_OK, EXIT_RULES, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _log_path() -> Path:
    return Path(os.environ.get("PSW_LOG_DIR") or os.environ.get("PSW_OUT_DIR") or "build") / "psw-error.log"


def guarded(func):
    """No traceback reaches the user: map failures to docs/design.md §5 exit codes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except UnusableInput as exc:
            console.print(f"[red]Unusable input:[/red] {exc.problem.describe()}")
            raise typer.Exit(EXIT_USAGE) from None
        except RulesBroken as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(EXIT_RULES) from None
        except StepFailed as exc:
            console.print(f"[red]Build failed:[/red] {exc} Details: {_log_path()}")
            _log_path().parent.mkdir(parents=True, exist_ok=True)
            _log_path().write_text(str(exc) + "\n", encoding="utf-8")
            raise typer.Exit(EXIT_INTERNAL) from None
        except KeyboardInterrupt:
            console.print("Interrupted.")
            raise typer.Exit(130) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            log = _log_path()
            try:
                log.parent.mkdir(parents=True, exist_ok=True)
                log.write_text(traceback.format_exc(), encoding="utf-8")
                where = f" Details: {log}"
            except OSError:
                where = ""
            console.print(f"[red]Internal error:[/red] {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}.{where}")
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper


def _set_env(raw: Path | None = None, out_dir: Path | None = None, config: Path | None = None,
             formats: str | None = None) -> None:
    """The CLI's options become the settings every resource reads (psw_core/resources.py)."""
    for name, value in (("PSW_RAW_DIR", raw), ("PSW_OUT_DIR", out_dir), ("PSW_CONFIG", config),
                        ("PSW_FORMATS", formats)):
        if value is not None:
            os.environ[name] = str(value)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def _parse_formats(formats: str) -> str:
    allowed = {"html", "docx", "pdf"}
    chosen = [f.strip().lower() for f in formats.split(",") if f.strip()]
    bad = [f for f in chosen if f not in allowed]
    if bad or not chosen:
        console.print(f"[red]--formats takes a comma-separated list of html, docx, pdf; got {formats!r}.[/red]")
        raise typer.Exit(EXIT_USAGE)
    return ",".join(chosen)


@app.command()
@guarded
def build(
    raw: Path = typer.Option(Path("data/raw"), "--raw", help="Folder holding <year>/ extract folders."),
    year: str = typer.Option("all", "--year", help="YYYY or all (tables for every year, report for the latest)."),
    out_dir: Path = typer.Option(Path("build"), "--out", help="Output folder."),
    formats: str = typer.Option("html,docx,pdf", "--formats", help="Report formats: html,docx,pdf."),
    config: Path = typer.Option(Path("data/authority.yml"), "--config", help="Authority settings file."),
) -> None:
    """Validate, load, measure, publish and render: raw extracts to the annual report."""
    from pipelines.build import run_build

    formats = _parse_formats(formats)
    _set_env(raw, out_dir, config, formats)
    started = time.perf_counter()
    summary = run_build(raw, year, out_dir, formats, config, console)
    out.print(summary)
    out.print(f"Done in {time.perf_counter() - started:.1f} s.")


@app.command()
@guarded
def validate(
    folder: Path = typer.Argument(..., help="One reporting-year folder, e.g. data/raw/2025."),
    year: int | None = typer.Option(None, "--year", help="Reporting year (default: from the folder name or CSWW header)."),
    config: Path = typer.Option(Path("data/authority.yml"), "--config"),
    fmt: str = typer.Option("text", "--format", help="text or json."),
    docs: Path | None = typer.Option(None, "--docs", help="Write Data Docs (values redacted) here."),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="Write an error workbook for HR colleagues."),
) -> None:
    """Check one reporting-year folder without loading anything. Exit 0 clean, 1 errors, 2 unusable."""
    _set_env()
    if fmt not in ("text", "json"):
        console.print("[red]--format takes text or json.[/red]")
        raise typer.Exit(EXIT_USAGE)
    if not folder.is_dir():
        console.print(f"[red]Unusable input:[/red] {folder} is not a folder of extracts.")
        raise typer.Exit(EXIT_USAGE)
    if any(p.is_file() for p in folder.iterdir()):
        from assets.candidate import gx_worker

        gx_worker.start(folder)  # GX's import starts before ours (pandas, reading)
    from assets.candidate import validate as v
    from psw_core.config import load_config

    report = v.validate_folder(folder, load_config(config), year)
    if xlsx:
        v.write_error_workbook(report, xlsx)
    if docs:
        v.write_data_docs(report, docs)
    if fmt == "json":
        sys.stdout.write(v.format_json(report) + "\n")
    else:
        out.print(v.format_text(report), markup=False)
    raise typer.Exit(report.exit_code)


@app.command()
@guarded
def report(
    year: int | None = typer.Option(None, "--year", help="Reporting year (default: the latest built)."),
    out_dir: Path = typer.Option(Path("build"), "--out"),
    formats: str = typer.Option("html,docx,pdf", "--formats"),
    config: Path = typer.Option(Path("data/authority.yml"), "--config"),
    check: bool = typer.Option(False, "--check", help="Only check the authored text against the "
                               "published figures; exit 1 naming file and line if it disagrees."),
) -> None:
    """Render the report from the published snapshot of an earlier build."""
    from assets.report.build import build_report, check_report
    from psw_core.settings import settings_from_env  # not psw_core.resources: no Dagster here

    formats = _parse_formats(formats)
    _set_env(out_dir=out_dir, config=config, formats=formats)
    if year is None:
        built = sorted(int(p.parent.name) for p in out_dir.glob("[0-9][0-9][0-9][0-9]/published.duckdb"))
        if not built:
            console.print(f"[red]No published snapshot under {out_dir}/<year>/; run `psw build` first.[/red]")
            raise typer.Exit(EXIT_USAGE)
        year = built[-1]
    snapshot = out_dir / str(year) / "published.duckdb"
    if not snapshot.exists():
        console.print(f"[red]{snapshot} does not exist; run `psw build --year {year}` first.[/red]")
        raise typer.Exit(EXIT_USAGE)
    if check:
        problems = check_report(year, settings_from_env())
        for problem in problems:
            out.print(problem, markup=False)
        if problems:
            console.print(f"[red]{len(problems)} problem(s) in the {year} report's authored text.[/red]")
            raise typer.Exit(EXIT_RULES)
        out.print(f"The {year} report's authored text agrees with the published figures.")
        return
    result = build_report(year, settings_from_env(), progress=console)
    for fmt, path in result["paths"].items():
        out.print(f"{fmt}: {path}")


@app.command()
@guarded
def preview(
    year: int | None = typer.Option(None, "--year", help="Reporting year (default: the latest built)."),
    out_dir: Path = typer.Option(Path("build"), "--out", help="Where `psw build` wrote <year>/."),
    host: str = typer.Option("127.0.0.1", "--host", help="Bind address (loopback by default)."),
    port: int = typer.Option(8000, "--port"),
    config: Path = typer.Option(Path("data/authority.yml"), "--config"),
) -> None:
    """Serve the Cabinet paper as HTML and re-render it when a report file is saved."""
    from pipelines.preview import run_preview

    _set_env(out_dir=out_dir, config=config)
    if year is None:
        built = sorted(int(p.parent.name) for p in out_dir.glob("[0-9][0-9][0-9][0-9]/published.duckdb"))
        if not built:
            console.print(f"[red]No published snapshot under {out_dir}/<year>/; run `psw build` first.[/red]")
            raise typer.Exit(EXIT_USAGE)
        year = built[-1]
    report_dir = Path(os.environ.get("PSW_REPORT_DIR", "report"))
    run_preview(year, report_dir, out_dir, host, port, lambda line: out.print(line, markup=False))


@app.command()
@guarded
def synth(
    out_dir: Path = typer.Option(..., "--out", help="Where to write <year>/ folders."),
    years: str = typer.Option("2023-2025", "--years", help="A year or range, e.g. 2023-2025."),
    seed: int = typer.Option(20251, "--seed"),
    scale: float = typer.Option(1.0, "--scale"),
    authorities: int = typer.Option(1, "--authorities"),
    faults: bool = typer.Option(False, "--faults", help="Plant documented faults and write faults.json."),
    survey_aggregate: bool = typer.Option(False, "--survey-aggregate", help="Write the health check as the LGA's aggregate report, not respondent rows."),
    census_layout: str | None = typer.Option(None, "--census-layout", help="Write the children's workforce as a CSWW census return in this layout: 2021-2023, 2024 or 2025."),
) -> None:
    """Write a synthetic authority's extracts in the docs/design.md §3 contract."""
    from psw_synth import generate

    try:
        first, _, last = years.partition("-")
        year_list = list(range(int(first), int(last or first) + 1))
    except ValueError:
        console.print(f"[red]--years takes YYYY or YYYY-YYYY; got {years!r}.[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    if census_layout is not None and census_layout not in ("2021-2023", "2024", "2025"):
        console.print(f"[red]--census-layout takes 2021-2023, 2024 or 2025; got {census_layout!r}.[/red]")
        raise typer.Exit(EXIT_USAGE)
    if scale <= 0 or authorities < 1 or not year_list:
        console.print("[red]--scale must be > 0, --authorities ≥ 1 and --years non-empty.[/red]")
        raise typer.Exit(EXIT_USAGE)
    files = generate(out_dir, year_list, seed=seed, scale=scale, authorities=authorities, faults=faults,
                     survey_aggregate=survey_aggregate, census_layout=census_layout)
    out.print(f"Wrote {len(files)} files under {out_dir}.")


narrative_app = typer.Typer(add_completion=False, no_args_is_help=True,
                            help="Start and check a year's authored narrative.")
app.add_typer(narrative_app, name="narrative")


@narrative_app.command("start")
@guarded
def narrative_start(
    year: int = typer.Argument(..., help="The reporting year to start, e.g. 2026."),
    previous: int | None = typer.Option(None, "--from", help="Year to start from (default: the latest before YEAR)."),
    root: Path = typer.Option(Path("report/narrative"), "--dir", help="The narrative folder."),
) -> None:
    """Start report/narrative/YEAR/ from the previous year's: statuses reset, prose kept as a draft."""
    from assets.report.support.narrative import NarrativeError, start_narrative

    try:
        target = start_narrative(root, year, previous)
    except NarrativeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_USAGE) from None
    out.print(f"Started {target}/: check every entry marked DRAFT, then run `psw build`.")


@app.command()
@guarded
def ui(
    host: str = typer.Option("127.0.0.1", "--host", help="Bind address (loopback by default)."),
    port: int = typer.Option(3000, "--port"),
) -> None:
    """Start the Dagster UI; stops cleanly on Ctrl-C or SIGTERM."""
    from pipelines.dagster_home import exec_dagster_dev

    exec_dagster_dev(host, port)


reference_app = typer.Typer(no_args_is_help=True, help="DfE's every-council reference figures.")
app.add_typer(reference_app, name="reference")


@reference_app.command("update")
@guarded
def reference_update(
    file: Path = typer.Argument(..., help="A newer DfE csww_indicators CSV, as downloaded."),
    reference_dir: Path = typer.Option(None, "--reference-dir", hidden=True,
                                       help="Where the installed files are (tests)."),
) -> None:
    """Check a newer DfE file (columns, years, levels) and install it; a bad file changes nothing."""
    from psw_core.dfe_reference import DFE_DIR, install_indicators

    release = install_indicators(file, reference_dir or DFE_DIR)
    out.print(f"Installed {release.label} from {file} (SHA-256 {release.sha256[:12]}…). "
              "Rebuild to use it: psw build.")


def main() -> None:  # pragma: no cover - console entry
    logging.getLogger("dagster").setLevel(logging.WARNING)
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
