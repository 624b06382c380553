"""Personal data stays in: an output scanner over a full sample build (every year, every report
format) and over `psw validate --docs/--xlsx/--format json` of a faulty year.

It looks for the sample's identifiers (NFC-W-/C-/R-/A-/U- plus digits), staff full names (first
name + surname from the HR extracts), emails and birth dates from the inputs, free-text comments,
and the pseudonymisation key, in: every warehouse table (and the file's bytes), the published
snapshot and tables, the report (inside the DOCX and ODS zips, the PDF's text), Dagster's run
storage and logs (the whole DAGSTER_HOME tree), the psw logs and console output, and the
validation outputs. Every pseudonym in the warehouse (16 bytes) is looked for in every published
file in each of its forms (bytes, 32 hex, base64, DuckDB's text of a BLOB), inside zips, PDF
streams and DuckDB files too. Then disclosure control is re-checked end to end.
"""

from __future__ import annotations

import base64
import hmac
import io
import re
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from reliability_helpers import (
    ROOT,
    SAMPLE,
    TEST_KEY,
    copy_sample,
    pseudonym_leaks,
    run_psw,
    tree_text,
    warehouse_pseudonyms,
    warehouse_strings,
)

from assets.candidate.pseudonymise import pseudonym, pseudonym_hex
from assets.candidate.readers import decode_text
from assets.candidate.scrub import scrub_text
from psw_core.config import load_config

RAW_ID = re.compile(r"NFC-[WCRAU]-\d+")
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
YEARS = (2023, 2024, 2025)


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Path:
    """A full sample build keyed with TEST_KEY, plus validate outputs of a faulty 2025."""
    tmp = tmp_path_factory.mktemp("privacy")
    raw = copy_sample(tmp, YEARS)
    done = run_psw(["build", "--raw", str(raw), "--out", str(tmp / "build")], tmp, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp / "logs").mkdir(exist_ok=True)
    (tmp / "logs" / "build-console.txt").write_text(done.stdout + done.stderr, encoding="utf-8")

    faulty = copy_sample(tmp / "faulty", (2025,)) / "2025"
    hr = (faulty / "hr_workforce.csv").read_text(encoding="utf-8").splitlines()
    header = hr[0].split(",")
    birth = header.index("person_birth_date")
    for i in (1, 2, 3):
        cells = hr[i].split(",")
        cells[birth] = "31/02/1980"  # an invalid birth date: its row reaches the workbook
        cells[header.index("fte")] = "NaN"
        hr[i] = ",".join(cells)
    (faulty / "hr_workforce.csv").write_text("\n".join(hr) + "\n", encoding="utf-8")
    cases = (faulty / "caseload.csv").read_text(encoding="utf-8").splitlines()
    cases[1] = re.sub(r"NFC-W-\d+", "NFC-W-999999", cases[1], count=1)  # unknown worker
    (faulty / "caseload.csv").write_text("\n".join(cases) + "\n", encoding="utf-8")
    checked = run_psw(["validate", str(faulty), "--docs", str(tmp / "validate" / "docs"),
                       "--xlsx", str(tmp / "validate" / "errors.xlsx"), "--format", "json"],
                      tmp, timeout=180)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    (tmp / "validate" / "validate.json").write_text(checked.stdout, encoding="utf-8")
    return tmp


@pytest.fixture(scope="module")
def secrets_() -> dict[str, set[str]]:
    """What must never be persisted, gathered from the sample's inputs."""
    found: dict[str, set[str]] = {"id": set(), "name": set(), "email": set(), "birth": set(),
                                  "comment": set(), "scrubbed_away": set()}
    other_dates: set[str] = set()
    for year in YEARS:
        for path in sorted((SAMPLE / str(year)).glob("*.csv")):
            text = decode_text(path.read_bytes(), path.name)  # the sample has cp1252 files
            found["id"] |= set(RAW_ID.findall(text))
            found["email"] |= set(EMAIL.findall(text))
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            if {"first_name", "surname"} <= set(frame.columns):
                full_names = frame["first_name"].str.strip() + " " + frame["surname"].str.strip()
                found["name"] |= {n for n in full_names if n.strip()}
            if "person_birth_date" in frame:
                found["birth"] |= {v for v in frame["person_birth_date"] if v}
            for column in frame.columns:
                if column.endswith("_date") and column != "person_birth_date":
                    other_dates |= set(frame[column])
            if "comments" in frame:
                comments = frame["comments"][frame["comments"].str.len() >= 25]
                found["comment"] |= set(comments)
                scrubbed = scrub_text(comments.astype("string"), found["name"] | {
                    part for n in found["name"] for part in n.split()})
                found["scrubbed_away"] |= {c for c, s in zip(comments, scrubbed, strict=True)
                                           if c != s}
    found["birth"] -= other_dates  # a date that is also a start date proves nothing
    assert found["id"] and found["name"] and found["birth"] and found["comment"]
    return found


