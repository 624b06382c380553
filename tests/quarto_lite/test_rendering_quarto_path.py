"""The Quarto path, driven through a stand-in `quarto` on PATH (the real CLI is not installable)."""

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
(out / (Path(args[1]).stem + "." + ext)).write_text(json.dumps(args))
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
