"""Render the annual report for one year from its published snapshot (docs/design.md §2 Quarto)."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assets.published.provenance import write_json_atomic
from psw_core.problems import RulesBroken

REPORT_STEM = "psw-annual-report"
MAIN_QMD = "psw_annual_report.qmd"  # the Cabinet paper
ANNEX_STEM = "psw-technical-annex"
ANNEX_QMD = "psw_technical_annex.qmd"  # methods, definitions, data quality, provenance
# Output key prefix for each document: the paper's files keep plain keys (html, docx, pdf).
DOCUMENTS = ((MAIN_QMD, REPORT_STEM, ""), (ANNEX_QMD, ANNEX_STEM, "annex_"))


# What the documents' chunks import (sections/setup.qmd, and pyplot, which the charts import
# when they draw): prestart_report imports them in the kernels ahead of the render. A module
# missing here is imported by its chunk as before, so this list only decides what is early.
KERNEL_MODULES = (
    "pandas", "duckdb", "matplotlib.pyplot", "IPython.display",
    "assets.report.support.charts", "assets.report.support.comparisons",
    "assets.report.support.formatting", "assets.report.support.language",
    "assets.report.support.narrative", "assets.report.support.prose",
    "assets.report.support.snapshot", "assets.report.support.tables",
)


def prestart_report(settings) -> None:
    """Start the documents' kernels now, with their imports, in the background, unless they
    are started already; the render takes them. psw build calls this as the report year's
    pipeline starts, build_report before its checks, so the kernels' start overlaps with that
    work. Only the built-in renderer runs kernels: nothing starts when Quarto is on PATH."""
    from quarto_lite.execute import prestart_kernel, prestarted
    from quarto_lite.render import quarto_version

    folder = Path(settings.report_dir).resolve()  # each main file's chunks run here
    if quarto_version() is not None:
        return
    for _ in range(len(DOCUMENTS) - prestarted(folder)):
        prestart_kernel(folder, KERNEL_MODULES)


def build_report(year: int, settings, progress=None) -> dict:
    from psw_core.config import load_config
    from psw_core.instrument import pause_point
    from quarto_lite import render_report

    config = load_config(settings.config_path)

    out = Path(settings.out_dir).resolve() / str(year)
    snapshot = out / "published.duckdb"
    if not snapshot.exists():
        raise FileNotFoundError(f"{snapshot} is missing; build the year's tables first.")
    prestart_report(settings)  # the kernels start while the sources are checked
    params = {
        "reporting_year": year,
        "snapshot": str(snapshot),
        "narrative_dir": str((Path(settings.report_dir) / "narrative" / str(year)).resolve()),
        "authority": config.name,
    }
    problems = check_report(year, settings)
    if problems:
        raise RulesBroken(
            f"The report's sources have {len(problems)} problem(s) (unsupported features, or "
            f"claims the published figures do not support). First: {problems[0]}\n"
            + "\n".join(problems[1:])
            + "\nRun `psw report --check` after fixing them.")
    if progress is not None:
        progress.print(f"Rendering the {year} report ({settings.formats})…")
    metadata = {"authority": config.name, "reporting-year": str(year),
                "subtitle": f"Reporting year 1 {config.period_start(year):%B %Y} to "
                            f"{config.reference_date(year):%-d %B %Y}"}
    # Both documents are made at the same time (each runs its own kernel, on a core of its
    # own), and neither is moved into place until both are made: a failure leaves the last
    # good pair as it was.
    made = threading.Barrier(len(DOCUMENTS))

    def render(main_qmd: str, stem: str):
        def before_publish() -> None:
            pause_point("render")
            made.wait()

        try:
            return render_report(
                project_dir=Path(settings.report_dir).resolve(), main_qmd=main_qmd, out_dir=out,
                output_stem=stem, formats=settings.format_list(), params=params,
                metadata=metadata, before_publish=before_publish)
        except BaseException:
            made.abort()  # the other document stops before it publishes
            raise

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(DOCUMENTS), thread_name_prefix="render") as pool:
        futures = [pool.submit(render, main_qmd, stem) for main_qmd, stem, _ in DOCUMENTS]
    failures = [f.exception() for f in futures if f.exception() is not None]
    if failures:  # the first document's own error, not the other's stop
        raise next((e for e in failures if not isinstance(e, threading.BrokenBarrierError)),
                   failures[0])
    seconds = time.perf_counter() - started  # both documents, side by side
    paths, renderer = {}, ""
    for (_, _, key), future in zip(DOCUMENTS, futures, strict=True):
        result = future.result()
        paths.update({f"{key}{fmt}": str(p) for fmt, p in result.outputs.items()})
        renderer = result.renderer
    digests = {fmt: hashlib.sha256(Path(p).read_bytes()).hexdigest() for fmt, p in paths.items()}
    _record_renderer(out / "provenance.json", renderer, digests)
    return {"renderer": renderer, "seconds": round(seconds, 2), "paths": paths, "sha256": digests}


def check_report(year: int, settings) -> list[str]:
    """`psw report --check`: every problem in the report's sources, one line each, naming file
    and line: Quarto features outside the allow-list (main files, sections and the year's
    narrative alike), then claims the published snapshot does not support."""
    from assets.report.support.claims import check_narrative
    from assets.report.support.snapshot import open_snapshot
    from quarto_lite import check_features

    report_dir = Path(settings.report_dir).resolve()
    folder = report_dir / "narrative" / str(year)
    sources = [*sorted(report_dir.glob("*.qmd")), *sorted((report_dir / "sections").glob("*.qmd")),
               *sorted(folder.glob("*.md"))]
    problems = [p.replace(f"{report_dir}/", "") for p in check_features(sources)]
    if folder.is_dir():  # else load_narrative says what is missing when the report renders
        snap = open_snapshot(Path(settings.out_dir).resolve() / str(year) / "published.duckdb",
                             year)
        problems += [p.describe() for p in check_narrative(folder, snap)]
    return problems


def _record_renderer(path: Path, renderer: str, digests: dict) -> None:
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data["renderer"] = renderer
    data["report_sha256"] = digests
    write_json_atomic(data, path)
