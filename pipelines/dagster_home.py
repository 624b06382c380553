"""DAGSTER_HOME (default .dagster/, telemetry off) and starting the UI with sane signals."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

DAGSTER_YAML = """\
# Written by psw-report. Telemetry is off: this machine may have no internet (STACK_NOTES).
telemetry:
  enabled: false
# No "Join the Dagster community" dialog (with an email box) over the first page.
nux:
  enabled: false
# DuckDB has one writing process, and a year's trends read the years before it: run one at a time.
concurrency:
  runs:
    max_concurrent_runs: 1
"""


def ensure_dagster_home() -> Path:
    home = Path(os.environ.get("DAGSTER_HOME") or ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    elif "\nnux:" not in "\n" + config.read_text(encoding="utf-8"):
        with config.open("a", encoding="utf-8") as handle:  # a home written before nux was off
            handle.write("nux:\n  enabled: false\n")
    os.environ["DAGSTER_HOME"] = str(home)
    os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    return home


def exec_dagster_dev(host: str, port: int) -> None:
    """Replace this process with `dagster dev`.

    bash starts background jobs with SIGINT ignored, and dagster copies that handler to
    SIGTERM, so the UI would ignore both (STACK_NOTES). Reset SIGINT to default first.
    """
    ensure_dagster_home()
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    dagster = Path(sys.executable).with_name("dagster")
    args = [str(dagster), "dev", "-w", "workspace.yaml", "--host", host, "--port", str(port)]
    os.execv(str(dagster), args)
