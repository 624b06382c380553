"""The intruder: what someone holding every published number can work out (docs/design.md §4
"Outputs and disclosure control").

`attack` takes one year's published tables (cells as published: numbers or `[c]`) and builds,
independently of the protection code, the linear relations that really hold between them:

- within a breakdown group, the categories sum to the Total row;
- across services, children + adults − movers = all, movers ≥ 0 (people), or = all (cases);
- the Totals of one population are equal wherever it is broken down (leavers by reason, by
  destination, by ethnicity...);
- rate × denominator = count: the exempt headline turnover rate times the headcount in post
  gives the number of leavers (to the rate's rounding), and the headcount in post is the Total
  of every in-post breakdown.

It then solves, for every `[c]`, min/max of that cell (scipy `milp`) with every cell
non-negative, one connected component of unknown cells at a time: the LP relaxation first, and
the integer programme (every cell a whole number) where the LP range is within a person of
the threshold; it reports a cell whose range is narrower than the
threshold and does not run from 0 (the protection rule of `disclosure.protected`). `zero_patterns` and `group_patterns` look for attribute
disclosure that needs no solving. `random_authority` makes the measures of a small authority
straight from generated workers (no warehouse), with movers between services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from assets.published import tables as published
from assets.published.disclosure import CONFIDENTIAL

# Breakdown tables and the population each group describes: group label -> population key.
PEOPLE_TABLES = {
    "leavers_by_reason": ("reason", lambda g: "leavers"),
    "leavers_by_destination": ("destination", lambda g: "leavers"),
    "starters_by_origin": ("origin", lambda g: "starters"),
    "equality_diversity": ("group", lambda g: str(g).split("_")[0].replace("in", "in_post")),
}
CASE_TABLES = {"audit_grades": ("grade", lambda g: "audits")}
TOTAL = "Total"


@dataclass
class Finding:
    table: str
    service: str
    group: str
    category: str
    lower: float
    upper: float
    needed: float
    pinned_by: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"{self.table}: {self.service} / {self.group} / {self.category} is pinned to "
                f"[{self.lower:g}, {self.upper:g}] (needs a range {self.needed:g} wide), by "
                f"relations with {', '.join(sorted(set(self.pinned_by)))}")


def _cells(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every count cell of the breakdown tables, one row each."""
    rows = []
    for name, (category, population) in {**PEOPLE_TABLES, **CASE_TABLES}.items():
        table = tables.get(name)
        if table is None or table.empty:
            continue
        group_col = "characteristic" if "characteristic" in table else None
        groups = table[group_col] if group_col else pd.Series(name, index=table.index)
        rows.append(pd.DataFrame({
            "table": name, "service": table["service"].astype(str),
            "group": groups.astype(str).to_numpy(),
            "category": table[category].astype(str).to_numpy(),
            "cell": table["count"].to_numpy(),
            "population": [population(g) for g in groups],
            "kind": "cases" if name in CASE_TABLES else "people",
        }))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


def _known_totals(headline: pd.DataFrame) -> dict[tuple[str, str], tuple[float, float]]:
    """(population, service) -> [low, high] the intruder knows from exempt headline cells."""
    out = {}
    if headline is None or headline.empty:
        return out
    cells = headline.set_index(["measure", "service"])["value"]
    for service in ("children", "adults", "all"):
        headcount = pd.to_numeric(cells.get(("headcount_in_post", service)), errors="coerce")
        rate = pd.to_numeric(cells.get(("turnover_rate_headcount", service)), errors="coerce")
        if pd.notna(headcount):
            out[("in_post", service)] = (headcount, headcount)
            if pd.notna(rate):  # rate published to 1 d.p.: leavers within ±0.05 points
                low = np.ceil((rate - 0.05) * headcount / 100 - 1e-9)
                high = np.floor((rate + 0.05) * headcount / 100 + 1e-9)
                out[("leavers", service)] = (low, high)
    return out


