"""Report fixtures: one realistic snapshot, and one render of all three formats per session of
each document: the Cabinet paper (`rendered`) and the technical annex (`rendered_annex`)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from report_snapshot import YEAR, build_snapshot

ROOT = Path(__file__).resolve().parents[2]
REPORT_DIR = ROOT / "report"


@pytest.fixture(scope="session")
def snapshot_path(tmp_path_factory) -> Path:
    return build_snapshot(tmp_path_factory.mktemp("report-snapshot"))


def render(snapshot: Path, out: Path, year: int = YEAR, formats=("html", "docx", "pdf"),
           main_qmd: str = "psw_annual_report.qmd", stem: str = "psw-annual-report"):
    from quarto_lite import render_report

    started = time.perf_counter()
    result = render_report(
        project_dir=REPORT_DIR, main_qmd=main_qmd, out_dir=out,
        output_stem=stem, formats=list(formats),
        params={"reporting_year": year, "snapshot": str(snapshot),
                "narrative_dir": str(REPORT_DIR / "narrative" / str(year)),
                "authority": "Northfield City Council"},
        renderer="builtin",
        metadata={"authority": "Northfield City Council", "reporting-year": str(year),
                  "date": "1 December 2025"},
    )  # fmt: skip
    result.wall_seconds = round(time.perf_counter() - started, 1)
    return result


@pytest.fixture(scope="session")
def rendered(snapshot_path, tmp_path_factory):
    return render(snapshot_path, tmp_path_factory.mktemp("report-out"))


@pytest.fixture(scope="session")
def rendered_annex(snapshot_path, tmp_path_factory):
    return render(snapshot_path, tmp_path_factory.mktemp("annex-out"),
                  main_qmd="psw_technical_annex.qmd", stem="psw-technical-annex")
