"""Nothing lost, nothing half-written: SIGKILL a `psw build` at each named pause point
(psw_core/instrument.py: ingest, promote, measures, render) and at a random time.

Starting state: a finished build of data A (the sample's 2025). The killed build runs on data B
(A with some learning and supervision rows removed). Afterwards:
- the warehouse reopens cleanly (DuckDB replays or discards its WAL);
- every raw.* and metrics.* table's checksum (count, sum of row hashes) is A's or B's, never
  anything else, and raw.* is all A or all B (one promote transaction);
- every output file under build/2025/ that exists is complete (CSVs read, ODS/ZIP sound,
  HTML ends, DuckDB snapshot opens, JSON parses);
- the raw files are byte-for-byte unchanged;
- a rebuild succeeds, reaches exactly B's state, and leaves no temporary file behind.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

import pytest
from reliability_helpers import (
    copy_state,
    kill_group,
    leftovers,
    outputs_problems,
    run_psw,
    small_build,
    start_psw,
    table_checksums,
    tree_sha256,
    wait_for,
)

POINTS = ["ingest", "promote", "measures", "render"]
# A random kill time, reproducible: PSW_TEST_SEED picks another (CI may vary it).
SEED = int(os.environ.get("PSW_TEST_SEED", "20251"))
REBUILT: dict[str, dict] = {}


@pytest.fixture(scope="module")
def start(tmp_path_factory) -> dict:
    """State A (a finished build) and data B beside it."""
    base = small_build(tmp_path_factory)
    data_b = tmp_path_factory.mktemp("data_b") / "raw"
    shutil.copytree(base / "raw", data_b)
    for name, drop in (("learning.csv", 25), ("supervision.csv", 40)):
        path = data_b / "2025" / name
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        path.write_text("".join(lines[:-drop]), encoding="utf-8")
    return {"base": base, "raw_b": data_b, "pre": table_checksums(base / "warehouse.duckdb"),
            "sha_b": tree_sha256(data_b)}


def _build_args(tmp: Path, raw: Path) -> list[str]:
    return ["build", "--raw", str(raw), "--out", str(tmp / "build"), "--formats", "html"]


@pytest.mark.parametrize("where", [*POINTS, "random"])
def test_sigkill_loses_nothing_and_half_writes_nothing(tmp_path, start, where):
    copy_state(start["base"], tmp_path)
    args = _build_args(tmp_path, start["raw_b"])
    marker = tmp_path / "paused"
    extra = {} if where == "random" else {"PSW_TEST_PAUSE_AT": where,
                                           "PSW_TEST_PAUSE_FILE": str(marker)}
    proc = start_psw(args, tmp_path, "killed.log", **extra)
    if where == "random":
        delay = random.Random(SEED).uniform(2.0, 16.0)
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        kill_group(proc)
    else:
        arrived = wait_for(marker, proc, timeout=180)
        kill_group(proc)
        log = (tmp_path / "killed.log").read_text(encoding="utf-8")
        assert arrived, f"the build never reached pause point {where!r}:\n{log}"

    # The raw extracts are never changed.
    assert tree_sha256(start["raw_b"]) == start["sha_b"]
    # Every output that exists is complete (temporaries have hidden names).
    assert outputs_problems(tmp_path / "build") == []
    # The warehouse reopens, read-only, and each table is the old or the new state.
    killed = table_checksums(tmp_path / "warehouse.duckdb")

    # The year's fingerprint went before the killed run changed anything: no wrongful skip.
    assert not (tmp_path / "build" / "2025" / ".build-fingerprint").exists()

    rebuilt = run_psw(args, tmp_path)
    assert rebuilt.returncode == 0, rebuilt.stdout + rebuilt.stderr
    # The file lock died with the killed process: the rebuild did not have to wait.
    assert "waiting" not in rebuilt.stderr.lower()
    after = table_checksums(tmp_path / "warehouse.duckdb")
    pre = start["pre"]
    mixed = {t: (killed.get(t), pre.get(t), after.get(t)) for t in set(killed) | set(after)
             if killed.get(t) not in (pre.get(t), after.get(t))}
    assert mixed == {}, f"tables neither the previous nor the new state after a kill: {mixed}"
    changed = [t for t in after if t.startswith("raw.") and pre.get(t) != after[t]]
    assert "raw.learning" in changed and "raw.supervision" in changed, "data B was not loaded"
    states = {killed.get(t) == pre.get(t) for t in changed}
    assert len(states) == 1, f"raw.* mixes old and new tables: {[(t, killed.get(t) == pre.get(t)) for t in changed]}"
    if states == {True}:  # nothing promoted: the measures must still be A's
        assert killed.get("metrics.measures") == pre.get("metrics.measures")

    # The rebuild is complete, equals every other rebuild of B, and leaves no temporaries.
    assert outputs_problems(tmp_path / "build") == []
    assert [p for p in leftovers(tmp_path / "build") if "render" not in p] == []
    assert (tmp_path / "build" / "2025" / "psw-annual-report.html").is_file()
    first = REBUILT.setdefault("state", after)
    assert after == first, "a rebuild after a kill differs from another rebuild of the same data"


def test_a_stale_render_staging_folder_is_swept_by_the_next_render(tmp_path):
    import shutil

    from quarto_lite import render_report

    project = tmp_path / "project"
    project.mkdir()
    (project / "report.qmd").write_text("---\ntitle: T\n---\n\nText.\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[2] / "report"
    for name in ("_quarto.yml", "_brand.yml"):
        shutil.copy(root / name, project / name)
    shutil.copytree(root / "brand", project / "brand")
    out = tmp_path / "out"
    stale = out / ".psw-annual-report-render-killed"
    (stale / "build").mkdir(parents=True)
    (stale / "report.html").write_text("<html>half", encoding="utf-8")
    render_report(project, "report.qmd", out, "psw-annual-report", ["html"], {},
                  renderer="builtin")
    assert (out / "psw-annual-report.html").is_file()
    assert leftovers(out) == []


def test_pause_point_is_a_no_op_unless_asked(tmp_path, monkeypatch):
    import psw_core.instrument as instrument
    from psw_core.instrument import pause_point

    slept = []
    monkeypatch.setattr(instrument.time, "sleep", slept.append)
    monkeypatch.delenv("PSW_TEST_PAUSE_AT", raising=False)
    pause_point("promote")
    monkeypatch.setenv("PSW_TEST_PAUSE_AT", "render")
    monkeypatch.setenv("PSW_TEST_PAUSE_FILE", str(tmp_path / "m"))
    pause_point("promote")
    assert not slept and not (tmp_path / "m").exists()
    monkeypatch.setenv("PSW_TEST_PAUSE_SECONDS", "0.01")
    pause_point("render")
    assert (tmp_path / "m").read_text().split()[1] == "render"
