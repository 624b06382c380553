"""Run the Great Expectations suites in `expectations/` on typed pandas frames (docs/design.md §2).

One JSON suite per extract. Each expectation carries `meta.rule`, `meta.severity`, `meta.why`
and `meta.action`; every failing cell becomes one `Problem` that names the spreadsheet row
(through the frame's `_row` column) and the column letter in the file as received.

Period-dependent rules cannot be written as plain GX kwargs, so the runner adds boolean
helper columns before validating (all False where the date is blank):

| helper | true when |
|---|---|
| `_starts_in_period` | hr_workforce.role_start_date is in P |
| `_ends_in_period` | hr_workforce.role_end_date is in P |
| `_role_start_date_after_reference` | role_start_date > R |
| `_role_end_date_before_period` | role_end_date < start of P |
| `_allocated_date_after_reference` | caseload.allocated_date > R |
| `_start_date_after_reference` | assessments.start_date > R |
| `_completed_date_outside_period` | learning.completed_date not in P |
| `_session_date_outside_period` | supervision.session_date not in P |
| `_audit_date_outside_period` | audits.audit_date not in P |

An expectation on a helper names the real column in `meta.column`, which is what the analyst
sees. The survey's item columns are dynamic: the runner adds one `HCR-004` expectation per item
column from the template in the suite's `meta.item_expectation`, and `HCR-005` compares the
columns with the codebook through the `expected_response_columns` suite parameter.

GX is imported lazily (it takes 3-8 s) and one ephemeral context serves the whole process.
`warm_up()` starts that import and the context while the caller reads its extracts: in a worker
process on the other core for a council's extracts (`validate.validate_reads` sends it the
frames), in a thread here at national scale (gx_worker).
GX's SQL datasource is broken on DuckDB (GX #11579), so only pandas frames go in.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from assets.candidate import contract
from assets.candidate.pseudonymise import pseudonym_hex
from psw_core.problems import Problem

EXPECTATIONS_DIR = Path(__file__).resolve().parents[2] / "expectations"
# One suite per extract of the contract (a missing suite fails tests/candidate/
# test_contract_single_source.py); the survey's fixed columns are the contract's, items aside.
EXTRACTS = contract.EXTRACTS
RESPONSE_FIXED_COLUMNS = contract.HEALTH_CHECK_RESPONSES.column_names
ROW = "_row"
DEFAULT_CAP = 1000  # failing rows listed per rule; all are counted


class SuiteLoadError(RuntimeError):
    """A suite file that GX did not load in full (GX silently drops unknown expectation types)."""


@dataclass
class SuiteOutcome:
    """What one suite found in one frame: capped problems, and every failing row counted."""

    extract: str
    problems: list[Problem] = field(default_factory=list)
    unexpected_counts: dict[str, int] = field(default_factory=dict)  # rule -> failing rows
    evaluated: int = 0  # expectations run

    @property
    def success(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def suite_path(extract: str, directory: Path = EXPECTATIONS_DIR) -> Path:
    return directory / f"{extract}.json"


def load_suite_json(extract: str, directory: Path = EXPECTATIONS_DIR) -> dict:
    return json.loads(suite_path(extract, directory).read_text(encoding="utf-8"))


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    import great_expectations as gx

    return gx


def build_suite(suite_json: dict):
    """An ExpectationSuite from its JSON; raise if GX dropped any expectation."""
    from great_expectations.core.expectation_suite import ExpectationSuite

    _gx()
    wanted = len(suite_json["expectations"])
    suite = ExpectationSuite(
        name=suite_json["name"],
        expectations=copy.deepcopy(suite_json["expectations"]),
        meta=copy.deepcopy(suite_json.get("meta", {})),
    )
    if len(suite.expectations) != wanted:
        raise SuiteLoadError(
            f"Suite {suite_json['name']!r}: the file has {wanted} expectations but GX loaded "
            f"{len(suite.expectations)}; an expectation type is probably misspelled."
        )
    return suite


def load_suite(extract: str, directory: Path = EXPECTATIONS_DIR):
    """Load `expectations/<extract>.json` as a GX suite, checking nothing was dropped."""
    return build_suite(load_suite_json(extract, directory))


def warm_up(*folders: Path) -> None:
    """Start GX's import and context once per process, overlapping the caller's reading: in a
    worker process for small extracts (`validate.validate_reads` then runs the suites there),
    else in a thread here (gx_worker.start says which)."""
    from assets.candidate import gx_worker

    gx_worker.start(*folders)


def _context_ready():
    """The batch definition of this process's one GX context, after any warm-up thread."""
    from assets.candidate import gx_worker

    gx_worker.wait_for_thread()
    return _batch_definition()


