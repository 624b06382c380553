"""Output writers for the published stage (docs/design.md §5): CSVs, the accessible ODS workbook, the
read-only DuckDB snapshot and the internal, unsuppressed headline file.

Every writer is atomic (a temporary file in the target folder, then `os.replace`) and
deterministic (stable row order, canonical number text, no timestamps), so the same input gives
byte-identical files.
"""

from __future__ import annotations

import csv
import glob
import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb
import pandas as pd
from odf import dc
from odf.element import Element
from odf.namespaces import nsdict
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import A, P

from assets.published.disclosure import SHORTHAND, format_cell, is_number
from assets.published.labels import for_spreadsheet, with_label_columns
from assets.published.tables import (
    CROSS_YEAR_TABLES,
    HEADLINE_MEASURES,
    SERVICES,
    TABLE_TITLES,
)
from psw_core.cells import FORMULA_PREFIXES, neutralise  # noqa: F401
from psw_core.config import AuthorityConfig

# Text beginning with these is run as a formula by spreadsheet programs (CSV injection).
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
INTERNAL_BANNER = (
    "# UNSUPPRESSED MANAGEMENT INFORMATION for the data team: not for publication. "
    "Unrounded, no disclosure control. Read with pandas.read_csv(path, comment='#')."
)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file in the same folder, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # A writer killed mid-write (SIGKILL, power cut) leaves its temporary behind: sweep those
    # of this target (writers hold the warehouse lock, so none is in use by another build).
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp*"):
        stale.unlink(missing_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


# ---------------------------------------------------------------------------------------------
# CSV


def _one_line_ending(text: str) -> str:
    """A lone CR inside a cell is not quoted by the csv module when rows end in LF, and would
    split the row for readers that treat CR as a line end: make every line break LF (quoted)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def table_csv_text(table: pd.DataFrame) -> str:
    """One header row, then rows in frame order; numbers unquoted, text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_one_line_ending(format_cell(neutralise(str(c)))) for c in table.columns])
    cells = table.astype(object).map(
        lambda c: format_cell(c) if is_number(c) else _one_line_ending(format_cell(neutralise(c))))
    writer.writerows(cells.itertuples(index=False, name=None))
    return buffer.getvalue()


