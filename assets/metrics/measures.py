"""Build `metrics.measures` for one reporting year (docs/design.md §4).

Each measure family is one SQL file in `sql/` (a chain of CTEs ending `select * from final`)
returning service, measure, breakdown, category, month_end, value, numerator, denominator.
This module runs the families whose staging inputs exist, adds the unit and source from the
registry (`definitions.py`), the 95% Wilson interval for proportions of counts
(`intervals.py`), and replaces that year's rows.

Missing values (docs/design.md §4): a measure whose denominator is zero or that has no data gets no
row. The one exception is the rolling 12-month turnover, whose months that need a missing
previous-year extract keep a row with value NULL (published as [x]).
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from assets.metrics.definitions import DFE_WORKING_YEAR, MEASURES
from assets.metrics.intervals import poisson_rate, wilson
from assets.staging.models import build_staging, existing_tables
from psw_core.config import AuthorityConfig
from psw_core.sql_models import sql_tables

SQL_DIR = Path(__file__).with_name("sql")

# A measure family is a SQL file here that reads staging.*; its inputs are read from the SQL
# (psw_core.sql_models), never listed twice. family -> staging tables it reads.
def _staging_inputs(path: Path) -> tuple[str, ...]:
    tables = sql_tables(path.read_text(encoding="utf-8"))
    return tuple(sorted(t.split(".", 1)[1] for t in tables if t.startswith("staging.")))


FAMILIES: dict[str, tuple[str, ...]] = {
    path.stem: needs for path in sorted(SQL_DIR.glob("*.sql")) if (needs := _staging_inputs(path))
}

# practice.sql reads several extracts; a missing one is stood in for by an empty relation.
# health_check.sql reads respondent rows or, on aggregate years, the item counts: a warehouse
# whose health checks all arrived as the LGA's aggregate report has no respondent rows.
OPTIONAL_INPUTS = {"practice", "health_check"}

COLUMNS = [
    "authority_code", "reporting_year", "measure", "service", "breakdown", "category",
    "month_end", "value", "numerator", "denominator", "unit", "ci_lower", "ci_upper", "source",
]

CREATE_MEASURES = """
create table if not exists metrics.measures (
    authority_code varchar not null,
    reporting_year integer not null,
    measure varchar not null,
    service varchar not null,
    breakdown varchar,
    category varchar,
    month_end date,
    value double,
    numerator double,
    denominator double,
    unit varchar not null,
    ci_lower double,
    ci_upper double,
    source varchar not null
)
"""

_PARAM = re.compile(r"\$([a-z_]+)")


def family_sql(family: str) -> str:
    """The SQL text of one measure family."""
    return (SQL_DIR / f"{family}.sql").read_text(encoding="utf-8")


def run_family(
    con: duckdb.DuckDBPyConnection, family: str, params: dict[str, object]
) -> pd.DataFrame:
    """Run one family's SQL with the named parameters it uses."""
    sql = family_sql(family)
    used = {name: params[name] for name in set(_PARAM.findall(sql))}
    return con.execute(sql, used).df()


def query_params(reporting_year: int, config: AuthorityConfig) -> dict[str, object]:
    """Named parameters available to every family."""
    return {
        "reporting_year": reporting_year,
        "reference_date": config.reference_date(reporting_year),
        "period_start": config.period_start(reporting_year),
        "asye_caseload_cap": int(config.targets["asye_caseload_cap"]),
        "dfe_working_year": DFE_WORKING_YEAR,
    }