@cache
def _batch_definition():
    """One ephemeral GX context (pandas datasource) per process; nothing touches disk."""
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    asset = context.data_sources.add_pandas("psw_extracts").add_dataframe_asset("extract")
    return asset.add_batch_definition_whole_dataframe("whole_extract")


def release() -> None:
    """Let go of the last frame checked. GX's execution engine is cached with its datasource
    and keeps the last batch and every resolved metric (masks and index lists as long as the
    frame): 300 MB after the national caseload, held while the next extract was read."""
    if not _batch_definition.cache_info().currsize:
        return  # no context was built: nothing is held
    engine = _batch_definition().data_asset.datasource.get_execution_engine()
    if isinstance(engine._metric_cache, dict):
        engine._metric_cache.clear()
    engine.batch_manager.reset_batch_cache()  # the batches, not their data:
    engine.batch_manager.batch_data_cache.clear()


def add_period_helpers(
    extract: str, frame: pd.DataFrame, period_start: date, reference_date: date
) -> pd.DataFrame:
    """Add the helper boolean columns listed in the module docstring (vectorised)."""
    start, ref = pd.Timestamp(period_start), pd.Timestamp(reference_date)
    out = frame.copy(deep=False)

    def col(name: str) -> pd.Series:
        if name in out:
            return pd.to_datetime(out[name], errors="coerce")
        return pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")

    def flag(mask: pd.Series) -> pd.Series:  # NaT compares False, which is what we want
        return mask.fillna(False).astype(bool)

    if extract == "hr_workforce":
        began, ended = col("role_start_date"), col("role_end_date")
        out["_starts_in_period"] = flag((began >= start) & (began <= ref))
        out["_ends_in_period"] = flag((ended >= start) & (ended <= ref))
        out["_role_start_date_after_reference"] = flag(began > ref)
        out["_role_end_date_before_period"] = flag(ended < start)
    elif extract == "caseload":
        out["_allocated_date_after_reference"] = flag(col("allocated_date") > ref)
    elif extract == "assessments":
        out["_start_date_after_reference"] = flag(col("start_date") > ref)
    else:
        date_col = {"learning": "completed_date", "supervision": "session_date",
                    "audits": "audit_date"}.get(extract)
        if date_col:
            when = col(date_col)
            out[f"_{date_col}_outside_period"] = flag((when < start) | (when > ref))
    return out


def item_columns(frame: pd.DataFrame) -> list[str]:
    """Survey item columns: every column of the wide responses that is not fixed or a helper."""
    return [c for c in frame.columns if c not in RESPONSE_FIXED_COLUMNS and not c.startswith("_")]


def _referenced_columns(kwargs: dict) -> list[str]:
    cols = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    cols += list(kwargs.get("column_list", []))
    return cols


def _row_condition_columns(kwargs: dict) -> list[str]:
    cond = kwargs.get("row_condition")
    return [cond["column"]["name"]] if isinstance(cond, dict) and "column" in cond else []


