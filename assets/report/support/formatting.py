"""GSS-style number formatting for the report (docs/design.md §4 "Outputs and disclosure control").

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

# The same, shorter, for the note under a table (every table explains its own shorthand).
TABLE_NOTE = {
    CONFIDENTIAL: "suppressed to protect confidentiality (a very small number of people, cases "
    "or responses, or a figure that would reveal one)",
    NOT_AVAILABLE: "not available",
    NOT_APPLICABLE: "not applicable",
}

# Under every table with service columns (issue 15 item 5; docs/disclosure-control.md).
SERVICE_TOTALS_NOTE = (
    "both services counts each person once: a social worker who moved between children's and "
    "adults' services in the year (a leaver in one, a starter in the other) or works in both "
    "is in each service's figures but once in both services', so counts for the two "
    "services can add up to more than both services")
COMBINED_NOTE = (
    "a '(combined)' row or a wider band groups categories that would each hold too few "
    "people in a service to publish (and, where that was still too few, the next smallest "
    "category), so that they can be shown; [z] in a population's column means that group is "
    "counted in such a combined row there")

# Units as published (docs/published-tables.md) -> how a value is written.
PERCENT_UNITS = {"percent", "%"}
ONE_DP_UNITS = {"fte", "days per fte", "cases per fte", "hours per fte", "hours per week",
                "score", "score 0-100", "hours"}  # fmt: skip
COUNT_UNITS = {"count", "headcount", "people", "cases", "responses"}

_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_COUNT_AND_SHARE = re.compile(r"^[\d,]+(\.\d+)? \(\d+(\.\d+)?%\)$")  # '1,234 (56.7%)'

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
    never mistaken for a pseudonymised id (32 hex characters; 64 in the form before)."""
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
    parts = [f"{escape(code)} {TABLE_NOTE[code]}" for code in used]
    headers = " ".join(str(c) for c in frame.columns).lower()
    if "both services" in headers or ("children" in headers and "adults" in headers):
        parts.append(SERVICE_TOTALS_NOTE)
    every_cell = set(pd.Series(frame.to_numpy().ravel()).astype(str))
    if any("(combined)" in cell for cell in every_cell):
        parts.append(COMBINED_NOTE.replace(NOT_APPLICABLE, escape(NOT_APPLICABLE)))
    if not parts:
        return Md("")
    return Md(("Note: " if len(parts) == 1 else "Notes: ") + "; ".join(parts) + ".")


# Pandoc gives a pipe table relative column widths (from the dashes of its separator line)
# once any line of it is longer than 72 characters; shorter tables size their columns to fit.
_PANDOC_COLUMNS = 72
_WIDE_CELL = 28  # a wide column's share is capped here: long text wraps, short columns stay legible


def _column_weight(header: str, cells: list[str]) -> int:
    """A column's share of a wide table: at least its longest unbreakable word (a file name,
    a number), and its longest cell up to `_WIDE_CELL` characters."""
    words = [w for text in [header, *cells] for w in text.split()]
    longest_word = max((len(w) for w in words), default=1)
    header_width = len(header) if len(header) <= 14 else math.ceil(len(header) * 0.6)
    longest = max([header_width, *(len(c) for c in cells)])
    return max(longest_word, min(longest, _WIDE_CELL), 3)


def markdown_table(frame, align: dict | None = None) -> Md:
    """A pandas frame as a pipe table; every cell Markdown-escaped ([c] stays literal).

    Numeric columns (numbers, shorthand, percentages) are right-aligned. A table too wide for
    one line gets column widths that follow its content, so a file name or a number is never
    squeezed into a column narrower than itself (in the PDF it would overprint)."""
    if frame is None or len(frame) == 0:
        return Md("")

    def cell(value: object) -> str:
        return escape(" ".join(str(value).split())).replace("|", r"\|")

    headers = [cell(c) for c in frame.columns]
    body = [[cell(v) for v in row] for row in frame.astype(str).itertuples(index=False)]
    numeric = [
        frame[c].astype(str).map(lambda v: to_number(v) is not None or is_shorthand(v)
                                 or v.endswith("%") or bool(_COUNT_AND_SHARE.match(v))).all()
        for c in frame.columns
    ]  # fmt: skip
    colalign = ["right" if n else "left" for n in numeric]
    if align:
        colalign = [align.get(c, a) for c, a in zip(frame.columns, colalign, strict=True)]
    columns = list(zip(*body, strict=True)) if body else [[] for _ in headers]
    natural = [max([len(h), *(len(c) for c in col)]) for h, col in zip(headers, columns,
                                                                     strict=True)]
    if sum(natural) + 3 * len(natural) + 1 <= _PANDOC_COLUMNS:
        widths = natural  # fits on a line: pandoc sizes the columns itself
    else:
        widths = [_column_weight(h, list(col)) for h, col in zip(headers, columns, strict=True)]
        scale = max(1.0, (_PANDOC_COLUMNS + 8) / sum(widths))
        widths = [max(3, round(w * scale)) for w in widths]
    rule = [("-" * (w - 1) + ":") if a == "right" else (":" + "-" * (w - 1))
            for w, a in zip(widths, colalign, strict=True)]  # fmt: skip
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return Md("\n".join(lines))
