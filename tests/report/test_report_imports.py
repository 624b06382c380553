"""`psw report` renders from the published snapshot: it has no use for Dagster, whose import
cost seconds of every render (issue 17's render profile)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PSW = str(Path(sys.executable).parent / "psw")


def test_psw_report_imports_no_dagster(tmp_path):
    # No snapshot under --out: the command stops with its usage message, after its imports.
    env = {**os.environ, "PSW_OUT_DIR": str(tmp_path), "DAGSTER_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-X", "importtime", PSW, "report", "--year", "2025",
                           "--out", str(tmp_path), "--formats", "html"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "published.duckdb does not exist" in done.stderr
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0]
                for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "typer" in imported and "assets" in imported  # the import log was read
    assert "dagster" not in imported
