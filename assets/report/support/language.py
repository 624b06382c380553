"""Words that come from the data: direction of change and local-versus-national comparisons.

The change rule (docs/design.md §4 "Year-on-year"): 'rose' or 'fell' only when the interval for the
change excludes no change; otherwise 'was similar to', with the change shown in points. A
measure with no interval method gets no direction word at all: 'went from X in 2024 to Y'.
The published `year_on_year` table carries the interval; these helpers never overrule it.

The benchmark rule (docs/design.md §4 "National benchmarks"): only a national figure on exactly the
same definition (`national_match` exact) is called above, below or similar; any other is
context, with the difference in basis written beside it.
"""

from __future__ import annotations

import re

from assets.report.support.formatting import Md, fmt, is_missing, to_number
from assets.report.support.snapshot import Snapshot

ROSE, FELL, SIMILAR, NOT_TESTED = "rose", "fell", "was similar to", "not tested"


def direction_word(row: dict | None) -> str | None:
    """'rose' | 'fell' | 'was similar to' | 'not tested', or None (no comparison).

    The word comes only from the change's interval: 'rose'/'fell' when it excludes 0,
    'was similar to' when it includes 0, 'not tested' when there is none."""
    if not row or is_missing(row.get("value")) or is_missing(row.get("previous_value")):
        return None
    lower = to_number(row.get("ci_lower", row.get("change_ci_lower")))
    upper = to_number(row.get("ci_upper", row.get("change_ci_upper")))
    if lower is None or upper is None:
        return NOT_TESTED
    if lower <= 0 <= upper:
        return SIMILAR
    return ROSE if lower > 0 else FELL


def _change_in_units(change: float, unit: str) -> str:
    """'+1.2 points' for a percentage, '−0.3 cases per FTE' otherwise (one decimal place)."""
    sign = "+" if change > 0 else "−" if change < 0 else ""
    amount = f"{sign}{abs(change):.1f}"
    if unit in ("percent", "%"):
        return f"{amount} percentage points"
    shown = fmt(abs(change), unit)
    return f"{sign}{shown}" if str(shown) != f"{abs(change):.1f}" else amount


# Several wordings for each kind of generated statement, used in turn in document order
# (`_wording`), so a report that makes the same kind of statement ten times does not repeat one
# sentence frame ten times and two neighbouring sentences never share one. Never random: the
# same inputs give the same text. Every wording says only what its rule allows, and
# tests/pipeline/test_pipeline_direction_words.py parses each one: a change whose interval
# includes 0 is never called a rise or a fall, and only an exact pair is above or below.
SIMILAR_FRAMES = (
    "was similar to {year} ({before} then, {now} now{change_comma})",
    "showed no clear change from {year}, going from {before} to {now}{change_bracket}",
    "was {now}, within the margin of error of {year}'s {before}{change_bracket}",
    "was {now} against {before} in {year}, a difference that could be down to chance"
    "{change_bracket}",
    "was {now}, not a significant change from {before} in {year}{change_bracket}",
)
CHANGE_FRAMES = (
    "{word} from {before} in {year} to {now}",
    "{word} to {now}, from {before} in {year}",
)
NO_NATIONAL_FRAMES = (
    "{subject} was {value}; no national figure on the same definition is available for "
    "comparison.",
    "{subject} was {value}. No national figure is published on our definition, so it is not "
    "compared with England.",
    "{subject} was {value} (there is no like-for-like national figure to compare it with).",
)
# (subject and value, then the comparison with England) for an exact national pair.
NATIONAL_FRAMES = (
    ("{subject} ({value}) was {clause}.",
     "{relation} the national figure for England of {national}{source}"),
    ("{subject} was {value}, {clause}.", "{relation} England's figure of {national}{source}"),
    ("{subject}, at {value}, was {clause}.",
     "{relation} the England figure of {national}{source}"),
)


def _wording(snap: Snapshot, frames: tuple):
    """The next of `frames` for this document: each kind of statement takes its wordings in turn."""
    return frames[snap.next_turn(str(frames[0])) % len(frames)]


def change_clause(snap: Snapshot, measure: str, service: str = "all") -> Md:
    """'rose from 13.2% in 2024 to 15.4%' / 'was similar to 2024 (13.2% then, 12.4% now, a
    change of −0.8 percentage points)' (or another wording from SIMILAR_FRAMES,
    CHANGE_FRAMES) / 'went from 13.2% in 2024 to 12.4%' / ''."""
    row = snap.yoy(measure, service)
    word = direction_word(row)
    if word is None:
        return Md("")
    unit = row.get("unit") or snap.headline(measure, service).get("unit", "")
    before = fmt(row["previous_value"], unit)
    now = fmt(row["value"], unit)
    year = _previous_year(row, snap)
    if word in (ROSE, FELL):
        frame = _wording(snap, CHANGE_FRAMES)
        return Md(frame.format(word=word, before=before, now=now, year=year))
    if word == NOT_TESTED:
        return Md(f"went from {before} in {year} to {now}")
    change = to_number(row.get("change"))
    points = _change_in_units(change, unit) if change is not None else ""
    frame = _wording(snap, SIMILAR_FRAMES)
    return Md(frame.format(year=year, before=before, now=now,
                           change_comma=f", a change of {points}" if points else "",
                           change_bracket=f" (a change of {points})" if points else ""))


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


