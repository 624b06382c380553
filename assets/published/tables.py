"""The published tables: `metrics.*` after disclosure control, written to `published.*`.

Layout is driven by the measure registry (assets/metrics/definitions.py: the headline measures,
their disclosure rules, the trend measures, group labels) and the table registries below
(`BREAKDOWN_TABLES`, `TABLE_TITLES`), so a renamed measure or breakdown is changed in one place. Every table is tidy: one header row,
`reporting_year` and `service` columns, no worker/case/response ids. Statistic cells hold the
rounded number or GSS shorthand (`[c]`, `[x]`, `[z]`); see docs/published-tables.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import translate

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from assets.candidate.contract import AGE_BANDS, CBDS_ETHNICITY, HR_WORKFORCE
from assets.metrics.definitions import MEASURES, headline_measures, measures_in
from assets.published.disclosure import (
    CONFIDENTIAL,
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    Constraints,
    Total,
    category_totals,
    dominance_suppressed,
    equal_value_links,
    format_cell,
    group_disclosed,
    mask,
    p_percent_margin,
    present,
    primary_suppressed,
    secondary_suppress,
    service_totals,
    zero_pattern_suppressed,
)
from psw_core.config import AuthorityConfig

SERVICES = ("children", "adults", "all")
TOTAL_LABEL = "Total"


# ---------------------------------------------------------------------------------------------
# Registry: headline measures


@dataclass(frozen=True)
class HeadlineRule:
    """How a headline measure is protected: its registry `disclosure` (assets/metrics/
    definitions.py `Disclosure`), keyed by the measure's name in `pattern`."""

    pattern: str
    kind: str
    count_columns: tuple[str, ...] = ()
    count_from: tuple[str, str] | None = None


# Derived from the measure registry, so a new measure is described there once.
HEADLINE_RULES: tuple[HeadlineRule, ...] = tuple(
    HeadlineRule(m.name, m.disclosure.kind, m.disclosure.count_columns, m.disclosure.count_from)
    for m in MEASURES.values() if m.disclosure is not None
)
_RULES = {rule.pattern: rule for rule in HEADLINE_RULES}

# The headline measures with a row every year (docs/design.md §4); survey families are added
# as they appear in metrics.
HEADLINE_MEASURES = headline_measures()
HEALTH_CHECK_STANDARD_PREFIX = "health_check_score_"
TREND_MEASURES = measures_in("turnover_trend")
HEALTH_CHECK_STANDARDS = measures_in("health_check_by_standard")


def headline_rule(measure: str) -> HeadlineRule:
    """The registry's rule for a headline measure; a measure not registered for the headline
    table has none, and that fails here rather than publishing it under a guessed rule."""
    try:
        return _RULES[measure]
    except KeyError:
        raise KeyError(f"{measure!r} has headline rows but no headline entry in the measure "
                       "registry (assets/metrics/definitions.py)") from None


# ---------------------------------------------------------------------------------------------
# Registry: breakdown tables


@dataclass(frozen=True)
class BreakdownTable:
    """A published table built from `metrics.measures` breakdown rows.

    `breakdowns`: breakdown names (a trailing `*` matches a prefix). `numerator` holds the
    distinct count of `kind` (people | cases | responses). `value_unit` None: the table
    publishes counts (with a percentage of the total); otherwise it publishes `value` in that
    unit beside the count. `additive`: the categories partition the total, so a Total row is
    added and protected; otherwise only children + adults = all links the cells (for values
    that add up, `value_additive`)."""

    name: str
    breakdowns: tuple[str, ...]  # "measure:breakdown" patterns over metrics.measures rows
    kind: str
    category_label: str
    value_unit: str | None = None
    additive: bool = True
    value_additive: bool = False
    breakdown_label: str | None = None
    count_from: str = "numerator"  # where the count of people/cases/responses is
    value_from: str | None = None  # "measure:column" whose figure is published as `value`
    group_by_measure: bool = False  # the measure names the group (e.g. population, standard)
    public_totals: tuple[str, ...] = ()  # breakdown-label prefixes whose Total the intruder
    # knows from exempt headline figures (in post: headcount_in_post; leavers: turnover rate
    # x headcount): never suppressed, protection falls on the categories
    small_from: tuple[str, ...] = ()  # other counts (e.g. a share's numerator) that, when
    # 1..threshold, make the cell [c] too (a 10% agree share of 30 answers names 3 people)
    dominance_from: tuple[str, str] | None = None  # measures holding the largest and second
    # largest contribution to a magnitude `value` (hours): the p% rule applies