def prepare_suite_json(
    suite_json: dict,
    frame: pd.DataFrame,
    present: set[str],
    codebook_items: set[str] | None,
) -> tuple[dict, pd.DataFrame, dict]:
    """Fit a suite to the frame: survey items, columns absent from the file, suite parameters.

    - `expect_column_to_exist` stays: it reports a required column the file lacks.
    - A conditional not-null rule on an absent column stays, on an all-blank column, so each
      leaver or starter that needs the value is still reported.
    - Any other expectation on an absent column is skipped: the schema rule covers it.
    """
    suite = copy.deepcopy(suite_json)
    params: dict = {}
    if suite["name"] == "health_check_responses":
        template = suite["meta"]["item_expectation"]
        items = item_columns(frame)
        for item in items:
            item_exp = copy.deepcopy(template)
            item_exp["kwargs"]["column"] = item
            suite["expectations"].append(item_exp)
        known = set(items) if codebook_items is None else set(codebook_items)
        params["expected_response_columns"] = [
            c for c in frame.columns if c not in items or c in known
        ]
    frame = frame.copy(deep=False)
    kept = []
    for exp in suite["expectations"]:
        kwargs = exp["kwargs"]
        missing = [c for c in _referenced_columns(kwargs) if c not in present]
        if exp["type"] == "expect_column_to_exist" or not missing:
            kept.append(exp)
        elif exp["type"] == "expect_column_values_to_not_be_null" and _row_condition_columns(kwargs):
            for c in missing:
                frame[c] = pd.Series(pd.NA, index=frame.index, dtype="object")
            kept.append(exp)
    for c in [c for c in frame.columns if not c.startswith("_") and c not in present]:
        if not any(c in _referenced_columns(e["kwargs"]) for e in kept
                   if e["type"] == "expect_column_values_to_not_be_null"):
            frame = frame.drop(columns=c)
    suite["expectations"] = kept
    return suite, frame, params


