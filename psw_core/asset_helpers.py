"""Small helpers shared by the thin Dagster asset wrappers: year, settings, metadata."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd

from psw_core.config import AuthorityConfig, load_config

OWNER = "team:psw-data"
CODE_VERSION = "1"  # bump when an asset's logic changes, so Dagster marks it stale


def partition_year(context: dg.AssetExecutionContext) -> int:
    return int(context.partition_key)


def year_dir(settings, year: int) -> Path:
    return Path(settings.raw_dir) / str(year)


def authority(settings) -> AuthorityConfig:
    return load_config(settings.config_path)


def preview(frame: pd.DataFrame, rows: int = 10) -> dg.MetadataValue:
    """A markdown preview for the UI; callers pass only aggregate, published-safe frames."""
    if frame is None or frame.empty:
        return dg.MetadataValue.md("_no rows_")
    return dg.MetadataValue.md(frame.head(rows).to_markdown(index=False))


def problems_table(problems, limit: int = 50) -> dg.MetadataValue:
    """Failing rows for the UI, values redacted (docs/design.md §2: nothing persisted shows raw values)."""
    if not problems:
        return dg.MetadataValue.md("_no problems_")
    rows = [p.redacted().to_dict() for p in problems[:limit]]
    frame = pd.DataFrame(rows)[["severity", "rule", "file", "row", "column", "column_letter", "why"]]
    note = f"\n\n_{len(problems) - limit} more not shown_" if len(problems) > limit else ""
    return dg.MetadataValue.md(frame.to_markdown(index=False) + note)


ROOT = Path(__file__).resolve().parent.parent


def stage_code_version(*paths: str) -> str:
    """An asset's code version: the stamp of the files its logic lives in (paths from the repo
    root; a folder stands for its .py, .sql and .json files). Edit one and only the assets built
    from it show as changed code."""
    from psw_core.stamp import code_stamp

    files: list[Path] = []
    for name in paths:
        path = ROOT / name
        files += sorted(p for pattern in ("*.py", "*.sql", "*.json") for p in path.rglob(pattern)) \
            if path.is_dir() else [path]
    return code_stamp(files)


def table_asset_key(table: str) -> dg.AssetKey:
    """The asset that writes a warehouse table: raw.* is written by raw/year as a whole; every
    other schema has an asset per table, named like it (staging.periods → staging/periods)."""
    schema, name = table.split(".", 1)
    return dg.AssetKey(["raw", "year"]) if schema == "raw" else dg.AssetKey([schema, name])


def sql_description(sql_path: Path) -> str:
    """The SQL file's header comment (its grain and rules) without the leading `-- name` line."""
    lines = []
    for line in sql_path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return " ".join(lines[1:]) if len(lines) > 1 else " ".join(lines)


def row_count(rows: int) -> dict:
    """The row count the UI plots over time (`dagster/row_count`)."""
    return {"dagster/row_count": dg.MetadataValue.int(int(rows))}


@contextlib.contextmanager
def failures_in_words(*expected: type[Exception], what_to_do: str = "") -> Iterator[None]:
    """Expected problems become `dg.Failure`: one line saying what is wrong and what to do, shown
    in the run as the step's failure rather than as a Python traceback. Values are redacted
    (nothing Dagster stores shows personal data). Anything else is a crash and keeps its
    traceback."""
    from psw_core.problems import RulesBroken, UnusableInput

    try:
        yield
    except dg.Failure:
        raise
    except UnusableInput as exc:
        problem = exc.problem.redacted()
        where = problem.file + (f" row {problem.row}" if problem.row is not None else "") + (
            f", column {problem.column}" if problem.column else "")
        action = problem.action or what_to_do
        raise dg.Failure(
            description=f"{problem.rule}: {where}: {problem.why}" + (f" What to do: {action}" if action else ""),
            metadata={"rule": problem.rule, "file": problem.file, "what_to_do": action},
            allow_retries=False,
        ) from None
    except (RulesBroken, *expected) as exc:
        text = str(exc).strip() or type(exc).__name__
        first, _, rest = text.partition("\n")
        metadata = {"what_to_do": what_to_do}
        if rest.strip():
            metadata["details"] = dg.MetadataValue.md(f"```\n{rest.strip()}\n```")
        raise dg.Failure(
            description=first + (f" What to do: {what_to_do}" if what_to_do else ""),
            metadata=metadata, allow_retries=False,
        ) from None


FAILING_ROW_COLUMNS = (
    ("rule", "string", "The rule's id, e.g. HR-003 (docs/validation-rules.md)."),
    ("file", "string", "The file as received."),
    ("row", "int", "The spreadsheet row, as Excel shows it (header = 1)."),
    ("column", "string", "The column's name and, in brackets, its letter in the file."),
    ("value", "string", "Redacted: run `psw validate` where the data lives to see it."),
    ("why", "string", "What is wrong."),
    ("what_to_do", "string", "How to fix it in the source system."),
)


def failing_rows(problems, counted: int) -> dict:
    """Failing rows as a real table (every listed row; values redacted), with how many rows
    were counted and, when the suite listed fewer than it counted, how many were left out."""
    records = []
    for p in problems:
        p = p.redacted()
        column = (p.column or "") + (f" ({p.column_letter})" if p.column_letter else "")
        records.append(dg.TableRecord({
            "rule": p.rule, "file": p.file, "row": p.row, "column": column,
            "value": p.value or "", "why": p.why, "what_to_do": p.action or "",
        }))
    schema = dg.TableSchema(columns=[dg.TableColumn(n, t, description=d)
                                     for n, t, d in FAILING_ROW_COLUMNS])
    left_out = max(counted - len(problems), 0)
    out = {
        "failing_rows": dg.MetadataValue.table(records, schema=schema),
        "rows_counted": dg.MetadataValue.int(counted),
        "rows_listed": dg.MetadataValue.int(len(problems)),
    }
    if left_out:
        out["rows_left_out"] = dg.MetadataValue.md(
            f"{left_out} more failing rows were counted but not listed (the suite lists at most "
            "1,000 per rule). `psw validate <folder> --xlsx errors.xlsx` lists them all.")
    return out
