"""Concurrency: two `psw build` processes on one warehouse queue on the file lock (the second
says it is waiting) and both succeed, while a reader holds the published snapshot open
read-only; a reader holding the live warehouse makes a build fail with one clear line, never a
DuckDB lock traceback."""

from __future__ import annotations

import shutil

import duckdb
from reliability_helpers import (
    assert_no_traceback,
    copy_state,
    finish,
    outputs_problems,
    run_psw,
    small_build,
    start_psw,
)


def _variant(base, dest, drop: int):
    """The sample's 2025 with the last `drop` learning rows removed (a different input)."""
    shutil.copytree(base / "raw", dest)
    path = dest / "2025" / "learning.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-drop]), encoding="utf-8")
    return dest


def test_two_builds_queue_and_both_succeed_while_the_snapshot_is_read(tmp_path,
                                                                     tmp_path_factory):
    base = small_build(tmp_path_factory)
    copy_state(base, tmp_path)
    raws = [_variant(base, tmp_path / f"raw{i}", drop) for i, drop in ((1, 7), (2, 13))]
    snapshot = tmp_path / "build" / "2025" / "published.duckdb"
    reader = duckdb.connect(str(snapshot), read_only=True)
    try:
        before = reader.execute("SELECT count(*) FROM headline_measures").fetchall()
        procs = [start_psw(["build", "--raw", str(raw), "--out", str(tmp_path / "build"),
                            "--formats", "html"], tmp_path, f"build{i}.log")
                 for i, raw in enumerate(raws)]
        codes = [finish(p) for p in procs]
        logs = [(tmp_path / f"build{i}.log").read_text(encoding="utf-8") for i in range(2)]
        # The reader's open snapshot still answers (the builds replaced the file by rename).
        assert reader.execute("SELECT count(*) FROM headline_measures").fetchall() == before
    finally:
        reader.close()
    assert codes == [0, 0], "\n\n".join(logs)
    assert_no_traceback(*logs)
    assert sum("waiting" in log.lower() for log in logs) == 1, "\n\n".join(logs)
    assert not any("lock" in log.lower() and "error" in log.lower() for log in logs)
    assert outputs_problems(tmp_path / "build") == []
    fresh = duckdb.connect(str(snapshot), read_only=True)
    try:
        assert fresh.execute("SELECT count(*) FROM headline_measures").fetchall()[0][0] > 0
    finally:
        fresh.close()


def test_a_reader_holding_the_live_warehouse_fails_a_build_with_one_clear_line(
        tmp_path, tmp_path_factory):
    base = small_build(tmp_path_factory)
    copy_state(base, tmp_path)
    raw = _variant(base, tmp_path / "raw", 5)
    holder = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        done = run_psw(["build", "--raw", str(raw), "--out", str(tmp_path / "build"),
                        "--formats", "html"], tmp_path, timeout=240)
    finally:
        holder.close()
    assert_no_traceback(done.stdout, done.stderr)
    assert done.returncode in (0, 3), done.stdout + done.stderr
    if done.returncode == 3:
        last = [line for line in done.stderr.splitlines() if line.strip()][-1]
        assert "warehouse" in last.lower() or "lock" in last.lower(), done.stderr
        assert "Details:" in last