@dataclass
class Relations:
    """Every published count cell and the linear relations between them: low <= a @ x <= high."""

    cells: pd.DataFrame
    a: np.ndarray
    low: np.ndarray
    high: np.ndarray
    tags: list[str]
    hidden: np.ndarray  # `[c]`
    known: np.ndarray  # the published number, NaN where not a number

    def components(self) -> list[tuple[list[int], np.ndarray, LinearConstraint]]:
        """Per component of unknown cells: its cells, the relations touching it, and those
        relations on its cells with the published numbers moved to the bounds."""
        unknown = self.hidden | np.isnan(self.known)  # [c], and [x]/[z] (any value >= 0)
        known_part = self.a[:, ~unknown] @ self.known[~unknown]
        low, high = self.low - known_part, self.high - known_part
        out = []
        for component in _components(self.a, unknown):
            touching = np.flatnonzero(self.a[:, component].any(axis=1))
            sub = self.a[np.ix_(touching, component)]
            out.append((component, touching,
                        LinearConstraint(sub, low[touching], high[touching])))
        return out


def relations(tables: dict[str, pd.DataFrame]) -> Relations | None:
    """The relations an intruder can write down from the published tables."""
    cells = _cells(tables)
    if cells.empty:
        return None
    hidden = cells["cell"].astype(str).eq(CONFIDENTIAL).to_numpy()
    known = pd.to_numeric(cells["cell"].where(~hidden), errors="coerce").to_numpy(float)
    n = len(cells)
    rows, lows, highs, tags = [], [], [], []

    def relation(coefficients: dict[int, float], low: float, high: float, tag: str) -> None:
        row = np.zeros(n)
        for i, c in coefficients.items():
            row[i] += c
        rows.append(row)
        lows.append(low)
        highs.append(high)
        tags.append(tag)

    # Categories sum to the Total, per table x group x service.
    is_total = (cells["category"] == TOTAL).to_numpy()
    for (table, _group, _service), g in cells.groupby(["table", "group", "service"]).indices.items():
        if is_total[g].sum() == 1:
            coeffs = {i: 1.0 for i in g[~is_total[g]]}
            coeffs[g[is_total[g]][0]] = -1.0
            relation(coeffs, 0, 0, table)
    # Services: all = children + adults − movers (people), or = (cases).
    service, kind = cells["service"].to_numpy(), cells["kind"].to_numpy()
    for (table, _group, _category), g in cells.groupby(["table", "group", "category"]
                                                        ).indices.items():
        by = dict(zip(service[g], g, strict=True))
        if "all" in by and ("children" in by or "adults" in by):
            coeffs = {by[s]: 1.0 for s in ("children", "adults") if s in by}
            coeffs[by["all"]] = -1.0
            people = kind[g[0]] == "people"
            relation(coeffs, 0, np.inf if people else 0, table)
    # One population's Totals are equal across tables; known from headline cells.
    totals = cells[cells["category"] == TOTAL]
    known_totals = _known_totals(tables.get("headline_measures"))
    for (population, service), g in totals.groupby(["population", "service"]):
        first, *rest = g.index
        for other in rest:
            relation({first: 1.0, other: -1.0}, 0, 0,
                     f"{cells.at[first, 'table']}+{cells.at[other, 'table']}")
        bound = known_totals.get((population, service))
        for cell in g.index if bound else ():
            relation({cell: 1.0}, bound[0], bound[1], "headline_measures (rate x denominator)")

    return Relations(cells, np.array(rows).reshape(len(rows), n), np.array(lows, dtype=float),
                     np.array(highs, dtype=float), tags, hidden, known)


def attack(tables: dict[str, pd.DataFrame], threshold: int,
           system_of: Relations | None = None) -> list[Finding]:
    """Every `[c]` whose feasible range is narrower than the threshold and does not run from
    0 (a `[c]` pinned to 0 discloses no one)."""
    system_of = system_of or relations(tables)
    if system_of is None or not system_of.hidden.any():
        return []
    cells, tags = system_of.cells, system_of.tags
    findings = []
    public = _known_totals(tables.get("headline_measures"))
    target_set = {i for i in np.flatnonzero(system_of.hidden) if not (
        cells.at[i, "category"] == TOTAL
        and (cells.at[i, "population"], cells.at[i, "service"]) in public
    )}  # an exempt headline figure already publishes such a Total (rate x denominator)
    for component, touching, system in system_of.components():
        sub = np.asarray(system.A.todense()) if hasattr(system.A, "todense") else system.A
        targets = [position for position, i in enumerate(component) if i in target_set]
        # The LP relaxation of every target's min and max, in one solve.
        relaxed = _stacked_ranges(sub, system, targets)
        for position in targets:
            if _clearly_protected(*relaxed[position], threshold):
                continue
            # The LP relaxation is an outer bound: the integer programme decides cells near
            # the threshold (whole people), and gives the range to report.
            low, high = _range(sub, system, position, integer=True)
            if _protected(low, high, threshold):
                continue
            row = cells.loc[component[position]]
            findings.append(Finding(row["table"], row["service"], row["group"],
                                    row["category"], low, high, threshold,
                                    [tags[r] for r in touching]))
    return findings


