"""The two-pass GX run (pass or fail first, COMPLETE for the failures only) lists exactly the
problems one COMPLETE pass over every expectation did: rows, columns, values, counts, order
and caps, on frames where most rules fail."""

from __future__ import annotations

import random

import pytest
from _checks_fixtures import BASE, PERIOD_START, REFERENCE, letters_for, typed_frame

from assets.candidate import gx_runner
from assets.candidate.contract import SPECS

BAD = {  # values that break range, set, null and period rules for each column type
    "text": [None, "", "zzz", "Children"], "code": [None, "zz", "99", "X"],
    "int": [None, -3, 0, 7, 99, 100000], "decimal": [None, -1.5, 0.0, 1.5, 250.0, 1e7],
    "date": [None, "1899-12-31", "2024-09-30", "2025-10-01", "2031-01-01"],
}


def _one_complete_pass(batch, suite_json, params, extract):
    """The runner before the two passes: one COMPLETE validation of the whole suite."""
    results = gx_runner._validated(batch, suite_json, params, gx_runner.COMPLETE, extract)
    return [r for r in results if not r.success]


def _hostile(extract: str, seed: int, rows: int = 60):
    rng = random.Random(seed)
    spec = SPECS[extract]
    out = []
    for _ in range(rows):
        row = dict(BASE[extract])
        for col in spec.columns:
            if rng.random() < 0.35:
                row[col.name] = rng.choice(BAD[col.type])
        for key in [k for k in row if k.endswith("_id")]:
            if rng.random() < 0.8:
                row[key] = f"{key[0].upper()}{rng.randrange(rows // 3)}" if row[key] else row[key]
        if extract == "health_check_responses":
            row["Q1"] = rng.choice([None, 0, 1, 5, 6, 9])
            row["Q9"] = rng.choice([None, 3, 7])  # an item the codebook does not know
        out.append(row)
    frame = typed_frame(extract, out)
    frame["_row"] = [2 + 2 * i for i in range(rows)]  # blank lines skipped: rows are not 2..n
    return frame


@pytest.mark.parametrize("extract", gx_runner.EXTRACTS)
@pytest.mark.parametrize("seed", [1, 2])
def test_two_passes_list_what_one_complete_pass_did(extract, seed, monkeypatch):
    frame = _hostile(extract, seed)
    letters = letters_for(frame, drop=(SPECS[extract].columns[-1].name,))  # one column absent
    kwargs = dict(file_name=f"{extract}.csv", column_letters=letters, period_start=PERIOD_START,
                  reference_date=REFERENCE, codebook_items={"Q1"}, cap=7)
    new = gx_runner.check_frame(extract, frame, **kwargs)
    monkeypatch.setattr(gx_runner, "_failing_results", _one_complete_pass)
    old = gx_runner.check_frame(extract, frame, **kwargs)
    assert new.problems == old.problems
    assert new.unexpected_counts == old.unexpected_counts
    assert new.evaluated == old.evaluated
    assert len(old.unexpected_counts) >= 2  # the frame does break several rules


def test_gx_order_groups_by_column_in_first_appearance():
    exps = [{"type": t, "kwargs": k} for t, k in (
        ("a", {"column": "x"}), ("b", {}), ("c", {"column": "y"}), ("d", {"column": "x"}),
        ("e", {"column_list": ["x"]}))]
    assert [e["type"] for e in gx_runner._gx_order(exps)] == ["a", "d", "b", "e", "c"]