BREAKDOWN_TABLES: tuple[BreakdownTable, ...] = (
    BreakdownTable("leavers_by_reason", ("leavers_headcount:reason_leave",), "people", "reason",
                   public_totals=("",)),
    BreakdownTable("leavers_by_destination", ("leavers_headcount:leaver_destination",), "people",
                   "destination", public_totals=("",)),
    BreakdownTable("starters_by_origin", ("starters_headcount:start_origin",), "people", "origin"),
    # Routes overlap (a Frontline graduate may also be in the ASYE), so no Total row.
    BreakdownTable("starters_by_route", ("starters_headcount:route",), "people", "route",
                   additive=False),
    BreakdownTable(
        "learning_hours_by_category", ("learners_headcount:category",), "people", "category",
        value_unit="hours", additive=False, value_additive=True,
        value_from="learning_hours_per_fte:numerator",
        dominance_from=("learning_hours_largest", "learning_hours_second_largest"),
    ),
    BreakdownTable("audit_grades", ("audits_count:grade",), "cases", "grade"),
    BreakdownTable(
        "health_check_by_role", ("health_check_score_*:role_group",), "responses", "role_group",
        value_unit="score", additive=False, breakdown_label="standard", count_from="denominator",
        group_by_measure=True,
    ),
    BreakdownTable(
        "health_check_items", ("health_check_agree_item:item:*",), "responses", "statement",
        value_unit="percent", additive=False, breakdown_label="theme", count_from="denominator",
        small_from=("numerator",),
    ),
    BreakdownTable(
        "equality_diversity",
        ("headcount_in_post:ethnicity", "headcount_in_post:gender", "headcount_in_post:age_band",
         "starters_headcount:ethnicity", "starters_headcount:gender", "starters_headcount:age_band",
         "leavers_headcount:ethnicity", "leavers_headcount:gender", "leavers_headcount:age_band"),
        "people", "group", breakdown_label="characteristic", group_by_measure=True,
        public_totals=("in_post_", "leavers_"),
    ),
)  # fmt: skip

TABLE_TITLES: dict[str, str] = {
    "headline_measures": "Headline workforce, practice and health check measures by service, "
    "with the national figure: compared only where national_match is exact; otherwise shown "
    "as context, with the difference in basis in national_basis",
    "turnover_trend": "Social worker turnover by service and reporting year",
    "rolling_turnover": "Rolling 12-month FTE turnover rate by month end",
    "leavers_by_reason": "Leavers (directly employed social workers) by reason for leaving",
    "leavers_by_destination": "Leavers (directly employed social workers) by destination",
    "starters_by_origin": "Starters (directly employed social workers) by origin",
    "starters_by_route": "Starters by recruitment route (routes can overlap)",
    "learning_hours_by_category": "Learning hours completed by category",
    "audit_grades": "Case audits by grade",
    "health_check_by_standard": "Social work health check scores by LGA employer standard",
    "health_check_by_role": "Social work health check scores by role group",
    "health_check_items": "Social work health check: share agreeing with each statement, with "
    "whether agreeing is favourable",
    "equality_diversity": "Equality and diversity of social workers",
    "year_on_year": "Change from the previous reporting year",
    "comparisons": "Children's services compared with England, the region and statistical "
    "neighbours, with rank among all councils, by year (DfE figures)",
    "comparison_councils": "Every council's published figure for the compared measures (DfE), "
    "with ours and our statistical neighbours marked",
    "reconciliation": "Our children's figures beside DfE's published figures for our council",
    "comparison_group": "Who we compare with: region, statistical neighbours and where they "
    "come from",
}
CROSS_YEAR_TABLES = frozenset({"turnover_trend"})
ID_COLUMN = re.compile(r"(^|_)(id|ids|worker|case|response|assessment|audit)(_id)?$|_id$")
# A pseudonym in any form it could take as text (assets/candidate/pseudonymise.py): 32 hex
# characters (today's 16 bytes) or 64 (the form before), base64 of 16 bytes, or DuckDB's text of
# a BLOB (\xAB...). Bytes in a published table are refused whatever they hold.
PSEUDONYM = re.compile(r"^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{22}==)$"
                       r"|\\x[0-9A-F]{2}")


# ---------------------------------------------------------------------------------------------
# Reading metrics


_MEASURE_COLUMNS = (
    "authority_code", "reporting_year", "measure", "service", "breakdown", "category",
    "month_end", "value", "numerator", "denominator", "unit", "ci_lower", "ci_upper", "source",
)  # fmt: skip


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()[0]
    return bool(found and found[0])


def read_measures(con: duckdb.DuckDBPyConnection, up_to_year: int) -> pd.DataFrame:
    """`metrics.measures` for every year up to `up_to_year`, with every contract column."""
    if not _table_exists(con, "metrics", "measures"):
        return pd.DataFrame(columns=list(_MEASURE_COLUMNS))
    frame = con.execute(
        "select * from metrics.measures where reporting_year <= ?", [up_to_year]
    ).df()
    for column in _MEASURE_COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    frame["breakdown"] = frame["breakdown"].fillna("").astype(str)
    frame["category"] = frame["category"].fillna("").astype(str)
    return frame


