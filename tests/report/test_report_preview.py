"""`psw preview`: a prose edit re-runs only pandoc and shows within 5 s; any other change runs
the chunks again; an unsupported feature in a narrative file stops the render with its file
and line while the last good page stays up. Runs the real renderer on a copy of report/."""

from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import pytest

from pipelines.preview import PAGE, Preview, serve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def preview(snapshot_path, tmp_path, monkeypatch):
    from report_snapshot import YEAR

    report = tmp_path / "report"
    shutil.copytree(ROOT / "report", report)
    out = tmp_path / "build"
    (out / str(YEAR)).mkdir(parents=True)
    shutil.copyfile(snapshot_path, out / str(YEAR) / "published.duckdb")
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setenv("PSW_OUT_DIR", str(out))
    monkeypatch.setenv("PSW_REPORT_DIR", str(report))
    monkeypatch.setenv("PSW_CONFIG", str(ROOT / "data" / "authority.yml"))
    said: list[str] = []
    shown = Preview(YEAR, report, out, site, said.append)
    shown.said = said
    yield shown
    shown.close()


def test_preview_prose_edit_reruns_only_pandoc(preview):
    """Only pandoc runs again: the path that takes a second or two (scripts/time_preview.py
    measures it; timings stay out of tests)."""
    what, _ = preview.refresh()
    assert what == "all chunks"
    page = preview.serve_dir / PAGE
    assert "Executive summary" in page.read_text(encoding="utf-8")
    recognition = preview.narrative / "recognition.md"
    recognition.write_text(recognition.read_text(encoding="utf-8").replace(
        "Awards went to", "Awards, after a quick edit, went to"), encoding="utf-8")
    what, _ = preview.refresh({recognition})
    assert what == "prose only (pandoc)", what
    assert "Awards, after a quick edit, went to" in page.read_text(encoding="utf-8")
    assert (preview.serve_dir / "version.txt").read_text() == "2"


def test_preview_yaml_edit_reruns_only_the_chunks_that_use_the_narrative(preview):
    """A YAML narrative edit re-runs, in the kernel that is still up, only the chunks that read
    the narrative, and the page is exactly what running every chunk again gives."""
    preview.refresh()
    page = preview.serve_dir / PAGE
    priorities = preview.narrative / "priorities.yml"
    priorities.write_text(priorities.read_text(encoding="utf-8").replace(
        "A second apprenticeship cohort", "A second, larger apprenticeship cohort"), encoding="utf-8")
    what, _ = preview.refresh({priorities})
    ran = int(what.removeprefix("narrative only (").split()[0])
    assert 0 < ran < 35, what  # of about 70 chunks; most do not read the narrative
    partial = page.read_text(encoding="utf-8")
    assert "A second, larger apprenticeship cohort" in partial
    assert preview.refresh(None)[0] == "all chunks"
    assert page.read_text(encoding="utf-8") == partial


def test_preview_edit_to_a_section_runs_every_chunk(preview):
    preview.refresh()
    section = preview.report_dir / "sections" / "learning.qmd"
    section.write_text(section.read_text(encoding="utf-8") + "\nA sentence added by hand.\n",
                       encoding="utf-8")
    what, _ = preview.refresh({section})
    assert what == "all chunks"
    assert "A sentence added by hand." in (preview.serve_dir / PAGE).read_text(encoding="utf-8")


def test_preview_feature_check_names_file_and_line_and_keeps_last_page(preview):
    preview.refresh()
    before = (preview.serve_dir / PAGE).read_text(encoding="utf-8")
    recognition = preview.narrative / "recognition.md"
    lines = recognition.read_text(encoding="utf-8").count("\n")
    with recognition.open("a", encoding="utf-8") as handle:
        handle.write("\n{{< pagebreak >}}\n")
    what, _ = preview.refresh({recognition})
    assert what.startswith("not rendered")
    assert any(f"narrative/2025/recognition.md, line {lines + 2}: shortcode" in s
               for s in preview.said), preview.said
    assert (preview.serve_dir / PAGE).read_text(encoding="utf-8") == before


def test_preview_serves_the_page(tmp_path):
    (tmp_path / PAGE).write_text("<main>hello</main>", encoding="utf-8")
    server = serve(tmp_path, "127.0.0.1", 0)
    try:
        port = server.server_address[1]
        assert b"hello" in urllib.request.urlopen(f"http://127.0.0.1:{port}/").read()
    finally:
        server.shutdown()
