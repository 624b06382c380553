"""build_report makes the Cabinet paper and the technical annex side by side: each document's
outputs as when made alone, and a failure in either publishes neither and says its own error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assets.report.build import ANNEX_QMD, ANNEX_STEM, MAIN_QMD, REPORT_STEM, build_report
from psw_core.config import load_config
from psw_core.settings import Settings
from quarto_lite import RenderError, render_report
from quarto_lite.execute import prestarted

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2025
PAPER = "---\ntitle: Paper\n---\n\n# Paper\n\n```{python}\nx = 6 * 7\n```\n\nThe answer is `{python} x`.\n"
ANNEX = "---\ntitle: Annex\n---\n\n# Annex\n\nThe year is `{python} reporting_year`.\n"
BROKEN = "---\ntitle: Broken\n---\n\n```{python}\n#| label: broken-sum\ny = 1 / 0\n```\n"


def make_setup(root: Path, paper: str = PAPER, annex: str = ANNEX) -> Settings:
    """Two small documents under the report's real names, and a year's output folder."""
    report = root / "report"
    report.mkdir(parents=True)
    for name in ("_quarto.yml", "_brand.yml"):
        shutil.copy(ROOT / "report" / name, report / name)
    shutil.copytree(ROOT / "report" / "brand", report / "brand")
    (report / MAIN_QMD).write_text(paper, encoding="utf-8")
    (report / ANNEX_QMD).write_text(annex, encoding="utf-8")
    year_dir = root / "build" / str(YEAR)
    year_dir.mkdir(parents=True)
    (year_dir / "published.duckdb").write_bytes(b"")  # only its presence is checked
    return Settings(raw_dir=str(root / "raw"), out_dir=str(root / "build"),
                    config_path=str(ROOT / "data" / "authority.yml"), report_dir=str(report),
                    formats="html,docx")


def test_both_documents_are_made_as_each_alone(tmp_path):
    settings = make_setup(tmp_path)
    result = build_report(YEAR, settings)
    assert prestarted(Path(settings.report_dir)) == 0  # it started two kernels and took both
    year_dir = tmp_path / "build" / str(YEAR)
    assert sorted(result["paths"]) == ["annex_docx", "annex_html", "docx", "html"]
    assert result["renderer"] == "builtin"
    recorded = json.loads((year_dir / "provenance.json").read_text(encoding="utf-8"))
    assert recorded["report_sha256"] == result["sha256"]
    config = load_config(settings.config_path)
    params = {"reporting_year": YEAR, "snapshot": str(year_dir / "published.duckdb"),
              "narrative_dir": str(Path(settings.report_dir).resolve() / "narrative" / str(YEAR)),
              "authority": config.name}
    for qmd, stem, key in ((MAIN_QMD, REPORT_STEM, ""), (ANNEX_QMD, ANNEX_STEM, "annex_")):
        alone = render_report(
            Path(settings.report_dir), qmd, tmp_path / "alone", stem, ["html", "docx"], params,
            metadata={"authority": config.name, "reporting-year": str(YEAR),
                      "subtitle": f"Reporting year 1 {config.period_start(YEAR):%B %Y} to "
                                  f"{config.reference_date(YEAR):%-d %B %Y}"})
        for fmt, path in alone.outputs.items():
            assert Path(result["paths"][f"{key}{fmt}"]).read_bytes() == path.read_bytes(), (
                stem, fmt)
    assert "The answer is 42." in (year_dir / f"{REPORT_STEM}.html").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("broken", ["paper", "annex"])
def test_a_failing_document_publishes_neither_and_names_its_own_error(tmp_path, broken):
    settings = make_setup(tmp_path, paper=BROKEN if broken == "paper" else PAPER,
                          annex=BROKEN if broken == "annex" else ANNEX)
    year_dir = tmp_path / "build" / str(YEAR)
    for stem in (REPORT_STEM, ANNEX_STEM):
        (year_dir / f"{stem}.html").write_text("last good", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        build_report(YEAR, settings)
    failed = MAIN_QMD if broken == "paper" else ANNEX_QMD
    assert f"The report failed in chunk 'broken-sum' ({failed}, line 7)" in str(caught.value)
    assert "ZeroDivisionError" in str(caught.value)
    assert sorted(p.name for p in year_dir.iterdir()) == sorted(
        [f"{ANNEX_STEM}.html", f"{REPORT_STEM}.html", "published.duckdb"])
    for stem in (REPORT_STEM, ANNEX_STEM):
        assert (year_dir / f"{stem}.html").read_text(encoding="utf-8") == "last good"