def _components(a: np.ndarray, hidden: np.ndarray) -> list[list[int]]:
    """Hidden cells linked, directly or through other hidden cells, by a relation: each
    component is solved on its own (the published cells are constants)."""
    linked = a[:, hidden] != 0
    index = np.flatnonzero(hidden)
    label = -np.ones(len(index), dtype=int)
    for start in range(len(index)):
        if label[start] >= 0:
            continue
        label[start], frontier = start, [start]
        while frontier:
            j = frontier.pop()
            for k in np.flatnonzero(linked[linked[:, j]].any(axis=0)):
                if label[k] < 0:
                    label[k] = start
                    frontier.append(k)
    return [index[label == g].tolist() for g in np.unique(label)]


def _stacked_ranges(sub: np.ndarray, system: LinearConstraint, positions: list[int]
                    ) -> dict[int, tuple[float, float]]:
    """LP relaxation: min and max of each cell at `positions`, in one solve of the system
    repeated once per bound (block-diagonal: minimising the sum minimises each copy). Cells
    are bounded by 10^6; a maximum there is reported inf."""
    if not positions:
        return {}
    n, copies = sub.shape[1], 2 * len(positions)
    objective = np.zeros((copies, n))
    objective[np.arange(len(positions)), positions] = 1.0
    objective[np.arange(len(positions), copies), positions] = -1.0
    rows, columns = np.nonzero(sub)
    shift = np.arange(copies)[:, None]
    matrix = csr_array((np.tile(sub[rows, columns], copies),
                        ((rows + sub.shape[0] * shift).ravel(), (columns + n * shift).ravel())),
                       shape=(sub.shape[0] * copies, n * copies))
    result = milp(objective.ravel(), constraints=LinearConstraint(
        matrix, np.tile(system.lb, copies), np.tile(system.ub, copies)),
        bounds=Bounds(0, 10.0**6))
    if result.status != 0:
        raise AssertionError("the published tables are inconsistent")
    x = result.x.reshape(copies, n)
    return {position: (x[j, position], np.inf if x[len(positions) + j, position] >= 10**6 - 1
                       else x[len(positions) + j, position])
            for j, position in enumerate(positions)}


def _range(sub: np.ndarray, system: LinearConstraint, position: int, integer: bool
           ) -> tuple[float, float]:
    """Min and max of one cell; a cell no relation caps is bounded by 10^6 (reported inf)."""
    objective = np.zeros(sub.shape[1])
    objective[position] = 1.0
    integrality = np.ones(sub.shape[1]) if integer else np.zeros(sub.shape[1])
    bounds = Bounds(np.zeros(sub.shape[1]), np.full(sub.shape[1], 10.0**6))
    low = milp(objective, constraints=system, integrality=integrality, bounds=bounds)
    if low.status != 0:
        raise AssertionError("the published tables are inconsistent")
    high = milp(-objective, constraints=system, integrality=integrality, bounds=bounds)
    top = -high.fun if high.status == 0 else np.inf
    return low.fun, (np.inf if top >= 10**6 - 1 else top)


def _protected(low: float, high: float, threshold: int) -> bool:
    """At least the threshold wide, from 0 (nobody may be in the cell), or pinned to 0 (a
    suppressed zero known to be 0 discloses no one): the rule of `disclosure.protected`,
    restated here so that the test does not trust the code it tests."""
    return (high - low >= threshold - 1e-9 or (low <= 1e-9 and high >= 1 - 1e-9)
            or high <= 1e-9)


def _clearly_protected(low: float, high: float, threshold: int, bounds_exact: bool = True
                       ) -> bool:
    """Protected by the LP bounds with a whole person to spare, so that the integer programme
    (whose range lies inside the LP's) cannot change the answer for these sum relations; or
    pinned to 0, which the integer programme cannot change either."""
    low, high = np.ceil(low - 1e-9), np.floor(high + 1e-9)
    return (high - low >= threshold + 1 or (low <= 0 and high >= 2)
            or (bounds_exact and high <= 0))


