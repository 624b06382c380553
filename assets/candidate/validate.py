"""`psw validate`: check one reporting-year folder without loading anything (docs/design.md §5).

Read problems (assets.candidate), Great Expectations suites (gx_runner) and cross-extract SQL
(cross_extract) are gathered into one `ValidationReport`. It never needs the pseudonymisation
key and never opens a warehouse. Console text may show offending values, because it runs where
the data already is; everything written to disk (JSON by default, the error workbook, the HTML
pages) shows them only through `Problem.redacted()`.
"""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from assets.candidate import cross_extract, gx_runner, gx_worker
from assets.candidate.contract import CSWW, EXTRACTS, has_build_minimum, missing_extracts
from assets.candidate.csww import VACANCY_BLOCKS, VACANCY_ITEMS
from psw_core.config import AuthorityConfig
from psw_core.problems import Problem, UnusableInput

REDACTED = "<redacted>"
# Columns never written to disk as received: identifiers, birth dates, free text (docs/design.md §2).
SENSITIVE_COLUMNS = frozenset({
    "worker_id", "case_id", "response_id", "assessment_id", "audit_id", "person_birth_date",
    "comments", "name", "first_name", "surname", "email", "ni_number", "swe_no", "address",
    "postcode",
})
HR_SOURCES = ("hr_workforce", "hr_vacancies")  # the census return can supply these
VACANCY_ELEMENTS = frozenset((*VACANCY_BLOCKS, *VACANCY_ITEMS))


@dataclass
class ValidationReport:
    """Everything `psw validate` found in one folder."""

    folder: str
    year: int | None = None
    period: tuple[str, str] | None = None  # first and last day of P, ISO dates
    files: dict[str, str] = field(default_factory=dict)  # source key -> file name
    rows: dict[str, int] = field(default_factory=dict)  # file name -> data rows
    missing: list[str] = field(default_factory=list)  # extracts not in the folder
    problems: list[Problem] = field(default_factory=list)  # capped per rule
    counts: Counter = field(default_factory=Counter)  # (file, rule) -> failing rows, uncapped
    notes: list[str] = field(default_factory=list)
    unusable: bool = False
    # In memory only, for the error workbook: never serialised.
    frames: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def exit_code(self) -> int:
        """0 clean or warnings only; 1 the data breaks a rule; 2 unusable input (docs/design.md §5)."""
        if self.unusable:
            return 2
        return 1 if self.errors else 0

    def listed(self, file: str, rule: str) -> int:
        return sum(1 for p in self.problems if p.file == file and p.rule == rule)


def folder_year(year_dir: Path) -> int | None:
    """The reporting year from a folder named like `2025`."""
    return int(year_dir.name) if re.fullmatch(r"\d{4}", year_dir.name) else None


def _unusable(report: ValidationReport, problem: Problem) -> ValidationReport:
    report.problems.append(problem)
    report.counts[(problem.file, problem.rule)] += 1
    report.unusable = True
    return report


def validate_folder(
    year_dir: Path, config: AuthorityConfig, year: int | None = None
) -> ValidationReport:
    """Validate the extracts in one reporting-year folder; see ValidationReport.exit_code."""
    from assets.candidate.load import read_year
    from assets.candidate.readers import find_extracts, other_files

    year_dir = Path(year_dir)
    report = ValidationReport(folder=str(year_dir))
    try:
        found = find_extracts(year_dir)
        if not found:  # an empty folder, or files under names we do not know: never a pass
            report.missing = list(EXTRACTS)
            _add(report, [_nothing_found(year_dir)] + other_files(year_dir, found))
            return report
        gx_runner.warm_up(year_dir)  # GX's import overlaps the reading below
        year = year or folder_year(year_dir)
        reads = read_year(year_dir, year, config)
    except UnusableInput as exc:
        return _unusable(report, exc.problem)
    if year is None:  # the CSWW header is the last place a year can come from
        year = next((r.year for r in reads.values() if r.year), None)
    if year is None:
        return _unusable(report, Problem(
            file=year_dir.name, rule="VALIDATE-YEAR", severity="error",
            why="The reporting year is not in the folder name or a CSWW header.",
            action="Name the folder after the year (e.g. data/raw/2025) or pass --year."))
    present = {name for name in found if name != CSWW}
    if CSWW in found:
        present |= set(HR_SOURCES)
    report.missing = missing_extracts(present)
    _add(report, other_files(year_dir, found))
    if not has_build_minimum(found):
        _add(report, [Problem(
            file=year_dir.name, rule="VALIDATE-BUILD-NEEDS", severity="warning",
            why="What is here was checked, but `psw build` will also need the HR workforce: "
                "hr_workforce.csv or .xlsx, or the CSWW census return (any .xml name), and "
                "ideally hr_vacancies. Without it the build stops.",
            action="Add the HR workforce extract or the census return before building.")])
    return validate_reads(reads, config, year, report)