def _benchmarks(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """National figures mapped to our measures: measure, service, reporting_year,
    national_value, national_release, national_match (`exact` or `differs`) and
    national_basis (how the national series is defined, and how it differs from ours)."""
    columns = ["measure", "service", "reporting_year", "national_value", "national_release",
               "national_match", "national_basis"]
    if not _table_exists(con, "metrics", "benchmarks"):
        return pd.DataFrame(columns=columns)
    frame = con.execute("select * from metrics.benchmarks").df()
    value = next((c for c in ("national_value", "benchmark_value", "value") if c in frame), None)
    release = next((c for c in ("national_release", "release", "vintage", "source") if c in frame), None)
    if value is None or not {"measure", "service"} <= set(frame):
        return pd.DataFrame(columns=columns)
    out = pd.DataFrame({
        "measure": frame["measure"],
        "service": frame["service"],
        "reporting_year": frame["reporting_year"] if "reporting_year" in frame else pd.NA,
        "national_value": pd.to_numeric(frame[value], errors="coerce"),
        "national_release": frame[release] if release else pd.NA,
        # A pair without a stated match is not like-for-like (docs/design.md §4 benchmarks).
        "national_match": (frame["definition_match"] if "definition_match" in frame
                           else "differs"),
        "national_basis": frame["note"] if "note" in frame else "",
    })  # fmt: skip
    # Where one measure has several national series, an exact one comes first.
    out = out.assign(_exact=out["national_match"].ne("exact")).sort_values(
        ["_exact", "measure", "service"], kind="mergesort").drop(columns="_exact")
    return out


# ---------------------------------------------------------------------------------------------
# Headline measures (every year, so the trend and year-on-year tables reuse the same cells)


def _headline_rows(measures: pd.DataFrame) -> pd.DataFrame:
    rows = measures[(measures["breakdown"] == "") & measures["month_end"].isna()]
    return rows.drop(columns=["breakdown", "category", "month_end"])


def _headline_grid(rows: pd.DataFrame) -> pd.DataFrame:
    """Every expected measure × service present in the year; absent cells keep NaN values and a
    `missing` flag: `[x]` when the measure has no data that year, `[z]` when other services have it
    (but `[x]` for a survey measure: a health check that covered one service only did not reach
    the other, so its figure is not available rather than not applicable)."""
    if rows.empty:
        return rows.assign(missing="")
    measures = list(dict.fromkeys([*HEADLINE_MEASURES, *sorted(rows["measure"].unique())]))
    services = [s for s in SERVICES if s in set(rows["service"])]
    years = sorted(rows["reporting_year"].unique())
    grid = pd.MultiIndex.from_product(
        [years, measures, services], names=["reporting_year", "measure", "service"]
    ).to_frame(index=False)
    out = grid.merge(rows, on=["reporting_year", "measure", "service"], how="left")
    present_anywhere = out.groupby(["reporting_year", "measure"])["value"].transform(
        lambda v: v.notna().any()
    )
    survey = out["measure"].map(lambda m: headline_rule(m).kind == "responses").astype(bool)
    out["missing"] = np.where(
        out["value"].notna(), "",
        np.where(present_anywhere & ~survey, NOT_APPLICABLE, NOT_AVAILABLE),
    )
    return out


def protect_headline(rows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Apply HEADLINE_RULES to headline rows of one or more years; adds `suppressed`."""
    frame = _headline_grid(rows).reset_index(drop=True)
    if frame.empty:
        return frame.assign(suppressed=False)
    rules = frame["measure"].map(headline_rule)
    frame["kind"] = rules.map(lambda r: r.kind)
    suppressed = pd.Series(False, index=frame.index)
    for column in ("value", "numerator", "denominator"):
        uses = rules.map(lambda r, c=column: c in r.count_columns).astype(bool)
        suppressed |= uses & primary_suppressed(frame[column], threshold)
    companions = {rule.count_from for rule in HEADLINE_RULES if rule.count_from}
    for measure, column in companions:
        companion = frame.loc[frame["measure"] == measure, ["reporting_year", "service", column]]
        companion = companion.rename(columns={column: "_companion"})
        count = frame[["reporting_year", "service"]].merge(
            companion, on=["reporting_year", "service"], how="left"
        )["_companion"]
        uses = rules.map(lambda r, m=measure: r.count_from is not None and r.count_from[0] == m)
        suppressed |= uses.astype(bool) & primary_suppressed(count, threshold)
    suppressed &= frame["kind"] != "exempt"
    # Counts shown as values (children looked after) add up: children + adults = all.
    additive = rules.map(lambda r: "value" in r.count_columns).astype(bool)
    totals = service_totals(frame[additive], ["reporting_year", "measure"])
    frame["suppressed"] = secondary_suppress(frame["value"], suppressed, totals, threshold)
    return frame


def _headline_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Presentation: rounded cells, shorthand for missing and suppressed values."""
    out = frame[["reporting_year", "service", "measure"]].copy()
    missing = frame["missing"].replace("", np.nan)
    for column in ("value", "ci_lower", "ci_upper"):
        cells = present(frame[column], frame["unit"].fillna(""))
        cells = cells.where(missing.isna(), missing)
        if column != "value":  # a missing interval (FTE rates have none) is not applicable
            cells = cells.where(~(frame[column].isna() & missing.isna()), NOT_APPLICABLE)
        out[column] = mask(cells, frame["suppressed"])
    out["unit"] = frame["unit"].fillna("")
    return out[["reporting_year", "service", "measure", "value", "unit", "ci_lower", "ci_upper"]]


def _with_benchmarks(cells: pd.DataFrame, benchmarks: pd.DataFrame) -> pd.DataFrame:
    keys = ["measure", "service"]
    if benchmarks["reporting_year"].notna().any():
        keys.append("reporting_year")
        benchmarks = benchmarks.astype({"reporting_year": "int64"})
    national = ["national_value", "national_release", "national_match", "national_basis"]
    benchmarks = benchmarks.drop_duplicates(keys)[[*keys, *national]]
    out = cells.merge(benchmarks, on=keys, how="left")
    out["national_value"] = present(out["national_value"], out["unit"]).where(
        out["national_value"].notna(), NOT_AVAILABLE
    )
    for column in ("national_release", "national_match", "national_basis"):
        out[column] = out[column].fillna("").astype(str)
    return out


# ---------------------------------------------------------------------------------------------
# Breakdown tables


# Short names for a measure when it labels a group of breakdown rows.
GROUP_NAMES = {m.name: m.group_name for m in MEASURES.values() if m.group_name}


def _allowed(column: str) -> tuple[str, ...]:
    spec = next(c for c in HR_WORKFORCE.columns if c.name == column)
    return tuple(str(code) for code in spec.allowed)


# Categories of the people breakdowns as published (docs/disclosure-control.md "Categories").
# Before protection, as statisticians combine small categories:
# - `combine` recodes always (ethnicity to the five ONS/CBDS main groups; gender's two
#   no-answer codes with unrecorded gender);
# - `other`: a category that a service counts 1..threshold people in, or nobody is in, is
#   folded into the residual `other` label (ethnic groups, reasons, destinations, origins);
# - `widen`: wider bands replace their members when any member is that small (age; male with
#   no answer).
# `known` is the full list, each given a row (0 when nobody is in it) so that a group with one
# category cannot read as "everyone is in it" without the group-disclosure rule seeing it.
ETHNIC_GROUPS = {"W": "White", "M": "Mixed or multiple", "A": "Asian or Asian British",
                 "B": "Black or Black British", "C": "Asian or Asian British",  # Chinese (ONS)
                 "O": "Other ethnic group"}  # fmt: skip
NOT_RECORDED = "not recorded"
NO_ANSWER = "not known or not specified"


@dataclass(frozen=True)
class CategoryScheme:
    known: tuple[str, ...]
    combine: dict[str, str]
    other: str | None = None  # the residual a small category is folded into
    keep: tuple[str, ...] = ()  # never folded
    widen: dict[str, str] | None = None  # member -> wider band


CATEGORY_SCHEMES: dict[str, CategoryScheme] = {
    "ethnicity": CategoryScheme(
        tuple(dict.fromkeys(ETHNIC_GROUPS.values())),
        {**{code: ETHNIC_GROUPS[code[0]] for code in CBDS_ETHNICITY if code[0] in ETHNIC_GROUPS
            and code != "OOTH"}, "OOTH": "Other ethnic group",
         "REFU": NOT_RECORDED, "NOBT": NOT_RECORDED},
        other="Other ethnic groups or not recorded (combined)", keep=("White",)),
    "gender": CategoryScheme(("1", "2", NO_ANSWER),
                             {"0": NO_ANSWER, "9": NO_ANSWER, NOT_RECORDED: NO_ANSWER},
                             widen={"1": "Male, not known or not specified",
                                    NO_ANSWER: "Male, not known or not specified"}),
    "age_band": CategoryScheme(AGE_BANDS, {}, widen={
        "<30": "Under 40", "30-39": "Under 40", "50-59": "50 and over", "60+": "50 and over"}),
    "reason_leave": CategoryScheme(_allowed("reason_leave"), {},
                                   other="Other reasons (combined)"),
    "leaver_destination": CategoryScheme(_allowed("leaver_destination"), {},
                                         other="Other destinations (combined)"),
    "start_origin": CategoryScheme(_allowed("start_origin"), {},
                                   other="Other origins (combined)"),
}


def _sum_by_category(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = rows.groupby([*keys, "category"], sort=False, dropna=False)
    sums = grouped[["value", "numerator"]].sum(min_count=1)
    others = grouped[[c for c in rows.columns if c not in [*keys, "category", "value",
                                                           "numerator"]]].first()
    return pd.concat([sums, others], axis=1).reset_index()


def _folding(counts: pd.DataFrame, scheme: CategoryScheme, threshold: int) -> dict[str, str]:
    """How one population's categories are folded (category x service counts of people): a
    category is small when a service counts 1..threshold in it, or nobody is in it at all.
    Small categories go into the residual, and while the residual is small in a service the
    next smallest category joins it; a wider band replaces its members when any is small. A
    breakdown never folds whole into one row (it would equal its Total): the largest category
    stays out."""
    counts = counts.fillna(0.0)
    small = ((counts >= 1) & (counts <= threshold)).any(axis=1) | (counts.sum(axis=1) == 0)
    fold: dict[str, str] = {}
    if scheme.other:
        foldable = [c for c in counts.index if c not in scheme.keep]
        fold = {c: scheme.other for c in foldable if small[c]}
        rest = sorted((c for c in foldable if c not in fold), key=lambda c: counts.loc[c].sum())
        while fold and rest:
            residual = counts.loc[list(fold)].sum()
            if not ((residual >= 1) & (residual <= threshold)).any():
                break
            fold[rest.pop(0)] = scheme.other
        if not set(counts.index) - set(fold):  # keep the largest out of the residual
            del fold[max(fold, key=lambda c: (counts.loc[c].sum(), c))]
    if scheme.widen:
        for wider in dict.fromkeys(scheme.widen.values()):
            members = [c for c, w in scheme.widen.items() if w == wider and c in counts.index]
            if any(small[c] for c in members):
                fold.update({c: wider for c in members})
    return fold


def apply_category_schemes(rows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Counts of people recoded by CATEGORY_SCHEMES and summed (a person has one category),
    with a 0 row for every known category missing from a group that has people, and small
    categories folded into the residual or wider band."""
    schemed = rows["breakdown"].isin(list(CATEGORY_SCHEMES)).to_numpy()
    if not schemed.any():
        return rows
    keys = ["reporting_year", "measure", "service", "breakdown"]
    mine = rows[schemed]
    mine = _sum_by_category(mine.assign(category=[
        CATEGORY_SCHEMES[b].combine.get(c, c)
        for b, c in zip(mine["breakdown"], mine["category"], strict=True)]), keys)
    # Every known category of each group (0 where absent).
    groups = mine.drop_duplicates(keys)
    known = pd.DataFrame([(b, c) for b, scheme in CATEGORY_SCHEMES.items() for c in scheme.known],
                         columns=["breakdown", "category"])
    grid = groups.drop(columns=["category", "value", "numerator"]).merge(known, on="breakdown")
    missing = grid.merge(mine[[*keys, "category"]], how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"].drop(columns="_merge")
    mine = pd.concat([mine, missing.assign(value=0.0, numerator=0.0)], ignore_index=True)
    # Fold small categories (the same way in every service of a population).
    population = ["reporting_year", "measure", "breakdown"]
    recode: dict[tuple, str] = {}
    # category x service counts of every population at once (a service absent from a
    # population is a column of NaN there, which the folding reads as 0)
    by_population = mine.groupby([*population, "category", "service"])["numerator"].sum(
        ).unstack("service")
    for group in mine.groupby(population, sort=False).indices:
        counts = by_population.loc[group]
        recode.update({(*group, old): new for old, new in
                       _folding(counts, CATEGORY_SCHEMES[group[-1]], threshold).items()})
    mine["category"] = [recode.get((*key, c), c) for *key, c in zip(
        *(mine[k] for k in population), mine["category"], strict=True)]
    mine = _sum_by_category(mine, keys)
    return pd.concat([rows[~schemed], mine[rows.columns]], ignore_index=True)


def _select_breakdowns(measures: pd.DataFrame, spec: BreakdownTable, threshold: int
                       ) -> pd.DataFrame:
    """The metrics rows a breakdown table is made of, one row per group × category, with the
    count of people/cases/responses in `numerator` and (if any) the published figure in
    `value`. `breakdown` becomes the group label the table shows."""
    key = measures["measure"] + ":" + measures["breakdown"]
    wanted = key.str.fullmatch("|".join(f"(?:{translate(p)})" for p in spec.breakdowns))
    rows = measures[wanted & measures["month_end"].isna()].copy()
    if spec.kind == "people" and spec.additive:
        rows = apply_category_schemes(rows, threshold)
    small = rows[list(spec.small_from)].apply(pd.to_numeric, errors="coerce")
    rows["_small"] = small.min(axis=1) if spec.small_from else np.nan
    rows["numerator"] = rows[spec.count_from]
    if spec.value_from:
        measure, column = spec.value_from.split(":")
        source = measures[(measures["measure"] == measure) & (measures["breakdown"] != "")]
        figures = source[["reporting_year", "service", "breakdown", "category", column]]
        rows = rows.drop(columns="value").merge(
            figures.rename(columns={column: "value"}),
            on=["reporting_year", "service", "breakdown", "category"], how="left")
    for column, measure in zip(("_largest", "_second"), spec.dominance_from or (),
                               strict=False):  # none without dominance_from
        source = measures[measures["measure"] == measure][
            ["reporting_year", "service", "breakdown", "category", "value"]]
        rows = rows.merge(source.rename(columns={"value": column}),
                          on=["reporting_year", "service", "breakdown", "category"], how="left")
    if spec.group_by_measure:
        short = rows["measure"].map(GROUP_NAMES).fillna(
            rows["measure"].str.removeprefix(HEALTH_CHECK_STANDARD_PREFIX))
        rows["breakdown"] = short if spec.name == "health_check_by_role" else (
            short + "_" + rows["breakdown"])
    return rows


def protect_breakdown(rows: pd.DataFrame, spec: BreakdownTable, threshold: int) -> pd.DataFrame:
    """One year's rows of one breakdown table, with Total rows added where the categories
    partition the total, and `suppressed` after primary and secondary suppression."""
    columns = ["reporting_year", "service", "breakdown", "category", "value", "numerator"]
    frame = rows[columns + [c for c in ("_small", "_largest", "_second") if c in rows]]
    frame = frame.assign(
        count=pd.to_numeric(frame["numerator"], errors="coerce").fillna(
            pd.to_numeric(frame["value"], errors="coerce") if spec.value_unit is None else np.nan
        ),
        value=pd.to_numeric(frame["value"], errors="coerce"),
    ).drop(columns="numerator")
    keys = ["reporting_year", "breakdown", "service"]
    if spec.additive:
        totals = frame.groupby(keys, as_index=False)[["count", "value"]].sum(min_count=1)
        frame = pd.concat([frame, totals.assign(category=TOTAL_LABEL)], ignore_index=True)
    # Magnitudes over categories that share no people (learning hours): the headline rate x
    # denominator (hours per FTE x FTE in post, never suppressed) publishes each service's
    # sum, so it is a Total the intruder knows: protected against, not shown here.
    known_sums = spec.value_additive and not spec.additive
    if known_sums:
        sums = frame.groupby(keys, as_index=False)[["value"]].sum(min_count=1)
        frame = pd.concat([frame, sums.assign(category=TOTAL_LABEL)], ignore_index=True)
    frame = _sort_services(frame, [*keys[:2], "category"]).reset_index(drop=True)
    protected = "value" if spec.value_additive else "count"
    constraints: list[Total] = []
    if spec.additive or known_sums:
        constraints += category_totals(frame, keys, "category", TOTAL_LABEL)
    if spec.additive:
        # Totals of one population shown per characteristic are the same number.
        total_rows = frame.index[frame["category"] == TOTAL_LABEL]
        for _, same_service in frame.loc[total_rows].groupby(["reporting_year", "service"]):
            constraints += equal_value_links(frame, same_service.index, protected)
    if spec.additive or spec.value_additive:
        # People counted once in `all` (movers, workers in both services): all ≤ the sum.
        constraints += service_totals(frame, ["reporting_year", "breakdown", "category"],
                                      movers=spec.kind == "people")
    primary = primary_suppressed(frame["count"], threshold)
    if "_small" in frame:
        primary |= primary_suppressed(frame["_small"], threshold)
        frame = frame.drop(columns="_small")
    margin = None
    if "_largest" in frame:  # p% dominance on the magnitude (hours), and its margin
        primary |= dominance_suppressed(frame["value"], frame["_largest"], frame["_second"])
        margin = p_percent_margin(frame["_largest"])
        frame = frame.drop(columns=["_largest", "_second"])
    if spec.kind == "people":
        primary = zero_pattern_suppressed(frame, ["reporting_year", "breakdown", "category"],
                                          frame["count"], primary)
    if spec.additive:
        primary |= group_disclosed(frame, constraints, frame["count"], threshold)
    is_total = frame["category"] == TOTAL_LABEL
    public = is_total & frame["breakdown"].astype(str).map(
        lambda b: any(b.startswith(p) for p in spec.public_totals)).astype(bool)
    # A population's Total is shown in several tables (starters by origin and by ethnicity):
    # hiding it in one as secondary suppression would be undone by another, so protection
    # falls on the categories. A Total that is small itself stays [c] everywhere; where an
    # exempt headline figure publishes it anyway (in post, leavers), the protection is
    # computed knowing it.
    # (A known sum is not fixed: when the categories cannot be protected with it public, it is
    # hidden, and with it the headline figure that publishes it, `hidden_sums`.)
    public = public | (is_total & ~primary & (not known_sums))
    frame["suppressed"] = secondary_suppress(frame[protected], primary, constraints, threshold,
                                             fixed=public, margin=margin)
    frame["suppressed"] |= primary & is_total
    hidden_sums = frame.loc[is_total & frame["suppressed"], ["reporting_year", "service"]]
    if known_sums:
        frame = frame[~is_total].copy()
        constraints = [c for c in constraints if frame.index.isin(c.cells).sum() == len(c.cells)]
        frame.attrs["hidden_sums"] = tuple(hidden_sums.itertuples(index=False, name=None))
    frame.attrs["constraints"] = Constraints(constraints)
    return frame


def hide_known_sums(headline: pd.DataFrame, protected: dict[str, pd.DataFrame]
                    ) -> pd.DataFrame:
    """Headline cells whose figure publishes a breakdown's sum that its protection had to hide
    (learning hours per FTE x FTE in post = the hours over all categories): `[c]`."""
    hidden = [pd.DataFrame(list(f.attrs["hidden_sums"]), columns=["reporting_year", "service"])
              .assign(measure=spec.value_from.split(":")[0])
              for spec in BREAKDOWN_TABLES if (f := protected.get(spec.name)) is not None
              and f.attrs.get("hidden_sums") and spec.value_from]
    if not hidden:
        return headline
    keys = ["reporting_year", "service", "measure"]
    hide = headline[keys].merge(pd.concat(hidden).assign(_hide=True), how="left")[
        "_hide"].fillna(False).astype(bool).to_numpy()
    out = headline.copy()
    for column in ("value", "ci_lower", "ci_upper"):
        out[column] = mask(out[column], pd.Series(hide, index=out.index))
    return out


def _sort_services(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    order = frame["service"].map({s: i for i, s in enumerate(SERVICES)}).fillna(len(SERVICES))
    is_total = frame["category"] == TOTAL_LABEL
    return (
        frame.assign(_service=order, _total=is_total)
        .sort_values([keys[0], keys[1], "_service", "_total", keys[2]], kind="mergesort")
        .drop(columns=["_service", "_total"])
    )


def breakdown_cells(frame: pd.DataFrame, spec: BreakdownTable) -> pd.DataFrame:
    """Presentation of a protected breakdown frame; rows keep the frame's labels, so
    `frame.attrs["constraints"]` applies to the published table too (the LP audit uses it)."""
    out = frame[["reporting_year", "service", "breakdown"]].copy()
    out[spec.category_label] = frame["category"]
    suppressed = frame["suppressed"]
    out["count"] = mask(present(frame["count"], "count"), suppressed)
    keys = ["reporting_year", "breakdown", "service"]
    if spec.value_unit is None and spec.additive:
        is_total = frame["category"] == TOTAL_LABEL
        total = frame["count"].where(is_total).groupby([frame[k] for k in keys]).transform("max")
        total_hidden = (suppressed & is_total).groupby([frame[k] for k in keys]).transform("any")
        percent = present(100 * frame["count"] / total.replace(0, np.nan), "percent")
        percent = percent.where(total.fillna(0) > 0, NOT_APPLICABLE)
        # A published share of a hidden total would reveal the total.
        out["percent"] = mask(percent, suppressed | total_hidden)
    elif spec.value_unit is not None:
        out["value"] = mask(present(frame["value"], spec.value_unit), suppressed)
        out["unit"] = spec.value_unit
    if spec.name == "health_check_items":
        # 'item:<theme>:<agree|disagree>': the theme and which answer is favourable.
        parts = out["breakdown"].astype(str).str.split(":", expand=True).reindex(
            columns=[0, 1, 2])
        out["breakdown"] = parts[1]
        out.insert(out.columns.get_loc(spec.category_label) + 1, "favourable_answer",
                   parts[2].map({"agree": "agree", "disagree": "disagree"}))
    if spec.breakdown_label:
        out = out.rename(columns={"breakdown": spec.breakdown_label})
    else:
        out = out.drop(columns="breakdown")
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Other tables


def _rolling_turnover(measures: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = measures[(measures["reporting_year"] == year) & measures["month_end"].notna()]
    rows = _sort_services(rows.assign(category=""), ["reporting_year", "month_end", "category"])
    out = rows[["reporting_year", "service", "month_end"]].copy()
    out["month_end"] = pd.to_datetime(out["month_end"]).dt.strftime("%Y-%m-%d")
    # A service-level workforce rate (exempt); a month without last year's extract is [x].
    out["value"] = present(rows["value"], rows["unit"].fillna("percent"))
    out["unit"] = rows["unit"].fillna("percent")
    return out.sort_values(["service", "month_end"], key=_service_key).reset_index(drop=True)


def _service_key(column: pd.Series) -> pd.Series:
    if column.name == "service":
        return column.map({s: i for i, s in enumerate(SERVICES)}).fillna(len(SERVICES))
    return column


def _year_on_year(
    con: duckdb.DuckDBPyConnection, year: int, headline: pd.DataFrame
) -> pd.DataFrame:
    """`metrics.changes` for the year; a change is `[c]` when either year's figure is."""
    base = ["reporting_year", "service", "measure"]
    if not _table_exists(con, "metrics", "changes"):
        return pd.DataFrame(columns=base)
    changes = con.execute("select * from metrics.changes where reporting_year = ?", [year]).df()
    keep = [c for c in changes.columns if c not in base and not ID_COLUMN.search(c)]
    keep = [c for c in keep if c not in ("authority_code", "source")]
    hidden = headline[headline["value"] == CONFIDENTIAL]
    hidden_now = changes[["measure", "service"]].merge(
        hidden[hidden["reporting_year"] == year][["measure", "service"]].assign(_h=True),
        how="left",
    )["_h"].fillna(False)
    hidden_before = changes[["measure", "service"]].merge(
        hidden[hidden["reporting_year"] == year - 1][["measure", "service"]].assign(_h=True),
        how="left",
    )["_h"].fillna(False)
    suppressed = (hidden_now | hidden_before).astype(bool)
    out = changes[base].copy().astype({"reporting_year": "int64"})
    for column in keep:
        numeric = pd.api.types.is_numeric_dtype(changes[column])
        cells = (
            present(changes[column], "percent")
            if numeric
            else changes[column].astype(object).where(changes[column].notna(), NOT_AVAILABLE)
        )
        out[column] = mask(cells, suppressed)
    return _sort_services(out.assign(category=""), ["reporting_year", "measure", "category"]).drop(
        columns="category"
    ).reset_index(drop=True)


def protect_year(measures: pd.DataFrame, reporting_year: int, threshold: int
                 ) -> dict[str, pd.DataFrame]:
    """The disclosure-controlled headline and breakdown tables of one year, from a frame shaped
    like `metrics.measures` (every year up to `reporting_year` for the headline), without a
    warehouse: what `build_published` publishes, and what the intruder test attacks."""
    measures = measures.copy()
    for column in ("breakdown", "category"):
        measures[column] = measures[column].fillna("").astype(str)
    headline = _headline_cells(protect_headline(_headline_rows(measures), threshold))
    tables = {}
    this_year = measures[measures["reporting_year"] == reporting_year]
    protected = {spec.name: protect_breakdown(_select_breakdowns(this_year, spec, threshold),
                                              spec, threshold) for spec in BREAKDOWN_TABLES}
    headline = hide_known_sums(headline, protected)
    tables["headline_measures"] = headline[headline["reporting_year"] == reporting_year
                                           ].reset_index(drop=True)
    for spec in BREAKDOWN_TABLES:
        tables[spec.name] = breakdown_cells(protected[spec.name], spec)
    return tables


def assert_no_identifiers(tables: dict[str, pd.DataFrame]) -> None:
    """Fail if any published table has an id-like column or a pseudonym-like value."""
    for name, table in tables.items():
        bad = [c for c in table.columns if ID_COLUMN.search(str(c).lower())]
        if bad:
            raise ValueError(f"published.{name} has identifier columns: {bad}")
        text = table.select_dtypes(include=["object", "string"])
        binary = [c for c in table.columns if _is_binary(table[c])]
        if binary or text.astype(str).apply(
                lambda col: col.str.contains(PSEUDONYM)).to_numpy().any():
            raise ValueError(f"published.{name} holds a pseudonymised id")


def _is_binary(column: pd.Series) -> bool:
    """A column of bytes: an Arrow binary dtype, or Python bytes in an object column."""
    if isinstance(column.dtype, pd.ArrowDtype):
        return pa.types.is_binary(column.dtype.pyarrow_dtype) or pa.types.is_fixed_size_binary(
            column.dtype.pyarrow_dtype) or pa.types.is_large_binary(column.dtype.pyarrow_dtype)
    return column.dtype == object and column.map(
        lambda v: isinstance(v, bytes | bytearray | memoryview)).any()


# ---------------------------------------------------------------------------------------------
# Build


def build_published(
    con: duckdb.DuckDBPyConnection, reporting_year: int, config: AuthorityConfig
) -> dict[str, pd.DataFrame]:
    """Read metrics.* up to `reporting_year`, apply disclosure control and write published.*.

    Returns the tables (cells are Python numbers or shorthand strings), in registry order."""
    threshold = config.suppression_threshold
    measures = read_measures(con, reporting_year)
    benchmarks = _benchmarks(con)

    headline_all = _headline_cells(protect_headline(_headline_rows(measures), threshold))
    this_year = measures[measures["reporting_year"] == reporting_year]
    protected = {spec.name: protect_breakdown(_select_breakdowns(this_year, spec, threshold),
                                              spec, threshold) for spec in BREAKDOWN_TABLES}
    headline_all = hide_known_sums(headline_all, protected)
    headline_all = _sort_services(
        headline_all.assign(category=""), ["reporting_year", "measure", "category"]
    ).drop(columns="category")
    order = {m: i for i, m in enumerate(dict.fromkeys([*HEADLINE_MEASURES,
                                                         *sorted(headline_all["measure"])]))}
    headline_all = headline_all.sort_values(
        ["reporting_year", "measure"], key=lambda c: c.map(order) if c.name == "measure" else c,
        kind="mergesort",
    ).reset_index(drop=True)
    headline = headline_all[headline_all["reporting_year"] == reporting_year]

    tables: dict[str, pd.DataFrame] = {}
    tables["headline_measures"] = _with_benchmarks(headline, benchmarks).reset_index(drop=True)
    trend = headline_all[headline_all["measure"].isin(TREND_MEASURES)]
    tables["turnover_trend"] = (
        _with_benchmarks(trend, benchmarks)
        .drop(columns=["ci_lower", "ci_upper"])
        .reset_index(drop=True)
    )
    tables["rolling_turnover"] = _rolling_turnover(measures, reporting_year)
    for spec in BREAKDOWN_TABLES:
        tables[spec.name] = breakdown_cells(protected[spec.name], spec)
    standards = headline[headline["measure"].isin(HEALTH_CHECK_STANDARDS)]
    tables["health_check_by_standard"] = standards.assign(
        standard=standards["measure"].str.removeprefix(HEALTH_CHECK_STANDARD_PREFIX)
        .str.removeprefix("standard_")
    )[["reporting_year", "service", "standard", "value", "unit"]].reset_index(drop=True)
    tables["year_on_year"] = _year_on_year(con, reporting_year, headline_all)

    tables = {name: tables[name] for name in TABLE_TITLES if name in tables}
    for table in tables.values():
        table["reporting_year"] = table["reporting_year"].astype("int64")
    assert_no_identifiers(tables)
    store_published(con, reporting_year, tables)
    return tables


def to_warehouse_frame(table: pd.DataFrame) -> pd.DataFrame:
    """Statistic cells as text (the number as published, or the shorthand) for DuckDB."""
    out = table.copy()
    for column in out.columns:
        if column != "reporting_year":
            out[column] = out[column].map(format_cell).astype("string")
    return out


def store_published(
    con: duckdb.DuckDBPyConnection, reporting_year: int, tables: dict[str, pd.DataFrame]
) -> None:
    """Replace this year's rows of each published.<table> in one transaction (for cross-year
    tables, the rows of every year the new frame holds)."""
    con.execute("begin transaction")
    try:
        con.execute("create schema if not exists published")
        for name, table in tables.items():
            frame = to_warehouse_frame(table)
            years = sorted({int(y) for y in frame["reporting_year"]} | {reporting_year})
            con.register("_published_frame", frame)
            existing = (
                con.execute(f"select * from published.{name} limit 0").df().columns.tolist()
                if _table_exists(con, "published", name)
                else None
            )
            if existing != frame.columns.tolist():  # new table or its layout changed
                con.execute(f"create or replace table published.{name} as "
                            "select * from _published_frame")
            else:
                placeholders = ", ".join("?" for _ in years)
                con.execute(f"delete from published.{name} where reporting_year in "
                            f"({placeholders})", years)
                con.execute(f"insert into published.{name} select * from _published_frame")
            con.unregister("_published_frame")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
