"""Staging models: `raw.*` -> `staging.*`, one table per stated grain (docs/design.md §2, §4).

Each model is a SQL file in `sql/` (a chain of CTEs ending `select * from final`) whose header
states its grain. Three small tables come from configuration rather than data and are built
here: `staging.periods` (the reporting period of each year), `staging.calendar` (working days,
for the nation's bank holidays) and `staging.timescales` (assessment timescales).

Each model is one Dagster asset per reporting year, and writes only that year's rows. What a
model reads is read from its SQL (psw_core.sql_models), never listed twice. A model is built
only when every table it reads exists, so a warehouse without, say, a caseload extract still
builds the rest.

A model whose header says `-- Materialised: view` keeps one row per source row and only
renames, casts, filters or looks up its year's period: it becomes a view over raw.*, so its
rows are never written to the file (staging.case_allocations was 1M rows of pseudonyms); its
asset records the year's row count with a count query.
"""

from __future__ import annotations

import functools
import re
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from assets.candidate.contract import SPECS, table_schema
from psw_core.config import AuthorityConfig
from psw_core.sql_models import (
    build_order,
    delete_partition,
    drop_view,
    existing_relations,
    replace_partition,
    replace_view,
    sql_tables,
)

SQL_DIR = Path(__file__).with_name("sql")

# model name -> the `raw.*`/`staging.*` tables its SQL reads (from the SQL itself), in build
# order: later models read earlier ones.
MODEL_INPUTS: dict[str, frozenset[str]] = {
    path.stem: sql_tables(path.read_text(encoding="utf-8")) for path in sorted(SQL_DIR.glob("*.sql"))
}
MODELS: dict[str, frozenset[str]] = {name: MODEL_INPUTS[name] for name in build_order(MODEL_INPUTS, "staging")}
# Models materialised as views (their SQL header says so), not as tables.
VIEW_MODELS: frozenset[str] = frozenset(
    path.stem for path in SQL_DIR.glob("*.sql")
    if re.search(r"^-- Materialised: view\b", path.read_text(encoding="utf-8"), re.MULTILINE))

# Tables built here from authority.yml rather than from SQL, and what each reads.
SETTINGS_TABLES: dict[str, frozenset[str]] = {
    "calendar": frozenset({"raw.assessments"}),  # widened to cover the year's assessments
    "periods": frozenset({"staging.calendar"}),  # working days in the period
    "timescales": frozenset(),
    "asye_schedule": frozenset(),
}

# model -> raw tables it reads only when present, as the temporary view `optional_<table>`:
# the table itself, or an empty relation of the contract's shape (a census-only year has no
# caseload extract, yet its caseloads come from Cases30).
OPTIONAL_RAW: dict[str, tuple[str, ...]] = {
    "case_allocations": ("caseload",),
    "survey_item_counts": ("health_check_responses", "health_check_answers",
                           "health_check_aggregate"),
}

# Tables whose rows make a reporting year: the contract's extracts, supporting tables aside.
RAW_TABLES_WITH_YEARS = tuple(name for name, spec in SPECS.items() if spec.defines_year)


def existing_tables(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    """Names of the tables and views in `schema`."""
    rows = con.execute(
        "select table_name from information_schema.tables where table_schema = $schema",
        {"schema": schema},
    ).fetchall()
    return {r[0] for r in rows}


def reporting_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Every reporting_year present in any raw table."""
    present = existing_tables(con, "raw") & set(RAW_TABLES_WITH_YEARS)
    if not present:
        return []
    union = " union ".join(f"select distinct reporting_year from raw.{t}" for t in sorted(present))
    return sorted(int(r[0]) for r in con.execute(union).fetchall() if r[0] is not None)


def periods_frame(config: AuthorityConfig, years: list[int]) -> pd.DataFrame:
    """One row per reporting year: period_start and reference_date (docs/design.md §3)."""
    return pd.DataFrame(
        {
            "reporting_year": pd.Series(years, dtype="int32"),
            "period_start": [config.period_start(y) for y in years],
            "reference_date": [config.reference_date(y) for y in years],
        }
    )


@functools.lru_cache(maxsize=16)
def bank_holidays(nation_subdiv: str, first_year: int, last_year: int) -> pd.DatetimeIndex:
    """The nation's bank holidays in first_year..last_year, from the `holidays` package (GB
    subdivision ENG or WLS). Imported and computed once per process (about 0.3 s cold): every
    reporting year's calendar, and every staging run of a long-lived process, reuses it."""
    import holidays

    bank = holidays.country_holidays(
        "GB", subdiv=nation_subdiv, years=range(first_year, last_year + 1)
    )
    return pd.DatetimeIndex(sorted(bank.keys()))


