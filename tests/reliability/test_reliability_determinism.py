"""Determinism: two builds of the same inputs into fresh warehouses give byte-identical published
CSVs, ODS and snapshot contents, the same metrics.measures, and an HTML report that differs at
most in a timestamp (the git commit is the same in both runs: reliability_helpers pins it)."""

from __future__ import annotations

import difflib
import json
import re

import duckdb
import pandas as pd
import pytest
from reliability_helpers import small_build, table_checksums

TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?|\d{1,2}:\d{2}(:\d{2})?")


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    return small_build(tmp_path_factory, "small_a"), small_build(tmp_path_factory, "small_a2")


def _files(root, pattern):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.glob(pattern))}


def test_published_tables_and_workbook_are_byte_identical(twins):
    a, b = (t / "build" / "2025" for t in twins)
    left, right = _files(a, "tables/*"), _files(b, "tables/*")
    assert set(left) == set(right) and any(k.endswith(".ods") for k in left)
    different = sorted(k for k in left if left[k] != right[k])
    assert different == [], f"published files differ between identical builds: {different}"


def test_published_snapshot_has_identical_contents(twins):
    def contents(root):
        con = duckdb.connect(str(root / "build" / "2025" / "published.duckdb"), read_only=True)
        try:
            names = [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
            return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY ALL').df() for n in names}
        finally:
            con.close()

    left, right = contents(twins[0]), contents(twins[1])
    assert set(left) == set(right) and left
    for name in left:
        pd.testing.assert_frame_equal(left[name], right[name], check_exact=True, obj=name)


def test_metrics_are_identical_to_nine_decimal_places(twins):
    left, right = (table_checksums(t / "warehouse.duckdb") for t in twins)
    assert left == right


def test_metrics_and_internal_headline_file_are_bit_identical(twins):
    left, right = (table_checksums(t / "warehouse.duckdb", digits=None) for t in twins)
    assert left == right
    a, b = ((t / "build" / "2025" / "internal" / "headline_measures.csv").read_bytes()
            for t in twins)
    assert a == b


def test_html_report_differs_at_most_in_a_timestamp(twins):
    a, b = ((t / "build" / "2025" / "psw-annual-report.html").read_text(encoding="utf-8")
            for t in twins)
    if a == b:
        return
    changed = [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), n=0,
                                                     lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    unexplained = [line for line in changed if not TIMESTAMP.search(line)]
    assert unexplained == [], "\n".join(unexplained[:20])
    assert len(changed) <= 4, "more than a provenance timestamp changed:\n" + "\n".join(changed)


def test_provenance_is_identical_apart_from_report_digests(twins):
    a, b = (json.loads((t / "build" / "2025" / "provenance.json").read_text()) for t in twins)
    assert a["git_commit"] == b["git_commit"] == "reliability-tests"
    assert {k: v for k, v in a.items() if k != "report_sha256"} == {
        k: v for k, v in b.items() if k != "report_sha256"}
