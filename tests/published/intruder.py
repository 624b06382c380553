"""The intruder: what someone holding every published number can work out (DESIGN §4
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

It then solves, for every `[c]`, the integer programme min/max of that cell (scipy `milp`),
with every cell a non-negative integer, and reports a cell whose range is narrower than the
threshold and does not run from 0 (the protection rule of `disclosure.protected`). `zero_patterns` and `group_patterns` look for attribute
disclosure that needs no solving. `random_authority` makes the measures of a small authority
straight from generated workers (no warehouse), with movers between services.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

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


def attack(tables: dict[str, pd.DataFrame], threshold: int, integer_programme: bool = False
           ) -> list[Finding]:
    """Every `[c]` whose feasible range is narrower than the threshold (or than its
    population, where that is smaller)."""
    cells = _cells(tables)
    if cells.empty or not cells["cell"].astype(str).eq(CONFIDENTIAL).any():
        return []
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
    for (table, _group, _service), g in cells.groupby(["table", "group", "service"]):
        is_total = g["category"] == TOTAL
        if is_total.sum() == 1:
            coeffs = {i: 1.0 for i in g.index[~is_total]}
            coeffs[g.index[is_total][0]] = -1.0
            relation(coeffs, 0, 0, table)
    # Services: all = children + adults − movers (people), or = (cases).
    for (table, _group, _category), g in cells.groupby(["table", "group", "category"]):
        by = dict(zip(g["service"], g.index, strict=True))
        if "all" in by and ("children" in by or "adults" in by):
            coeffs = {by[s]: 1.0 for s in ("children", "adults") if s in by}
            coeffs[by["all"]] = -1.0
            people = g["kind"].iloc[0] == "people"
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

    a = np.array(rows)
    lower_bounds = np.where(hidden, 0.0, known)
    upper_bounds = np.where(hidden, np.inf, known)
    constraints = LinearConstraint(a, lows, highs) if rows else []
    findings = []
    # Integer programme only where it can matter (a tight LP range); LP is exact enough
    # for the rest and much faster.
    integer = np.ones(n) if integer_programme else np.zeros(n)
    public = _known_totals(tables.get("headline_measures"))
    for i in np.flatnonzero(hidden):
        if cells.at[i, "category"] == TOTAL and (
            (cells.at[i, "population"], cells.at[i, "service"]) in public
        ):
            continue  # an exempt headline figure already publishes it (rate x denominator)
        objective = np.zeros(n)
        objective[i] = 1.0
        bounds = Bounds(lower_bounds, upper_bounds)
        low_result = milp(objective, constraints=constraints, integrality=integer,
                          bounds=bounds)
        if low_result.status != 0:
            raise AssertionError(f"the published tables are inconsistent at {cells.loc[i]}")
        low = low_result.fun
        # Bound the maximisation: a cell no relation caps is unbounded (status not 0).
        capped = Bounds(lower_bounds, np.where(hidden, 10**6, known))
        high_result = milp(-objective, constraints=constraints, integrality=integer,
                           bounds=capped)
        high = -high_result.fun if high_result.status == 0 else np.inf
        high = np.inf if high >= 10**6 - 1 else high
        # Protected: at least the threshold wide, or from 0 (nobody may be in the cell).
        needed = threshold
        if not (high - low >= needed - 1e-9 or (low <= 1e-9 and high >= 1)):
            # The relations on the hidden cells linked to this one, directly or not.
            near, frontier = {i}, [i]
            while frontier:
                j = frontier.pop()
                for r in np.flatnonzero(a[:, j]):
                    for k in np.flatnonzero(a[r]):
                        if hidden[k] and k not in near:
                            near.add(k)
                            frontier.append(k)
            touching = [tags[r] for r in range(len(rows)) if a[r, sorted(near)].any()]
            row = cells.loc[i]
            findings.append(Finding(row["table"], row["service"], row["group"],
                                    row["category"], low, high, needed, touching))
    return findings


def zero_patterns(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Category rows of people tables where `all` is published as 0 beside a service cell
    that is not 0 (shown or `[c]`): those people are movers, and their category is disclosed."""
    cells = _cells(tables)
    if cells.empty:
        return []
    found = []
    people = cells[(cells["kind"] == "people") & (cells["category"] != TOTAL)]
    for (table, group, category), g in people.groupby(["table", "group", "category"]):
        by = dict(zip(g["service"], g["cell"], strict=True))
        if str(by.get("all")) == "0" and any(
            str(by.get(s)) not in ("0", "None", "nan") for s in ("children", "adults")
            if s in by
        ):
            found.append(f"{table}: {group} / {category}: {by}")
    return found


