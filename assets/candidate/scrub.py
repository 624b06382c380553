"""Scrub free-text comments of personal details (docs/design.md §2 "Free-text comments").

One compiled regex alternation finds, in this order of preference: emails, NI numbers, UK
postcodes, UK phone numbers, and word tokens. A word token is replaced when it is a staff first
name or surname (whole word, case-insensitive), so full names are covered token by token and
the pattern stays the same size however many staff there are. Adjacent name markers merge.

Over-redaction is the safe failure: a surname such as "Hope" or a first name such as "May" is
removed wherever it appears as a word. Comments are never shown unless an author reviews them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

MARKERS = {"email": "[email]", "ni": "[ni]", "postcode": "[postcode]", "phone": "[phone]",
           "name": "[name]"}

_PATTERN = re.compile(
    r"(?P<email>[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    # NI number: two prefix letters (not D, F, I, Q, U, V; second not O), six digits, A-D
    r"|(?P<ni>\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z](?:\s?\d{2}){3}\s?[A-D]\b)"
    r"|(?P<postcode>\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b)"
    # UK phone: +44 or 0, then 9-10 more digits with optional spaces, hyphens or brackets
    r"|(?P<phone>(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s\-)]{7,14}\d(?!\d))"
    r"|(?P<word>[^\W\d_](?:[\w'’-]*\w)?)",
    re.IGNORECASE,
)
_NAME_RUN = re.compile(r"\[name\](?:[ \t]+\[name\])+")
_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")


def name_tokens(staff_names: Iterable[str]) -> frozenset[str]:
    """Lower-cased name tokens: each whole name part and, for hyphenated ones, each piece."""
    tokens: set[str] = set()
    for name in staff_names:
        for token in _TOKEN.findall(str(name).lower()):
            tokens.add(token)
            tokens.update(p for p in re.split(r"[-'’]", token) if len(p) > 1)
    return frozenset(t for t in tokens if len(t) > 1)


def _is_phone(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    digits = digits[2:] if text.lstrip().startswith("+44") else digits
    return 10 <= len(digits.lstrip("0")) + 1 <= 11


def scrub_text(series: pd.Series, staff_names: Iterable[str] = ()) -> pd.Series:
    """The comments with emails, phones, postcodes, NI numbers and staff names replaced by
    markers such as `[email]` and `[name]`. Blank values stay blank. Pattern-only when
    `staff_names` is empty (CSWW input has no names)."""
    names = name_tokens(staff_names)

    def replace(match: re.Match) -> str:
        kind = match.lastgroup
        text = match.group(0)
        if kind == "word":
            bare = re.sub(r"['’]s$", "", text.lower())  # possessive: "Smith's"
            return MARKERS["name"] if text.lower() in names or bare in names else text
        if kind == "phone" and not _is_phone(text):
            return text
        return MARKERS[kind]

    text = series.astype("string")
    scrubbed = text.str.replace(_PATTERN, replace, regex=True)
    return scrubbed.str.replace(_NAME_RUN, MARKERS["name"], regex=True)