def _leaks(texts: dict[str, str], needles: set[str], kind: str) -> list[str]:
    """Where any needle occurs, found in one pass per text (one regex alternation)."""
    if not needles:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)))
    out = []
    for where, text in texts.items():
        hits = sorted({m.group(0) for m in pattern.finditer(text)})
        if hits:
            out.append(f"{kind} in {where}: {hits[:3]}{' ...' if len(hits) > 3 else ''}")
    return out


def _persisted(full: Path) -> dict[str, str]:
    """Every persisted output except the warehouse: build tree, Dagster home, logs, validate."""
    texts: dict[str, str] = {}
    for folder in ("build", "dagster_home", "logs", "validate"):
        texts.update(tree_text(full / folder))
    return texts


def test_raw_identifiers_names_emails_and_birth_dates_never_persist(full, secrets_):
    texts = _persisted(full)
    texts["warehouse (every text value)"] = warehouse_strings(full / "warehouse.duckdb")
    texts["warehouse (file bytes)"] = (full / "warehouse.duckdb").read_bytes().decode("latin-1")
    assert any(p.endswith(".pdf") for p in texts) and any(p.endswith(".docx") for p in texts)
    assert any("dagster_home" in p and p.endswith((".db", ".sqlite")) for p in texts), (
        "Dagster's run storage was not found to scan")
    leaks = []
    for where, text in texts.items():  # any raw id, listed in the inputs or not
        hits = sorted(set(RAW_ID.findall(text)))
        if hits:
            leaks.append(f"id in {where}: {hits[:3]}")
    for kind in ("name", "email", "birth"):
        leaks += _leaks(texts, secrets_[kind], kind)
    assert leaks == [], "\n".join(leaks)


def test_free_text_comments_never_leave_the_warehouse_and_reach_it_scrubbed(full, secrets_):
    leaks = _leaks(_persisted(full), secrets_["comment"], "comment")
    assert leaks == [], "\n".join(leaks)
    warehouse = warehouse_strings(full / "warehouse.duckdb")
    assert secrets_["scrubbed_away"], "the sample has comments with personal details to scrub"
    assert _leaks({"warehouse": warehouse}, secrets_["scrubbed_away"], "unscrubbed comment") == []


def test_the_key_never_appears_anywhere(full):
    texts = _persisted(full)
    texts["warehouse (every text value)"] = warehouse_strings(full / "warehouse.duckdb")
    texts["warehouse (file bytes)"] = (full / "warehouse.duckdb").read_bytes().decode("latin-1")
    leaks = _leaks(texts, {TEST_KEY, TEST_KEY.encode().hex()}, "key")
    assert leaks == [], "\n".join(leaks)


def test_ids_in_the_warehouse_are_hmac_sha256_of_the_env_key(full, secrets_):
    import duckdb

    con = duckdb.connect(str(full / "warehouse.duckdb"), read_only=True)
    try:
        ids = {r[0] for r in con.execute(
            "SELECT DISTINCT worker_id FROM raw.hr_workforce").fetchall()}
    finally:
        con.close()
    workers = {i for i in secrets_["id"] if i.startswith("NFC-W-")}
    expected = {hmac.new(TEST_KEY.encode(), f"worker:{w}".encode(), "sha256").digest()[:16]
                for w in workers}
    assert ids and ids <= expected, "worker ids are not HMAC-SHA256(key, 'worker:<id>')[:16]"
    assert all(isinstance(i, bytes) and len(i) == 16 for i in ids)


def test_no_pseudonym_reaches_a_published_file(full):
    pseudonyms = warehouse_pseudonyms(full / "warehouse.duckdb")
    assert len(pseudonyms) > 100, "the warehouse's pseudonyms were not found to look for"
    leaks = pseudonym_leaks(full / "build", pseudonyms) + pseudonym_leaks(full / "validate",
                                                                         pseudonyms)
    assert leaks == [], "\n".join(leaks)


