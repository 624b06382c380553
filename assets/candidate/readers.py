"""Read one extract file (CSV, XLSX or the CSWW census XML) into a typed frame with problems.

Parsing rules are docs/design.md §3 "Files and parsing", as written up in docs/data-contract.md.
Nothing here writes anywhere: the frames hold raw ids and staff names in memory only.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from assets.candidate.contract import (
    CROSSWALK,
    CSWW,
    EXTRACTS,
    NAME_COLUMNS,
    NEVER_LOADED,
    SPECS,
    ColumnSpec,
    ExtractSpec,
)
from psw_core.config import AuthorityConfig
from psw_core.problems import Problem, UnusableInput, column_letter

SWE_COLUMN = "swe_no"  # never loaded; read into memory only to join the census (crosswalk)
MAX_FILE_BYTES = 2 * 1024**3  # refuse anything larger: no real extract is near this
MAX_XLSX_UNZIPPED_BYTES = 4 * 1024**3  # zip-bomb guard for workbooks
MAX_CELL_CHARS = 32_767  # Excel's own cell limit
MAX_PROBLEMS_PER_COLUMN = 1_000  # beyond this, one summary problem per column and rule
CSV_FIELD_LIMIT = 1_000_000  # the csv module's per-field bound in the fallback reader

DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y")
# Date-times are accepted only at exactly midnight (how Excel and many HR systems export dates).
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                    "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S.%f", "%d/%m/%Y %H:%M:%S",
                    "%d/%m/%Y %H:%M")
PLAUSIBLE_YEARS = (1900, 2199)
INT_BOUND = 2**31 - 1  # DuckDB INTEGER

# Rules that make an extract unusable for build (validate still reports everything else).
STRUCTURAL_RULES = ("PARSE-MISSING-COLUMN", "PARSE-DUPLICATE-COLUMN", "PARSE-EMPTY")

# Bytes that are not control characters; deleting them leaves the control bytes to count.
_NOT_CONTROL = bytes(b for b in range(256) if b not in (*range(0, 9), 11, *range(14, 32), 127))


@dataclass
class ReadResult:
    """One extract as read from one file (docs/interfaces.md "Ingest")."""

    extract: str  # contract name, e.g. "hr_workforce"
    file: str  # file name as received
    path: Path
    frame: pd.DataFrame  # contract columns typed, item columns (responses), and `_row`
    column_letters: dict[str, str] = field(default_factory=dict)  # column -> letter as received
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sha256: str = ""
    staff_names: frozenset[str] = frozenset()  # hr_workforce only; in memory only
    item_ids: tuple[str, ...] = ()  # health_check_responses: item columns kept
    year: int | None = None  # CSWW: Header/CollectionDetails/Year
    # SWE number -> local worker_id, from a swe_no column of an HR extract; in memory only
    crosswalk: dict[str, str] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def usable_for_build(self) -> bool:
        """False when a structural error (missing/duplicate column, no rows) was found."""
        return not any(p.rule in STRUCTURAL_RULES for p in self.problems)


# ---------------------------------------------------------------------------- finding files


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def is_census(path: Path) -> bool:
    """True when an XML file is a CSWW census return: its root is <Message> and its first child
    is <Header>, a vacancy block or <CSWWWorker>. Only the start of the file is read.

    XML that cannot be parsed safely counts as a census, so that reading it says why.
    """
    from defusedxml.ElementTree import iterparse

    try:
        with open(path, "rb") as handle:
            events = iterparse(handle, events=("start",), forbid_dtd=True,
                               forbid_entities=True, forbid_external=True)
            tags = [_local(elem.tag) for _, elem in itertools.islice(events, 2)]
    except Exception:  # unsafe or malformed: read_csww names the fault
        return True
    return tags[:1] == ["Message"] and (len(tags) == 1 or tags[1] in CENSUS_CHILDREN)


CENSUS_CHILDREN = ("Header", "CSWWWorker", "LALevelVacancies", "LALevel")


def find_extracts(year_dir: Path) -> dict[str, Path]:
    """Map extract name (and "csww") to its file in a reporting-year folder.

    CSV/XLSX stems match extract names case-insensitively. The census is any .xml file whose
    content is a CSWW message, whatever its name (councils keep their own names). Two files for
    one extract (e.g. .csv and .xlsx, or two census returns), or an extract saved in a format we
    cannot read (.xls, .ods, .txt), is unusable input.
    """
    year_dir = Path(year_dir)
    if not year_dir.is_dir():
        raise UnusableInput(Problem(file=str(year_dir), rule="INGEST-NO-FOLDER", severity="error",
                                    why="The folder of extracts does not exist.",
                                    action="Check the path given."))
    found: dict[str, Path] = {}
    for path in sorted(p for p in year_dir.iterdir() if p.is_file()):
        stem, suffix = path.stem.lower(), path.suffix.lower()
        if suffix == ".xml" and is_census(path):
            name = CSWW
        elif stem in (*EXTRACTS, CROSSWALK) and suffix in (".csv", ".xlsx"):
            name = stem
        elif stem in (*EXTRACTS, CROSSWALK):
            raise UnusableInput(Problem(
                file=path.name, rule="INGEST-FORMAT", severity="error",
                why=f"Extracts must be .csv or .xlsx files; this one is {suffix or 'untyped'}.",
                action="Save it as CSV UTF-8 or as an Excel workbook (.xlsx)."))
        else:
            continue  # not an extract: other_files reports the ones that look like data
        if name in found:
            what = "census returns" if name == CSWW else f"{name} extracts"
            raise UnusableInput(Problem(
                file=path.name, rule="INGEST-DUPLICATE-EXTRACT", severity="error",
                why=f"Two files hold {what}: {found[name].name} and {path.name}.",
                action="Keep exactly one file per extract in the folder."))
        found[name] = path
    return found


DATA_SUFFIXES = (".csv", ".xlsx", ".xml")


def other_files(year_dir: Path, found: dict[str, Path]) -> list[Problem]:
    """A warning for each CSV, XLSX or XML file in the folder that is not read as an extract."""
    used = set(found.values())
    problems = []
    for path in sorted(p for p in Path(year_dir).iterdir() if p.is_file()):
        if path in used or path.suffix.lower() not in DATA_SUFFIXES:
            continue
        why = ("This XML file is not a CSWW census return (its root is not a census <Message>), "
               "so it was not read." if path.suffix.lower() == ".xml" else
               "The file name is not an extract name, so the file was not read.")
        problems.append(Problem(
            file=path.name, rule="INGEST-UNKNOWN-FILE", severity="warning", why=why,
            action="Rename it to its extract's name (docs/data-contract.md), or move it out "
                   "of the year folder."))
    return problems


# ----------------------------------------------------------------------------- file bytes


def read_bytes(path: Path) -> tuple[bytes, str]:
    """The file's bytes and SHA-256, refusing files too large to be a real extract."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnusableInput(Problem(
            file=path.name, rule="PARSE-TOO-LARGE", severity="error",
            why=f"The file is {size / 1024**3:.1f} GB; extracts over 2 GB are refused.",
            action="Check that this is the right file."))
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def decode_text(data: bytes, file: str) -> str:
    """Strip a BOM, then strict UTF-8, then strict Windows-1252; never guess beyond that."""

    def unusable(rule: str, why: str, action: str) -> UnusableInput:
        return UnusableInput(Problem(file=file, rule=rule, severity="error", why=why,
                                     action=action))

    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise unusable("PARSE-BINARY", "This is an Excel workbook, not a CSV file.",
                       "Save it as CSV UTF-8, or name it .xlsx.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise unusable("PARSE-ENCODING", "The file is UTF-16 text, which is not accepted.",
                       "In Excel use Save As > CSV UTF-8 (comma delimited).")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise unusable(
                "PARSE-ENCODING",
                f"The file is neither UTF-8 nor Windows-1252 text (byte {exc.start}).",
                "Save it as CSV UTF-8 (comma delimited).") from exc
    # NULs or many control characters mean binary content (or a mis-saved file).
    controls = data.translate(None, _NOT_CONTROL)
    if b"\x00" in controls or len(controls) > max(8, len(data) // 1000):
        raise unusable("PARSE-BINARY", "The file holds binary content, not text.",
                       "Check that this is the right file; save it as CSV UTF-8.")
    return text


# ----------------------------------------------------------------------- grids of strings


def _grid_from_records(records: list[list[str]], file: str) -> tuple[list[str], pd.DataFrame,
                                                                     list[Problem]]:
    """Header and a rectangular body from ragged records (fallback path; ragged rows are rare)."""
    if not records:
        return [], pd.DataFrame(), []
    header = [str(h) for h in records[0]]
    width = len(header)
    body = records[1:]
    problems = []
    lengths = np.fromiter(map(len, body), dtype=np.int64, count=len(body))
    for i in np.flatnonzero(lengths != width):  # only the ragged rows, not every row
        rec = list(body[i])
        extra = [v for v in rec[width:] if str(v).strip()]
        if extra:
            problems.append(Problem(
                file=file, rule="PARSE-ROW-LENGTH", severity="error", row=int(i) + 2,
                why=f"The row has {len(rec)} values but the header has {width} columns.",
                action="Check for an unquoted comma or a shifted row.",
                value=", ".join(map(str, extra))[:200]))
        body[i] = (rec + [""] * width)[:width]
    frame = pd.DataFrame.from_records(body, columns=range(width)) if body else pd.DataFrame(
        columns=range(width))
    return header, frame.astype(object), problems


def csv_grid(text: str, file: str) -> tuple[list[str], pd.DataFrame, list[Problem]]:
    """Header and body (positional columns, all strings) of CSV text; body row i is row i+2.

    Every physical record counts, blank lines included; a quoted multi-line field is one record.
    The C parser does this fast; a ragged file falls back to the csv module.
    """
    if not text.strip():
        return [], pd.DataFrame(), []
    try:
        # As UTF-8 bytes: the parser encodes text to UTF-8 anyway, and a StringIO of the text
        # held four bytes a character (170 MB more at the peak for a 60 MB file).
        grid = pd.read_csv(io.BytesIO(text.encode("utf-8")), encoding="utf-8", header=None,
                           dtype=object, na_filter=False, skip_blank_lines=False, engine="c")
    except pd.errors.ParserError:
        return _csv_grid_python(text, file)
    except pd.errors.EmptyDataError:  # e.g. a blank line then one control character
        return [], pd.DataFrame(), []
    header = [str(h) for h in grid.iloc[0]]
    body = grid.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    return header, body, []


def _csv_grid_python(text: str, file: str) -> tuple[list[str], pd.DataFrame, list[Problem]]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise UnusableInput(Problem(
            file=file, rule="PARSE-MALFORMED", severity="error",
            why=f"The CSV is malformed near line {reader.line_num}: {exc}.",
            action="Check for an unclosed quote; re-export the file from its system.")) from exc
    return _grid_from_records(records, file)


def _cell_text(value) -> str:
    """An XLSX cell as text. Whole numbers lose their `.0`, so ids never gain one."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.datetime):  # a date cell: "YYYY-MM-DD HH:MM:SS"
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def xlsx_grid(path: Path, file: str) -> tuple[list[str], pd.DataFrame, list[Problem]]:
    """Header and body of the first sheet (header on row 1); body row i is row i+2."""
    import openpyxl  # openpyxl parses with defusedxml when it is installed (it is)

    def unusable(why: str, exc: Exception | None = None) -> UnusableInput:
        return UnusableInput(Problem(file=file, rule="PARSE-XLSX", severity="error", why=why,
                                     action="Open it in Excel and save it again as .xlsx."))

    try:
        with zipfile.ZipFile(path) as zf:
            unzipped = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise unusable("The file is not a valid Excel workbook (.xlsx).") from exc
    if unzipped > MAX_XLSX_UNZIPPED_BYTES:
        raise unusable("The workbook unpacks to more than 4 GB; it is refused.")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = wb.worksheets[0]
            records = [list(map(_cell_text, r)) for r in sheet.iter_rows(values_only=True)]
        finally:
            wb.close()
    except UnusableInput:
        raise
    except Exception as exc:  # openpyxl raises many types on damaged workbooks
        raise unusable(f"The workbook could not be read ({type(exc).__name__}).") from exc
    if records:  # read-only sheets may pad rows differently: make all as wide as the widest
        width = max(map(len, records))
        records[0] = records[0] + [""] * (width - len(records[0]))
        while records[0] and not records[0][-1].strip():
            records[0].pop()  # trailing empty header cells are formatting, not columns
    return _grid_from_records(records, file)


# ------------------------------------------------------------------------ column handling


def normalise_header(name: str) -> str:
    """Trim, lowercase, spaces and hyphens to `_` (docs/design.md §3 "Column names")."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def _strip(col: pd.Series) -> pd.Series:
    """Trimmed strings with blanks as NA."""
    s = col.astype("string").str.strip()
    return s.mask(s == "")


def _map_unique(values: pd.Series, parse) -> pd.Series:
    """Apply a vectorised parser to the distinct values only, then map back (fast on big data)."""
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:
        return pd.Series(pd.NA, index=values.index, dtype=object)
    parsed = parse(pd.Series(np.asarray(uniques, dtype=object))).to_numpy()
    taken = pd.Series(parsed).take(np.where(codes < 0, 0, codes)).to_numpy()
    return pd.Series(taken, index=values.index).mask(codes < 0)


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Typed dates (datetime64[ns], midnight) and a mask of values that are not valid dates."""

    def parse(u: pd.Series) -> pd.Series:
        out = pd.Series(pd.NaT, index=u.index, dtype="datetime64[us]")
        for fmt in DATE_FORMATS + DATETIME_FORMATS:
            todo = out.isna()
            if not todo.any():
                break
            parsed = pd.to_datetime(u[todo], format=fmt, errors="coerce").astype("datetime64[us]")
            if fmt in DATETIME_FORMATS:  # a time of day other than midnight is not a date
                parsed = parsed.where(parsed == parsed.dt.normalize())
            out[todo] = parsed
        years = out.dt.year
        return out.where((years >= PLAUSIBLE_YEARS[0]) & (years <= PLAUSIBLE_YEARS[1]))

    typed = pd.to_datetime(_map_unique(values, parse)).astype("datetime64[ns]")
    return typed, values.notna() & typed.isna()


def parse_numbers(values: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """Typed Int64/Float64 and a mask of values that are not numbers (or not whole numbers)."""

    def parse(u: pd.Series) -> pd.Series:
        nums = pd.to_numeric(u, errors="coerce").astype(float)
        ok = np.isfinite(nums)
        if integer:
            ok &= (nums == np.floor(nums)) & (nums.abs() <= INT_BOUND)
        return nums.where(ok)

    nums = pd.to_numeric(_map_unique(values, parse), errors="coerce")
    bad = values.notna() & nums.isna()
    return (nums.astype("Int64") if integer else nums.astype("Float64")), bad


def type_column(values: pd.Series, spec: ColumnSpec) -> tuple[pd.Series, pd.Series, str]:
    """Type one column of trimmed strings; returns (typed, bad mask, problem rule)."""
    if spec.type == "date":
        typed, bad = parse_dates(values)
        return typed, bad, "PARSE-DATE"
    if spec.type in ("int", "decimal"):
        typed, bad = parse_numbers(values, integer=spec.type == "int")
        return typed, bad, "PARSE-NUMBER"
    if spec.type == "code" and spec.allowed and all(str(a) == str(a).lower()
                                                    for a in spec.allowed):
        values = values.str.lower()  # "Children" is the contract's "children"
    return values.astype("string"), pd.Series(False, index=values.index), ""


_WHY = {
    "PARSE-DATE": ("The value is not a date in an accepted form.",
                   "Use YYYY-MM-DD, D/M/YYYY (day first) or D-Mon-YYYY, e.g. 31-Mar-2025."),
    "PARSE-NUMBER": ("The value is not a number of the expected kind.",
                     "Enter a plain number (whole number for codes and counts)."),
    "PARSE-TOO-LONG": ("The value is longer than Excel's 32,767-character cell limit.",
                       "Shorten the text or check that the row is not corrupted."),
}


def cell_problems(file: str, rule: str, column: str, letter: str | None, bad: pd.Series,
                  raw: pd.Series, rows: pd.Series) -> list[Problem]:
    """One problem per bad cell (up to a cap), then one summary problem for the rest."""
    idx = np.flatnonzero(bad.to_numpy(dtype=bool))
    why, action = _WHY[rule]
    shown = idx[:MAX_PROBLEMS_PER_COLUMN]
    raw_values, row_numbers = raw.to_numpy(), rows.to_numpy()
    problems = [Problem(file=file, rule=rule, severity="error", why=why, action=action,
                        row=int(row_numbers[i]), column=column, column_letter=letter,
                        value=str(raw_values[i])[:200]) for i in shown]
    if len(idx) > len(shown):
        problems.append(Problem(
            file=file, rule=rule, severity="error", column=column, column_letter=letter,
            why=f"{len(idx) - len(shown):,} more values in this column have the same problem.",
            action=action))
    return problems


def apply_code_map(values: pd.Series, mapping: dict) -> pd.Series:
    """Local codes -> contract codes (authority.yml `code_maps`), before typing."""
    if not mapping:
        return values
    lookup = {str(k).strip(): str(v) for k, v in mapping.items()}
    mapped = values.astype(object).map(lookup)
    return mapped.where(mapped.notna(), values).astype("string")


def type_grid(header: list[str], body: pd.DataFrame, spec: ExtractSpec, file: str,
              config: AuthorityConfig | None, item_ids: list[str] | None = None,
              first_row: int = 2, problems: list[Problem] | None = None) -> ReadResult:
    """Match columns to the contract, drop blank rows, apply code maps and type every column.

    `body` has positional columns of strings; body row i is spreadsheet row first_row + i.
    `item_ids` (health_check_responses) are the codebook's ids; None keeps every unknown column
    as an item column.
    """
    problems = list(problems or [])
    notes: list[str] = []
    rows = pd.Series(np.arange(len(body), dtype=np.int64) + first_row, index=body.index)
    stripped = {i: _strip(body[i]) for i in body.columns}
    blank = pd.Series(True, index=body.index)
    for s in stripped.values():
        blank &= s.isna()
    keep_rows = ~blank  # blank rows are skipped for data but still counted
    names = [normalise_header(h) for h in header]
    renames = local_column_names(config, spec.name)
    names = [renames.get(n, n) for n in names]  # the council's own headers, from authority.yml
    item_lookup = (None if item_ids is None
                   else {normalise_header(i): str(i) for i in item_ids})

    columns: dict[str, int] = {}  # contract/item column -> position
    name_positions: dict[str, int] = {}
    dropped, never, unknown_items = [], [], []
    for pos, name in enumerate(names):
        letter = column_letter(pos)
        if name in columns:
            problems.append(Problem(
                file=file, rule="PARSE-DUPLICATE-COLUMN", severity="error", row=1, column=name,
                column_letter=letter, value=header[pos],
                why=f"Column '{name}' appears more than once (first in column "
                    f"{column_letter(columns[name])}).",
                action="Keep one column of each name."))
        elif name in spec.column_names:
            columns[name] = pos
        elif name in NEVER_LOADED:
            never.append(name)
            if name in NAME_COLUMNS or (name == SWE_COLUMN and spec.name == "hr_workforce"):
                name_positions[name] = pos
        elif not name:
            if pos in stripped and stripped[pos][keep_rows].notna().any():
                dropped.append(f"(no name, column {letter})")
        elif spec.item_columns and (item_lookup is None or name in item_lookup):
            columns[name if item_lookup is None else item_lookup[name]] = pos
        elif spec.item_columns:
            unknown_items.append(name)
            problems.append(Problem(
                file=file, rule="PARSE-UNKNOWN-ITEM", severity="warning", row=1, column=name,
                column_letter=letter, value=header[pos],
                why="This survey item column is not in the codebook (health_check_items); "
                    "its answers are not loaded.",
                action="Add the item to the codebook or rename the column to its item_id."))
        else:
            dropped.append(name)
    if dropped:
        notes.append(f"{file}: dropped columns not in the contract: {', '.join(dropped)}.")
    if never:
        notes.append(f"{file}: direct-identifier columns never loaded: {', '.join(never)}.")

    absent = [c.name for c in spec.columns
              if c.name not in columns and not c.required and c.warn_if_absent]
    problems += [Problem(
        file=file, rule="PARSE-MISSING-COLUMN", severity="error", row=1, column=c.name,
        why=f"The required column '{c.name}' is missing.",
        action=f"Add a '{c.name}' column (see docs/data-contract.md).")
        for c in spec.columns if c.required and c.name not in columns]
    if absent and header:  # one warning for all absent optional columns
        problems.append(Problem(
            file=file, rule="PARSE-ABSENT-COLUMN", severity="warning", row=1,
            why=f"Optional columns missing, treated as blank: {', '.join(absent)}.",
            action="Add them if the source system holds them."))
    if not keep_rows.any():
        problems.append(Problem(
            file=file, rule="PARSE-EMPTY", severity="error", row=1,
            why="The file has no data rows." if header else "The file is empty.",
            action="Check the extract was exported with its data."))

    keep_idx = body.index[keep_rows.to_numpy()]
    kept_rows = rows.loc[keep_idx].reset_index(drop=True)
    letters = {name: column_letter(pos) for name, pos in columns.items()}
    code_maps = (config.code_maps if config is not None else {}).get(spec.name, {})
    frame: dict[str, pd.Series] = {}
    item_names = [n for n in columns if n not in spec.column_names]
    specs = [(c.name, c) for c in spec.columns] + [(n, spec.item_spec) for n in item_names]
    for name, col in specs:
        if name not in columns:
            frame[name] = pd.Series(pd.NA, index=range(len(kept_rows)), dtype=col.pandas_dtype)
            continue
        raw = stripped[columns[name]].loc[keep_idx].reset_index(drop=True)
        too_long = raw.str.len().fillna(0) > MAX_CELL_CHARS
        if too_long.any():
            problems += cell_problems(file, "PARSE-TOO-LONG", name, letters[name], too_long,
                                      raw.str.slice(0, 60), kept_rows)
            raw = raw.mask(too_long)
        values = apply_code_map(raw, code_maps.get(name, {}))
        typed, bad, rule = type_column(values, col)
        if bad.any():
            problems += cell_problems(file, rule, name, letters[name], bad, raw, kept_rows)
        frame[name] = typed
    frame["_row"] = kept_rows.astype("int64")
    result = ReadResult(
        extract=spec.name, file=file, path=Path(file), frame=pd.DataFrame(frame),
        column_letters=letters, problems=problems, notes=notes,
        item_ids=tuple(item_names))
    if SWE_COLUMN in name_positions and "worker_id" in columns:
        swe = name_positions.pop(SWE_COLUMN)
        result.crosswalk, clashes = crosswalk_from(
            stripped[columns["worker_id"]].loc[keep_idx].reset_index(drop=True),
            stripped[swe].loc[keep_idx].reset_index(drop=True), kept_rows)
        result.problems += [Problem(**{**p.to_dict(), "file": file,
                                       "column_letter": column_letter(swe)}) for p in clashes]
    if name_positions:
        result.staff_names = staff_names_from(
            {n: stripped[p].loc[keep_idx] for n, p in name_positions.items()})
    return result


def local_column_names(config: AuthorityConfig | None, extract: str) -> dict[str, str]:
    """authority.yml `column_names` of one extract: normalised local header -> contract name."""
    mapping = (config.column_names if config is not None else {}).get(extract, {})
    return {normalise_header(local): column for local, column in mapping.items()}


def check_column_names(config: AuthorityConfig | None) -> None:
    """Every `column_names` setting names an extract and one of its columns (or an identifier
    column that is never loaded); otherwise unusable input naming the setting."""
    settings = config.column_names if config is not None else {}
    for extract, mapping in settings.items():
        spec = SPECS.get(extract)
        if spec is None:
            raise _config_error(config, f"column_names.{extract}",
                                f"'{extract}' is not an extract; the extracts are "
                                f"{', '.join(EXTRACTS)}.")
        allowed = set(spec.column_names) | set(NEVER_LOADED)
        for local, column in mapping.items():
            if column not in allowed and not spec.item_columns:
                raise _config_error(
                    config, f"column_names.{extract}.{local}",
                    f"'{column}' is not a column of {extract}; its columns are "
                    f"{', '.join(spec.column_names)}.")


def _config_error(config: AuthorityConfig, setting: str, why: str) -> UnusableInput:
    return UnusableInput(Problem(
        file=config.source_path or "authority.yml", rule="CONFIG-004", severity="error",
        column=setting, why=f"Setting '{setting}': {why}",
        action="Map each header your system exports to a contract column (docs/data-contract.md)."))


def normalise_swe(values: pd.Series) -> pd.Series:
    """SWE registration numbers compared without spaces and case (SW 012345 == sw012345)."""
    return values.astype("string").str.replace(r"\s+", "", regex=True).str.upper()


def crosswalk_from(local: pd.Series, swe: pd.Series, rows: pd.Series
                   ) -> tuple[dict[str, str], list[Problem]]:
    """SWE number -> local worker_id, and an error for an SWE number given two local ids."""
    pairs = pd.DataFrame({"swe": normalise_swe(swe), "local": local.astype("string"),
                          "row": rows.to_numpy()}).dropna(subset=["swe", "local"])
    pairs = pairs.drop_duplicates(["swe", "local"])
    clash = pairs.duplicated("swe", keep="first")
    problems = [Problem(
        file="", rule="INGEST-CROSSWALK", severity="error", row=int(r), column=SWE_COLUMN,
        why="This SWE number is given for two different local worker ids, so the census "
            "worker cannot be joined to one of them.",
        action="Give each SWE number one local worker_id.") for r in pairs.loc[clash, "row"]]
    kept = pairs[~clash]
    return dict(zip(kept["swe"], kept["local"], strict=True)), problems


def read_crosswalk(path: Path) -> ReadResult:
    """worker_crosswalk.csv/.xlsx (worker_id, swe_no): read into memory, never loaded.

    The ReadResult's frame is empty; `crosswalk` holds SWE number -> local worker_id."""
    data, sha256 = read_bytes(path)
    if path.suffix.lower() == ".xlsx":
        header, body, problems = xlsx_grid(path, path.name)
    else:
        header, body, problems = csv_grid(decode_text(data, path.name), path.name)
    names = [normalise_header(h) for h in header]
    missing = [c for c in ("worker_id", SWE_COLUMN) if c not in names]
    result = ReadResult(extract=CROSSWALK, file=path.name, path=path,
                        frame=pd.DataFrame({"_row": pd.Series(dtype="int64")}),
                        problems=problems, sha256=sha256)
    if missing:
        result.problems.append(Problem(
            file=path.name, rule="PARSE-MISSING-COLUMN", severity="error", row=1,
            column=missing[0], why=f"The crosswalk needs the columns worker_id and swe_no; "
                                   f"{', '.join(missing)} is missing.",
            action="Give the file two columns: worker_id (the local staff id) and swe_no."))
        return result
    rows = pd.Series(np.arange(len(body), dtype=np.int64) + 2)
    local, swe = (_strip(body[names.index(c)]) for c in ("worker_id", SWE_COLUMN))
    result.crosswalk, clashes = crosswalk_from(local, swe, rows)
    result.problems += [Problem(**{**p.to_dict(), "file": path.name}) for p in clashes]
    result.notes.append(f"{path.name}: {len(result.crosswalk):,} SWE numbers joined to local "
                        "worker ids in memory (the SWE numbers are never stored).")
    return result


def staff_names_from(name_columns: dict[str, pd.Series]) -> frozenset[str]:
    """First names, surnames and full names, for the scrubbing list (in memory only)."""
    parts = [s.dropna() for s in name_columns.values()]
    if "first_name" in name_columns and "surname" in name_columns:
        full = (name_columns["first_name"] + " " + name_columns["surname"]).dropna()
        parts.append(full)
    if not parts:
        return frozenset()
    return frozenset(pd.concat(parts).astype(str).str.strip().loc[lambda s: s != ""].unique())