def is_like_for_like(row: dict) -> bool:
    """True only for a national figure on exactly our definition (benchmark_map `exact`)."""
    return str(row.get("national_match") or "").strip().lower() == "exact"


def national_clause(snap: Snapshot, measure: str, service: str,
                    comparator: str = "{relation} the national figure for England of {national}"
                                      "{source}") -> Md:
    """For an exact pair: 'below the national figure for England of 13.8% (release)', with
    'similar to' when the national figure lies inside our interval. For any other pair: ''
    (see `national_context`). `comparator` words it (NATIONAL_FRAMES)."""
    row = snap.headline(measure, service)
    local, national = to_number(row.get("value")), to_number(row.get("national_value"))
    if local is None or national is None or not is_like_for_like(row):
        return Md("")
    unit = row.get("unit", "")
    lower, upper = to_number(row.get("ci_lower")), to_number(row.get("ci_upper"))
    rounded_local, rounded_national = round(local, 1), round(national, 1)
    if lower is not None and upper is not None and lower <= national <= upper:
        relation = "similar to"
    elif rounded_local < rounded_national:
        relation = "below"
    elif rounded_local > rounded_national:
        relation = "above"
    else:
        relation = "the same as"
    release = _unbracket(str(row.get("national_release") or "").strip())
    source = f" ({release})" if release else ""
    return Md(comparator.format(relation=relation, national=fmt(national, unit), source=source))


def national_context(snap: Snapshot, measure: str, service: str) -> Md:
    """A national figure on a different basis, as context with the difference written:
    'For context, the national figure is 14.5% (release), but it is not on the same basis:
    Skills for Care turnover is on headcount, not FTE.' or ''."""
    row = snap.headline(measure, service)
    national = to_number(row.get("national_value"))
    if national is None or is_like_for_like(row):
        return Md("")
    unit = row.get("unit", "")
    release = _unbracket(str(row.get("national_release") or "").strip())
    source = f" ({release})" if release else ""
    basis = str(row.get("national_basis") or "").strip().rstrip(".")
    why = f" ({basis})" if basis else ""
    return Md(f"For context, the national figure is {fmt(national, unit)}{source}, but it is "
              f"not on the same basis{why}, so the two are not compared.")


def national_sentence(snap: Snapshot, subject: str, measure: str, service: str) -> Md:
    """'Children's FTE turnover (11.6%) was below the national figure … (release).' (or another
    wording from NATIONAL_FRAMES); for a pair on a different basis, the figure and the national
    context; or a plain statement that no national figure is available (NO_NATIONAL_FRAMES)."""
    value = snap.f(measure, service)
    if not national_clause(snap, measure, service):
        if not snap.available(measure, service):
            return Md("")
        context = national_context(snap, measure, service)
        if context:
            return Md(f"{subject} was {value}. {context}")
        frame = _wording(snap, NO_NATIONAL_FRAMES)
        return Md(frame.format(subject=subject, value=value))
    sentence, comparator = _wording(snap, NATIONAL_FRAMES)
    clause = national_clause(snap, measure, service, comparator)
    return Md(sentence.format(subject=subject, value=value, clause=clause))


def statement_quotes(snap: Snapshot, theme: str, service: str = "all") -> list[str]:
    """The statements a theme rests on, each with the share agreeing, as published in
    `health_check_items`: ['62.0% agreed that "I intend to be working here in 12 months'
    time"', ...]. A suppressed share is shown with its shorthand."""
    items = snap.table("health_check_items")
    if items.empty or "theme" not in items:
        return []
    rows = items[(items["theme"] == theme) & (items["service"] == service)]
    quotes = []
    for statement, share in zip(rows["statement"], rows["value"], strict=True):
        text = str(statement).strip().rstrip(".")
        quotes.append(f"{fmt(share, 'percent')} agreed that “{text}”")
    return quotes


_FIGURE = r"(?:[−+-]?[\d,]+(?:\.\d+)?%?|\[\w\])"  # 11.6%, 15.3, −0.4, [c]
_PARTS = {"word": "(?:rose|fell)", "year": r"\d{4}", "before": _FIGURE, "now": _FIGURE,
          "value": _FIGURE, "national": _FIGURE, "relation": "(?:above|below|similar to|the same as)",
          "source": r"(?: \([^()]*\))?", "change_comma": r"(?:, a change of [^()]*)?",
          "change_bracket": r"(?: \(a change of [^()]*\))?", "subject": ".{1,120}?"}


def frame_patterns() -> dict[str, re.Pattern]:
    """Every generated sentence frame above as a pattern for its rendered text (the subject left
    out), so a test can count how often the report uses each one."""
    templates = [*SIMILAR_FRAMES, *CHANGE_FRAMES, *NO_NATIONAL_FRAMES,
                 *(sentence.replace("{clause}", comparator) for sentence, comparator in NATIONAL_FRAMES)]
    patterns = {}
    for template in templates:
        body = template.removeprefix("{subject}")
        pieces = re.split(r"\{(\w+)\}", body)
        regex = "".join(_PARTS[p] if i % 2 else re.escape(p).replace("'", "['’]")
                        for i, p in enumerate(pieces))
        patterns[template] = re.compile(regex)
    return patterns
