"""Determinism: two builds of the same inputs into fresh warehouses give byte-identical published
CSVs, ODS and snapshot contents, the same metrics.measures, a byte-identical report in every
format (HTML, DOCX, PDF) and the same provenance.json (the git commit is the same in both runs:
reliability_helpers pins it)."""

from __future__ import annotations

import difflib
import io
import json
import zipfile

import duckdb
import pandas as pd
import pytest
from reliability_helpers import small_build, table_checksums

REPORT = "psw-annual-report"
FORMATS = ("html", "docx", "pdf")


# An IPython start-up file for the report kernel of the second build: it makes the kernel send
# what a chunk prints in many small pieces, cut wherever the timing falls, as a loaded machine
# does (ipykernel flushes printed text on a timer; the default is every 0.2 s).
CHOPPY_KERNEL = """
import sys
for stream in (sys.stdout, sys.stderr):
    if hasattr(stream, "flush_interval"):
        stream.flush_interval = 0.0001
sys.setswitchinterval(1e-6)
"""


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    # The second build runs with another string-hash seed (nothing may depend on set order) and
    # a kernel that cuts printed text into pieces at other places (nothing may depend on that).
    ipython_dir = tmp_path_factory.mktemp("choppy_ipython")
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-choppy.py").write_text(CHOPPY_KERNEL, encoding="utf-8")
    formats = ",".join(FORMATS)
    return (small_build(tmp_path_factory, "twin_a", formats=formats),
            small_build(tmp_path_factory, "twin_b", formats=formats, PYTHONHASHSEED="1",
                        IPYTHONDIR=str(ipython_dir)))


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


def _what_differs(fmt: str, a: bytes, b: bytes) -> str:
    """A short account of how two report files differ, for the failure message."""
    if fmt == "html":
        lines = difflib.unified_diff(a.decode("utf-8").splitlines(),
                                     b.decode("utf-8").splitlines(), n=0, lineterm="")
        return "\n".join(line[:300] for line in list(lines)[:20])
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(a)) as left, zipfile.ZipFile(io.BytesIO(b)) as right:
            parts = {(i.filename, i.date_time, left.read(i)) for i in left.infolist()} ^ {
                (i.filename, i.date_time, right.read(i)) for i in right.infolist()}
            return "parts that differ (name, zip time): " + ", ".join(
                sorted({f"{name} {stamp}" for name, stamp, _ in parts}))
    first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                 min(len(a), len(b)))
    return f"sizes {len(a)} and {len(b)}; first difference at byte {first}: " + repr(
        a[max(0, first - 80):first + 80])


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_is_byte_identical(twins, fmt):
    a, b = ((t / "build" / "2025" / f"{REPORT}.{fmt}").read_bytes() for t in twins)
    assert a == b, f"the {fmt} report differs between identical builds:\n" + _what_differs(
        fmt, a, b)


def test_provenance_is_identical(twins):
    a, b = (json.loads((t / "build" / "2025" / "provenance.json").read_text()) for t in twins)
    assert a["git_commit"] == b["git_commit"] == "reliability-tests"
    # the Cabinet paper's formats, and the technical annex's ("annex_<format>")
    assert set(a["report_sha256"]) == set(FORMATS) | {f"annex_{f}" for f in FORMATS}
    assert a == b
