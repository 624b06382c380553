"""Staging models: `raw.*` -> `staging.*`, one table per stated grain (DESIGN §2, §4).

Each model is a SQL file in `sql/` (a chain of CTEs ending `select * from final`) whose header
states its grain. Three small tables come from configuration rather than data and are built
here: `staging.periods` (the reporting period of each year), `staging.calendar` (working days,
for the nation's bank holidays) and `staging.timescales` (assessment timescales).

A model is built only when every `raw.*` table it reads exists, so a warehouse without, say,
a caseload extract still builds the rest.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import holidays
import pandas as pd

from psw_core.config import AuthorityConfig

SQL_DIR = Path(__file__).with_name("sql")

# model name -> raw tables it reads, in build order (later models read earlier ones).
MODELS: dict[str, tuple[str, ...]] = {
    "worker_spells": ("hr_workforce",),
    "supervision_sessions": ("supervision",),
    "worker_months": ("hr_workforce", "supervision"),
    "case_allocations": ("caseload",),
    "assessments": ("assessments",),
    "audits": ("audits",),
    "learning_activities": ("learning",),
    "vacancies": ("hr_vacancies",),
    "survey_responses": ("health_check_responses",),
    "survey_invited": ("health_check_invited",),
    "survey_answers": ("health_check_answers", "health_check_responses", "health_check_items"),
}

RAW_TABLES_WITH_YEARS = (
    "hr_workforce", "hr_vacancies", "learning", "supervision", "caseload", "assessments",
    "audits", "health_check_responses",
)


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
    """One row per reporting year: period_start and reference_date (DESIGN §3)."""
    return pd.DataFrame(
        {
            "reporting_year": pd.Series(years, dtype="int32"),
            "period_start": [config.period_start(y) for y in years],
            "reference_date": [config.reference_date(y) for y in years],
        }
    )


def calendar_frame(nation_subdiv: str, first_year: int, last_year: int) -> pd.DataFrame:
    """One row per day of first_year..last_year: is_working_day (Monday to Friday and not a
    bank holiday of the nation, from the `holidays` package: GB subdivision ENG or WLS) and
    working_day_number (running count of working days up to and including the day)."""
    days = pd.date_range(date(first_year, 1, 1), date(last_year, 12, 31), freq="D")
    bank = holidays.country_holidays(
        "GB", subdiv=nation_subdiv, years=range(first_year, last_year + 1)
    )
    is_holiday = days.isin(pd.DatetimeIndex(sorted(bank.keys())))
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


def _calendar_years(con: duckdb.DuckDBPyConnection, years: list[int]) -> tuple[int, int]:
    first, last = min(years) - 2, max(years) + 1
    if "assessments" in existing_tables(con, "raw"):
        lo, hi = con.execute(
            "select min(year(start_date)), max(year(start_date)) from raw.assessments"
        ).fetchall()[0]
        if lo is not None:
            first, last = min(first, int(lo)), max(last, int(hi) + 1)
    return first, last


def _replace_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("_staging_frame", frame)
    try:
        con.execute(f"create or replace table staging.{name} as select * from _staging_frame")
    finally:
        con.unregister("_staging_frame")


def build_staging(con: duckdb.DuckDBPyConnection, config: AuthorityConfig) -> list[str]:
    """(Re)build every `staging.*` table whose raw inputs exist. Returns the tables built."""
    con.execute("create schema if not exists staging")
    years = reporting_years(con)
    if not years:
        return []
    # Periods for the years present and the year before each (rolling turnover looks back).
    period_years = sorted(set(years) | {y - 1 for y in years})
    _replace_table(con, "periods", periods_frame(config, period_years))
    first, last = _calendar_years(con, period_years)
    _replace_table(con, "calendar", calendar_frame(config.country_code, first, last))
    con.execute(
        """
        create or replace table staging.periods as
        select p.*, (
            select count(*) from staging.calendar as c
            where c.is_working_day and c.day between p.period_start and p.reference_date
        ) as working_days_in_period
        from staging.periods as p
        """
    )
    _replace_table(con, "timescales", timescales_frame(config))
    _replace_table(con, "asye_schedule", asye_schedule_frame(config))
    built = ["periods", "calendar", "timescales", "asye_schedule"]
    raw = existing_tables(con, "raw")
    for model, needs in MODELS.items():
        if not set(needs) <= raw:
            con.execute(f"drop table if exists staging.{model}")
            continue
        sql = (SQL_DIR / f"{model}.sql").read_text(encoding="utf-8")
        con.execute(f"create or replace table staging.{model} as {sql}")
        built.append(model)
    return built
