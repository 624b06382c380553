"""Read a reporting-year folder and prepare the frames loaded as `candidate.*` (docs/design.md §2).

`read_year` reads and types every extract present (no key needed: `psw validate` uses it).
`prepare_year` then pseudonymises ids, drops direct identifiers, turns birth dates into age
bands, scrubs comments, melts survey answers to one row per answered item, and stamps every
row with reporting_year, source_sha256 and source_row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from assets.candidate.contract import (
    AGE_BANDS,
    BIRTH_DATE_COLUMN,
    CROSSWALK,
    CSWW,
    EXTRACTS,
    HEALTH_CHECK_ANSWERS,
    SPECS,
    TABLES,
    missing_extracts,
    table_schema,
)
from assets.candidate.csww import read_csww
from assets.candidate.pseudonymise import PSEUDONYM_DTYPE, pseudonymise_column
from assets.candidate.readers import (
    ReadResult,
    check_column_names,
    csv_grid,
    decode_text,
    find_extracts,
    normalise_swe,
    other_files,
    read_bytes,
    read_crosswalk,
    type_grid,
    xlsx_grid,
)
from assets.candidate.scrub import scrub_text
from psw_core.config import AuthorityConfig
from psw_core.problems import Problem

_DUCKDB_TO_PANDAS = {"VARCHAR": "string", "INTEGER": "Int64", "DOUBLE": "Float64",
                     "DATE": "datetime64[ns]", "BLOB": PSEUDONYM_DTYPE}


@dataclass
class PreparedYear:
    year: int
    tables: dict[str, pd.DataFrame]  # every table of contract.TABLES; empty when no extract
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: dict[str, dict] = field(default_factory=dict)  # file name -> path, sha256, rows
    # Pseudonymised, scrubbed copies of the ReadResults (same columns, `_row`, letters,
    # problems) for the checks stage. person_birth_date is still there: in memory only.
    read_results: dict[str, ReadResult] = field(default_factory=dict)
    # Every source as read, in reading order, without its rows (stream_year hands them on),
    # and its number of rows.
    sources: dict[str, ReadResult] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)  # extracts with no file
    pattern_only_scrub: bool = False  # no staff names were available (CSWW-only workforce)

    def files_for(self, extract: str) -> list[dict]:
        """The input files that fed one extract/table (the census and a CSV may both)."""
        return [info for info in self.files.values() if extract in info["extracts"]]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)



def read_extract(path: Path, extract: str, config: AuthorityConfig | None,
                 reporting_year: int | None = None,
                 item_ids: list[str] | None = None) -> ReadResult:
    """Read and type one extract file.

    A census return (.xml) is read through assets.candidate.csww (extract = hr_workforce or hr_vacancies);
    `reporting_year` then checks the census year and its leaving dates. `item_ids` are the
    codebook's item ids for health_check_responses (None: every unknown column is an item).
    Raises UnusableInput for a file that cannot be read at all.
    """
    path = Path(path)
    if extract not in SPECS:
        raise ValueError(f"unknown extract {extract!r}")
    if path.suffix.lower() == ".xml":
        return read_csww(path, config, reporting_year)[extract]
    data, sha256 = read_bytes(path)
    if path.suffix.lower() == ".xlsx":
        header, body, problems = xlsx_grid(path, path.name)
    else:
        header, body, problems = csv_grid(decode_text(data, path.name), path.name)
    del data  # the file's bytes are not needed beside its grid
    result = type_grid(header, body, SPECS[extract], path.name, config, item_ids=item_ids,
                       problems=problems)
    result.path, result.sha256 = path, sha256
    return result


def year_from_folder(year_dir: Path) -> int | None:
    """The reporting year named by a folder such as data/raw/2025."""
    name = Path(year_dir).name
    return int(name) if re.fullmatch(r"\d{4}", name) else None


def read_year(year_dir: Path, year: int | None, config: AuthorityConfig | None
              ) -> dict[str, ReadResult]:
    """Every extract present in the folder, read and typed, keyed by source.

    Keys are extract names for CSV/XLSX files and `csww:hr_workforce` / `csww:hr_vacancies`
    for the census file; `ReadResult.extract` always holds the contract name. An adults-only
    hr_workforce/hr_vacancies file may sit beside the census return; children's rows in it are an error.
    """
    check_column_names(config)
    found = find_extracts(Path(year_dir))
    results = dict(_reads(found, year, config))
    join_census(results, read_crosswalk(found[CROSSWALK]) if CROSSWALK in found else None)
    return results


def _reads(found: dict[str, Path], year: int | None, config: AuthorityConfig | None
           ) -> Iterator[tuple[str, ReadResult]]:
    """The folder's extracts read one at a time, in reading order (the census first, then the
    contract's order: the codebook before the responses that need its item ids)."""
    if CSWW in found:
        for extract, result in read_csww(found[CSWW], config, year).items():
            yield f"{CSWW}:{extract}", result
    item_ids = None
    for extract in EXTRACTS:
        if extract not in found:
            continue
        result = read_extract(found[extract], extract, config, year, item_ids=item_ids)
        if extract == "health_check_items":  # taken now: the consumer may drop the frame
            item_ids = list(result.frame["item_id"].dropna().unique())
        if CSWW in found and extract in ("hr_workforce", "hr_vacancies"):
            result.problems.extend(_children_twice(result, found[CSWW].name))
        yield extract, result


