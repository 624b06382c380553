"""The checks on pseudonymised frames (as the build runs them) find what they find on the raw
ids (as `psw validate` runs them): same rules, rows and columns; an id is shown as 32 hex."""

from __future__ import annotations

import pandas as pd
import pytest
from _checks_fixtures import BASE, PERIOD_START, REFERENCE, letters_for, typed_frame

from assets.candidate import cross_extract
from assets.candidate.contract import SPECS
from assets.candidate.gx_runner import check_frame
from assets.candidate.pseudonymise import (
    PSEUDONYM_DTYPE,
    pseudonym,
    pseudonym_hex,
    pseudonymise_column,
)

KEY = b"0123456789abcdef-test"
WITH_IDS = [e for e in BASE if SPECS[e].id_columns]


def _pseudonymised(extract: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column, kind in SPECS[extract].id_columns.items():
        out[column] = pseudonymise_column(frame[column], KEY, kind)
        assert out[column].dtype == PSEUDONYM_DTYPE
    return out


def _shown(extract: str, column: str | None, value: str | None) -> str | None:
    """What the pseudonymised path should show for a value the raw path showed."""
    kind = SPECS[extract].id_columns.get(column or "")
    return pseudonym_hex(pseudonym(KEY, kind, value)) if kind and value is not None else value


@pytest.mark.parametrize("extract", WITH_IDS)
def test_suites_on_pseudonyms_report_what_they_report_on_raw_ids(extract):
    # A duplicated row (the uniqueness rules) and a row with every id blank (not-null rules).
    blank = {**BASE[extract], **dict.fromkeys(SPECS[extract].id_columns)}
    frame = typed_frame(extract, [BASE[extract], BASE[extract], blank])
    letters = letters_for(frame)
    kwargs = dict(column_letters=letters, period_start=PERIOD_START, reference_date=REFERENCE)
    raw = check_frame(extract, frame, **kwargs).problems
    hashed = check_frame(extract, _pseudonymised(extract, frame), **kwargs).problems
    assert any(p.column in SPECS[extract].id_columns for p in raw)  # the id rules did fire
    assert [(p.rule, p.row, p.column, p.column_letter, p.value) for p in hashed] == [
        (p.rule, p.row, p.column, p.column_letter, _shown(extract, p.column, p.value))
        for p in raw]


def test_cross_extract_rules_on_pseudonyms_name_the_row_and_show_hex():
    hr = typed_frame("hr_workforce", [BASE["hr_workforce"]])
    learning = typed_frame("learning", [BASE["learning"], {**BASE["learning"], "worker_id": "W9"}])
    raw = cross_extract.check_frames({"hr_workforce": hr, "learning": learning})
    hashed = cross_extract.check_frames({"hr_workforce": _pseudonymised("hr_workforce", hr),
                                         "learning": _pseudonymised("learning", learning)})
    assert [(p.rule, p.row, p.value) for p in raw] == [("XEX-004", 3, "W9")]
    assert [(p.rule, p.row, p.value) for p in hashed] == [
        ("XEX-004", 3, pseudonym_hex(pseudonym(KEY, "worker", "W9")))]
