"""Hostile and malformed input never crashes (issue: reliability, privacy and security).

In process, property-based: the CSV, XLSX and CSWW XML readers either return a ReadResult
(with problems) or raise UnusableInput, never any other exception, within bounded time; and
`validate_folder` always ends in exit code 0, 1 or 2 with its writers working. Then a handful
of real `psw validate` / `psw build` subprocesses (run concurrently, each bounded by a timeout)
prove exit 1 or 2 with a clear message and no traceback.
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import time
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reliability_helpers import PSW, ROOT, SAMPLE, assert_no_traceback, copy_sample, psw_env

from assets.candidate import readers
from assets.candidate.contract import SPECS
from assets.candidate.csww import read_csww
from assets.candidate.load import read_extract
from assets.candidate.readers import ReadResult
from assets.candidate.validate import (
    format_json,
    format_text,
    validate_folder,
    write_data_docs,
    write_error_workbook,
)
from psw_core.config import load_config
from psw_core.problems import Problem, UnusableInput

CONFIG = load_config(ROOT / "data" / "authority.yml")
HR = SPECS["hr_workforce"].column_names
PROPERTY = settings(max_examples=60, deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
SLOW_PROPERTY = settings(PROPERTY, max_examples=15)
READ_SECONDS = 20  # one small hostile file must be read (or refused) well within this

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
              for i in range(1, 10))
    + "]>\n<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>2025</Year>"
    "</CollectionDetails></Header><CSWWWorker><SWENo>&lol9;</SWENo></CSWWWorker></Message>\n"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    "<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>2025</Year>"
    "</CollectionDetails></Header><CSWWWorker><SWENo>&xxe;</SWENo></CSWWWorker></Message>\n"
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE Message SYSTEM "http://127.0.0.1:9/evil.dtd">\n'
    "<Message><Header/></Message>\n"
)

# ------------------------------------------------------------------------------- strategies

HOSTILE_CELLS = [
    "", " ", "31/02/2025", "29/02/2023", "2025-13-01", "00/00/0000", "31-Feb-2025", "1/1/1",
    "9999-12-31", "-1", "-0.5", "NaN", "nan", "inf", "-inf", "1e309", "1,5", "0x1F",
    "99999999999999999999", "=HYPERLINK(\"http://127.0.0.1/x\",\"click\")", "=1+1", "+44 7700",
    "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", "children", "adults", "CHILDREN", "W1", "NFC-W-1",
    "2025-09-30", "30/09/2025", "31-Mar-2025", "2025-09-30 00:00:00", "2025-09-30 12:00",
    "a\x00b", "\x00", "café", "Zoë", "\u202eevil", "\ufeff", "'", '"', '""', "a\nb", "a\r\nb",
    ";", ",", "x" * 5000,
]
cell = st.one_of(
    st.sampled_from(HOSTILE_CELLS),
    st.text(max_size=40),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(lambda d: d.strftime(random.Random(d.toordinal()).choice(
        ["%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%b-%Y", "%Y%m%d"]))),
)
header_name = st.one_of(st.sampled_from(HR), st.sampled_from(HR).map(str.upper),
                        st.sampled_from(HR).map(lambda n: " " + n.replace("_", "-") + " "),
                        st.sampled_from(["first_name", "email", "", "=cmd", "a;b"]),
                        st.text(max_size=12))


@st.composite
def csv_files(draw) -> bytes:
    """A CSV-ish file: contract-like header (maybe duplicated, maybe junk), hostile cells,
    any delimiter, any encoding, maybe truncated or with binary junk spliced in."""
    header = draw(st.lists(header_name, min_size=0, max_size=12))
    if draw(st.booleans()):
        header = list(HR[:8]) + header
    rows = draw(st.lists(st.lists(cell, max_size=len(header) + 2), max_size=8))
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from(["csv", "raw"]))
    if quoting == "csv":
        import csv

        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=delimiter, lineterminator=draw(
            st.sampled_from(["\n", "\r\n", "\r"])))
        writer.writerow(header)
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = "\n".join(delimiter.join(r) for r in [header, *rows]) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16",
                                     "mixed"]))
    if encoding == "mixed":
        half = len(text) // 2
        data = text[:half].encode("utf-8", "surrogatepass") + text[half:].encode(
            "cp1252", "replace")
    else:
        data = text.encode(encoding, "replace") if encoding != "utf-8" else text.encode(
            "utf-8", "surrogatepass")
    mutation = draw(st.sampled_from(["none", "none", "truncate", "junk", "nul"]))
    if mutation == "truncate" and data:
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == "junk":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]
    elif mutation == "nul":
        data = data.replace(b",", b"\x00", 1)
    return data


def check_result(result: ReadResult, extract: str) -> None:
    """What a reader promises: the contract's columns typed, a spreadsheet row per row, and
    problems that are Problems with a known severity."""
    assert isinstance(result, ReadResult)
    for column in SPECS[extract].column_names:
        assert column in result.frame.columns
    assert "_row" in result.frame
    assert (result.frame["_row"] >= 1).all()
    for problem in result.problems:
        assert isinstance(problem, Problem)
        assert problem.severity in ("error", "warning")
        assert problem.rule and problem.why
        problem.describe()  # the console line can always be made
        if problem.value is not None:
            assert len(problem.value) <= 200, "a problem's value is bounded for the console"


def read_or_refuse(path: Path, extract: str = "hr_workforce"):
    started = time.perf_counter()
    try:
        result = read_extract(path, extract, CONFIG, 2025)
    except UnusableInput as exc:
        assert exc.problem.rule and exc.problem.why
        result = exc
    assert time.perf_counter() - started < READ_SECONDS, "a reader took too long"
    if isinstance(result, ReadResult):
        check_result(result, extract)
    return result


# ------------------------------------------------------------------------------------- CSV


@PROPERTY
@given(data=csv_files())
def test_csv_reader_returns_problems_or_refuses(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csv") / "hr_workforce.csv"
    path.write_bytes(data)
    read_or_refuse(path)


@PROPERTY
@given(data=st.binary(max_size=4096))
@example(data=b"\n\x01")  # found by hypothesis: pandas' EmptyDataError escaped the reader
def test_csv_reader_survives_arbitrary_bytes(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bin") / "supervision.csv"
    path.write_bytes(data)
    read_or_refuse(path, "supervision")


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("worker_id;session_date;duration_minutes\nW1;2025-01-01;60\n", {"PARSE-MISSING-COLUMN"}),
        ("worker_id,worker_id,session_date,duration_minutes\nW1,W2,2025-01-01,60\n",
         {"PARSE-DUPLICATE-COLUMN"}),
        ("worker_id,session_date,duration_minutes\nW1,31/02/2025,60\n", {"PARSE-DATE"}),
        ("worker_id,session_date,duration_minutes\nW1,2025-01-01,NaN\n", {"PARSE-NUMBER"}),
        ("worker_id,session_date,duration_minutes\nW1,2025-01-01,inf\n", {"PARSE-NUMBER"}),
        ("worker_id,session_date,duration_minutes\nW1,2025-01-01 09:30,60\n", {"PARSE-DATE"}),
        ("worker_id,session_date,duration_minutes\n" + "W" * 40_000 + ",2025-01-01,60\n",
         {"PARSE-TOO-LONG"}),
    ],
)
def test_named_malformations_become_problems(tmp_path, text, rules):
    path = tmp_path / "supervision.csv"
    path.write_text(text, encoding="utf-8")
    result = read_or_refuse(path, "supervision")
    assert isinstance(result, ReadResult)
    assert rules <= {p.rule for p in result.problems if p.severity == "error"}


@pytest.mark.parametrize(
    ("data", "rule"),
    [
        (b"worker_id,session_date\nW1\x00,2025-01-01\n", "PARSE-BINARY"),
        ("worker_id,session_date\n".encode("utf-16"), "PARSE-ENCODING"),
        (b"worker_id,session_date\n\x81\x8d\x8f\x90\x9d\n", "PARSE-ENCODING"),
        (b'worker_id,session_date\n"W1,2025-01-01\n', "PARSE-MALFORMED"),
        (b"PK\x03\x04" + bytes(100), "PARSE-BINARY"),
    ],
)
def test_unreadable_csv_is_refused_with_a_rule(tmp_path, data, rule):
    path = tmp_path / "supervision.csv"
    path.write_bytes(data)
    result = read_or_refuse(path, "supervision")
    assert isinstance(result, UnusableInput) and result.problem.rule == rule


def test_csv_formula_text_is_kept_as_plain_text_not_evaluated(tmp_path):
    path = tmp_path / "learning.csv"
    path.write_text('worker_id,activity,category,hours,completed_date\n'
                    '"=HYPERLINK(""http://127.0.0.1/x"",""y"")",=1+1,cpd,2,2025-01-01\n')
    result = read_or_refuse(path, "learning")
    assert result.frame.loc[0, "activity"] == "=1+1"
    assert result.frame.loc[0, "worker_id"].startswith("=HYPERLINK")


def test_mixed_encodings_decode_as_windows_1252_never_guessed(tmp_path):
    data = (b"worker_id,activity,category,hours,completed_date\n"
            + "W1,Café,cpd,2,2025-01-01\n".encode()
            + "W2,Café,cpd,2,2025-01-01\n".encode("cp1252"))
    path = tmp_path / "learning.csv"
    path.write_bytes(data)
    result = read_or_refuse(path, "learning")
    assert isinstance(result, ReadResult) and len(result.frame) == 2


# ------------------------------------------------------------------------------------ XLSX


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
                      for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, member: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            dst.writestr(info, change(content) if info.filename == member else content)
    return out.getvalue()


def _with_doctype(xml: bytes, doctype: str, entity_ref: str) -> bytes:
    """The sheet XML with a DTD declared and an entity used in its first value."""
    body = xml.split(b"?>", 1)[-1]
    return (b'<?xml version="1.0"?>' + doctype.encode()
            + body.replace(b"<v>", f"<v>{entity_ref}".encode(), 1))


xlsx_value = st.one_of(cell, st.integers(-(10**12), 10**12), st.floats(allow_nan=True),
                       st.none(), st.dates(), st.datetimes(), st.booleans())


@SLOW_PROPERTY
@given(header=st.lists(header_name, max_size=10), rows=st.lists(st.lists(
    xlsx_value, max_size=10), max_size=6), mutation=st.sampled_from(
    ["none", "none", "truncate", "flip", "laughs", "xxe"]), seed=st.integers(0, 2**16))
def test_xlsx_reader_returns_problems_or_refuses(tmp_path_factory, header, rows, mutation,
                                                 seed):
    data = _xlsx([list(HR[:8]) + header, *rows])
    rng = random.Random(seed)
    if mutation == "truncate":
        data = data[: rng.randrange(len(data))]
    elif mutation == "flip":
        buf = bytearray(data)
        for _ in range(8):
            buf[rng.randrange(len(buf))] = rng.randrange(256)
        data = bytes(buf)
    elif mutation in ("laughs", "xxe"):
        doctype, ref = ((BILLION_LAUGHS.split("\n<Message>")[0].split("?>", 1)[1], "&lol9;")
                        if mutation == "laughs" else
                        ('<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"))
        data = _rewrite(data, "xl/worksheets/sheet1.xml",
                        lambda xml: _with_doctype(xml, doctype, ref))
    path = tmp_path_factory.mktemp("xlsx") / "hr_workforce.xlsx"
    path.write_bytes(data)
    result = read_or_refuse(path)
    if mutation in ("laughs", "xxe") and isinstance(result, ReadResult):
        text = result.frame.astype(str).to_string()
        assert "root:" not in text and "lollollol" not in text


def test_xlsx_entities_are_refused_not_expanded(tmp_path):
    base = _xlsx([list(HR[:8]), ["W1", "children", "T", 5, 0, 1, "2020-01-01", None]])
    for doctype, ref in (
        (BILLION_LAUGHS.split("\n<Message>")[0].split("?>", 1)[1], "&lol9;"),
        ('<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    ):
        path = tmp_path / "hr_workforce.xlsx"
        path.write_bytes(_rewrite(base, "xl/worksheets/sheet1.xml",
                                  lambda xml, d=doctype, r=ref: _with_doctype(xml, d, r)))
        result = read_or_refuse(path)
        assert isinstance(result, UnusableInput), "a DTD in a workbook must be refused"
        assert result.problem.rule == "PARSE-XLSX"


def test_xlsx_formula_cells_are_never_evaluated(tmp_path):
    path = tmp_path / "learning.xlsx"
    path.write_bytes(_xlsx([["worker_id", "activity", "category", "hours", "completed_date"],
                            ["W1", '=HYPERLINK("http://127.0.0.1/x","y")', "cpd", "=1+1",
                             "2025-01-01"]]))
    result = read_or_refuse(path, "learning")
    assert isinstance(result, ReadResult)
    # data_only: a formula without a cached value reads as blank, never as its evaluation
    assert pd.isna(result.frame.loc[0, "hours"]) or result.frame.loc[0, "hours"] != 2


def test_xlsx_zip_bomb_is_refused_from_declared_sizes(tmp_path):
    base = _xlsx([list(HR[:8]), ["W1", "children", "T", 5, 0, 1, "2020-01-01", None]])
    buf = bytearray(base)
    at = 0
    while (at := buf.find(b"PK\x01\x02", at)) >= 0:  # central directory: uncompressed size
        buf[at + 24: at + 28] = (0xF0000000).to_bytes(4, "little")
        at += 4
    path = tmp_path / "hr_workforce.xlsx"
    path.write_bytes(bytes(buf))
    result = read_or_refuse(path)
    assert isinstance(result, UnusableInput) and "4 GB" in result.problem.why


@pytest.mark.parametrize("name", ["hr_workforce.csv", "hr_workforce.xlsx", "csww.xml"])
def test_readers_refuse_oversized_files_before_reading_them(tmp_path, name):
    path = tmp_path / name
    with open(path, "wb") as handle:  # sparse: no disk space or memory is used
        handle.truncate(readers.MAX_FILE_BYTES + 1)
    started = time.perf_counter()
    with pytest.raises(UnusableInput) as caught:
        if name.endswith(".xml"):
            read_csww(path, CONFIG, 2025)
        else:
            read_extract(path, "hr_workforce", CONFIG, 2025)
    assert time.perf_counter() - started < READ_SECONDS  # a hang guard, not a speed test
    assert caught.value.problem.rule in ("PARSE-TOO-LARGE", "PARSE-XLSX")


# ---------------------------------------------------------------------------------- CSWW XML

worker_value = st.one_of(cell, st.sampled_from(["1", "0", "0.5", "2025-01-01", "2023-01-01"]))


@st.composite
def csww_files(draw) -> bytes:
    from xml.sax.saxutils import escape

    def element(name: str, value: str) -> str:
        value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        value = "".join(ch for ch in value if not 0xD800 <= ord(ch) <= 0xDFFF)
        return f"<{name}>{escape(value)}</{name}>"

    names = ["SWENo", "AgencyWorker", "FTE", "FTE30", "RoleStartDate", "RoleEndDate",
             "ReasonLeave", "LeaverDestination", "StartOrigin", "PersonBirthDate", "OrgRole",
             "GenderCurrent", "CFKSSstatus", "WorkingDaysLost", "Junk"]
    workers = draw(st.lists(st.dictionaries(st.sampled_from(names), worker_value, max_size=10),
                            max_size=6))
    year = draw(st.sampled_from(["2025", "2024", "", "20x5", "99999"]))
    vacancies = draw(st.booleans())
    xml = ('<?xml version="1.0" encoding="utf-8"?>\n<Message><Header><CollectionDetails>'
           f"{element('Collection', draw(st.sampled_from(['CSWW', 'CIN', ''])))}"
           f"{element('Year', year)}</CollectionDetails></Header>"
           + ("<LALevelVacancies>" + "".join(element(k, draw(worker_value)) for k in (
               "NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount")) + "</LALevelVacancies>"
              if vacancies else "")
           + "".join("<CSWWWorker>" + "".join(element(k, v) for k, v in w.items())
                     + "</CSWWWorker>" for w in workers) + "</Message>\n")
    data = xml.encode("utf-8")
    mutation = draw(st.sampled_from(["none", "none", "truncate", "junk", "laughs", "xxe",
                                     "root"]))
    if mutation == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == "junk":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=32)) + data[at:]
    elif mutation == "laughs":
        data = BILLION_LAUGHS.encode()
    elif mutation == "xxe":
        data = EXTERNAL_ENTITY.encode()
    elif mutation == "root":
        data = data.replace(b"Message>", b"Other>")
    return data


@PROPERTY
@given(data=csww_files())
def test_csww_reader_returns_problems_or_refuses(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("csww") / "csww.xml"
    path.write_bytes(data)
    started = time.perf_counter()
    try:
        results = read_csww(path, CONFIG, 2025)
    except UnusableInput as exc:
        assert exc.problem.rule.startswith(("CSWW", "PARSE"))
        return
    finally:
        assert time.perf_counter() - started < READ_SECONDS
    assert set(results) == {"hr_workforce", "hr_vacancies"}
    for extract, result in results.items():
        check_result(result, extract)


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD],
                         ids=["billion-laughs", "external-entity", "external-dtd"])
def test_csww_entities_and_dtds_are_refused_quickly(tmp_path, payload):
    path = tmp_path / "csww.xml"
    path.write_text(payload, encoding="utf-8")
    started = time.perf_counter()
    with pytest.raises(UnusableInput) as caught:
        read_csww(path, CONFIG, 2025)
    assert time.perf_counter() - started < READ_SECONDS  # a hang guard, not a speed test
    assert caught.value.problem.rule == "CSWW-XML-UNSAFE"
    assert "root:" not in caught.value.problem.describe()


# ------------------------------------------------------------------------------ psw validate

EXTRACT_FILES = ["hr_workforce.csv", "supervision.csv", "learning.csv", "caseload.csv",
                 "health_check_responses.csv", "hr_workforce.xlsx", "csww.xml"]


@SLOW_PROPERTY
@given(files=st.lists(st.tuples(st.sampled_from(EXTRACT_FILES), csv_files(), csww_files()),
                      min_size=1, max_size=3, unique_by=lambda t: t[0].split(".")[0]),
       with_sample=st.booleans())
def test_validate_always_ends_in_an_exit_code(tmp_path_factory, files, with_sample):
    """validate_folder never raises: hostile files (and a clean sample beside them) give 0, 1
    or 2, and every writer of the report works on the result."""
    tmp = tmp_path_factory.mktemp("validate")
    folder = tmp / "2025"
    if with_sample:
        copy_sample(tmp, (2025,))
        folder = tmp / "raw" / "2025"
    else:
        folder.mkdir()
    for name, csv_data, xml_data in files:
        stem = name.split(".")[0]
        for old in folder.glob(f"{stem}.*"):
            old.unlink()
        if name.endswith(".xlsx"):
            data = _xlsx([list(HR[:8]), ["W1", "children", "T", "5", "0", "1", "31/02/2025"]])
        else:
            data = xml_data if name.endswith(".xml") else csv_data
        (folder / name).write_bytes(data)
    report = validate_folder(folder, CONFIG)
    assert report.exit_code in (0, 1, 2)
    format_text(report)
    format_json(report)
    write_error_workbook(report, tmp / "errors.xlsx")
    write_data_docs(report, tmp / "docs")


# --------------------------------------------------------------------- the CLI, as a user sees it


def _hostile_folders(tmp: Path) -> dict[str, tuple[Path, set[int], str]]:
    """name -> (year folder, allowed exit codes, a word the message must hold)."""
    cases = {}

    def folder(name: str, files: dict[str, bytes], base: bool = False) -> Path:
        root = tmp / name
        if base:
            copy_sample(root, (2025,))
            path = root / "raw" / "2025"
        else:
            path = root / "2025"
            path.mkdir(parents=True)
        for file, data in files.items():
            (path / file).write_bytes(data)
        return path

    sample = (SAMPLE / "2025" / "hr_workforce.csv").read_text(encoding="utf-8")
    cases["binary-junk"] = (folder("junk", {"hr_workforce.csv": os.urandom(4096)}), {2},
                            "hr_workforce.csv")
    cases["billion-laughs"] = (folder("laughs", {"csww.xml": BILLION_LAUGHS.encode()}), {2},
                               "csww.xml")
    cases["external-entity"] = (folder("xxe", {"csww.xml": EXTERNAL_ENTITY.encode()}), {2},
                                "csww.xml")
    cases["truncated-xlsx"] = (folder("xlsx", {"hr_workforce.xlsx": _xlsx(
        [list(HR[:8]), ["W1", "children"]])[:700]}), {2}, "hr_workforce.xlsx")
    cases["semicolons"] = (folder("semi", {"hr_workforce.csv": sample.replace(",", ";").encode(
    )}), {1}, "PARSE-MISSING-COLUMN")
    lines = sample.splitlines()
    hostile = [lines[0],
               *[",".join(['"=HYPERLINK(""http://127.0.0.1"",""x"")"' if i == 0 else v
                           for i, v in enumerate(lines[1].split(","))])],
               lines[2].replace("2020", "31/02/2025", 1), lines[3] + ",extra,cells",
               lines[4].replace("1.0", "NaN", 1).replace("0.9", "-1", 1),
               "A" * 100_000 + lines[5], lines[6].replace(",", "\t", 3), *lines[7:]]
    cases["hostile-cells"] = (folder("cells", {"hr_workforce.csv": (
        "\n".join(hostile) + "\n").encode()}, base=True), {1}, "hr_workforce.csv")
    return cases


def test_psw_validate_on_hostile_folders_exits_1_or_2_with_a_clear_message(tmp_path):
    cases = _hostile_folders(tmp_path)
    procs = {}
    for name, (folder, _, _) in cases.items():
        procs[name] = subprocess.Popen(
            [PSW, "validate", str(folder), "--format", "text"], cwd=ROOT,
            env=psw_env(tmp_path / name), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
    failures = []
    for name, proc in procs.items():
        try:
            out, err = proc.communicate(timeout=180)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            failures.append(f"{name}: hung")
            continue
        _, codes, word = cases[name]
        assert_no_traceback(out, err)
        if proc.returncode not in codes:
            failures.append(f"{name}: exit {proc.returncode}, wanted {codes}\n{out}{err}")
        if word not in out + err:
            failures.append(f"{name}: message does not name {word!r}:\n{out}{err}")
    assert not failures, "\n".join(failures)


def _build_hostile(tmp: Path, files: dict[str, bytes], remove: tuple[str, ...] = ()):
    from reliability_helpers import run_psw

    raw = copy_sample(tmp, (2025,))
    for name in remove:
        (raw / "2025" / name).unlink()
    for name, data in files.items():
        (raw / "2025" / name).write_bytes(data)
    done = run_psw(["build", "--raw", str(raw), "--out", str(tmp / "build"), "--formats",
                    "html"], tmp, timeout=240)
    assert_no_traceback(done.stdout, done.stderr)
    assert not (tmp / "build" / "2025" / "published.duckdb").exists()
    return done


def test_psw_build_on_rule_breaking_input_exits_1_and_promotes_nothing(tmp_path):
    lines = (SAMPLE / "2025" / "hr_workforce.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",2", ",31/02/2025", 1)
    lines[3] = '"=HYPERLINK(""http://127.0.0.1"",""x"")"' + lines[3][lines[3].index(","):]
    done = _build_hostile(tmp_path, {"hr_workforce.csv": ("\n".join(lines) + "\n").encode()})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "nothing for 2025 was promoted" in done.stderr
    import duckdb

    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        raw_tables = con.execute("SELECT count(*) FROM information_schema.tables "
                                 "WHERE table_schema = 'raw'").fetchall()[0][0]
    finally:
        con.close()
    assert raw_tables == 0, "a year that failed its checks reached raw.*"


def test_psw_build_on_unusable_input_exits_2_with_the_readers_message(tmp_path):
    done = _build_hostile(tmp_path, {"csww.xml": BILLION_LAUGHS.encode()},
                          remove=("hr_workforce.csv",))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "csww.xml" in done.stderr and "CSWW-XML-UNSAFE" in done.stderr
