"""Read the published snapshot (build/<Y>/published.duckdb) read-only, once, into memory.

The report reads nothing else (docs/design.md §2). A table the snapshot lacks reads as an empty
frame, so a section can say plainly that it has no figures instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from assets.report.support.formatting import NOT_AVAILABLE, fmt, is_missing, to_number

SERVICES = ("children", "adults", "all")


class SnapshotError(RuntimeError):
    """The snapshot is missing or unreadable; the message says which file and what to do."""


@dataclass
class Snapshot:
    path: Path
    reporting_year: int
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Statements of each kind made so far, in document order (language.py words them in turn).
    turns: dict[str, int] = field(default_factory=dict, repr=False)
    first_turn: int = 0

    def next_turn(self, kind: str) -> int:
        """first_turn, then one more for each later statement of that kind in this document."""
        turn = self.turns.get(kind, self.first_turn)
        self.turns[kind] = turn + 1
        return turn

    # -- tables -------------------------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.tables

    def table(self, name: str, year: int | None = None, all_years: bool = False) -> pd.DataFrame:
        """The table's rows for the reporting year (or `year`; every year if `all_years`)."""
        frame = self.tables.get(name)
        if frame is None:
            return pd.DataFrame()
        if all_years or "reporting_year" not in frame:
            return frame.copy()
        wanted = self.reporting_year if year is None else year
        return frame[frame["reporting_year"] == wanted].reset_index(drop=True)

    def is_empty(self, name: str) -> bool:
        return self.table(name).empty

    # -- headline measures --------------------------------------------------------------------
    def headline(self, measure: str, service: str = "all") -> dict:
        """The published headline row as a dict; value '[x]' when the measure is absent."""
        frame = self.table("headline_measures")
        if not frame.empty:
            hit = frame[(frame["measure"] == measure) & (frame["service"] == service)]
            if not hit.empty:
                return hit.iloc[0].to_dict()
        return {"measure": measure, "service": service, "value": NOT_AVAILABLE, "unit": "",
                "ci_lower": NOT_AVAILABLE, "ci_upper": NOT_AVAILABLE,
                "national_value": NOT_AVAILABLE, "national_release": ""}  # fmt: skip

    def value(self, measure: str, service: str = "all") -> float | None:
        return to_number(self.headline(measure, service)["value"])

    def cell(self, measure: str, service: str = "all") -> str:
        return str(self.headline(measure, service)["value"])

    def f(self, measure: str, service: str = "all", note: bool = True):
        """The formatted headline figure, e.g. '11.6%'; shorthand with its footnote."""
        row = self.headline(measure, service)
        return fmt(row["value"], row.get("unit", ""), note=note)

    def available(self, measure: str, service: str = "all") -> bool:
        return not is_missing(self.headline(measure, service)["value"])

    def any_available(self, measure: str) -> bool:
        return any(self.available(measure, s) for s in SERVICES)

    def yoy(self, measure: str, service: str = "all") -> dict | None:
        """The year_on_year row (previous_value, value, change, ci_lower, ci_upper,
        direction, ...) or None when there is no earlier year to compare with."""
        frame = self.table("year_on_year")
        if frame.empty:
            return None
        hit = frame[(frame["measure"] == measure) & (frame["service"] == service)]
        return None if hit.empty else hit.iloc[0].to_dict()

    def setting(self, item: str, default=None):
        """A value from the optional `report_settings` table (item, value)."""
        frame = self.table("report_settings")
        if frame.empty or "item" not in frame:
            return default
        hit = frame[frame["item"] == item]
        return default if hit.empty else hit.iloc[0]["value"]

    def build_item(self, item: str, default: str = "") -> str:
        frame = self.table("provenance_build")
        if frame.empty or "item" not in frame:
            return default
        hit = frame[frame["item"] == item]
        return default if hit.empty else str(hit.iloc[0]["value"])


def open_snapshot(path: str | Path, reporting_year: int) -> Snapshot:
    """Open the snapshot read-only, copy every table into memory and close it."""
    path = Path(path)
    if not path.is_file():
        raise SnapshotError(
            f"The published snapshot {path} was not found. Build the year first "
            f"(`psw build --year {reporting_year}`), or pass the right `snapshot` parameter."
        )
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise SnapshotError(f"The published snapshot {path} could not be opened: {exc}") from None
    try:
        names = con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'main' order by table_name"
        ).df()["table_name"].tolist()
        tables = {name: con.execute(f'select * from "{name}"').df() for name in names}
    finally:
        con.close()
    for frame in tables.values():
        if "reporting_year" in frame:
            frame["reporting_year"] = pd.to_numeric(frame["reporting_year"]).astype("Int64")
    return Snapshot(path=path, reporting_year=int(reporting_year), tables=tables)