def zero_patterns(tables: dict[str, pd.DataFrame], system_of: Relations | None = None
                  ) -> list[str]:
    """Category rows of people tables where `all` is published as 0 beside a service cell
    that is, or is proved to be, at least 1: those people are movers, and their category is
    disclosed. A `[c]` may hide a 0, so it counts only when the relations prove it is >= 1."""
    system_of = system_of or relations(tables)
    if system_of is None:
        return []
    cells = system_of.cells
    people = cells[(cells["kind"] == "people") & (cells["category"] != TOTAL)]
    key = people["table"] + "|" + people["group"] + "|" + people["category"]
    zero_all = key.isin(key[(people["service"] == "all") & (people["cell"].astype(str) == "0")])
    candidates = set(people.index[zero_all & system_of.hidden[people.index]])
    at_least_one = np.nan_to_num(system_of.known) >= 1
    for component, _touching, system in system_of.components():
        if candidates.isdisjoint(component):
            continue
        sub = np.asarray(system.A.todense()) if hasattr(system.A, "todense") else system.A
        for position, i in enumerate(component):
            if i in candidates:
                objective = np.zeros(sub.shape[1])
                objective[position] = 1.0
                low = milp(objective, constraints=system, integrality=np.ones(sub.shape[1]),
                           bounds=Bounds(0, np.inf))
                at_least_one[i] = low.status == 0 and low.fun >= 1 - 1e-9
    found = []
    for (table, group, category), g in people.groupby(["table", "group", "category"]):
        by = dict(zip(g["service"], g.index, strict=True))
        if "all" in by and str(cells.at[by["all"], "cell"]) == "0" and any(
            at_least_one[by[s]] for s in ("children", "adults") if s in by
        ):
            found.append(f"{table}: {group} / {category}: "
                         f"{ {s: cells.at[j, 'cell'] for s, j in by.items()} }")
    return found


def group_patterns(tables: dict[str, pd.DataFrame], threshold: int) -> list[str]:
    """Groups with a published Total above the threshold where a published category holds all
    or all but one of the population (group disclosure)."""
    cells = _cells(tables)
    if cells.empty:
        return []
    values = pd.to_numeric(cells["cell"], errors="coerce")
    is_total = cells["category"] == TOTAL
    by = [cells["table"], cells["group"], cells["service"]]
    total = values.where(is_total).groupby(by).transform("max")
    totals_in_group = is_total.groupby(by).transform("sum")
    parts_in_group = (~is_total).groupby(by).transform("sum")
    dominant = (~is_total & (totals_in_group == 1) & (parts_in_group >= 2)
                & (total > threshold) & (values >= total - 1))
    return [f"{r.table}: {r.service} / {r.group}: {values[i]:g} of {total[i]:g}"
            for i, r in cells[dominant].iterrows()]


# ---------------------------------------------------------------------------------------------
# Random small authorities, fed straight into the disclosure code


CHARACTERISTICS = {
    "ethnicity": (["WBRI", "ABAN", "BAFR", "MWBC", "OOTH", "not recorded"],
                  [0.7, 0.08, 0.08, 0.06, 0.05, 0.03]),
    "gender": (["1", "2", "9"], [0.2, 0.77, 0.03]),
    "age_band": (["<30", "30-39", "40-49", "50-59", "60+"], [0.2, 0.3, 0.25, 0.18, 0.07]),
}
REASONS = (["1", "2", "3", "4", "5", "6", "7"], [0.35, 0.1, 0.2, 0.1, 0.1, 0.05, 0.1])
ORIGINS = (["1", "2", "3", "4", "5", "6"], [0.3, 0.2, 0.2, 0.1, 0.1, 0.1])


LEARNING = ("mandatory", "cpd", "leadership")
SCOPES = ("children", "adults", "all")
OTHER_SERVICE = {"children": "adults", "adults": "children"}


