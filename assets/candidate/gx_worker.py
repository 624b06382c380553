"""Where Great Expectations runs: a worker process for small extracts, else this process.

GX's import takes 3-8 s of one core. For a council's extracts (a few MB) that import is most
of a check, and a thread doing it holds the GIL against the caller's own imports and reading;
a process started at once does it on the other core meanwhile. The typed frames go to it
pickled and each extract's `SuiteOutcome` comes back: it runs the same `gx_runner.check_frame`,
so rows, values and counts are the ones found in process.

Extracts past `WORKER_MAX_BYTES` (national scale) stay in this process: reading them outlasts
GX's import anyway (a thread overlaps it), and a worker would hold a second copy of each frame.

This module imports nothing heavy, so a command can start GX before its own imports.
"""

from __future__ import annotations

import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

# Reading takes about a second per MB of extracts, so past this GX's import is long over before
# the frames are ready, and the worker's copy of the frames would cost more than it saves.
WORKER_MAX_BYTES = 16 * 2**20

_POOL: list[ProcessPoolExecutor] = []  # at most one per process
_THREAD: list[threading.Thread] = []  # or the in-process warm-up


def start(*folders: Path) -> None:
    """Start GX's import (once per process; later calls do nothing): in a worker process when
    the largest of these year folders holds at most WORKER_MAX_BYTES of files, else in a thread
    here (also with no folder given). A process that never uses the worker still waits for
    that import at exit, so start it only when there is something to check."""
    if _POOL or _THREAD:
        return
    sizes = [sum(p.stat().st_size for p in Path(f).iterdir() if p.is_file())
             for f in folders if Path(f).is_dir()]
    if sizes and max(sizes) <= WORKER_MAX_BYTES:
        # spawn, not fork: the caller may already run threads (Dagster's), which fork copies badly.
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        _POOL.append(pool)
        pool.submit(_warm)  # a failure here comes back from the first check, in the caller
    else:
        thread = threading.Thread(target=_quietly_warm, name="gx-warm-up", daemon=True)
        _THREAD.append(thread)
        thread.start()


def in_worker() -> bool:
    return bool(_POOL)


def _warm() -> None:
    from assets.candidate import gx_runner

    gx_runner._batch_definition()


def _quietly_warm() -> None:
    try:
        _warm()
    except Exception:  # noqa: BLE001 - check_frame builds it again and raises in its own thread
        pass


def wait_for_thread() -> None:
    """Let an in-process warm-up finish before building the context (never two contexts)."""
    if _THREAD:
        _THREAD[0].join()


def submit(extract: str, frame, **kwargs) -> Future:
    """`gx_runner.check_frame(extract, frame, **kwargs)` in the worker if one was started, else
    in this process, done at once."""
    if _POOL:
        return _POOL[0].submit(_check, extract, frame, kwargs)
    done: Future = Future()
    try:
        done.set_result(_check(extract, frame, kwargs))
    except Exception as exc:  # noqa: BLE001 - raised again by done.result(), as in the worker
        done.set_exception(exc)
    return done


def _check(extract: str, frame, kwargs: dict):
    from assets.candidate import gx_runner

    try:
        return gx_runner.check_frame(extract, frame, **kwargs)
    finally:
        gx_runner.release()  # GX's cached engine would hold the frame until the next check
