"""Shared helpers for tests/reliability: run the real CLI in subprocesses (bounded in time), with
a temporary DAGSTER_HOME, warehouse and log folder, the way tests/pipeline/conftest.py does;
copy small samples; checksum warehouse tables; extract the text of every output format."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import duckdb
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
PSW = str(Path(sys.executable).with_name("psw"))
SAMPLE = ROOT / "data" / "raw"
# A distinctive key: a privacy test greps every output for it (and for its hex form).
TEST_KEY = "reliability-KEY-7f3a9c21-never-in-any-output"
BUILD_TIMEOUT = 300  # seconds; one small build takes about 15 s, the full sample about 45 s
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^\s+File \".*\", line \d+", re.M)


def psw_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a psw subprocess: everything it writes stays under `tmp`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PSW_", "DAGSTER_HOME"))}
    env.update({
        "DAGSTER_HOME": str(tmp / "dagster_home"),
        "PSW_WAREHOUSE": str(tmp / "warehouse.duckdb"),
        "PSW_LOG_DIR": str(tmp / "logs"),
        "PSW_PSEUDONYMISATION_KEY": TEST_KEY,
        "GX_ANALYTICS_ENABLED": "false",
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "PYTHONHASHSEED": "0",
        # One commit for every build of the session, so that a commit made by someone else
        # while the tests run cannot make two builds differ.
        "PSW_GIT_COMMIT": "reliability-tests",
    })
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def run_psw(args: list[str], tmp: Path, timeout: int = BUILD_TIMEOUT,
            **extra: str) -> subprocess.CompletedProcess:
    """Run psw to completion; a hang fails the test through TimeoutExpired."""
    return subprocess.run([PSW, *args], cwd=ROOT, env=psw_env(tmp, **extra), capture_output=True,
                          text=True, timeout=timeout)


def start_psw(args: list[str], tmp: Path, log_name: str, **extra: str) -> subprocess.Popen:
    """Start psw in its own process group (so it and its Jupyter kernel can be killed
    together), writing stdout+stderr to tmp/<log_name>."""
    log = open(tmp / log_name, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller
    proc = subprocess.Popen([PSW, *args], cwd=ROOT, env=psw_env(tmp, **extra), stdout=log,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    proc.log_file = log  # type: ignore[attr-defined]
    return proc


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group that start_psw created (only processes this test started)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=30)
    proc.log_file.close()  # type: ignore[attr-defined]


def finish(proc: subprocess.Popen, timeout: int = BUILD_TIMEOUT) -> int:
    """Wait for a started psw; kill it (and fail) if it hangs."""
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise AssertionError(f"psw did not finish within {timeout} s") from None
    proc.log_file.close()  # type: ignore[attr-defined]
    return code


def wait_for(path: Path, proc: subprocess.Popen, timeout: float) -> bool:
    """True once `path` exists; False if the process ended first or time ran out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return True
        if proc.poll() is not None:
            return path.exists()
        time.sleep(0.1)
    return False


def assert_no_traceback(*texts: str) -> None:
    for text in texts:
        assert not TRACEBACK.search(text or ""), f"a Python traceback reached the user:\n{text}"


# ------------------------------------------------------------------------------ sample data


def copy_sample(dest: Path, years: tuple[int, ...] = (2025,)) -> Path:
    """A copy of the committed sample's year folders under dest/raw; returns dest/raw."""
    raw = dest / "raw"
    for year in years:
        shutil.copytree(SAMPLE / str(year), raw / str(year))
    return raw


def tree_sha256(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_state(src: Path, dest: Path) -> None:
    """Copy a finished build's state (warehouse, build/, DAGSTER_HOME) to start from it."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
        if (src / name).exists():
            shutil.copy2(src / name, dest / name)
    for name in ("build", "dagster_home"):
        if (src / name).exists():
            shutil.copytree(src / name, dest / name, symlinks=True)


# ------------------------------------------------------------------------------ warehouse


def table_checksums(db: Path, schemas: tuple[str, ...] = ("raw", "metrics"),
                    digits: int | None = 9) -> dict[str, tuple[int, int]]:
    """count(*) and sum(hash(row::VARCHAR)) per table of the schemas, opened read-only.

    DOUBLE columns are rounded to `digits` decimal places first (None: not at all), because
    DuckDB's parallel sums of doubles are not bit-for-bit reproducible (see
    test_reliability_determinism)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema IN (SELECT unnest(?)) AND table_type = 'BASE TABLE' "
            "ORDER BY 1, 2", [list(schemas)]).fetchall()
        out = {}
        for schema, name in names:
            columns = con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
                [schema, name]).fetchall()
            select = ", ".join(
                f'round("{c}", {digits}) AS "{c}"' if digits is not None and kind in (
                    "DOUBLE", "FLOAT") else f'"{c}"' for c, kind in columns)
            count, total = con.execute(
                f'SELECT count(*), coalesce(sum(hash(t::VARCHAR)), 0)::VARCHAR '
                f'FROM (SELECT {select} FROM "{schema}"."{name}") AS t').fetchall()[0]
            out[f"{schema}.{name}"] = (int(count), int(total))
        return out
    finally:
        con.close()