def _spells(seed: int) -> pd.DataFrame:
    """One random authority's spells: workers in each service, some leaving (reason 7 moves
    to the other service: a leaver there and a starter in the other, neither in `all`), some
    starting, and heavy-tailed learning hours for those in post (one person can dominate a
    category)."""
    rng = np.random.default_rng(seed)
    services = np.repeat(["children", "adults"], [rng.integers(4, 45), rng.integers(4, 35)])
    n = len(services)
    workers = pd.DataFrame({"authority": seed, "id": np.arange(n), "service": services})
    for name, (categories, p) in CHARACTERISTICS.items():
        workers[name] = rng.choice(categories, size=n, p=p)
    workers["fte"] = rng.choice([0.5, 0.8, 1.0], size=n, p=[0.15, 0.15, 0.7])
    workers["leaves"] = rng.random(n) < 0.18
    workers["starts"] = rng.random(n) < 0.15
    workers["reason"] = np.where(workers["leaves"],
                                 rng.choice(REASONS[0], size=n, p=REASONS[1]), None)
    workers["origin"] = np.where(workers["starts"],
                                 rng.choice(ORIGINS[0], size=n, p=ORIGINS[1]), None)
    movers = workers[workers["reason"] == "7"]
    moved_in = movers.assign(service=movers["service"].map(OTHER_SERVICE), leaves=False,
                             reason=None, starts=True, origin="6", moved=True)
    spells = pd.concat([workers.assign(moved=False), moved_in], ignore_index=True)
    hours = rng.pareto(1.2, (len(spells), len(LEARNING))) * 6
    for position, category in enumerate(LEARNING):  # in post only; small amounts unrecorded
        spells[f"hours:{category}"] = np.where(~spells["leaves"] & (hours[:, position] > 3),
                                               hours[:, position], np.nan)
    return spells


