"""Words that come from the data: direction of change and local-versus-national comparisons.

DESIGN §4: the report says 'rose' or 'fell' only when the Newcombe interval of the change
excludes 0, otherwise 'was similar to'. The published `year_on_year` table carries that
judgement (`direction`); these helpers turn it into sentences and never overrule an interval.
"""

from __future__ import annotations

import re

from assets.report.support.formatting import Md, fmt, is_missing, to_number
from assets.report.support.snapshot import Snapshot

ROSE, FELL, SIMILAR, UNCHANGED = "rose", "fell", "was similar to", "was unchanged"


def direction_word(row: dict | None) -> str | None:
    """'rose' | 'fell' | 'was similar to' | 'was unchanged', or None (no comparison).

    An interval that includes 0 always gives 'was similar to', whatever else the row says."""
    if not row or is_missing(row.get("value")) or is_missing(row.get("previous_value")):
        return None
    lower = to_number(row.get("ci_lower", row.get("change_ci_lower")))
    upper = to_number(row.get("ci_upper", row.get("change_ci_upper")))
    if lower is not None and upper is not None:
        if lower <= 0 <= upper:
            return SIMILAR
        return ROSE if lower > 0 else FELL
    stated = str(row.get("direction") or "").strip().lower()
    if stated in (ROSE, FELL, SIMILAR, UNCHANGED):
        return stated
    change = to_number(row.get("change"))
    if change is None:
        return None
    if round(change, 1) == 0:
        return UNCHANGED
    return ROSE if change > 0 else FELL


def change_clause(snap: Snapshot, measure: str, service: str = "all") -> Md:
    """'rose from 13.2% in 2024 to 11.4%' / 'was similar to 2024 (13.2%)' / '' (no earlier year)."""
    row = snap.yoy(measure, service)
    word = direction_word(row)
    if word is None:
        return Md("")
    unit = row.get("unit") or snap.headline(measure, service).get("unit", "")
    before = fmt(row["previous_value"], unit)
    now = fmt(row["value"], unit)
    year = _previous_year(row, snap)
    if word in (ROSE, FELL):
        return Md(f"{word} from {before} in {year} to {now}")
    if word == UNCHANGED:
        return Md(f"was unchanged from {year} at {now}")
    return Md(f"was similar to {year} ({before} then, {now} now)")


def change_sentence(snap: Snapshot, subject: str, measure: str, service: str = "all") -> Md:
    """A whole sentence about the change since last year, or '' when there is none."""
    clause = change_clause(snap, measure, service)
    return Md(f"{subject} {clause}." if clause else "")


def _previous_year(row: dict, snap: Snapshot) -> str:
    year = to_number(row.get("previous_year"))
    return str(int(year)) if year is not None else str(snap.reporting_year - 1)


def _unbracket(text: str) -> str:
    """'release (revises earlier years)' -> 'release; revises earlier years', so the source
    can sit in brackets without brackets inside brackets."""
    return re.sub(r"\s*\(([^()]*)\)", r"; \1", text).strip()


def national_clause(snap: Snapshot, measure: str, service: str) -> Md:
    """'below the national figure for England of 13.8% (release)', or '' when none is mapped."""
    row = snap.headline(measure, service)
    local, national = to_number(row.get("value")), to_number(row.get("national_value"))
    if local is None or national is None:
        return Md("")
    unit = row.get("unit", "")
    rounded_local, rounded_national = round(local, 1), round(national, 1)
    if rounded_local < rounded_national:
        relation = "below"
    elif rounded_local > rounded_national:
        relation = "above"
    else:
        relation = "the same as"
    release = _unbracket(str(row.get("national_release") or "").strip())
    source = f" ({release})" if release else ""
    return Md(f"{relation} the national figure for England of {fmt(national, unit)}{source}")


def national_sentence(snap: Snapshot, subject: str, measure: str, service: str) -> Md:
    """'Children's FTE turnover (11.6%) was below the national figure … (release).' or a plain
    statement that no national figure on the same definition is available."""
    clause = national_clause(snap, measure, service)
    value = snap.f(measure, service)
    if not clause:
        if not snap.available(measure, service):
            return Md("")
        return Md(f"{subject} was {value}; no national figure on the same definition is "
                  "available for comparison.")
    return Md(f"{subject} ({value}) was {clause}.")