def calendar_frame(nation_subdiv: str, first_year: int, last_year: int) -> pd.DataFrame:
    """One row per day of first_year..last_year: is_working_day (Monday to Friday and not a
    bank holiday of the nation, from the `holidays` package: GB subdivision ENG or WLS) and
    working_day_number (running count of working days up to and including the day)."""
    days = pd.date_range(date(first_year, 1, 1), date(last_year, 12, 31), freq="D")
    is_holiday = days.isin(bank_holidays(nation_subdiv, first_year, last_year))
    working = (days.dayofweek < 5) & ~is_holiday
    return pd.DataFrame(
        {
            "day": days.date,
            "is_working_day": working,
            "is_bank_holiday": is_holiday,
            "working_day_number": working.cumsum().astype("int64"),
        }
    )


def timescales_frame(config: AuthorityConfig) -> pd.DataFrame:
    """One row per assessment type with a timescale in authority.yml."""
    items = sorted(config.timescales.items())
    return pd.DataFrame(
        {
            "assessment_type": [k for k, _ in items],
            "days": pd.Series([int(v["days"]) for _, v in items], dtype="int32"),
            "basis": [v["basis"] for _, v in items],
        }
    )


def asye_schedule_frame(config: AuthorityConfig) -> pd.DataFrame:
    """One row per phase of the ASYE supervision schedule (authority.yml `asye_supervision`):
    phase (1, 2, ...), until and every as days and months (weeks are 7 days; NULL until for
    the last phase, which runs on)."""

    def span(value: dict | None, unit: str) -> int | None:
        if value is None:
            return None
        if unit == "days":
            return value["days"] if "days" in value else (
                7 * value["weeks"] if "weeks" in value else None)
        return value.get("months")

    phases = list(config.asye_supervision)
    return pd.DataFrame({
        "phase": pd.Series(range(1, len(phases) + 1), dtype="int32"),
        "until_days": pd.Series([span(p.get("until"), "days") for p in phases], dtype="Int32"),
        "until_months": pd.Series([span(p.get("until"), "months") for p in phases],
                                  dtype="Int32"),
        "every_days": pd.Series([span(p["every"], "days") for p in phases], dtype="Int32"),
        "every_months": pd.Series([span(p["every"], "months") for p in phases], dtype="Int32"),
    })


def calendar_years(con: duckdb.DuckDBPyConnection, year: int) -> tuple[int, int]:
    """The calendar years one reporting year needs: from three years before (the period of the
    year before starts in it) to the year after, widened to that year's assessment starts."""
    first, last = year - 3, year + 1
    if "assessments" in existing_tables(con, "raw"):
        lo, hi = con.execute(
            "select min(year(start_date)), max(year(start_date)) from raw.assessments "
            "where reporting_year = ?", [year]).fetchall()[0]
        if lo is not None:
            first, last = min(first, int(lo)), max(last, int(hi) + 1)
    return first, last


def _write_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, year: int,
                 select: str = "select * from _staging_frame") -> int:
    con.register("_staging_frame", frame)
    try:
        return replace_partition(con, "staging", name, select, year)
    finally:
        con.unregister("_staging_frame")


