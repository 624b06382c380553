"""--faults plants the documented errors, and faults.json points at each one exactly."""

from __future__ import annotations

import csv
import io
import json

import pytest

from psw_synth import generate
from psw_synth.generator import FILE_FORMAT

RULES = {"HR-001", "HR-002", "HR-003", "HR-005", "HR-007", "LRN-003", "HCR-004", "XEX-001",
         "PARSE-DATE", "AUD-002"}
SEED = 11


def records(path) -> list[list[str]]:
    """Spreadsheet rows: records[0] is row 1 (the header); a quoted multi-line field is one row."""
    encoding = FILE_FORMAT[path.stem][0]
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    root = tmp_path_factory.mktemp("synth")
    generate(root / "clean", [2025], SEED, scale=0.5)
    generate(root / "faulty", [2025], SEED, scale=0.5, faults=True)
    return root, json.loads((root / "faulty" / "faults.json").read_text(encoding="utf-8"))


def test_every_rule_is_planted_once(planted):
    _, faults = planted
    assert sorted(f["rule"] for f in faults) == sorted(RULES)
    assert all(set(f) == {"file", "row", "column", "value", "rule"} for f in faults)


def test_each_entry_points_at_the_cell_that_was_changed(planted):
    root, faults = planted
    for fault in faults:
        faulty = records(root / "faulty" / fault["file"])
        clean = records(root / "clean" / fault["file"])
        column = faulty[0].index(fault["column"])
        row = faulty[fault["row"] - 1]  # spreadsheet row n is record n - 1
        assert row[column] == fault["value"], fault
        assert clean[fault["row"] - 1][column] != fault["value"], fault


def test_nothing_else_changed(planted):
    root, faults = planted
    changed = {(f["file"], f["row"], f["column"]) for f in faults}
    for path in (root / "clean" / "2025").glob("*.csv"):
        name = f"2025/{path.name}"
        clean, faulty = records(path), records(root / "faulty" / name)
        assert len(clean) == len(faulty)
        header = clean[0]
        diffs = {
            (name, i + 1, header[j])
            for i, (a, b) in enumerate(zip(clean, faulty, strict=True))
            for j in range(len(header)) if a[j] != b[j]
        }
        assert diffs == {c for c in changed if c[0] == name}


def test_faults_break_their_rules(planted):
    root, faults = planted
    by_rule = {f["rule"]: f for f in faults}
    hr = records(root / "faulty" / "2025" / "hr_workforce.csv")
    header = hr[0]
    col = {name: header.index(name) for name in header}
    row = hr[by_rule["HR-005"]["row"] - 1]
    assert row[col["role_end_date"]] < row[col["role_start_date"]]  # ISO dates sort as text
    row = hr[by_rule["HR-007"]["row"] - 1]
    assert row[col["role_end_date"]] and not row[col["reason_leave"]]
    assert "2025-09-30" >= row[col["role_end_date"]] >= "2024-10-01"
    workers = {r[col["worker_id"]] for r in hr[1:]}
    assert by_rule["XEX-001"]["value"] not in workers
    assert float(by_rule["HR-003"]["value"]) > 1
    assert float(by_rule["LRN-003"]["value"]) > 200
    assert by_rule["PARSE-DATE"]["value"] == "31/02/2025"