def join_census(results: dict[str, ReadResult], crosswalk: ReadResult | None) -> None:
    """Give census workers their local worker_id, in memory, before anything is pseudonymised.

    The census keys workers by SWE number; the other extracts use local ids. The SWE -> local
    id pairs come from worker_crosswalk.csv/.xlsx and from a swe_no column of an HR extract.
    A census worker found in neither keeps its SWE number as id (pseudonymised like any id).
    """
    census = results.get(f"{CSWW}:hr_workforce")
    pairs: dict[str, str] = {}
    for result in ([crosswalk] if crosswalk else []) + list(results.values()):
        pairs.update({k: v for k, v in result.crosswalk.items() if k not in pairs})
        result.crosswalk = {}  # SWE numbers go no further than this join
    target = census or next(iter(results.values()), None)
    if crosswalk is not None and target is not None:
        target.problems += crosswalk.problems
        target.notes += crosswalk.notes
    if census is None or not pairs:
        return
    ids = census.frame["worker_id"]
    local = normalise_swe(ids).map(pairs)
    census.frame = census.frame.assign(worker_id=local.fillna(ids).astype("string"))
    census.notes.append(f"{census.file}: {int(local.notna().sum()):,} of {len(ids):,} census "
                        "workers joined to their local worker id through the crosswalk.")


def _children_twice(result: ReadResult, census: str) -> list[Problem]:
    """Children's rows in a local HR file beside the census return would count them twice."""
    children = (result.frame["service"] == "children").fillna(False).to_numpy(bool)
    if not children.any():
        return []
    first = int(result.frame["_row"].to_numpy()[np.flatnonzero(children)[0]])
    return [Problem(
        file=result.file, rule="INGEST-CHILDREN-TWICE", severity="error", row=first,
        column="service", column_letter=result.column_letters.get("service"), value="children",
        why=f"The census return {census} supplies the children's {result.extract}, but this "
            f"file also has {int(children.sum())} children's rows (the first is shown).",
        action=f"Keep only adults' rows in this file, or move {census} out of the folder.")]


def age_band(birth: pd.Series, reference: pd.Timestamp) -> pd.Series:
    """Age band at the reference date; blank (or implausible, under 16 or over 100) -> NA."""
    months_days = birth.dt.month * 100 + birth.dt.day
    before_birthday = months_days > reference.month * 100 + reference.day
    age = reference.year - birth.dt.year - before_birthday.astype("Int64")
    bands = pd.cut(age.astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                   [-np.inf, 29, 39, 49, 59, np.inf], labels=AGE_BANDS)
    out = pd.Series(bands, index=birth.index).astype("string")
    return out.where((age >= 16).fillna(False) & (age <= 100).fillna(False))


