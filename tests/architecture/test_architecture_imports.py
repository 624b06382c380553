"""The import contracts in pyproject.toml hold, and would catch an import that runs back up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("psw_core", "quarto_lite", "assets", "pipelines", "psw_synth")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=120)


def _copy_tree(dest: Path) -> Path:
    for name in PACKAGES:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def test_the_code_keeps_every_import_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "upward_import"),
    [
        ("psw_core/problems.py", "import assets.candidate.contract"),  # core -> a stage
        ("assets/metrics/intervals.py", "import assets.published.disclosure"),  # stage -> later stage
        ("quarto_lite/errors.py", "import psw_core.config"),  # the generic renderer -> our core
        ("assets/candidate/scrub.py", "import pipelines.cli"),  # a stage -> the wiring
    ],
)
def test_an_upward_import_breaks_the_contract(tmp_path, module, upward_import):
    tree = _copy_tree(tmp_path)
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{upward_import}  # planted\n",
                    encoding="utf-8")
    result = _lint(tree)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert module.replace("/", ".").removesuffix(".py") in result.stdout
