"""Small helpers shared by the thin Dagster asset wrappers: year, settings, metadata."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pandas as pd

from psw_core.config import AuthorityConfig, load_config

OWNER = "team:psw-data"
CODE_VERSION = "1"  # bump when an asset's logic changes, so Dagster marks it stale


def partition_year(context: dg.AssetExecutionContext) -> int:
    return int(context.partition_key)


def year_dir(settings, year: int) -> Path:
    return Path(settings.raw_dir) / str(year)


def authority(settings) -> AuthorityConfig:
    return load_config(settings.config_path)


def preview(frame: pd.DataFrame, rows: int = 10) -> dg.MetadataValue:
    """A markdown preview for the UI; callers pass only aggregate, published-safe frames."""
    if frame is None or frame.empty:
        return dg.MetadataValue.md("_no rows_")
    return dg.MetadataValue.md(frame.head(rows).to_markdown(index=False))


def problems_table(problems, limit: int = 50) -> dg.MetadataValue:
    """Failing rows for the UI, values redacted (DESIGN §2: nothing persisted shows raw values)."""
    if not problems:
        return dg.MetadataValue.md("_no problems_")
    rows = [p.redacted().to_dict() for p in problems[:limit]]
    frame = pd.DataFrame(rows)[["severity", "rule", "file", "row", "column", "column_letter", "why"]]
    note = f"\n\n_{len(problems) - limit} more not shown_" if len(problems) > limit else ""
    return dg.MetadataValue.md(frame.to_markdown(index=False) + note)