def _pseudonymised(result: ReadResult, key: bytes, staff_names: frozenset[str],
                   con: duckdb.DuckDBPyConnection | None = None) -> ReadResult:
    """A copy with ids pseudonymised (through `con`, an in-memory connection, when given) and
    comments scrubbed; no staff names kept."""
    frame = result.frame.copy(deep=False)  # copy-on-write: the other columns are not copied
    for column, kind in SPECS[result.extract].id_columns.items():
        frame[column] = pseudonymise_column(frame[column], key, kind, con)
    if "comments" in frame:
        frame["comments"] = scrub_text(frame["comments"], staff_names)
    return replace(result, frame=frame, staff_names=frozenset(),
                   problems=list(result.problems), notes=list(result.notes))


def _typed(table: str, frame: pd.DataFrame, without: tuple[str, ...] = ()) -> pd.DataFrame:
    """Columns in table order (leaving out `without`), with the pandas dtypes matching the
    DuckDB types."""
    schema = [(c, t) for c, t in table_schema(table) if c not in without]
    out = pd.DataFrame({c: frame[c] if c in frame else pd.Series(pd.NA, index=frame.index)
                        for c, _ in schema}, index=frame.index)
    return out.astype({c: _DUCKDB_TO_PANDAS[t] for c, t in schema}).reset_index(drop=True)


def _stamp(frame: pd.DataFrame, year: int, sha256: str) -> pd.DataFrame:
    return frame.assign(reporting_year=year, source_sha256=sha256, source_row=frame["_row"])


Handle = Callable[[str, ReadResult], None]


def prepare_year(year_dir: Path, year: int, config: AuthorityConfig,
                 key: bytes, tables: bool = True) -> PreparedYear:
    """The year's candidate.* frames, problems and provenance (docs/interfaces.md).

    `tables=False` leaves `tables` empty, to be made by `candidate_tables` once the checks have
    run. Every extract's frame is held at once: the candidate asset uses `stream_year` instead."""
    collected: dict[str, ReadResult] = {}
    prepared = stream_year(year_dir, year, config, key, collected.__setitem__)
    # In reading order, with the problems and notes the census join added after the read.
    prepared.read_results = {
        source: replace(collected[source], problems=list(stub.problems), notes=list(stub.notes))
        for source, stub in prepared.sources.items()}
    if tables:
        prepared.tables = candidate_tables(prepared, config)
    return prepared


def stream_year(year_dir: Path, year: int, config: AuthorityConfig, key: bytes,
                handle: Handle) -> PreparedYear:
    """Read the year one extract at a time and hand each on, pseudonymised and scrubbed, to
    `handle(source, result)`; its frame is dropped after, so only one extract's rows are held.

    Three kinds of extract wait until every file is read: the census workforce (the crosswalk's
    SWE numbers may come from any file), any extract with comments (scrubbed of the staff names
    of every file), and a later source of a table one of those feeds (so each table's rows keep
    the reading order). Returns the provenance as `prepare_year(tables=False)` does; `sources`
    keeps each source's read, problems and notes without its rows."""
    year_dir = Path(year_dir)
    check_column_names(config)
    found = find_extracts(year_dir)
    sources: dict[str, ReadResult] = {}
    rows: dict[str, int] = {}
    waiting: list[str] = []
    waiting_tables: set[str] = set()

    def hand_on(source: str, names: frozenset[str], con: duckdb.DuckDBPyConnection) -> None:
        result = sources[source]
        rows[source] = result.rows
        ready = _pseudonymised(result, key, names, con)
        result.frame = result.frame.iloc[:0].copy()  # raw ids go no further; a copy frees the rows
        handle(source, ready)

    with duckdb.connect() as con:  # private and in memory, for the hashing only
        for source, result in _reads(found, year, config):
            sources[source] = result
            tables = _tables_of(result)
            if (source == f"{CSWW}:hr_workforce" or "comments" in result.frame
                    or tables & waiting_tables):
                waiting.append(source)
                waiting_tables |= tables
            else:
                hand_on(source, frozenset(), con)  # no comments: no names to scrub
        join_census(sources, read_crosswalk(found[CROSSWALK]) if CROSSWALK in found else None)
        staff_names = frozenset().union(*(r.staff_names for r in sources.values()))
        for source in waiting:
            hand_on(source, staff_names, con)
    for result in sources.values():
        result.staff_names = frozenset()  # no staff names kept
    prepared = PreparedYear(year=year, tables={}, sources=sources)
    prepared.problems += other_files(year_dir, found)
    for source, result in sources.items():
        prepared.problems += result.problems
        prepared.notes += result.notes
        entry = prepared.files.setdefault(result.file, {"path": str(result.path),
                                                        "sha256": result.sha256, "rows": 0,
                                                        "extracts": []})
        entry["extracts"].append(result.extract)
        prepared.rows[source] = rows[source]
        if not (result.extract == "hr_vacancies" and result.file.lower().endswith(".xml")):
            entry["rows"] += rows[source]  # a census: rows = workers, not the vacancy row
    present = {r.extract for r in sources.values()}
    prepared.missing = missing_extracts(present)
    prepared.pattern_only_scrub = not staff_names
    if "health_check_responses" in present:
        prepared.notes.append(
            "Comments were scrubbed of emails, phone numbers, postcodes and NI numbers"
            + (" only (no staff names were available)." if not staff_names
               else f", and of {len(staff_names):,} staff name forms."))
    return prepared