def _nothing_found(year_dir: Path) -> Problem:
    return Problem(
        file=year_dir.name, rule="VALIDATE-NO-EXTRACT", severity="error",
        why="No recognised extract is in this folder. A build needs at least the HR workforce "
            "(hr_workforce.csv or .xlsx, or the CSWW census return as an .xml file of any "
            "name); the other extracts are " + ", ".join(e for e in EXTRACTS
                                                         if e != "hr_workforce") + ".",
        action="Put the year's extracts in the folder under the names in docs/data-contract.md "
               "(CSV or XLSX), and the census return as received.")


def validate_reads(
    reads: dict, config: AuthorityConfig, year: int, report: ValidationReport | None = None
) -> ValidationReport:
    """Run the suites and cross-extract rules on already-read extracts.

    `reads` maps a source key (extract name, or `csww:<extract>`) to a ReadResult-like object
    with `.extract`, `.file`, `.frame`, `.column_letters`, `.problems` and `.notes`.
    """
    report = start_report(report or ValidationReport(folder=""), config, year)
    codebook = None
    if "health_check_items" in reads:
        codebook = set(reads["health_check_items"].frame["item_id"].dropna().astype(str))
    # Every suite is sent off first (to the GX worker when one was started, see
    # gx_worker.start): the cross-extract SQL runs here meanwhile. The report is filled in
    # the order it always was.
    checks = [submit_check(read, config, year, codebook) for read in reads.values()]
    combined: dict[str, list[pd.DataFrame]] = {}
    for read in reads.values():
        combined.setdefault(read.extract, []).append(read.frame)
    frames = {name: parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
              for name, parts in combined.items()}
    files, letters = cross_extract_names(reads)
    cross = cross_extract.check_frames(frames, files, letters)
    for (key, read), check in zip(reads.items(), checks, strict=True):
        report.frames[key] = read.frame
        add_checked(report, key, read, len(read.frame),
                    *checked_problems(key, read, check.result()))
    return add_cross(report, cross, reads)


def start_report(report: ValidationReport, config: AuthorityConfig, year: int
                 ) -> ValidationReport:
    period_start, reference = config.period_start(year), config.reference_date(year)
    report.year, report.period = year, (period_start.isoformat(), reference.isoformat())
    return report


def submit_check(read, config: AuthorityConfig, year: int, codebook: set[str] | None
                 ) -> Future:
    """One source's suite, sent to the GX worker (or run here when none was started): a
    future of its `SuiteOutcome`. `codebook`: the item ids of health_check_items, if any."""
    return gx_worker.submit(
        read.extract, read.frame, file_name=read.file, column_letters=read.column_letters,
        period_start=config.period_start(year), reference_date=config.reference_date(year),
        codebook_items=codebook,
    )


def checked_problems(key: str, read, outcome) -> tuple[list[Problem], dict[tuple[str, str], int]]:
    """One source's suite problems (less what the reader already said) and counts."""
    missing_cols = {(p.file, p.column) for p in read.problems
                    if p.rule == "PARSE-MISSING-COLUMN"}
    # The reader already reported a missing required column; do not say it twice.
    gx_found = [p for p in outcome.problems
                if not (p.rule.endswith("-000") and (p.file, p.column) in missing_cols)]
    counts = {(read.file, r): n for r, n in outcome.unexpected_counts.items()}
    if key.startswith(f"{CSWW}:"):  # a census rule already named this cell: say it once
        gx_found = _once(gx_found, read.problems, counts)
    return gx_found, counts


def check_read(key: str, read, config: AuthorityConfig, year: int,
               codebook: set[str] | None) -> tuple[list[Problem], dict[tuple[str, str], int]]:
    """`checked_problems` of one source's suite, run now."""
    return checked_problems(key, read, submit_check(read, config, year, codebook).result())