def group_patterns(tables: dict[str, pd.DataFrame], threshold: int) -> list[str]:
    """Groups with a published Total above the threshold where a published category holds all
    or all but one of the population (group disclosure)."""
    cells = _cells(tables)
    if cells.empty:
        return []
    found = []
    for (table, group, service), g in cells.groupby(["table", "group", "service"]):
        values = pd.to_numeric(g["cell"], errors="coerce")
        is_total = g["category"] == TOTAL
        if is_total.sum() != 1 or (~is_total).sum() < 2:
            continue
        total = values[is_total].iloc[0]
        parts = values[~is_total]
        if pd.notna(total) and total > threshold and (parts >= total - 1).any():
            found.append(f"{table}: {service} / {group}: {parts.max():g} of {total:g}")
    return found


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


def random_authority(seed: int, year: int = 2025) -> pd.DataFrame:
    """`metrics.measures`-shaped rows (headline and breakdowns) for a small random authority:
    workers in each service, some leaving (reason 7 moves to the other service: a leaver and
    a starter in the services, neither in `all`), some starting."""
    rng = np.random.default_rng(seed)
    size = {"children": int(rng.integers(4, 45)), "adults": int(rng.integers(4, 35))}
    people = []
    for service, n in size.items():
        for _ in range(n):
            person = {name: rng.choice(cats, p=p) for name, (cats, p) in CHARACTERISTICS.items()}
            person.update(service=service, leaves=rng.random() < 0.18,
                          starts=rng.random() < 0.15)
            person["reason"] = rng.choice(REASONS[0], p=REASONS[1]) if person["leaves"] else None
            person["origin"] = rng.choice(ORIGINS[0], p=ORIGINS[1]) if person["starts"] else None
            people.append(person)
    workers = pd.DataFrame(people)
    workers["id"] = range(len(workers))
    movers = workers[workers["reason"] == "7"]
    moved_in = movers.assign(service=movers["service"].map(
        {"children": "adults", "adults": "children"}), leaves=False, reason=None, starts=True,
        origin="6", moved=True)
    spells = pd.concat([workers.assign(moved=False), moved_in], ignore_index=True)
    rows = []

    def add(measure, service, value, breakdown=None, category=None, numerator=None,
            denominator=None, unit="headcount"):
        rows.append(dict(reporting_year=year, measure=measure, service=service,
                         breakdown=breakdown or "", category=category or "", month_end=None,
                         value=float(value), numerator=numerator, denominator=denominator,
                         unit=unit, ci_lower=np.nan, ci_upper=np.nan))

    scopes = {
        "children": spells["service"] == "children",
        "adults": spells["service"] == "adults",
        "all": pd.Series(True, index=spells.index),
    }
    populations = {
        "headcount_in_post": lambda s, scope: s[~s["leaves"]],
        "leavers_headcount": lambda s, scope: s[s["leaves"] & ((scope != "all")
                                                               | (s["reason"] != "7"))],
        "starters_headcount": lambda s, scope: s[s["starts"] & ((scope != "all") | ~s["moved"])],
    }
    for scope, mask in scopes.items():
        mine = spells[mask]
        heads = mine[~mine["leaves"]]["id"].nunique()
        leavers = populations["leavers_headcount"](mine, scope)["id"].nunique()
        add("headcount_in_post", scope, heads, numerator=heads)
        if heads:
            add("turnover_rate_headcount", scope, 100 * leavers / heads, numerator=leavers,
                denominator=heads, unit="percent")
    for measure, pick in populations.items():
        breakdowns = dict(CHARACTERISTICS)
        if measure == "leavers_headcount":
            breakdowns["reason_leave"] = REASONS
        if measure == "starters_headcount":
            breakdowns["start_origin"] = ORIGINS
        for breakdown in breakdowns:
            column = {"reason_leave": "reason", "start_origin": "origin"}.get(breakdown, breakdown)
            seen = set()
            per_scope = {}
            for scope, mask in scopes.items():
                chosen = pick(spells[mask], scope)
                per_scope[scope] = chosen.groupby(column)["id"].nunique()
                seen |= set(per_scope[scope].index)
            for scope, counts in per_scope.items():
                if pick(spells[scopes[scope]], scope).empty and scope != "all":
                    continue
                total = int(counts.sum())
                for category in sorted(seen):
                    count = int(counts.get(category, 0))
                    add(measure, scope, count, breakdown, category, numerator=count,
                        denominator=total)
    return pd.DataFrame(rows)