def test_no_birth_date_or_direct_identifier_column_reaches_duckdb(full):
    import duckdb

    con = duckdb.connect(str(full / "warehouse.duckdb"), read_only=True)
    try:
        columns = {r[0] for r in con.execute(
            "SELECT DISTINCT column_name FROM information_schema.columns").fetchall()}
    finally:
        con.close()
    forbidden = {"person_birth_date", "first_name", "surname", "name", "email", "ni_number",
                 "swe_no", "address", "postcode"}
    assert columns & forbidden == set()


def test_no_published_count_is_between_1_and_the_threshold(full):
    threshold = load_config(ROOT / "data" / "authority.yml").suppression_threshold
    bad = []
    for year in YEARS:
        for path in sorted((full / "build" / str(year) / "tables").glob("*.csv")):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
            count_columns = [c for c in frame.columns if c in ("count", "headcount", "responses",
                                                               "respondents", "leavers",
                                                               "starters")]
            for column in count_columns:
                values = pd.to_numeric(frame[column], errors="coerce")
                small = frame[(values >= 1) & (values <= threshold)]
                bad += [f"{path.name} row {i + 2}: {column}={frame.loc[i, column]}"
                        for i in small.index]
            if {"unit", "value"} <= set(frame.columns):
                counts = frame[frame["unit"].isin(["count", "headcount"])]
                values = pd.to_numeric(counts["value"], errors="coerce")
                bad += [f"{path.name} row {i + 2}: {frame.loc[i, 'measure'] if 'measure' in frame else ''}="
                        f"{frame.loc[i, 'value']}"
                        for i in counts[(values >= 1) & (values <= threshold)].index]
    assert bad == [], "\n".join(bad[:20])


def test_the_scanner_finds_a_planted_leak(secrets_):
    """The scanner is not vacuous: a planted name, birth date and comment are all found."""
    name, birth, comment = (sorted(secrets_[k])[0] for k in ("name", "birth", "comment"))
    texts = {"planted": f"<p>{name}</p> born {birth}; said: {comment}", "clean": "nothing"}
    assert len(_leaks(texts, secrets_["name"], "name")) == 1
    assert len(_leaks(texts, secrets_["birth"], "birth")) == 1
    assert len(_leaks(texts, secrets_["comment"], "comment")) == 1


def _pdf(content: bytes) -> bytes:
    """A one-page PDF whose page content is one Flate-compressed stream."""
    stream = zlib.compress(content)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 200] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)


def test_the_pseudonym_scanner_finds_a_planted_pseudonym(tmp_path):
    """The scanner is not vacuous: a real pseudonym planted in a published output, as bytes or
    as text, is found in each format, compressed or not; a clean output is not reported."""
    import duckdb

    planted = pseudonym(TEST_KEY.encode(), "worker", "NFC-W-100001")
    other = pseudonym(TEST_KEY.encode(), "worker", "NFC-W-100002")
    as_hex = pseudonym_hex(planted)
    files = {
        "table.csv": f"measure,note\nturnover,{as_hex}\n".encode(),
        "paper.html": f"<p>Worker {as_hex.upper()}</p>".encode(),
        "b64.json": b'{"id": "' + base64.b64encode(planted) + b'"}',
        "raw.bin": b"\x00header" + planted + b"trailer",
        "paper.pdf": _pdf(b"BT /F1 12 Tf 10 100 Td (" + as_hex.encode() + b") Tj ET"),
        "bytes.pdf": _pdf(b"% " + planted),
    }
    for name, member in (("paper.docx", "word/document.xml"), ("tables.ods", "content.xml")):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(member, b"<t>" + planted + b"</t>" if name.endswith(".docx")
                        else f"<t>{as_hex}</t>".encode())
        files[name] = buffer.getvalue()
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    con = duckdb.connect(str(tmp_path / "published.duckdb"))
    con.execute("create table t as select ?::blob as note, 'clean' as label", [planted])
    con.close()
    (tmp_path / "clean.csv").write_text(f"measure,value\nturnover,{pseudonym_hex(other)[:31]}\n")
    assert b"NFC-W" not in files["raw.bin"] and planted not in files["paper.docx"]  # compressed

    leaks = pseudonym_leaks(tmp_path, {planted, other})
    found = sorted(line.split(":")[0].rsplit("/", 1)[1] for line in leaks)
    assert found == sorted([*files, "published.duckdb"])
    assert all(as_hex in line and pseudonym_hex(other) not in line for line in leaks)
