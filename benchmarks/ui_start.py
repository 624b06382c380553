"""Time `psw ui` from start until the UI answers with the code location loaded.

    .venv/bin/python benchmarks/ui_start.py [--repeat 3]

Prints `ui_start_seconds=<median>` and each run's time. A fresh DAGSTER_HOME per run, as a
newcomer's first open. Not a test: timings never go into tests.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERY = '{"query": "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus } } } }"}'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _loaded(port: int) -> bool:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=QUERY.encode(),
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            entries = json.load(response)["data"]["workspaceOrError"]["locationEntries"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return bool(entries) and all(e["loadStatus"] == "LOADED" for e in entries)


def time_once(timeout: float = 120.0) -> float:
    port = _free_port()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DAGSTER_HOME": home}
        start = time.perf_counter()
        proc = subprocess.Popen([str(ROOT / ".venv/bin/psw"), "ui", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            while not _loaded(port):
                if proc.poll() is not None or time.perf_counter() - start > timeout:
                    raise SystemExit(f"psw ui did not answer (exit {proc.returncode})")
                time.sleep(0.1)
            return time.perf_counter() - start
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    runs = [time_once() for _ in range(parser.parse_args().repeat)]
    print("runs=" + ",".join(f"{r:.1f}" for r in runs), file=sys.stderr)
    print(f"ui_start_seconds={statistics.median(runs):.1f}")


if __name__ == "__main__":
    main()