def add_checked(report: ValidationReport, key: str, read, rows: int, found: list[Problem],
                counts: dict[tuple[str, str], int]) -> None:
    """Add one source (its `rows`, its reader's problems and notes, then its suite's `found`
    and `counts` from check_read) to the report; sources are added in reading order."""
    report.files[key] = read.file
    if key != f"{CSWW}:hr_vacancies":  # a census's rows are its workers, not its vacancy block
        report.rows[read.file] = report.rows.get(read.file, 0) + rows
    report.notes += list(read.notes)
    _add(report, read.problems)
    _add(report, found, counts)


def cross_extract_names(reads: dict) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """Each extract's file name and column letters for the cross-extract problems (of its last
    source, in reading order)."""
    files: dict[str, str] = {}
    letters: dict[str, dict[str, str]] = {}
    for read in reads.values():
        files[read.extract], letters[read.extract] = read.file, read.column_letters
    return files, letters


def add_cross(report: ValidationReport, cross: list[Problem], reads: dict) -> ValidationReport:
    """Add the cross-extract problems, then sort the report's problems (the last step)."""
    if any(key.startswith(f"{CSWW}:") for key in reads):
        cross = [_census_hint(p) for p in cross]
    _add(report, cross)
    report.problems.sort(key=lambda p: (p.file, p.severity != "error", p.rule, p.row or 0))
    return report


CENSUS_JOIN_HINT = (
    " The HR workforce here includes the CSWW census, which keys workers by SWE number: to join "
    "census workers to the local ids of this extract, add worker_crosswalk.csv (columns "
    "worker_id, swe_no) or a swe_no column to an HR extract (docs/data-contract.md).")


def _census_hint(problem: Problem) -> Problem:
    """Say how to join the census when a worker is not found in an HR built from it."""
    if problem.rule not in {r for r, _, _ in cross_extract.WORKER_CHECKS.values()}:
        return problem
    return Problem(**{**problem.to_dict(), "action": problem.action + CENSUS_JOIN_HINT})


def _once(found: list[Problem], census: list[Problem],
          counts: dict[tuple[str, str], int]) -> list[Problem]:
    """Drop suite problems on a worker and column a census rule already reported."""
    named = {(p.row, p.column) for p in census if p.rule.startswith("CSWW-") and p.row}
    kept = [p for p in found if (p.row, p.column) not in named]
    for p in found:
        if (p.row, p.column) in named:
            counts[(p.file, p.rule)] = counts.get((p.file, p.rule), 1) - 1
    for k in [k for k, n in counts.items() if n <= 0]:
        del counts[k]
    return kept


def _add(report: ValidationReport, problems: list[Problem],
         counts: dict[tuple[str, str], int] | None = None) -> None:
    report.problems += problems
    if counts:
        report.counts.update(counts)
    else:
        report.counts.update(Counter((p.file, p.rule) for p in problems))


# ------------------------------------------------------------------------------- formatters


def _summary_line(report: ValidationReport) -> str:
    errors = sum(n for (f, r), n in report.counts.items() if _severity(report, f, r) == "error")
    warnings = sum(n for (f, r), n in report.counts.items()
                   if _severity(report, f, r) == "warning")
    verdict = {0: "passed", 1: "FAILED: fix the errors and run it again",
               2: "could not read the input"}[report.exit_code]
    year = f" for reporting year {report.year}" if report.year else ""
    return (f"{len(set(report.files.values()))} files checked{year}: {errors:,} errors, "
            f"{warnings:,} warnings. Validation {verdict}.")


def _severity(report: ValidationReport, file: str, rule: str) -> str:
    return next((p.severity for p in report.problems if p.file == file and p.rule == rule),
                "error")