def _with_year(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    frame.insert(0, "reporting_year", pd.Series([year] * len(frame), dtype="int32"))
    return frame


def build_calendar(con: duckdb.DuckDBPyConnection, config: AuthorityConfig, year: int) -> int:
    """staging.calendar rows for one reporting year (its own day range and working-day count)."""
    first, last = calendar_years(con, year)
    return _write_frame(con, "calendar", _with_year(calendar_frame(config.country_code, first, last), year), year)


def build_periods(con: duckdb.DuckDBPyConnection, config: AuthorityConfig, year: int) -> int:
    """staging.periods for one reporting year, with its working days (from staging.calendar)."""
    return _write_frame(con, "periods", periods_frame(config, [year]), year, """
        select p.*, (
            select count(*) from staging.calendar as c
            where c.reporting_year = p.reporting_year and c.is_working_day
              and c.day between p.period_start and p.reference_date
        ) as working_days_in_period
        from _staging_frame as p""")


def build_timescales(con: duckdb.DuckDBPyConnection, config: AuthorityConfig, year: int) -> int:
    """staging.timescales as authority.yml states them, for one reporting year."""
    return _write_frame(con, "timescales", _with_year(timescales_frame(config), year), year)


def build_asye_schedule(con: duckdb.DuckDBPyConnection, config: AuthorityConfig, year: int) -> int:
    """staging.asye_schedule (authority.yml `asye_supervision`), for one reporting year."""
    return _write_frame(con, "asye_schedule", _with_year(asye_schedule_frame(config), year), year)


SETTINGS_BUILDERS = {"calendar": build_calendar, "periods": build_periods,
                     "timescales": build_timescales, "asye_schedule": build_asye_schedule}


def build_model(con: duckdb.DuckDBPyConnection, model: str, year: int) -> int | None:
    """Replace one reporting year's rows of staging.<model> from its SQL; other years are left
    alone. A view model (VIEW_MODELS) is (re)created as a view over every year instead, and the
    year's rows counted. None (and the year's rows removed, or the view dropped) when a table
    the SQL reads does not exist, so a warehouse without, say, a caseload extract still builds
    the rest."""
    is_view = model in VIEW_MODELS
    present = existing_relations(con)
    if not MODEL_INPUTS[model] <= present:
        if is_view:
            drop_view(con, "staging", model)
        else:
            delete_partition(con, "staging", model, year)
        return None
    sql = (SQL_DIR / f"{model}.sql").read_text(encoding="utf-8")
    optional = OPTIONAL_RAW.get(model, ())
    shapes = {name: f"select * from raw.{name}" if f"raw.{name}" in present else _empty(name)
              for name in optional}
    if is_view:
        # A stored view cannot read a temporary one: the optional input goes in as a subquery
        # (re-decided whenever the asset runs, as the temporary view is).
        for name, shape in shapes.items():
            sql = re.sub(rf"\boptional_{name}\b", f"({shape}) as optional_{name}", sql)
        return replace_view(con, "staging", model, sql, year)
    for name, shape in shapes.items():
        con.execute(f"create or replace temp view optional_{name} as {shape}")
    try:
        return replace_partition(con, "staging", model, sql, year)
    finally:
        for name in optional:
            con.execute(f"drop view if exists optional_{name}")


def _empty(table: str) -> str:
    """An empty relation with raw.<table>'s columns, from the contract."""
    cols = ", ".join(f"null::{type_} as {name}" for name, type_ in table_schema(table))
    return f"select {cols} limit 0"


def build_staging_year(con: duckdb.DuckDBPyConnection, config: AuthorityConfig, year: int) -> list[str]:
    """Every staging table for one reporting year, in build order. Returns the tables built."""
    built = []
    for name, build in SETTINGS_BUILDERS.items():
        build(con, config, year)
        built.append(name)
    for model in MODELS:
        if build_model(con, model, year) is not None:
            built.append(model)
    return built


def build_staging(con: duckdb.DuckDBPyConnection, config: AuthorityConfig) -> list[str]:
    """Every `staging.*` table for every reporting year in raw.*, one year at a time (what the
    Dagster assets do, partition by partition). Returns the tables built."""
    con.execute("create schema if not exists staging")
    built: list[str] = []
    for year in reporting_years(con):
        built += [t for t in build_staging_year(con, config, year) if t not in built]
    return built
