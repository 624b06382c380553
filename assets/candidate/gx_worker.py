"""One worker process that imports Great Expectations and runs the suites (docs/design.md §2).

GX's import takes 3-8 s of one core. A thread doing it holds the GIL against the caller's own
imports and reading; a process started at once does it on the other core meanwhile. The typed
frames go to it pickled and each extract's `SuiteOutcome` comes back, so its rows, values and
counts are the ones `gx_runner.check_frame` finds in process (it runs the same function).

This module imports nothing heavy, so a command can start the worker before its own imports.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

_POOL: list[ProcessPoolExecutor] = []  # at most one per process


def start() -> None:
    """Start the worker and its GX import (once per process; later calls do nothing). A process
    that never uses it still waits for that import at exit (the worker finishes its task), so
    start it only when there is something to check."""
    if not _POOL:
        # spawn, not fork: the caller may already run threads (Dagster's), which fork copies badly.
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        _POOL.append(pool)
        pool.submit(_warm)  # a failure here comes back from the first check, in the caller


def started() -> bool:
    return bool(_POOL)


def _warm() -> None:
    from assets.candidate import gx_runner

    gx_runner._batch_definition()


def submit(extract: str, frame, **kwargs) -> Future:
    """`gx_runner.check_frame(extract, frame, **kwargs)` in the worker; in this process (done
    at once) when no worker was started."""
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

    return gx_runner.check_frame(extract, frame, **kwargs)