def random_authorities(seeds: Sequence[int]) -> pd.DataFrame:
    """`metrics.measures`-shaped rows (headline and breakdowns) for small random authorities
    generated straight from workers (no warehouse), one `reporting_year` per authority (its
    seed), so that one call to the protection code protects them all, each on its own."""
    spells = pd.concat([_spells(seed) for seed in seeds], ignore_index=True)
    scoped = pd.concat([spells.assign(scope=spells["service"]), spells.assign(scope="all")],
                       ignore_index=True)
    in_all = scoped["scope"] == "all"
    populations = {  # a mover is a leaver and a starter in the services, neither in `all`
        "headcount_in_post": ~scoped["leaves"],
        "leavers_headcount": scoped["leaves"] & (~in_all | (scoped["reason"] != "7")),
        "starters_headcount": scoped["starts"] & (~in_all | ~scoped["moved"]),
    }
    every_scope = pd.MultiIndex.from_product([list(dict.fromkeys(seeds)), SCOPES],
                                             names=["authority", "scope"])
    heads, leavers = (scoped[populations[m]].groupby(["authority", "scope"])["id"].nunique()
                      .reindex(every_scope, fill_value=0)
                      for m in ("headcount_in_post", "leavers_headcount"))
    fte = scoped[populations["headcount_in_post"]].groupby(["authority", "scope"])["fte"].sum(
        ).reindex(every_scope, fill_value=0.0)
    headline = heads.rename("value").reset_index().assign(
        measure="headcount_in_post", numerator=heads.to_numpy(), unit="headcount")
    rate = pd.DataFrame({"value": 100 * leavers / heads, "numerator": leavers,
                         "denominator": heads})[heads > 0].reset_index()
    parts = [headline, rate.assign(measure="turnover_rate_headcount", unit="percent"),
             fte.rename("value").reset_index().assign(measure="fte_in_post", unit="fte",
                                                      numerator=fte.to_numpy())]
    for measure, population in populations.items():
        chosen = scoped[population]
        breakdowns = {name: name for name in CHARACTERISTICS}
        breakdowns |= {"leavers_headcount": {"reason_leave": "reason"},
                       "starters_headcount": {"start_origin": "origin"}}.get(measure, {})
        # Every category seen in any scope, in `all` and in each service with this population.
        scopes = pd.concat([chosen[["authority", "scope"]].drop_duplicates(),
                            pd.DataFrame({"authority": list(dict.fromkeys(seeds)),
                                          "scope": "all"})]).drop_duplicates()
        for breakdown, column in breakdowns.items():
            counts = chosen.groupby(["authority", "scope", column])["id"].nunique()
            seen = counts.reset_index()[["authority", column]].drop_duplicates()
            grid = scopes.merge(seen, on="authority").merge(
                counts.rename("value").reset_index(), how="left").fillna({"value": 0})
            grid["denominator"] = grid.groupby(["authority", "scope"])["value"].transform("sum")
            parts.append(grid.rename(columns={column: "category"}).assign(
                measure=measure, breakdown=breakdown, numerator=grid["value"],
                unit="headcount"))
    # Learning hours by category, with each cell's two largest contributions (p% rule).
    hours = scoped.melt(id_vars=["authority", "scope", "id"],
                        value_vars=[f"hours:{c}" for c in LEARNING], var_name="category",
                        value_name="hours").dropna(subset=["hours"])
    hours["category"] = hours["category"].str.removeprefix("hours:")
    keys = ["authority", "scope", "category"]
    ranked = (hours.groupby([*keys, "id"])["hours"].sum().reset_index()
              .sort_values([*keys, "hours"], ascending=[True, True, True, False]))
    place = ranked.groupby(keys).cumcount()
    cells = ranked.groupby(keys)["hours"].agg(["sum", "size", "first"])
    second = ranked[place == 1].set_index(keys)["hours"].reindex(cells.index, fill_value=0.0)
    # Hours per FTE in post: by category, and over all categories (the headline figure).
    per_fte = fte.reindex(cells.index.droplevel("category")).clip(lower=0.1).to_numpy()
    total = cells["sum"].groupby(["authority", "scope"]).sum().reindex(every_scope,
                                                                      fill_value=0.0)
    parts.append(pd.DataFrame({"value": total / fte.clip(lower=0.1), "numerator": total,
                               "denominator": fte}).reset_index().assign(
        measure="learning_hours_per_fte", unit="hours per fte"))
    for measure, value, numerator, unit in (
            ("learning_hours_per_fte", cells["sum"] / per_fte, cells["sum"], "hours per fte"),
            ("learners_headcount", cells["size"], cells["size"], "headcount"),
            ("learning_hours_largest", cells["first"], cells["first"], "hours"),
            ("learning_hours_second_largest", second, np.nan, "hours")):
        parts.append(pd.DataFrame({"value": value, "numerator": numerator}).reset_index()
                     .assign(measure=measure, breakdown="category", unit=unit))
    rows = pd.concat(parts, ignore_index=True).sort_values("authority", kind="stable")
    return pd.DataFrame({
        "reporting_year": rows["authority"].astype(int), "measure": rows["measure"],
        "service": rows["scope"], "breakdown": rows["breakdown"].fillna(""),
        "category": rows["category"].fillna("").astype(str), "month_end": None,
        "value": rows["value"].astype(float), "numerator": rows["numerator"].astype(float),
        "denominator": rows["denominator"].astype(float), "unit": rows["unit"],
        "ci_lower": np.nan, "ci_upper": np.nan}).reset_index(drop=True)


def random_authority(seed: int, year: int = 2025) -> pd.DataFrame:
    """One random authority's measures, as `year`."""
    return random_authorities([seed]).assign(reporting_year=year)


def protect_authorities(measures: pd.DataFrame, threshold: int
                        ) -> dict[int, dict[str, pd.DataFrame]]:
    """`protect_year` for every authority of `random_authorities` in one pass of the
    protection code (each authority a reporting year: every grouping, constraint and
    suppression is per year), split back into each authority's tables. The same steps as
    `protect_year`; test_published_intruder.py checks that the results are equal."""
    measures = measures.copy()
    for column in ("breakdown", "category"):
        measures[column] = measures[column].fillna("").astype(str)
    protected = {spec.name: published.protect_breakdown(
        published._select_breakdowns(measures, spec, threshold), spec, threshold)
        for spec in published.BREAKDOWN_TABLES}
    tables = {"headline_measures": published.hide_known_sums(published._headline_cells(
        published.protect_headline(published._headline_rows(measures), threshold)), protected)}
    for spec in published.BREAKDOWN_TABLES:
        tables[spec.name] = published.breakdown_cells(protected[spec.name], spec)
    out: dict[int, dict[str, pd.DataFrame]] = {}
    for year in measures["reporting_year"].unique():
        out[int(year)] = {}
    for name, table in tables.items():
        pieces = table.groupby("reporting_year").indices if len(table) else {}
        for year, mine in out.items():
            rows = pieces.get(year)
            mine[name] = (table.iloc[rows] if rows is not None else table.iloc[:0]
                          ).reset_index(drop=True)
    return out


