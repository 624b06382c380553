"""A Dagster logger for `psw build`: one quiet line per stage instead of Dagster's debug log,
and the failing step's one-line error kept for the summary (no traceback reaches the user)."""

import logging
import time

import dagster as dg
from rich.console import Console

STAGE_NAMES = {
    "candidate_extracts": "reading and checking extracts",
    "candidate__checked_year": "cross-extract checks",
    "raw__year": "promoting into the warehouse",
    "metrics__trends": "trends and benchmarks",
    "published__tables": "disclosure control and tables",
    "report__annual_report": "rendering the report",
}


def stage_name(step: str) -> str:
    """A step's name for people: staging__worker_spells → "staging worker_spells"."""
    return STAGE_NAMES.get(step) or step.replace("__", " ")

FAILURES: list[str] = []  # step failures of the current process's runs, newest last


class _ProgressHandler(logging.Handler):
    def __init__(self, console: Console):
        super().__init__(logging.DEBUG)
        self.console = console
        self.started: dict[str, float] = {}

    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        if event is None:
            return
        step = event.step_key or ""
        name = stage_name(step)
        if event.event_type_value == "STEP_START":
            self.started[step] = time.perf_counter()
            if not self.console.is_terminal:
                return
            self.console.print(f"  … {name}", end="\r")
        elif event.event_type_value == "STEP_SUCCESS":
            seconds = time.perf_counter() - self.started.get(step, time.perf_counter())
            self.console.print(f"  ✓ {name:<34} {seconds:5.1f} s")
        elif event.event_type_value == "STEP_FAILURE":
            error = getattr(event.event_specific_data, "error", None)
            cause = error
            while cause is not None and getattr(cause, "cause", None) is not None:
                cause = cause.cause
            message = (cause.message if cause is not None else record.getMessage()).strip()
            # "package.module.SomeError: text" reads better as "SomeError: text".
            head, sep, rest = message.partition(": ")
            message = f"{head.rsplit('.', 1)[-1]}{sep}{rest}" if sep else message
            FAILURES.append(f"{stage_name(step)}: {message.splitlines()[0] if message else ''}")


@dg.logger(description="One line per stage, for `psw build`.")
def psw_progress(_init_context) -> logging.Logger:
    logger = logging.Logger("psw_progress", level=logging.DEBUG)
    logger.addHandler(_ProgressHandler(Console(stderr=True, highlight=False)))
    return logger