def format_text(report: ValidationReport) -> str:
    """Console report for a council analyst: grouped by file, then rule; values shown."""
    lines = [f"psw validate {report.folder}"]
    if report.period:
        lines.append(f"Reporting period: {report.period[0]} to {report.period[1]}")
    census = {f for k, f in report.files.items() if k.startswith(f"{CSWW}:")}
    if report.rows:
        lines.append("Files read: " + "; ".join(
            f"{file} ({_records(report, file, census)})" for file in sorted(report.rows)))
    if report.missing:
        lines.append("Extracts not in the folder (their sections will say 'no data'): "
                     + ", ".join(report.missing))
    by_file: dict[str, list[Problem]] = {}
    for p in report.problems:
        by_file.setdefault(p.file, []).append(p)
    for file, problems in by_file.items():
        errors = sum(1 for p in problems if p.severity == "error")
        lines += ["", f"== {file} ({_records(report, file, census)}): {errors} error(s) "
                      f"and {len(problems) - errors} warning(s) listed"]
        # A heading describes every row under it: group by the whole message, not the rule id.
        by_message: dict[tuple[str, str, str, str], list[Problem]] = {}
        for p in problems:
            by_message.setdefault((p.severity, p.rule, p.why, p.action), []).append(p)
        listed_per_rule = Counter(p.rule for p in problems)
        groups_left = Counter(rule for _, rule, _, _ in by_message)
        for (severity, rule, why, action), group in by_message.items():
            lines += ["", f"  {severity.upper()} {rule}: {why}",
                      f"    What to do: {action}" if action else ""]
            for p in group:
                lines.append("    " + _where(p, file in census))
            groups_left[rule] -= 1
            if groups_left[rule]:
                continue  # counts are per rule: shown once, under the rule's last group
            hidden = report.counts.get((file, rule), len(group)) - listed_per_rule[rule]
            if hidden > 0:
                unit = "workers" if file in census else "rows"
                lines.append(f"    ... and {hidden:,} more {unit} with the same problem")
    lines += ["", _summary_line(report)]
    return "\n".join(line for line in lines if line is not None) + "\n"


def _records(report: ValidationReport, file: str, census: set[str]) -> str:
    if file not in report.rows:
        return "not read"
    return f"{report.rows[file]:,} {'workers' if file in census else 'rows'}"


def _where(p: Problem, census: bool = False) -> str:
    if census and p.column_letter in VACANCY_ELEMENTS:
        where = f"vacancy block, element {p.column_letter}"
    elif census:  # an XML file has no rows: name the worker's position and the element
        where = f"CSWWWorker {p.row} (in file order)" if p.row is not None else "whole file"
        if p.column_letter:
            where += f", element {p.column_letter}"
        if p.column:
            where += f" (column {p.column})"
    else:
        where = f"row {p.row}" if p.row is not None else "whole file"
        if p.column:
            where += f", column {p.column}" + (f" ({p.column_letter})" if p.column_letter else "")
    if p.value is not None:
        return where + f": value {p.value!r}"
    return where + (": blank" if p.column or census else "")


def report_dict(report: ValidationReport, redact: bool = True) -> dict:
    """A JSON-ready dict; values redacted unless asked (CI logs are persisted)."""
    problems = [p.redacted() if redact else p for p in report.problems]
    rules = sorted({(f, r) for f, r in report.counts})
    return {
        "folder": report.folder,
        "year": report.year,
        "period": {"start": report.period[0], "end": report.period[1]} if report.period else None,
        "exit_code": report.exit_code,
        "files": report.files,
        "rows": report.rows,
        "missing_extracts": report.missing,
        "summary": {
            "errors": sum(report.counts[k] for k in rules
                          if _severity(report, *k) == "error"),
            "warnings": sum(report.counts[k] for k in rules
                            if _severity(report, *k) == "warning"),
        },
        "rules": [{"file": f, "rule": r, "severity": _severity(report, f, r),
                   "count": report.counts[(f, r)], "listed": report.listed(f, r)}
                  for f, r in rules],
        "problems": [p.to_dict() for p in problems],
        "notes": report.notes,
    }


def format_json(report: ValidationReport, redact: bool = True) -> str:
    """Machine-readable report for CI."""
    return json.dumps(report_dict(report, redact=redact), indent=2, ensure_ascii=False) + "\n"


def _replace_atomically(path: Path, write) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _safe_rows(frame: pd.DataFrame, rows: list[int]) -> pd.DataFrame:
    """The problem rows of a frame, as typed, with identifiers and free text redacted."""
    picked = frame[frame["_row"].isin(rows)].sort_values("_row")
    out = picked.rename(columns={"_row": "row"})
    out = out[["row", *[c for c in out.columns if c != "row"]]].astype(object)
    for col in [c for c in out.columns if c in SENSITIVE_COLUMNS]:
        out[col] = out[col].where(out[col].isna(), REDACTED)
    return out.where(out.notna(), None)