def learning_truth(measures: pd.DataFrame) -> pd.DataFrame:
    """service, category, value (hours) and largest contribution of each learning cell."""
    rows = measures[measures["breakdown"] == "category"]
    hours = rows[rows["measure"] == "learning_hours_per_fte"][["service", "category",
                                                               "numerator"]]
    largest = rows[rows["measure"] == "learning_hours_largest"][["service", "category",
                                                                 "value"]]
    return hours.rename(columns={"numerator": "value"}).merge(
        largest.rename(columns={"value": "largest"}), on=["service", "category"])


# ---------------------------------------------------------------------------------------------
# Magnitudes (p% rule)


def _known_hours(headline: pd.DataFrame | None) -> dict[str, tuple[float, float]]:
    """service -> [low, high] of its learning hours over all categories, from the headline
    learning hours per FTE and FTE in post, each published to 1 d.p. (rate x denominator)."""
    if headline is None or headline.empty:
        return {}
    cells = headline.set_index(["measure", "service"])["value"]
    out = {}
    for service in ("children", "adults", "all"):
        rate = pd.to_numeric(cells.get(("learning_hours_per_fte", service)), errors="coerce")
        fte = pd.to_numeric(cells.get(("fte_in_post", service)), errors="coerce")
        if pd.notna(rate) and pd.notna(fte):
            out[service] = (max(rate - 0.05, 0) * max(fte - 0.05, 0), (rate + 0.05) * (fte + 0.05))
    return out


def magnitude_findings(tables: dict[str, pd.DataFrame], truth: pd.DataFrame, p: float
                       ) -> list[str]:
    """Hidden learning-hours cells whose feasible range, from the published hours (to their
    rounding) and all <= children + adults, does not reach p% of the cell's largest
    contribution below and above its true value. `truth`: service, category, value (hours)
    and largest, from the generated data (the intruder does not need them; the check does)."""
    table = tables.get("learning_hours_by_category")
    if table is None or table.empty:
        return []
    cells = table.reset_index(drop=True)
    hidden = cells["value"].astype(str).eq(CONFIDENTIAL).to_numpy()
    known = pd.to_numeric(cells["value"].where(~hidden), errors="coerce").to_numpy(float)
    n = len(cells)
    rows = []
    for _category, g in cells.groupby("category").indices.items():
        by = dict(zip(cells["service"].to_numpy()[g], g, strict=True))
        if "all" in by:
            row = np.zeros(n)
            for s in ("children", "adults"):
                if s in by:
                    row[by[s]] = 1.0
            row[by["all"]] = -1.0
            rows.append(row)
    lows, highs = [0.0] * len(rows), [np.inf] * len(rows)
    # rate x denominator = count: the headline hours per FTE x FTE in post (both published to
    # 1 d.p.) give each service's hours over all categories, to their rounding.
    for service, (low, high) in _known_hours(tables.get("headline_measures")).items():
        row = (cells["service"] == service).to_numpy(float)
        if row.any():
            rows.append(row)
            lows.append(low)
            highs.append(high)
    lower = np.where(hidden, 0.0, np.nan_to_num(known) - 0.05)  # published to 1 d.p.
    upper = np.where(hidden, 10.0**6, np.nan_to_num(known) + 0.05)
    system = LinearConstraint(np.array(rows).reshape(len(rows), n), lows, highs) if rows else []
    truth = truth.set_index(["service", "category"])
    found = []
    for i in np.flatnonzero(hidden):
        key = (cells.at[i, "service"], cells.at[i, "category"])
        value, largest = truth.loc[key, "value"], truth.loc[key, "largest"]
        objective = np.zeros(n)
        objective[i] = 1.0
        low = milp(objective, constraints=system, bounds=Bounds(lower, upper)).fun
        high = -milp(-objective, constraints=system, bounds=Bounds(lower, upper)).fun
        need = p / 100 * largest
        if value - low < need - 1e-6 or high - value < need - 1e-6:
            found.append(f"learning_hours_by_category: {key} = {value:g} is pinned to "
                         f"[{low:g}, {high:g}], within {p:g}% of its largest contribution "
                         f"({largest:g})")
    return found
