"""Helpers that the annual report's chunks import (report/psw_annual_report.qmd).

- `snapshot`: read build/<Y>/published.duckdb read-only, once;
- `formatting`: GSS number formatting and shorthand ([c], [x], [z]) with notes;
- `language`: direction words from intervals and local-versus-national sentences;
- `charts`: accessible charts on quarto_lite/charts.py;
- `narrative`: the year's authored YAML and prose, validated with a clear error.
"""

from assets.report.support.formatting import Md, fmt, markdown_table, notes_for
from assets.report.support.language import change_sentence, direction_word, national_sentence
from assets.report.support.narrative import NarrativeError, load_narrative
from assets.report.support.snapshot import Snapshot, SnapshotError, open_snapshot

__all__ = [
    "Md", "NarrativeError", "Snapshot", "SnapshotError", "change_sentence", "direction_word",
    "fmt", "load_narrative", "markdown_table", "national_sentence", "notes_for", "open_snapshot",
]  # fmt: skip