def write_error_workbook(report: ValidationReport, path: Path) -> Path:
    """An .xlsx HR colleagues can open: a Problems sheet, then the problem rows of each file.

    Problem values are redacted; row sheets show each problem row as read, with identifiers,
    birth dates and free text shown as <redacted>.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    path = Path(path)
    headers = ["file", "row", "column", "column_letter", "value", "rule", "severity", "why",
               "action"]

    def write(tmp: Path) -> None:
        wb = Workbook()
        sheet = wb.active
        sheet.title = "Problems"
        sheet.append(headers)
        for p in report.problems:
            d = p.redacted().to_dict()
            sheet.append([_cell(d[h]) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for letter, width in zip("ABCDEFGHI", (24, 7, 22, 8, 12, 10, 9, 70, 70), strict=True):
            sheet.column_dimensions[letter].width = width
        for key, frame in report.frames.items():
            file = report.files.get(key, key)
            rows = sorted({p.row for p in report.problems if p.file == file and p.row})
            if not rows or "_row" not in frame:
                continue
            rows_sheet = wb.create_sheet(re.sub(r"[\[\]:*?/\\\x00-\x1f\x7f]", "_", f"Rows {file}")[:31])
            safe = _safe_rows(frame, rows)
            rows_sheet.append([_cell(str(c)) for c in safe.columns])  # headers may be hostile
            for record in safe.itertuples(index=False, name=None):
                rows_sheet.append([_cell(v) for v in record])
            for cell in rows_sheet[1]:
                cell.font = Font(bold=True)
            rows_sheet.freeze_panes = "B2"
        summary = wb.create_sheet("Summary", 0)
        summary.append(["psw validate", _cell(report.folder)])
        summary.append(["reporting year", report.year])
        summary.append(["result", _cell(_summary_line(report))])
        summary.append(["missing extracts", ", ".join(report.missing) or "none"])
        summary.append(["note", "Values are shown as <redacted>; see the row numbers in the "
                                "files as received."])
        wb.save(tmp)

    _replace_atomically(path, write)
    return path


def _cell(value):
    from psw_core.cells import neutralise

    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, str):  # openpyxl refuses control characters: show them as U+FFFD
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    # openpyxl writes a string starting with "=" as a live formula: never for HR's workbook.
    return neutralise(value)


def write_data_docs(report: ValidationReport, directory: Path) -> Path:
    """Static HTML pages (GX Data Docs equivalent) with redacted values; returns index.html.

    GX's own Data Docs would persist unexpected values and load CSS from CDNs, so we render
    our own self-contained page from the redacted problems.
    """
    directory = Path(directory)
    data = report_dict(report, redact=True)
    esc = html.escape
    rule_rows = "".join(
        f"<tr><td>{esc(r['file'])}</td><td>{esc(r['rule'])}</td><td>{esc(r['severity'])}</td>"
        f"<td>{r['count']:,}</td><td>{r['listed']:,}</td></tr>" for r in data["rules"])
    problem_rows = "".join(
        "<tr>" + "".join(f"<td>{esc('' if p[k] is None else str(p[k]))}</td>" for k in
                         ("file", "row", "column", "column_letter", "value", "rule", "severity",
                          "why", "action")) + "</tr>" for p in data["problems"])
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Validation {esc(str(report.year or ''))}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:.25em .5em;text-align:left;vertical-align:top}}</style>
</head><body>
<h1>Extract validation{esc(f' for reporting year {report.year}' if report.year else '')}</h1>
<p>{esc(_summary_line(report))}</p>
<p>Missing extracts: {esc(', '.join(report.missing) or 'none')}.
Values are shown as &lt;redacted&gt;: run <code>psw validate</code> where the data is to see them.</p>
<h2>Rules broken</h2>
<table><thead><tr><th>file</th><th>rule</th><th>severity</th><th>rows</th><th>listed</th>
</tr></thead><tbody>{rule_rows}</tbody></table>
<h2>Problems</h2>
<table><thead><tr><th>file</th><th>row</th><th>column</th><th>letter</th><th>value</th>
<th>rule</th><th>severity</th><th>why</th><th>what to do</th></tr></thead>
<tbody>{problem_rows}</tbody></table>
</body></html>
"""
    index = directory / "index.html"
    _replace_atomically(index, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    _replace_atomically(directory / "validation.json",
                        lambda tmp: tmp.write_text(format_json(report), encoding="utf-8"))
    return index
