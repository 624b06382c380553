"""Settings and paths that need neither Dagster nor DuckDB (docs/design.md §5), so that `psw build`
can decide a no-op from psw_core.stamp without importing either. psw_core.resources and
psw_core.partitions re-export these names.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {
    "PSW_RAW_DIR": "data/raw",
    "PSW_OUT_DIR": "build",
    "PSW_CONFIG": "data/authority.yml",
    "PSW_FORMATS": "html,docx,pdf",
    "PSW_REPORT_DIR": "report",
}

YEAR_DIR = re.compile(r"^\d{4}$")


def setting(name: str) -> str:
    """One environment setting, or its documented default."""
    return os.environ.get(name) or DEFAULTS[name]


def warehouse_path() -> Path:
    """build/warehouse.duckdb unless PSW_WAREHOUSE says otherwise (docs/design.md §5)."""
    return Path(os.environ.get("PSW_WAREHOUSE") or Path(setting("PSW_OUT_DIR")) / "warehouse.duckdb")


def year_folders(raw_dir: Path) -> dict[int, Path]:
    """Year folders under raw_dir, e.g. {2024: data/raw/2024}."""
    if not raw_dir.is_dir():
        return {}
    return {int(p.name): p for p in sorted(raw_dir.iterdir()) if p.is_dir() and YEAR_DIR.match(p.name)}


def format_list(formats: str) -> list[str]:
    """"html,docx" -> ["html", "docx"]."""
    return [f.strip() for f in formats.split(",") if f.strip()]


@dataclass(frozen=True)
class Settings:
    """The fields of psw_core.resources.PswSettings, for `psw report`, which renders from the
    published snapshot and has no use for Dagster (importing it cost seconds per render)."""

    raw_dir: str
    out_dir: str
    config_path: str
    report_dir: str
    formats: str = DEFAULTS["PSW_FORMATS"]
    report_years: str = ""

    def format_list(self) -> list[str]:
        return format_list(self.formats)


def settings_from_env() -> Settings:
    """Settings from the environment and the documented defaults (as default_resources)."""
    return Settings(raw_dir=setting("PSW_RAW_DIR"), out_dir=setting("PSW_OUT_DIR"),
                    config_path=setting("PSW_CONFIG"), report_dir=setting("PSW_REPORT_DIR"),
                    formats=setting("PSW_FORMATS"))
