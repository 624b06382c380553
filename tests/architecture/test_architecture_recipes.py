"""The recipes in docs/architecture.md work as written: each test copies the code into a
temporary tree, adds a toy item by following its recipe (and touching nothing else), and runs
the real pipeline code on it in a fresh interpreter."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = ("psw_core", "quarto_lite", "assets", "pipelines", "psw_synth", "expectations", "report")

pytestmark = pytest.mark.slow


def _tree(dest: Path) -> Path:
    for name in CODE:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("raw"))
    return dest


def _run(tree: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree), "GX_ANALYTICS_ENABLED": "false"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: the recipe's anchor {old!r} has moved; update the recipe"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_adding_an_extract_takes_its_contract_entry_its_suite_and_its_generator(tmp_path):
    tree = _tree(tmp_path / "tree")
    # 1. the contract entry
    _edit(tree / "assets/candidate/contract.py", "# Reading order:", textwrap.dedent('''\
        MENTORING = ExtractSpec(
            name="mentoring",
            grain="one row per mentoring session",
            section="learning",
            columns=(_WORKER, _c("session_date", "date", required=True, not_null=True)),
        )

        # Reading order:'''))
    _edit(tree / "assets/candidate/contract.py", "HEALTH_CHECK_AGGREGATE)\n",
          "HEALTH_CHECK_AGGREGATE, MENTORING)\n")
    # 2. its suite
    rule = {"rule": "MEN-001", "severity": "error", "why": "A session must name its worker.",
            "action": "Fill in worker_id."}
    suite = {"name": "mentoring", "expectations": [
        {"type": "expect_column_to_exist", "kwargs": {"column": c},
         "meta": {**rule, "rule": "MEN-000"}, "severity": "critical"}
        for c in ("worker_id", "session_date")] + [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "worker_id"},
         "meta": rule, "severity": "critical"}]}
    (tree / "expectations/mentoring.json").write_text(json.dumps(suite, indent=2), "utf-8")
    # 3. its generator (an optional one: the committed sample's bytes stay as they are)
    _edit(tree / "psw_synth/generator.py", 'OPTIONAL_EXTRACTS = ("health_check_aggregate",)',
          'OPTIONAL_EXTRACTS = ("health_check_aggregate", "mentoring")')

    year = tmp_path / "raw" / "2025"
    shutil.copytree(ROOT / "data/raw/2025", year)
    (year / "mentoring.csv").write_text(
        "worker_id,session_date\nNFC-W-000001,2025-01-10\n,2025-02-11\n", encoding="utf-8")
    result = _run(tree, f"""
        from pathlib import Path
        from pipelines.definitions import defs
        from assets.candidate.validate import validate_folder
        from psw_core.config import load_config

        keys = {{k.to_user_string() for k in defs.get_repository_def().asset_graph.get_all_asset_keys()}}
        assert "candidate/mentoring" in keys, sorted(keys)
        report = validate_folder(Path({str(year)!r}), load_config(Path("data/authority.yml")), 2025)
        found = [(p.file, p.rule, p.row, p.column) for p in report.problems
                 if p.file == "mentoring.csv"]
        print(found)
        assert ("mentoring.csv", "MEN-001", 3, "worker_id") in found, found
    """)
    assert result.returncode == 0, result.stdout + result.stderr