def warehouse_strings(db: Path) -> str:
    """Every text value of every table in a DuckDB file, one per line (read-only)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = con.execute(
            "SELECT table_catalog, table_schema, table_name, column_name FROM "
            "information_schema.columns WHERE data_type IN ('VARCHAR', 'JSON') "
            "AND table_catalog = current_database()").fetchall()
        parts = []
        for _, schema, name, column in cols:
            rows = con.execute(
                f'SELECT DISTINCT "{column}" FROM "{schema}"."{name}" '
                f'WHERE "{column}" IS NOT NULL').fetchall()
            parts += [str(r[0]) for r in rows]
        names = con.execute("SELECT table_schema || '.' || table_name || '.' || column_name "
                            "FROM information_schema.columns").fetchall()
        parts += [r[0] for r in names]
        return "\n".join(parts)
    finally:
        con.close()


# ---------------------------------------------------------------------------- output text


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return "\n".join(zf.read(i).decode("utf-8", "replace") for i in zf.infolist())


def file_text(path: Path) -> str:
    """The text a person or a program could read out of an output file, whatever its format."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return pdf_text(path) + "\n" + data.decode("latin-1")
    if data.startswith(b"PK\x03\x04"):
        return zip_text(data)
    if suffix == ".duckdb" and data[:64].find(b"DUCK") >= 0:
        try:
            return warehouse_strings(path) + "\n" + data.decode("latin-1")
        except duckdb.Error:
            pass
    return data.decode("utf-8", "replace") + "\n" + data.decode("latin-1")