def write_csvs(tables: Mapping[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table to `<out_dir>/<table>.csv` (UTF-8, `\\n` line endings)."""
    out_dir = Path(out_dir)
    written = []
    for name, table in tables.items():
        text = table_csv_text(with_label_columns(table))  # stable names, plus `<code>_label`
        written.append(
            _atomic_write(out_dir / f"{name}.csv", lambda p, t=text: p.write_bytes(t.encode()))
        )
    return written


# ---------------------------------------------------------------------------------------------
# ODS (GSS "Releasing statistics in spreadsheets")


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\'" else ch for ch in name)
    return cleaned[:31]


class _Workbook:
    """A thin helper over odfpy for text, numeric and link cells with two styles."""

    def __init__(self, title: str) -> None:
        self.doc = OpenDocumentSpreadsheet()
        self.doc.meta.addElement(dc.Title(text=title))
        self.doc.meta.addElement(dc.Language(text="en-GB"))
        self.heading = Style(name="Heading1", family="table-cell")
        self.heading.addElement(TextProperties(fontweight="bold", fontsize="14pt"))
        self.header = Style(name="HeaderRow", family="table-cell")
        self.header.addElement(TextProperties(fontweight="bold"))
        self.column = Style(name="WideColumn", family="table-column")
        self.column.addElement(TableColumnProperties(columnwidth="4.5cm"))
        for style in (self.heading, self.header, self.column):
            self.doc.automaticstyles.addElement(style)

    def sheet(self, name: str, columns: int) -> Table:
        table = Table(name=name)
        table.addElement(TableColumn(numbercolumnsrepeated=max(columns, 1), stylename=self.column))
        self.doc.spreadsheet.addElement(table)
        return table

    @staticmethod
    def cell(value: object, style: Style | None = None, link: str | None = None) -> TableCell:
        kwargs = {"stylename": style} if style is not None else {}
        if is_number(value):
            cell = TableCell(valuetype="float", value=format_cell(value), **kwargs)
            cell.addElement(P(text=format_cell(value)))
            return cell
        text = format_cell(neutralise(value))  # an ODS text cell is not a formula, but a CSV
        cell = TableCell(valuetype="string", **kwargs)  # export of it would be: neutralise
        if link:
            paragraph = P()
            paragraph.addElement(A(type="simple", href=link, text=text))
            cell.addElement(paragraph)
        elif text:
            cell.addElement(P(text=text))
        return cell

    def row(self, table: Table, values: Sequence[object], style: Style | None = None,
            links: Sequence[str | None] | None = None) -> None:
        row = TableRow()
        links = links or [None] * len(values)
        for value, link in zip(values, links, strict=True):
            row.addElement(self.cell(value, style, link))
        table.addElement(row)

    def text_rows(self, table: Table, title: str, lines: Sequence[str]) -> None:
        """Title in A1 and descriptive lines in column A, above the table."""
        self.row(table, [title], self.heading)
        for line in lines:
            self.row(table, [line])

    def to_bytes(self) -> bytes:
        """The package with fixed zip timestamps (odfpy stamps entries with the current time)."""
        # odfpy declares the namespaces it has met so far in the process (a class-level dict):
        # declare every known one, in a fixed order, so output never depends on history.
        Element.namespaces.clear()
        Element.namespaces.update(sorted(nsdict.items(), key=lambda item: item[1]))
        raw = io.BytesIO()
        self.doc.write(raw)
        out = io.BytesIO()
        with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():  # mimetype first and stored, as ODF requires
                fixed = zipfile.ZipInfo(info.filename, ZIP_EPOCH)
                fixed.compress_type = info.compress_type
                fixed.external_attr = 0o644 << 16
                target.writestr(fixed, source.read(info.filename))
        return out.getvalue()


def _notes_rows(threshold: int, notes: Mapping[str, str] | Sequence[str]) -> list[list[str]]:
    rows = [[symbol, meaning] for symbol, meaning in SHORTHAND.items()]
    rows[0][1] += (
        f" Counts of 1 to {threshold} people, cases or responses, rates built on such counts, and"
        " further cells that would let them be worked out from totals."
    )
    if isinstance(notes, Mapping):
        rows += [[key, text] for key, text in notes.items()]
    else:
        rows += [[f"[note {i}]", text] for i, text in enumerate(notes, start=1)]
    return rows


def ods_bytes(
    tables: Mapping[str, pd.DataFrame],
    config: AuthorityConfig,
    notes: Mapping[str, str] | Sequence[str],
    reporting_year: int,
) -> bytes:
    period = (
        f"{config.period_start(reporting_year):%d %B %Y} to "
        f"{config.reference_date(reporting_year):%d %B %Y}"
    )
    title = f"{config.name}: Principal Social Worker report tables, {reporting_year}"
    book = _Workbook(title)
    sheets = {name: _sheet_name(name) for name in tables}

    cover = book.sheet("Cover", 1)
    book.text_rows(cover, title, [
        f"These tables accompany the {config.name} annual Principal Social Worker report for "
        f"reporting year {reporting_year} ({period}).",
        "Rates, FTE, hours and scores are rounded to one decimal place; counts are whole numbers.",
        f"Counts of 1 to {config.suppression_threshold} people, cases or responses are shown as "
        "[c] (confidential), with further cells hidden so they cannot be worked out from totals.",
        "Shorthand used: [c] confidential, [x] not available, [z] not applicable. "
        "The Notes worksheet explains each.",
        "National figures are compared only where the definition matches; each row names the "
        "release it comes from.",
        "The Contents worksheet lists the tables, one per worksheet.",
    ])  # fmt: skip
    published = config.publication_date(reporting_year)
    publication = config.publication or {}
    book.row(cover, [f"Publication date: {published:%-d %B %Y}" if published
                     else "Publication date: not yet published (draft)"])
    if publication.get("contact") or publication.get("email"):
        book.row(cover, ["Contact: " + ", ".join(
            str(publication[k]) for k in ("contact", "email") if publication.get(k))])
    if publication.get("report_url"):
        book.row(cover, [f"The report: {publication['report_url']}"],
                 links=[publication["report_url"]])

    contents = book.sheet("Contents", 3)
    book.text_rows(contents, "Table of contents", ["This worksheet contains one table."])
    book.row(contents, ["Table name", "Table title", "Link"], book.header)
    for name, sheet in sheets.items():
        book.row(contents, [sheet, TABLE_TITLES.get(name, name), f"Go to {sheet}"],
                 links=[None, None, f"#{sheet}.A1"])

    notes_sheet = book.sheet("Notes", 2)
    book.text_rows(notes_sheet, "Notes and shorthand", ["This worksheet contains one table."])
    book.row(notes_sheet, ["Note or symbol", "Meaning"], book.header)
    for row in _notes_rows(config.suppression_threshold, notes):
        book.row(notes_sheet, row)

    for name, table in tables.items():
        sheet = book.sheet(sheets[name], len(table.columns))
        lines = [
            "This worksheet contains one table. Shorthand: [c] confidential, [x] not available, "
            "[z] not applicable (see the Notes worksheet).",
        ]
        if table.empty:
            lines.append("There are no figures for this table this year.")
        book.text_rows(sheet, TABLE_TITLES.get(name, name), lines)
        table = for_spreadsheet(name, table)  # labels, not codes; headers in words with units
        book.row(sheet, [str(c) for c in table.columns], book.header)
        for values in table.astype(object).itertuples(index=False, name=None):
            book.row(sheet, values)  # one sheet row per table row: the ODS format is row-wise
    return book.to_bytes()


def write_ods(
    tables: Mapping[str, pd.DataFrame],
    path: str | Path,
    config: AuthorityConfig,
    notes: Mapping[str, str] | Sequence[str] = (),
    reporting_year: int | None = None,
) -> Path:
    """Write the accessible workbook: Cover, Contents, Notes, then one table per sheet.

    The year defaults to the tables' `reporting_year` (the largest, for cross-year tables)."""
    if reporting_year is None:
        years = [int(t["reporting_year"].max()) for t in tables.values() if not t.empty]
        reporting_year = max(years) if years else 0
    content = ods_bytes(tables, config, notes, reporting_year)
    return _atomic_write(Path(path), lambda p: p.write_bytes(content))


# ---------------------------------------------------------------------------------------------
# DuckDB snapshot


def write_snapshot(con: duckdb.DuckDBPyConnection, reporting_year: int, path: str | Path) -> Path:
    """Copy the year's published.* rows (every year up to it, for cross-year tables) into a
    fresh DuckDB file that the report opens read-only.

    The tables sit in the snapshot's `main` schema: opened as `published.duckdb`, the catalog
    is `published`, so `published.<table>` and `<table>` both resolve (a `published` schema
    inside a `published` catalog would make `published.<table>` ambiguous)."""
    names = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'published' "
            "and table_catalog = current_database() order by table_name"
        ).fetchall()
    ]

    def write(temporary: Path) -> None:
        temporary.unlink(missing_ok=True)  # mkstemp made an empty file; DuckDB wants none
        con.execute("attach ? as psw_snapshot", [str(temporary)])
        try:
            for name in names:
                year_filter = "<=" if name in CROSS_YEAR_TABLES else "="
                con.execute(
                    f"create table psw_snapshot.main.{name} as select * from "
                    f"published.{name} where reporting_year {year_filter} ?",
                    [reporting_year],
                )
        finally:
            con.execute("detach psw_snapshot")
        Path(f"{temporary}.wal").unlink(missing_ok=True)

    return _atomic_write(Path(path), write)