def _tables_of(result: ReadResult) -> set[str]:
    """The candidate tables a read feeds."""
    if result.extract == "health_check_responses":
        return {result.extract, HEALTH_CHECK_ANSWERS}
    return {result.extract}


def source_tables(result: ReadResult, reference: pd.Timestamp,
                  stamps: tuple[str, ...] = ("reporting_year", "source_sha256")
                  ) -> dict[str, pd.DataFrame]:
    """One read's rows for each table it feeds, typed as in DuckDB, without the constant
    `stamps` (the writer adds them in SQL rather than as a column per row); empty tables left
    out. `candidate_tables` is the same, for every read of the year at once."""
    frame = result.frame.assign(source_row=result.frame["_row"])
    if result.extract == "hr_workforce":
        frame = frame.assign(age_band=age_band(frame[BIRTH_DATE_COLUMN], reference))
    parts = {result.extract: frame}
    if result.extract == "health_check_responses" and result.item_ids:
        id_vars = ["response_id", *[s for s in ("reporting_year", "source_sha256")
                                    if s not in stamps], "source_row"]
        answers = frame.melt(id_vars=id_vars, value_vars=list(result.item_ids),
                             var_name="item_id", value_name="answer")
        parts[HEALTH_CHECK_ANSWERS] = answers.dropna(subset=["answer"])
    return {table: _typed(table, part, without=stamps)
            for table, part in parts.items() if not part.empty}


def candidate_tables(prepared: PreparedYear, config: AuthorityConfig) -> dict[str, pd.DataFrame]:
    """Every table of contract.TABLES from the prepared read results, typed as in DuckDB: rows
    stamped with reporting_year, source_sha256 and source_row, birth dates as age bands,
    survey answers melted to one row per answered item; empty when no extract fed a table."""
    year = prepared.year
    reference = pd.Timestamp(config.reference_date(year))
    parts: dict[str, list[pd.DataFrame]] = {t: [] for t in TABLES}
    for result in prepared.read_results.values():
        frame = _stamp(result.frame, year, result.sha256)
        if result.extract == "hr_workforce":
            frame = frame.assign(age_band=age_band(frame[BIRTH_DATE_COLUMN], reference))
        if result.extract == "health_check_responses" and result.item_ids:
            answers = frame.melt(id_vars=["response_id", "reporting_year", "source_sha256",
                                          "source_row"], value_vars=list(result.item_ids),
                                 var_name="item_id", value_name="answer")
            parts[HEALTH_CHECK_ANSWERS].append(answers.dropna(subset=["answer"]))
        parts[result.extract].append(frame)
    tables = {}
    for table in TABLES:
        frames = [f for f in parts.pop(table) if not f.empty]
        combined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
            columns=[c for c, _ in table_schema(table)])
        tables[table] = _typed(table, combined)
    return tables