def _ensure_stand_ins(con: duckdb.DuckDBPyConnection, staging: set[str]) -> list[str]:
    """Empty temporary stand-ins for missing optional practice inputs, so that the present
    ones are still measured. Returns the names created (dropped again afterwards)."""
    shapes = {
        "worker_months": "select null::integer as reporting_year, null::varchar as service, "
        "null::boolean as is_compliant",
        "supervision_sessions": "select null::integer as reporting_year",
        "assessments": "select null::integer as reporting_year, null::varchar as service, "
        "null::boolean as completed_in_period, null::boolean as within_timescale",
        "audits": "select null::integer as reporting_year, null::varchar as service, "
        "null::boolean as audited_in_period, null::boolean as is_good_or_better, "
        "null::varchar as grade",
        "survey_answers": "select null::integer as reporting_year, null::varchar as service, "
        "null::blob as response_id, null::varchar as role_group, null::integer as standard, "
        "null::varchar as theme, null::varchar as item_text, null::integer as reverse_scored, "
        "null::double as score, null::boolean as is_agree, null::boolean as is_favourable",
        "survey_responses": "select null::integer as reporting_year, null::varchar as service, "
        "null::blob as response_id, null::decimal(18, 6) as hours_over_contract",
    }
    created = []
    for name, shape in shapes.items():
        if name not in staging:
            con.execute(f"create table staging.{name} as {shape} limit 0")
            created.append(name)
    return created


def family_frame(
    con: duckdb.DuckDBPyConnection, family: str, params: dict[str, object], staging: set[str]
) -> pd.DataFrame | None:
    """One family's rows, or None when the staging tables it needs are missing."""
    needs = FAMILIES[family]
    if family in OPTIONAL_INPUTS:
        if not any(n in staging for n in needs):
            return None
        created = _ensure_stand_ins(con, staging)
        try:
            return run_family(con, family, params)
        finally:
            for name in created:
                con.execute(f"drop table staging.{name}")
    if set(needs) <= staging:
        return run_family(con, family, params)
    return None


def compute_measures(
    con: duckdb.DuckDBPyConnection, reporting_year: int, config: AuthorityConfig
) -> pd.DataFrame:
    """Every measure for one year as a frame with the `metrics.measures` columns (staging must
    already be built)."""
    staging = existing_tables(con, "staging")
    params = query_params(reporting_year, config)
    frames = [family_frame(con, family, params, staging) for family in FAMILIES]
    frames = [f for f in frames if f is not None]
    return finish(frames, reporting_year, config)


def finish(frames: list[pd.DataFrame], reporting_year: int, config) -> pd.DataFrame:
    """Drop missing values, add authority, year, unit, source and each measure's interval."""
    out = pd.concat([f for f in frames if not f.empty] or [pd.DataFrame(columns=COLUMNS[2:])])
    out = out.reset_index(drop=True)
    keep = out["value"].notna() | (out["breakdown"] == "rolling_12_month")
    out = out[keep].copy()
    unknown = set(out["measure"]) - set(MEASURES)
    if unknown:
        raise ValueError(f"measures missing from the registry: {sorted(unknown)}")
    out["authority_code"] = config.code
    out["reporting_year"] = reporting_year
    out["unit"] = out["measure"].map({n: m.unit for n, m in MEASURES.items()})
    out["source"] = out["measure"].map({n: m.source for n, m in MEASURES.items()})
    add_intervals(out)
    return out[COLUMNS].sort_values(
        ["measure", "service", "breakdown", "category", "month_end"], na_position="first"
    ).reset_index(drop=True)


def add_intervals(out: pd.DataFrame) -> None:
    """Fill ci_lower/ci_upper (percent) by each measure's registry `interval` method, in place.

    `clustered` intervals come from the family's SQL (it has the respondents); `wilson` and
    `poisson` are computed here; `none` has no interval."""
    for column in ("ci_lower", "ci_upper"):
        if column not in out:
            out[column] = np.nan
    method = out["measure"].map({n: m.interval for n, m in MEASURES.items()}).to_numpy()
    numerator = out["numerator"].to_numpy(float)
    denominator = out["denominator"].to_numpy(float)
    w_lower, w_upper = wilson(numerator, denominator)
    # Poisson: the events are the integer numerator of the `events_from` measure of the same
    # service (leavers in people), on headline rows only.
    events_from = out["measure"].map({n: m.events_from for n, m in MEASURES.items()})
    companion = out.loc[out["breakdown"].isna() & out["month_end"].isna(),
                        ["measure", "service", "numerator"]]
    companion = companion.rename(columns={"measure": "_events_from", "numerator": "_events"})
    keyed = pd.DataFrame({"_events_from": events_from, "service": out["service"],
                          "_headline": out["breakdown"].isna() & out["month_end"].isna()})
    events = keyed.merge(companion, on=["_events_from", "service"], how="left")["_events"]
    events = events.where(keyed["_headline"].to_numpy()).to_numpy(float)
    scale = 100 / np.where(denominator > 0, denominator, np.nan)  # one event's share
    p_lower, p_upper = poisson_rate(out["value"].to_numpy(float), events, scale)
    sql_lower = out["ci_lower"].to_numpy(float)
    sql_upper = out["ci_upper"].to_numpy(float)
    out["ci_lower"] = np.select(
        [method == "wilson", method == "poisson", method == "clustered"],
        [100 * w_lower, p_lower, sql_lower], np.nan)
    out["ci_upper"] = np.select(
        [method == "wilson", method == "poisson", method == "clustered"],
        [100 * w_upper, p_upper, sql_upper], np.nan)