# ---------------------------------------------------------------------------------------------
# Internal headline file (unsuppressed)


INTERNAL_COLUMNS = (
    "measure", "service", "value", "numerator", "denominator", "unit", "ci_lower", "ci_upper",
    "source",
)  # fmt: skip


def write_headline_measures(
    con: duckdb.DuckDBPyConnection, reporting_year: int, path: str | Path
) -> Path:
    """Every headline measure at service level, unrounded and unsuppressed, for the data team.

    The first line is a `# ` banner saying so; text fields are quoted so that a `#` inside one
    never reads as a comment."""
    frame = con.execute(
        "select * from metrics.measures where reporting_year = ? "
        "and coalesce(breakdown, '') = '' and month_end is null",
        [reporting_year],
    ).df()
    for column in INTERNAL_COLUMNS:
        if column not in frame:
            frame[column] = None
    measure_order = {m: i for i, m in enumerate(HEADLINE_MEASURES)}
    frame = frame.assign(
        _m=frame["measure"].map(measure_order).fillna(len(measure_order)),
        _s=frame["service"].map({s: i for i, s in enumerate(SERVICES)}).fillna(len(SERVICES)),
    ).sort_values(["_m", "measure", "_s", "service"], kind="mergesort")
    frame = frame[list(INTERNAL_COLUMNS)].astype(object)
    frame = frame.where(frame.notna(), None)

    buffer = io.StringIO()
    buffer.write(INTERNAL_BANNER + "\n")
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(INTERNAL_COLUMNS)
    rows = frame.map(lambda c: float(c) if is_number(c) else (
        None if c is None else neutralise(str(c))))
    writer.writerows(rows.itertuples(index=False, name=None))
    text = buffer.getvalue()
    return _atomic_write(Path(path), lambda p: p.write_bytes(text.encode()))
