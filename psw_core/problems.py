"""One data problem, as a council analyst reads it (docs/design.md §3, §5).

Readers, Great Expectations suites and cross-extract SQL checks all report through this
type, so `psw validate`, Dagster check metadata and the report's data-quality appendix agree.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


def column_letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    file: str  # file name as received, e.g. "hr_workforce.csv"
    rule: str  # stable id, e.g. "HR-007" or "PARSE-DATE"
    severity: str  # "error" blocks; "warning" is reported
    why: str  # one plain sentence
    action: str = ""  # what to do about it
    row: int | None = None  # spreadsheet row as Excel shows it (header = 1)
    column: str | None = None  # contract column name
    column_letter: str | None = None  # letter in the file as received
    value: str | None = None  # offending value (console only; redact before persisting)

    def to_dict(self) -> dict:
        return asdict(self)

    def redacted(self) -> Problem:
        """The same problem with its value hidden, for anything persisted (docs/design.md §2)."""
        return Problem(**{**asdict(self), "value": None if self.value is None else "<redacted>"})

    def describe(self) -> str:
        where = self.file
        if self.row is not None:
            where += f" row {self.row}"
        if self.column:
            where += f", column {self.column}"
            if self.column_letter:
                where += f" ({self.column_letter})"
        shown = f" value {self.value!r}" if self.value is not None else ""
        text = f"{self.severity.upper()} {self.rule}: {where}{shown}: {self.why}"
        return text + (f" {self.action}" if self.action else "")


class UnusableInput(Exception):
    """Input that cannot be read at all (exit code 2): unreadable encoding, not a table, etc."""

    def __init__(self, problem: Problem):
        super().__init__(problem.describe())
        self.problem = problem


class RulesBroken(Exception):
    """The data breaks a rule (exit 1); the message says which."""


class StepFailed(RuntimeError):
    """A pipeline step failed for a reason other than a data rule (exit 3)."""
