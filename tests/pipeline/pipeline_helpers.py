"""A real `psw build` of the committed sample, once per test session, in a temporary folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PSW = str(Path(sys.executable).with_name("psw"))


def psw_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PSW_")}
    env.update({
        "DAGSTER_HOME": str(tmp / "dagster_home"),
        "PSW_WAREHOUSE": str(tmp / "warehouse.duckdb"),
        "PSW_LOG_DIR": str(tmp / "logs"),
        "GX_ANALYTICS_ENABLED": "false",
        "DAGSTER_DISABLE_TELEMETRY": "1",
    })
    env.update(extra)
    return env


def run_psw(args: list[str], tmp: Path, timeout: int = 600, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([PSW, *args], cwd=ROOT, env=psw_env(tmp, **extra), capture_output=True,
                          text=True, timeout=timeout)
