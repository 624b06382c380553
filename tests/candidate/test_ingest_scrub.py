"""Scrubbing free text: hand-written examples."""

from __future__ import annotations

import pandas as pd

from assets.candidate.scrub import scrub_text

STAFF = ["Ann", "Smith-Jones", "Ann Smith-Jones", "Priya", "Okafor"]


def _one(text: str, names=STAFF) -> str:
    return scrub_text(pd.Series([text], dtype="string"), names).iloc[0]


def test_patterns():
    assert _one("mail ann.sj@northfield.gov.uk now") == "mail [email] now"
    assert _one("ring 07700 900123 or 0121 496 0000") == "ring [phone] or [phone]"
    assert _one("ring +44 (0)20 7946 0958.") == "ring [phone]."
    assert _one("I live in B1 1AA and work in sw1a1aa") == "I live in [postcode] and work in [postcode]"
    assert _one("NI QQ 12 34 56 C, or AB123456C") == "NI QQ 12 34 56 C, or [ni]"  # QQ is not issued


def test_names_whole_word_case_insensitive():
    assert _one("ann smith-jones and PRIYA okafor helped") == "[name] and [name] helped"  # runs merge
    assert _one("Ann's team; Smith was off") == "[name] team; [name] was off"
    assert _one("Annual leave and Priyanka") == "Annual leave and Priyanka"  # no partial words


def test_numbers_and_dates_are_left_alone():
    text = "I hold 18 cases, worked 45 hours on 2025-03-31, team 3"
    assert _one(text) == text


def test_pattern_only_without_names_and_blanks_stay_blank():
    out = scrub_text(pd.Series(["Ann emailed a@b.co.uk", None], dtype="string"), [])
    assert out.iloc[0] == "Ann emailed [email]"
    assert pd.isna(out.iloc[1])
