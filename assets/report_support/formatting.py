"""GSS-style number formatting for the report (DESIGN §4 "Outputs and disclosure control").

Published cells arrive as text: the rounded number, or GSS shorthand (`[c]`, `[x]`, `[z]`).
Rates show one decimal place, counts get thousands separators, and shorthand is passed
through with a note that says what it means. Every helper returns `Md`, a `str` that
renders as Markdown both in the built-in renderer and in Quarto.
"""

from __future__ import annotations

import math
import re

CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
SHORTHAND = (CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE)

SHORTHAND_MEANING = {
    CONFIDENTIAL: "suppressed to protect confidentiality: the figure counts, or could reveal, "
    "a very small number of people, cases or survey responses",
    NOT_AVAILABLE: "not available: there were no data for this figure this year",
    NOT_APPLICABLE: "not applicable",
}

# Units as published (docs/published-tables.md) -> how a value is written.
PERCENT_UNITS = {"percent", "%"}
ONE_DP_UNITS = {"fte", "days per fte", "cases per fte", "hours per fte", "hours per week",
                "score", "score 0-100", "hours"}  # fmt: skip
COUNT_UNITS = {"count", "headcount", "people", "cases", "responses"}

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


class Md(str):
    """Text that is Markdown: inline `{python}` values and chunk output render it as such."""

    def _repr_markdown_(self) -> str:
        return str(self)


def is_shorthand(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip() in SHORTHAND


def is_missing(cell: object) -> bool:
    """True for shorthand, None, NaN and empty text: nothing to state as a number."""
    if cell is None or is_shorthand(cell):
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and not cell.strip()


def to_number(cell: object) -> float | None:
    """The cell as a float, or None for shorthand and blanks (never raises on text)."""
    if is_missing(cell):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell).strip().replace(",", "")
    return float(text) if _NUMBER.match(text) else None


def escape(text: str) -> str:
    """Markdown-escape brackets so `[c]` is never read as a link or a span."""
    return str(text).replace("[", r"\[").replace("]", r"\]")


def shorthand_text(cell: str) -> Md:
    return Md(escape(cell.strip()))


def shorthand_note(cell: str) -> Md:
    """`[c]` with an inline footnote saying what it means (for use in running text)."""
    code = cell.strip()
    return Md(f"{escape(code)}^[{escape(code)} means {SHORTHAND_MEANING[code]}.]")


def number(value: float | int, decimals: int = 1) -> str:
    """A number with thousands separators and a fixed number of decimals."""
    if decimals == 0:
        return f"{round(value):,}"
    return f"{value:,.{decimals}f}"


def fmt(cell: object, unit: str = "", note: bool = True) -> Md:
    """A published cell as text: '12.3%', '1,234', '16.5'; shorthand passed through.

    `note=True` (running text) gives Markdown: shorthand escaped, with a footnote saying what
    it means. `note=False` gives plain text for table cells: `markdown_table` escapes them and
    `notes_for` explains the shorthand beside the table."""
    if is_shorthand(cell):
        return shorthand_note(str(cell)) if note else Md(str(cell).strip())
    value = to_number(cell)
    if value is None:
        return shorthand_note(NOT_AVAILABLE) if note else Md(NOT_AVAILABLE)
    unit = (unit or "").strip().lower()
    if unit in PERCENT_UNITS:
        return Md(f"{number(value, 1)}%")
    if unit in COUNT_UNITS:
        return Md(number(value, 0) if value == int(value) else number(value, 1))
    return Md(number(value, 1))


def fmt_change(cell: object, unit: str = "") -> Md:
    """A change between years: percentage points for rates, signed."""
    value = to_number(cell)
    if value is None:
        return fmt(cell, unit)
    size = number(abs(value), 1)
    if (unit or "").strip().lower() in PERCENT_UNITS:
        return Md(f"{size} percentage point{'' if size == '1.0' else 's'}")
    return Md(size)


def service_label(service: str, possessive: bool = True) -> str:
    labels = {"children": "children's services", "adults": "adults' services", "all": "both services"}
    short = {"children": "Children's", "adults": "Adults'", "all": "All"}
    return labels[service] if possessive else short[service]


def humanise(label: object) -> str:
    """'requires_improvement' -> 'Requires improvement'."""
    text = str(label).replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def hash_groups(digest: str) -> str:
    """A SHA-256 digest in four groups of 16 characters: still checkable, easier to read and
    never mistaken for a 64-character pseudonymised id."""
    digest = str(digest).strip()
    if not _HEX64.match(digest):
        return digest
    return " ".join(digest[i : i + 16] for i in range(0, 64, 16))


def notes_for(frame, columns=None) -> Md:
    """A note for under a table: what each shorthand symbol in it means ('' if none)."""
    import pandas as pd

    if frame is None or len(frame) == 0:
        return Md("")
    cells = frame[columns] if columns else frame
    values = set(pd.Series(cells.to_numpy().ravel()).astype(str).str.strip())
    used = [code for code in SHORTHAND if code in values]
    if not used:
        return Md("")
    parts = [f"{escape(code)} {SHORTHAND_MEANING[code]}" for code in used]
    return Md("Notes: " + "; ".join(parts) + ".")


def markdown_table(frame, align: dict | None = None) -> Md:
    """A pandas frame as a pipe table; every cell Markdown-escaped ([c] stays literal)."""
    if frame is None or len(frame) == 0:
        return Md("")
    shown = frame.astype(str).map(escape)
    shown.columns = [escape(c) for c in frame.columns]
    numeric = [
        c for c in frame.columns
        if frame[c].astype(str).map(lambda v: to_number(v) is not None or is_shorthand(v)
                                    or v.endswith("%")).all()
    ]  # fmt: skip
    colalign = [("right" if c in numeric else "left") for c in frame.columns]
    if align:
        colalign = [align.get(c, a) for c, a in zip(frame.columns, colalign, strict=True)]
    return Md(shown.to_markdown(index=False, colalign=colalign, disable_numparse=True))