def replace_year(
    con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, reporting_year: int, code: str
) -> None:
    """Replace one authority-year of `metrics.measures` with `frame`, in one transaction."""
    con.execute("create schema if not exists metrics")
    con.execute(CREATE_MEASURES)
    con.register("_measures_frame", frame)
    try:
        con.execute("begin transaction")
        con.execute(
            "delete from metrics.measures where reporting_year = $y and authority_code = $code",
            {"y": reporting_year, "code": code},
        )
        con.execute(
            f"insert into metrics.measures select {', '.join(COLUMNS)} from _measures_frame"
        )
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.unregister("_measures_frame")


CREATE_FAMILY_MEASURES = """
create table if not exists metrics.family_measures (
    reporting_year integer not null,
    authority_code varchar not null,
    family varchar not null,
    measure varchar not null,
    breakdown varchar not null  -- '' for headline rows
)
"""


def build_family(
    con: duckdb.DuckDBPyConnection, family: str, reporting_year: int, config: AuthorityConfig
) -> int:
    """Replace one family's rows of `metrics.measures` for one year, in one transaction; other
    families and years are left alone. `metrics.family_measures` remembers which (measure,
    breakdown) pairs each family wrote, so a pair the family no longer produces is removed too.
    Returns the rows."""
    params = query_params(reporting_year, config)
    found = family_frame(con, family, params, existing_tables(con, "staging"))
    frame = finish([found] if found is not None else [], reporting_year, config)
    con.execute("create schema if not exists metrics")
    con.execute(CREATE_MEASURES)
    con.execute(CREATE_FAMILY_MEASURES)
    key = {"y": reporting_year, "code": config.code, "family": family}
    con.register("_measures_frame", frame)
    try:
        con.execute("begin transaction")
        # Families share measure names (turnover_rate is a headline in workforce and monthly in
        # rolling_turnover), so a family's rows are its (measure, breakdown) pairs.
        con.execute(
            "delete from metrics.measures where reporting_year = $y and authority_code = $code "
            "and (measure, coalesce(breakdown, '')) in (select (measure, breakdown) "
            "from metrics.family_measures where reporting_year = $y and authority_code = $code "
            "and family = $family union select (measure, coalesce(breakdown, '')) "
            "from _measures_frame)", key)
        con.execute(
            "delete from metrics.family_measures where reporting_year = $y "
            "and authority_code = $code and family = $family", key)
        con.execute(f"insert into metrics.measures select {', '.join(COLUMNS)} from _measures_frame")
        con.execute(
            "insert into metrics.family_measures select distinct $y, $code, $family, measure, "
            "coalesce(breakdown, '') from _measures_frame order by all", key)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
    finally:
        con.unregister("_measures_frame")
    return len(frame)


def build_metrics(
    con: duckdb.DuckDBPyConnection,
    reporting_year: int,
    config: AuthorityConfig,
    *,
    rebuild_staging: bool = True,
) -> None:
    """(Re)build staging, then replace `reporting_year`'s rows of `metrics.measures`."""
    if rebuild_staging:
        build_staging(con, config)
    frame = compute_measures(con, reporting_year, config)
    replace_year(con, frame, reporting_year, config.code)