def tree_text(folder: Path) -> dict[str, str]:
    return {str(p): file_text(p) for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ pseudonyms in outputs


def warehouse_pseudonyms(db: Path) -> set[bytes]:
    """Every pseudonym in a warehouse: the distinct values of its BLOB columns (read-only)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = con.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE data_type = 'BLOB' AND table_catalog = current_database()").fetchall()
        found: set[bytes] = set()
        for schema, name, column in cols:
            found |= {bytes(r[0]) for r in con.execute(
                f'SELECT DISTINCT "{column}" FROM "{schema}"."{name}" '
                f'WHERE octet_length("{column}") = 16').fetchall()}
        return found
    finally:
        con.close()


def pseudonym_forms(pseudonyms: set[bytes]) -> dict[bytes, bytes]:
    """Every form a 16-byte pseudonym could take in a file -> the pseudonym: its bytes, 32 hex
    (either case), base64 and URL-safe base64 (the 22 characters before any padding) and
    DuckDB's text of the BLOB (printable ASCII as it is, quotes, backslash and the rest as
    \\xAB)."""
    forms: dict[bytes, bytes] = {}
    for p in pseudonyms:
        text = "".join(chr(b) if 32 <= b < 127 and b not in b"\"'\\" else f"\\x{b:02X}"
                       for b in p)
        for form in (p, p.hex().encode(), p.hex().upper().encode(), base64.b64encode(p)[:22],
                     base64.urlsafe_b64encode(p)[:22], text.encode()):
            forms[form] = p
    return forms


class Needles:
    """Byte strings (each at least 8 bytes long) to look for, indexed by their first 8 bytes."""

    def __init__(self, needles: set[bytes]):
        self.by_head: dict[bytes, list[bytes]] = {}
        for needle in needles:
            self.by_head.setdefault(needle[:8], []).append(needle)
        self.heads = np.sort(np.frombuffer(b"".join(self.by_head), dtype="<u8"))

    def found_in(self, data: bytes) -> set[bytes]:
        """The needles that occur in `data`, vectorised: every 8-byte word at each of the 8
        alignments is looked up among the sorted heads (a binary search in numpy), and only
        the hits are compared in full. Thousands of needles over megabytes take a second."""
        found: set[bytes] = set()
        if not len(self.heads):
            return found
        for k in range(8):
            words = (len(data) - k) // 8
            if words <= 0:
                continue
            at = np.frombuffer(data, dtype="<u8", count=words, offset=k)
            pos = np.minimum(np.searchsorted(self.heads, at), len(self.heads) - 1)
            for i in np.flatnonzero(self.heads[pos] == at).tolist():
                start = k + 8 * i
                found |= {n for n in self.by_head[data[start:start + 8]]
                          if data.startswith(n, start)}
        return found


def file_layers(path: Path) -> list[bytes]:
    """A file's bytes and what it holds decompressed or decoded: every member of a zip (DOCX,
    ODS, XLSX), every Flate stream of a PDF and its text, every value of a DuckDB file."""
    data = path.read_bytes()
    layers = [data]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            layers += [zf.read(i) for i in zf.infolist()]
    elif data.startswith(b"%PDF"):
        for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
            try:
                layers.append(zlib.decompress(match.group(1)))
            except zlib.error:
                pass
        layers.append(pdf_text(path).encode())
    elif path.suffix.lower() == ".duckdb" and data[:64].find(b"DUCK") >= 0:
        con = duckdb.connect(str(path), read_only=True)
        try:
            for schema, name in con.execute(
                    "SELECT schema_name, table_name FROM duckdb_tables()").fetchall():
                rows = con.execute(f'SELECT * FROM "{schema}"."{name}"').fetchall()
                layers += [v if isinstance(v, bytes) else str(v).encode()
                           for row in rows for v in row if v is not None]
        finally:
            con.close()
    return layers


def pseudonym_leaks(folder: Path, pseudonyms: set[bytes]) -> list[str]:
    """Where any pseudonym, in any of its forms, occurs in any file under `folder`."""
    forms = pseudonym_forms(pseudonyms)
    needles = Needles(set(forms))
    out = []
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        # One scan per file: its layers joined by a separator no form contains.
        hits = needles.found_in(b"\n\0\n".join(file_layers(path)))
        if hits:
            out.append(f"pseudonym in {path}: {sorted(forms[h].hex() for h in hits)[:3]}")
    return out


# ------------------------------------------------------------------- shared, cached builds

_BUILDS: dict[str, Path] = {}


def small_build(factory, name: str = "small_a", formats: str = "html", **extra: str) -> Path:
    """A finished `psw build` of a copy of the sample's 2025 only, report in `formats` (HTML
    unless told), fresh warehouse: tmp/{raw, build, warehouse.duckdb, dagster_home, logs}.
    Cached for the session by name (give a build with other formats its own name)."""
    if name in _BUILDS:
        return _BUILDS[name]
    tmp = factory.mktemp(name)
    raw = copy_sample(tmp, (2025,))
    done = run_psw(["build", "--raw", str(raw), "--out", str(tmp / "build"), "--formats", formats],
                   tmp, **extra)
    (tmp / "build.out").write_text(done.stdout + done.stderr, encoding="utf-8")
    assert done.returncode == 0, done.stdout + done.stderr
    _BUILDS[name] = tmp
    return tmp


def outputs_problems(folder: Path) -> list[str]:
    """Every finished-looking output file under `folder` must be complete and readable.

    Hidden names (a leading dot) are temporaries or markers and are listed by leftovers()."""
    import json

    import pandas as pd

    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or any(part.startswith(".") for part in path.relative_to(
                folder).parts):
            continue
        try:
            suffix = path.suffix.lower()
            if suffix == ".tmp":
                found.append(f"{path}: a temporary file under a final name")
            elif suffix == ".csv":
                pd.read_csv(path, comment="#" if path.parent.name == "internal" else None)
            elif suffix in (".ods", ".docx", ".xlsx"):
                with zipfile.ZipFile(path) as zf:
                    assert zf.testzip() is None, "a damaged zip member"
                    member = "content.xml" if suffix == ".ods" else None
                    if member:
                        import xml.etree.ElementTree as ET

                        ET.fromstring(zf.read(member))
            elif suffix == ".pdf":
                assert pdf_text(path).strip(), "a PDF without text"
            elif suffix == ".html":
                text = path.read_text(encoding="utf-8")
                assert text.rstrip().endswith("</html>"), "the HTML does not end with </html>"
            elif suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
            elif suffix == ".duckdb":
                con = duckdb.connect(str(path), read_only=True)
                try:
                    con.execute("SELECT count(*) FROM information_schema.tables").fetchall()
                finally:
                    con.close()
        except Exception as exc:  # noqa: BLE001 - reported as the test's failure
            found.append(f"{path}: {type(exc).__name__}: {exc}")
    return found


def leftovers(folder: Path) -> list[str]:
    """Temporary files and folders left in an output tree (markers excepted)."""
    out = []
    for path in sorted(folder.rglob("*")):
        name = path.name
        if name == ".build-fingerprint":
            continue
        if name.endswith((".tmp", ".tmp.wal", ".wal")) or (
                path.is_dir() and name.startswith(".") and "render" in name):
            out.append(str(path.relative_to(folder)))
    return out
