"""Settings and the DuckDB warehouse, decided in one place (docs/design.md §5).

Every path comes from the environment or the command line, never from code elsewhere:
PSW_RAW_DIR, PSW_OUT_DIR, PSW_CONFIG, PSW_WAREHOUSE, PSW_PSEUDONYMISATION_KEY, PSW_FORMATS.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
from filelock import FileLock, Timeout

from psw_core.settings import DEFAULTS, format_list, setting, warehouse_path  # noqa: F401 - re-exported


class WriterBusy(RuntimeError):
    """Another process holds the warehouse for writing and did not finish in time."""


_HELD: dict[str, int] = {}  # re-entrant within this process: the CLI holds it across a year


@contextlib.contextmanager
def writer_lock(path: Path, wait_seconds: float = 600, on_wait=None) -> Iterator[None]:
    """Serialise writers: DuckDB lets one process hold a file for writing (docs/design.md §2)."""
    key = str(Path(path).resolve())
    if _HELD.get(key):
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path) + ".lock")
    try:
        lock.acquire(timeout=0.1)
    except Timeout:
        if on_wait:
            on_wait(f"Another build holds {path}; waiting up to {int(wait_seconds)} s for it.")
        try:
            lock.acquire(timeout=wait_seconds)
        except Timeout as exc:
            raise WriterBusy(
                f"{path} is still held by another build after {int(wait_seconds)} s."
            ) from exc
    _HELD[key] = 1
    try:
        yield
    finally:
        _HELD.pop(key, None)
        lock.release()


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file. Writers take a file lock first, then the connection."""

    path: str

    @contextlib.contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        path = Path(self.path)
        with writer_lock(path):
            con = duckdb.connect(str(path))
            try:
                yield con
            finally:
                con.close()


class PswSettings(dg.ConfigurableResource):
    """Where extracts come from and outputs go; the authority settings file."""

    raw_dir: str
    out_dir: str
    config_path: str
    report_dir: str
    formats: str = "html,docx,pdf"
    report_years: str = ""  # comma-separated years to render; empty = the latest year present

    def format_list(self) -> list[str]:
        return format_list(self.formats)


def default_resources() -> dict:
    return {
        "warehouse": WarehouseResource(path=str(warehouse_path())),
        "settings": PswSettings(
            raw_dir=setting("PSW_RAW_DIR"),
            out_dir=setting("PSW_OUT_DIR"),
            config_path=setting("PSW_CONFIG"),
            report_dir=setting("PSW_REPORT_DIR"),
            formats=setting("PSW_FORMATS"),
        ),
    }