def _display(value) -> str | None:
    """A cell as the analyst would type it: dates as YYYY-MM-DD, 1.0 as 1, blank as None."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bytes | bytearray):  # a pseudonym (16-byte BLOB): shown as hex
        return pseudonym_hex(value)
    return str(value)


def _problems_for_result(
    config: dict,
    outcome: dict,
    frame: pd.DataFrame,
    file_name: str,
    column_letters: dict[str, str],
    cap: int,
) -> tuple[list[Problem], int]:
    meta, kwargs = config["meta"], config["kwargs"]
    base = dict(file=file_name, rule=meta["rule"], severity=meta["severity"],
                why=meta["why"], action=meta.get("action", ""))
    if config["type"] == "expect_column_to_exist":
        col = kwargs["column"]
        return [Problem(**base, column=col)], 1
    if config["type"] == "expect_table_columns_to_match_set":
        extra = outcome.get("details", {}).get("mismatched", {}).get("unexpected", [])
        extra = [c for c in extra if not c.startswith("_")]
        return [Problem(**base, row=1, column=c, column_letter=column_letters.get(c), value=c)
                for c in extra], len(extra)
    index_list = outcome.get("unexpected_index_list") or []
    count = int(outcome.get("unexpected_count") or len(index_list))
    if not index_list:
        return [], count
    # Report the real column: helpers and column pairs name it in meta.column.
    column = meta.get("column") or kwargs.get("column") or kwargs.get("column_A")
    rows = pd.DataFrame(index_list)[ROW].drop_duplicates().head(cap).astype("int64")
    by_row = frame.set_index(ROW)
    values = by_row[column].reindex(rows.to_numpy()) if column in by_row else None
    shown = [None] * len(rows) if values is None else [_display(v) for v in values.tolist()]
    letter = column_letters.get(column)
    return [Problem(**base, row=int(r), column=column, column_letter=letter, value=v)
            for r, v in zip(rows.tolist(), shown, strict=True)], count


COMPLETE = {
    "result_format": "COMPLETE",
    "unexpected_index_column_names": [ROW],
    "return_unexpected_index_query": False,
}


def _validated(batch, suite_json: dict, params: dict, result_format: dict, extract: str) -> list:
    """GX's results for a suite, in the order GX runs it (`_gx_order`); a rule that could not
    run raises."""
    results = batch.validate(build_suite(suite_json), expectation_parameters=params or None,
                             result_format=result_format).results
    for result in results:
        info = result.exception_info or {}
        if info.get("raised_exception"):
            raise RuntimeError(f"{extract}: rule {result.expectation_config.meta['rule']} could "
                               f"not run: {info.get('exception_message')}")
    return results


def _gx_order(expectations: list[dict]) -> list[dict]:
    """The order GX runs and reports a suite in: grouped by `column`, groups in order of first
    appearance (Validator.process_expectations_for_validation). A subset given in this order
    keeps it, so the second pass reports its failures in the order one COMPLETE pass did."""
    groups: dict[str | None, list[dict]] = {}
    for exp in expectations:
        column = exp["kwargs"].get("column")
        groups.setdefault(column if isinstance(column, str) else None, []).append(exp)
    return [exp for group in groups.values() for exp in group]


def _failing_results(batch, suite_json: dict, params: dict, extract: str) -> list:
    """The failing expectations' COMPLETE results, in the order one COMPLETE pass gave them.

    Two passes: COMPLETE makes GX compute unexpected index lists and values for every
    expectation, passing or not, which is most of its time. The first pass asks only pass or
    fail; the second re-runs just the failures with COMPLETE, so their rows, values and counts
    are exactly what one COMPLETE pass gives."""
    first = _validated(batch, suite_json, params, {"result_format": "BOOLEAN_ONLY"}, extract)
    expectations = _gx_order(suite_json["expectations"])
    if len(first) != len(expectations) or any(
            (r.expectation_config.type, r.expectation_config.kwargs.get("column"))
            != (e["type"], e["kwargs"].get("column"))
            for r, e in zip(first, expectations, strict=True)):
        raise RuntimeError(f"{extract}: GX returned its results out of the suite's order")
    failing = [e for r, e in zip(first, expectations, strict=True) if not r.success]
    if not failing:
        return []
    second = _validated(batch, {**suite_json, "expectations": failing}, params, COMPLETE, extract)
    return [r for r in second if not r.success]


def check_frame(
    extract: str,
    frame: pd.DataFrame,
    *,
    file_name: str | None = None,
    column_letters: dict[str, str] | None = None,
    period_start: date,
    reference_date: date,
    codebook_items: set[str] | None = None,
    cap: int = DEFAULT_CAP,
    suites_dir: Path = EXPECTATIONS_DIR,
) -> SuiteOutcome:
    """Validate one extract's typed frame against its suite.

    `frame` has the contract columns plus `_row` (spreadsheet row, header = 1).
    `column_letters` maps each contract column present in the file to its letter; when given,
    columns missing from it are treated as absent from the file (the reader may have added them
    blank). `codebook_items` (health_check_items.item_id) lets HCR-005 flag unknown item columns.
    Problems are capped at `cap` rows per rule; `unexpected_counts` counts them all.
    """
    if ROW not in frame:
        raise ValueError(f"{extract} frame has no {ROW} column to map failures to spreadsheet rows")
    file_name = file_name or f"{extract}.csv"
    letters = dict(column_letters or {})
    present = set(letters) if column_letters is not None else set(frame.columns)
    if extract == "health_check_responses":
        present |= set(item_columns(frame))  # item columns are present by definition
    helped = add_period_helpers(extract, frame, period_start, reference_date)
    present |= {c for c in helped.columns if c.startswith("_")}
    suite_json, helped, params = prepare_suite_json(
        load_suite_json(extract, suites_dir), helped, present, codebook_items
    )
    definition = _context_ready()
    batch = definition.get_batch(batch_parameters={"dataframe": helped})
    outcome = SuiteOutcome(extract=extract, evaluated=len(suite_json["expectations"]))
    for result in _failing_results(batch, suite_json, params, extract):
        # Read the result objects directly: to_json_dict() would copy every unexpected value.
        config = result.expectation_config
        found, count = _problems_for_result(
            {"type": config.type, "meta": config.meta, "kwargs": config.kwargs},
            result.result, helped, file_name, letters, cap,
        )
        outcome.problems.extend(found)
        rule = config.meta["rule"]
        outcome.unexpected_counts[rule] = outcome.unexpected_counts.get(rule, 0) + count
    outcome.problems.sort(key=lambda p: (p.row or 0, p.rule, p.column or ""))
    return outcome


def run_suite(extract: str, frame: pd.DataFrame, **kwargs) -> list[Problem]:
    """`check_frame(...).problems`: one Problem per failing cell (capped per rule)."""
    return check_frame(extract, frame, **kwargs).problems
