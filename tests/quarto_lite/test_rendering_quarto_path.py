"""The Quarto path, driven through a stand-in `quarto` on PATH (the real CLI is not installable).

The stand-in makes HTML and Word with pandoc, as Quarto does underneath (with pandoc's own
reference document: US Letter, no footer), and writes its arguments into the PDF file."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from quarto_lite import RenderError, render_report

FAKE_QUARTO = """#!{python}
import json, sys
from pathlib import Path
args = sys.argv[1:]
if args == ["--version"]:
    print("1.6.40")
    sys.exit(0)
if "{fail}" == "yes":
    print("ERROR: something broke in quarto", file=sys.stderr)
    sys.exit(1)
to = args[args.index("--to") + 1]
out = Path(args[args.index("--output-dir") + 1])
ext = {{"html": "html", "docx": "docx", "typst": "pdf"}}[to]
out.mkdir(parents=True, exist_ok=True)
target = out / (Path(args[1]).stem + "." + ext)
if to == "typst":
    target.write_text(json.dumps(args))
else:
    import subprocess, pypandoc
    subprocess.run([pypandoc.get_pandoc_path(), args[1], "--from=markdown", "--to=" + to,
                    "--standalone", "--toc", "--toc-depth=2", "--output=" + str(target)],
                   check=True)
"""


def install_fake_quarto(bin_dir: Path, monkeypatch, fail: bool = False) -> None:
    bin_dir.mkdir()
    script = bin_dir / "quarto"
    script.write_text(FAKE_QUARTO.format(python=sys.executable, fail="yes" if fail else "no"))
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


def make_project(root: Path) -> Path:
    root.mkdir()
    (root / "psw_annual_report.qmd").write_text("# Report\n")
    return root


def test_auto_uses_quarto_when_on_path(tmp_path, monkeypatch):
    install_fake_quarto(tmp_path / "bin", monkeypatch)
    result = render_report(
        make_project(tmp_path / "report"), "psw_annual_report.qmd", tmp_path / "out",
        "psw-annual-report", ["html", "docx", "pdf"],
        {"reporting_year": 2025, "draft": False}, metadata={"authority": "Sample"},
    )  # fmt: skip
    assert result.renderer == "quarto 1.6.40"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "psw-annual-report.docx",
        "psw-annual-report.html",
        "psw-annual-report.pdf",
    ]
    args = json.loads(result.outputs["pdf"].read_text())
    assert args[:4] == ["render", "psw_annual_report.qmd", "--to", "typst"]
    assert ["-P", "reporting_year:2025"] == args[4:6]
    assert ["-P", "draft:false"] == args[6:8]
    assert "-M" in args and "authority:Sample" in args


WITH_CONTENTS = """---
title: Report to Cabinet
contents-before: executive-summary
---

# Report to Cabinet {#report-to-cabinet}

The cover report.

# Executive summary {#executive-summary}

Summary.

| Service | Leavers |
|---|---|
| Children's social work services | 20 |

# Turnover and retention {#turnover}

## By service

Text.

![Chart](chart.png){fig-alt="Line chart."}

[Children's: 16.1% in 2023, 11.6% in 2025.]{.psw-alt}
"""


def test_quarto_outputs_get_the_same_finishing(tmp_path, monkeypatch):
    """Word: A4, the numbered footer, the contents list on its own page before the executive
    summary with its entries written in; HTML: a <main> landmark, scrolling tables and the
    chart's description in its alt text."""
    import re
    import zipfile

    from quarto_lite.brand import A4_TWIPS

    install_fake_quarto(tmp_path / "bin", monkeypatch)
    project = tmp_path / "report"
    project.mkdir()
    (project / "psw_annual_report.qmd").write_text(WITH_CONTENTS)
    (project / "chart.png").write_bytes(bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"))
    result = render_report(project, "psw_annual_report.qmd", tmp_path / "out", "psw",
                           ["html", "docx"], {})
    assert result.renderer == "quarto 1.6.40"
    with zipfile.ZipFile(result.outputs["docx"]) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
        names = docx.namelist()
        rels = docx.read("word/_rels/document.xml.rels").decode("utf-8")
    sect = xml[xml.rfind("<w:sectPr"):]
    assert f'<w:pgSz w:w="{A4_TWIPS[0]}" w:h="{A4_TWIPS[1]}" />' in sect
    assert sect.count("<w:pgSz") == 1 and 'w:type="default"' in sect
    assert "word/footer1.xml" in names and 'Target="footer1.xml"' in rels
    entries = re.findall(r'<w:pStyle w:val="TOC(\d)" />.*?<w:t xml:space="preserve">([^<]*)</w:t>',
                         xml)
    assert entries == [("1", "Executive summary"), ("1", "Turnover and retention"),
                       ("2", "By service")]
    # the contents list sits after the cover report and before the executive summary
    toc_at = xml.index("TOC1")
    assert xml.index("The cover report") < toc_at < xml.index('w:name="executive-summary"')
    page = result.outputs["html"].read_text(encoding="utf-8")
    assert page.count("<main") == 1 and 'class="table-scroll"' in page
    alt = re.search(r'<img [^>]*alt="([^"]*)"', page).group(1)
    assert alt.endswith(" Children’s: 16.1% in 2023, 11.6% in 2025."), alt
    assert "psw-alt" not in page


def test_quarto_failure_leaves_no_outputs(tmp_path, monkeypatch):
    install_fake_quarto(tmp_path / "bin", monkeypatch, fail=True)
    out = tmp_path / "out"
    with pytest.raises(RenderError, match="something broke"):
        render_report(
            make_project(tmp_path / "report"), "psw_annual_report.qmd", out, "psw",
            ["html"], {},
        )  # fmt: skip
    assert list(out.iterdir()) == []


def test_quarto_forced_but_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="not on PATH"):
        render_report(
            make_project(tmp_path / "report"), "psw_annual_report.qmd", tmp_path / "out", "psw",
            ["html"], {}, renderer="quarto",
        )  # fmt: skip
