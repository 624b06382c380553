"""Statistical disclosure control for published tables (docs/design.md §4 "Outputs and disclosure control").

One cell of a published table is one row of a frame (a statistic with its count and derived
columns). The rules, implemented once here and documented in docs/disclosure-control.md:

- primary: a cell counting 1..threshold distinct people, cases or responses is `[c]`, and so is a
  rate whose numerator or denominator counts that few; zeros stay 0 under primary suppression;
- secondary: no `[c]` may be recovered from the true linear relations between published cells:
  parts summing to a total; children + adults − movers = all, with movers ≥ 0 (a worker who
  moves between services is a leaver in one service and not in `all`, so `all` ≤ children +
  adults, an `at_most` relation); totals that are equal across linked breakdowns; totals the
  intruder knows from exempt headline figures. A heuristic suppresses the next-smallest
  non-zero cell of a group until every group hides enough, then an LP audit
  (`scipy.optimize.linprog`) proves that every `[c]` keeps a feasible range at least
  `threshold` wide (in a population smaller than the threshold, as wide as the population:
  the range then runs from 0 to the whole population), adding suppressions where it does not;
- zero patterns: a zero may be suppressed as secondary suppression where it closes a leak: a
  service cell that is not 0 beside a 0 for `all` shows that those people moved between
  services (and so their characteristic), and a group where all, or all but one, of a
  population falls in one category discloses that category for everyone (group disclosure);
- dominance: a magnitude cell (hours) fails the p% rule when the contributions other than the
  two largest are less than p% of the largest, so the second-largest contributor could estimate
  the largest within p%.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linprog

# GSS shorthand ("Using symbols and shorthand", 2022).
CONFIDENTIAL = "[c]"
NOT_AVAILABLE = "[x]"
NOT_APPLICABLE = "[z]"
SHORTHAND = {
    CONFIDENTIAL: "Confidential: withheld to protect individuals (statistical disclosure control).",
    NOT_AVAILABLE: "Not available: the data were not supplied or not collected for this period.",
    NOT_APPLICABLE: "Not applicable: the figure cannot be calculated (for example, a zero "
    "denominator) or does not apply to this service.",
}

# Units published as whole numbers; every other number is rounded to one decimal place (GSS).
COUNT_UNITS = frozenset({"count", "headcount", "people", "cases", "responses", "number", "n"})

# A zero may be suppressed as secondary suppression, so an intruder knows only that a `[c]` is
# at least 0.
SUPPRESSED_LOWER_BOUND = 0.0
DOMINANCE_P = 10.0  # p% rule: the remainder must exceed p% of the largest contribution


@dataclass(frozen=True)
class Total:
    """One additive constraint an intruder can use: the `parts` cells sum to the `total` cell.

    Cells are row labels of the frame being protected. A single part means the two cells are
    equal (the same total shown twice)."""

    total: Hashable
    parts: tuple[Hashable, ...]
    at_most: bool = False  # total ≤ Σ parts (children + adults − movers = all, movers ≥ 0)

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return (*self.parts, self.total)


class Constraints(tuple):
    """A frame's constraints, kept in `DataFrame.attrs`: shared, not deep-copied, by every
    frame pandas derives from it (they are immutable)."""

    def __deepcopy__(self, memo: dict) -> Constraints:
        return self


# ---------------------------------------------------------------------------------------------
# Primary suppression


def primary_suppressed(counts: pd.Series, threshold: int) -> pd.Series:
    """True where a count of distinct people/cases/responses is 1..threshold (0 and NaN are not)."""
    counts = pd.to_numeric(counts, errors="coerce")
    return (counts >= 1) & (counts <= threshold)


def rate_suppressed(numerator: pd.Series, denominator: pd.Series, threshold: int) -> pd.Series:
    """True where a rate's numerator or denominator counts 1..threshold people."""
    return primary_suppressed(numerator, threshold) | primary_suppressed(denominator, threshold)


# ---------------------------------------------------------------------------------------------
# Constraint builders (frames with a RangeIndex; labels are row positions)


def category_totals(
    frame: pd.DataFrame, group_cols: Sequence[str], category_col: str, total_label: str
) -> list[Total]:
    """One constraint per group: its category rows sum to its `total_label` row."""
    out = []
    labels = frame.index.to_numpy()
    is_total_all = (frame[category_col] == total_label).to_numpy()
    for positions in _groups(frame, group_cols):
        is_total = is_total_all[positions]
        if is_total.sum() == 1 and (~is_total).any():
            out.append(Total(labels[positions[is_total][0]],
                             tuple(labels[positions[~is_total]].tolist())))
    return out


def _groups(frame: pd.DataFrame, key_cols: Sequence[str]) -> list[np.ndarray]:
    """Row positions of each group, in key order (a loop over groups, not data rows)."""
    indices = frame.groupby(list(key_cols), sort=True, dropna=False).indices
    return [np.asarray(indices[key]) for key in sorted(indices, key=str)]


def _by_service(frame: pd.DataFrame, positions: np.ndarray) -> dict[str, Hashable]:
    services = frame["service"].to_numpy()[positions]
    return dict(zip(services.tolist(), frame.index.to_numpy()[positions].tolist(), strict=True))


def service_totals(
    frame: pd.DataFrame, key_cols: Sequence[str], movers: bool = False
) -> list[Total]:
    """One constraint per key: children + adults = all (a missing service counts as zero), or,
    for populations of people where a move between services or a worker in both services
    counts once in `all` (`movers`), children + adults − movers = all: `all` ≤ the sum."""
    out = []
    for positions in _groups(frame, key_cols):
        services = _by_service(frame, positions)
        parts = tuple(services[s] for s in services if s in ("children", "adults"))
        if "all" in services and parts:
            out.append(Total(services["all"], parts, at_most=movers))
    return out


def zero_pattern_suppressed(
    frame: pd.DataFrame, key_cols: Sequence[str], counts: pd.Series, suppressed: pd.Series
) -> pd.Series:
    """Secondary suppression of a 0 for `all` beside a service cell that is not 0 (shown or
    `[c]`): the pattern says those people moved between services, and so discloses their
    category. Returns the widened mask."""
    counts = pd.to_numeric(counts, errors="coerce")
    out = suppressed.copy()
    for positions in _groups(frame, key_cols):
        services = _by_service(frame, positions)
        if "all" not in services:
            continue
        whole = services["all"]
        parts = [services[s] for s in services if s in ("children", "adults")]
        if counts[whole] == 0 and any(counts[p] > 0 for p in parts):
            out[whole] = True
    return out


def group_disclosed(
    frame: pd.DataFrame, totals: Sequence[Total], counts: pd.Series, threshold: int
) -> pd.Series:
    """Cells to suppress for group disclosure: in a group where all, or all but one, of the
    people fall in one category, that category's cell and the group's zeros (so that the
    pattern cannot be read back from the total, which may be public)."""
    counts = pd.to_numeric(counts, errors="coerce")
    out = pd.Series(False, index=frame.index)
    for constraint in totals:
        if constraint.at_most or len(constraint.parts) < 2:
            continue
        total = counts[constraint.total]
        parts = counts[list(constraint.parts)]
        if not total >= 1 or parts.isna().any():
            continue
        if parts.max() >= total - 1:
            out[parts.idxmax()] = True
            out[parts.index[parts == 0]] = True
    return out


def dominance_suppressed(
    totals: pd.Series, largest: pd.Series, second: pd.Series, p: float = DOMINANCE_P
) -> pd.Series:
    """p% rule for magnitude cells (e.g. hours): True where the total less its two largest
    contributions is under p% of the largest, so the second-largest contributor could estimate
    the largest to within p%. A cell with one contributor always fails."""
    totals, largest, second = (pd.to_numeric(v, errors="coerce").fillna(0.0)
                               for v in (totals, largest, second))
    remainder = totals - largest - second
    return (largest > 0) & (remainder < p / 100 * largest)


def equal_value_links(frame: pd.DataFrame, rows: pd.Index, value_col: str) -> list[Total]:
    """Link cells holding the same true value (e.g. one population's total shown per
    characteristic): publishing one copy would reveal a suppressed other."""
    values = frame.loc[rows, value_col].dropna()
    out = []
    for _, same in values.groupby(values, sort=True):
        first, *rest = same.index
        out.extend(Total(first, (other,)) for other in rest)
    return out


# ---------------------------------------------------------------------------------------------
# LP audit


def _linear_system(
    values: pd.Series, variables: list, totals: Sequence[Total]
) -> tuple[list[np.ndarray], list[float], list[np.ndarray], list[float]]:
    """The constraints on `variables` (unknown cells) with the published cells moved to the
    right-hand side: equalities, and `at_most` relations as total − Σ parts ≤ 0."""
    position = {cell: i for i, cell in enumerate(variables)}
    eq_rows, eq_rhs, ub_rows, ub_rhs = [], [], [], []
    for constraint in totals:
        coefficients = np.zeros(len(variables))
        constant = 0.0
        for cell, sign in [*((p, 1.0) for p in constraint.parts), (constraint.total, -1.0)]:
            if cell in position:
                coefficients[position[cell]] += sign
            else:
                constant += sign * float(values[cell])
        if not coefficients.any():
            continue
        if constraint.at_most:
            ub_rows.append(-coefficients)
            ub_rhs.append(constant)
        else:
            eq_rows.append(coefficients)
            eq_rhs.append(-constant)
    return eq_rows, eq_rhs, ub_rows, ub_rhs


def _root(parent: dict, cell):
    """The root of `cell` in a union-find forest (path halving)."""
    while parent[cell] != cell:
        parent[cell] = parent[parent[cell]]
        cell = parent[cell]
    return cell


def _union(parent: dict, cells: list) -> None:
    """Join `cells` into one set of the union-find forest `parent`."""
    for other in cells[1:]:
        parent[_root(parent, other)] = _root(parent, cells[0])


def _components(variables: list, totals: Sequence[Total]) -> list[list]:
    """Unknown cells linked, directly or through other unknown cells, by a constraint: each
    component's ranges depend only on its own cells and the published numbers."""
    parent = {cell: cell for cell in variables}

    for constraint in totals:
        _union(parent, [c for c in dict.fromkeys(constraint.cells) if c in parent])
    groups: dict = {}
    for cell in variables:
        groups.setdefault(_root(parent, cell), []).append(cell)
    return list(groups.values())


def _component_ranges(
    values: pd.Series, cells: list, hidden: frozenset, totals: Sequence[Total], lower: float,
    threshold: int | None = None,
) -> list[tuple]:
    """(cell, lower, upper, feasible) for the hidden cells of one component."""
    if not hidden:
        return []
    eq_rows, eq_rhs, ub_rows, ub_rhs = _linear_system(values, cells, totals)
    floors = np.array([lower if c in hidden else 0.0 for c in cells])
    if not eq_rows and not ub_rows:  # nothing links the cell: anything from its floor up
        return [(cell, floors[i], np.inf, True) for i, cell in enumerate(cells) if cell in hidden]
    if len(eq_rows) == 1 and not ub_rows and len(set(np.sign(eq_rows[0][eq_rows[0] != 0]))) == 1:
        # One sum of unknown cells, all with the same sign, is published: each runs from its
        # floor to that sum less the other cells' floors (exact, no solver needed); every
        # cell of a one-constraint component is in that constraint.
        row = eq_rows[0] * np.sign(eq_rows[0].sum())
        total = eq_rhs[0] * np.sign(eq_rows[0].sum())
        feasible = total >= floors[row != 0].sum() - 1e-9
        out = []
        for i, cell in enumerate(cells):
            if cell in hidden:
                top = total - (floors[row != 0].sum() - floors[i])
                bottom = top if (row != 0).sum() == 1 else floors[i]  # a lone unknown is pinned
                out.append((cell, bottom if feasible else np.nan,
                            top if feasible else np.nan, bool(feasible)))
        return out
    system = {
        "A_eq": np.array(eq_rows) if eq_rows else None,
        "b_eq": np.array(eq_rhs) if eq_rows else None,
        "A_ub": np.array(ub_rows) if ub_rows else None,
        "b_ub": np.array(ub_rhs) if ub_rows else None,
    }
    bounds = [(f, None) for f in floors]
    # Each solution is a feasible point: the values it gives other cells are inside their
    # ranges. When only protection matters (`threshold`), a cell already seen across a
    # protected span needs no solve of its own; its range is then reported as that span.
    seen_low, seen_high = np.full(len(cells), np.inf), np.full(len(cells), -np.inf)
    if threshold is not None:
        # Points to start from: the true values...
        truth = values.reindex(cells).to_numpy(dtype=float)
        if not np.isnan(truth).any():
            seen_low, seen_high = truth.copy(), truth.copy()
    todo = [i for i, cell in enumerate(cells) if cell in hidden and not (
        threshold is not None and _protected_span(seen_low[i], seen_high[i], threshold))]
    stacked = _stacked_ranges(system, floors, todo)
    out = []
    for i, cell in enumerate(cells):
        if cell not in hidden:
            continue
        if threshold is not None and _protected_span(seen_low[i], seen_high[i], threshold):
            out.append((cell, seen_low[i], seen_high[i], True))
            continue
        if stacked is not None:
            out.append((cell, *stacked[i], True))
            continue
        objective = np.zeros(len(cells))
        objective[i] = 1.0
        results = {}
        for name, sign in (("low", 1.0), ("high", -1.0)):
            results[name] = linprog(sign * objective, bounds=bounds, method="highs", **system)
            for result in results.values():
                if result.status == 0:
                    np.minimum(seen_low, result.x, out=seen_low)
                    np.maximum(seen_high, result.x, out=seen_high)
            if (threshold is not None and results["low"].status == 0
                    and _protected_span(seen_low[i], seen_high[i], threshold)):
                break  # the minimum is exact, and a point as high as needed is known
        low, high = results["low"], results.get("high")
        if high is None:
            out.append((cell, low.fun, seen_high[i], True))
            continue
        feasible = low.status == 0 and high.status in (0, 3)  # 3: unbounded above
        upper = np.inf if high.status == 3 else (-high.fun if feasible else np.nan)
        out.append((cell, low.fun if feasible else np.nan, upper, feasible))
    return out


def _stacked_ranges(system: dict, floors: np.ndarray, todo: list[int]
                    ) -> dict[int, tuple[float, float]] | None:
    """Min and max of every `todo` cell in one solve: the component's system repeated once per
    bound wanted (block-diagonal, so minimising the sum of the copies' objectives minimises
    each), which saves a solver call per bound. Cells are capped at ten times the sum of the
    published numbers in the system (at least 10^6), and a maximum at the cap is unbounded.
    None when the system is infeasible, so the caller solves cell by cell and says which."""
    if not todo:
        return {}
    n, copies = len(floors), 2 * len(todo)
    constants = [np.abs(system[b]).sum() for b in ("b_eq", "b_ub") if system[b] is not None]
    cap = max(1e6, 10 * (1 + sum(constants)))
    objective = np.zeros((copies, n))
    objective[np.arange(len(todo)), todo] = 1.0
    objective[np.arange(len(todo), copies), todo] = -1.0
    stacked = {}
    for name in ("A_eq", "A_ub"):
        matrix = system[name]
        if matrix is None:
            stacked[name] = stacked["b" + name[1:]] = None
            continue
        rows, columns = np.nonzero(matrix)
        shift = np.arange(copies)[:, None]
        stacked[name] = sparse.csr_array((
            np.tile(matrix[rows, columns], copies),
            ((rows + matrix.shape[0] * shift).ravel(), (columns + n * shift).ravel())),
            shape=(matrix.shape[0] * copies, n * copies))
        stacked["b" + name[1:]] = np.tile(system["b" + name[1:]], copies)
    bounds = np.tile(np.column_stack([floors, np.full(n, cap)]), (copies, 1))
    result = linprog(objective.ravel(), bounds=bounds, method="highs", **stacked)
    if result.status != 0:
        return None
    x = result.x.reshape(copies, n)
    out = {}
    for j, i in enumerate(todo):
        high = x[len(todo) + j, i]
        out[i] = (x[j, i], np.inf if high >= cap * (1 - 1e-9) else high)
    return out


def _protected_span(low: float, high: float, threshold: int) -> bool:
    return (high - low >= threshold - 1e-9) | ((low <= 1e-9) & (high >= 1 - 1e-9))


def _feasible_ranges(
    values: pd.Series, hidden: pd.Series, totals: Sequence[Total], lower: float,
    cache: dict | None = None, threshold: int | None = None,
) -> pd.DataFrame:
    """Min and max of each hidden cell given the published cells and the constraints
    (equalities, and `at_most` relations as total ≤ Σ parts), solved per connected component
    of unknown cells. `cache` (component -> ranges) carries solved components between calls
    with the same values and constraints, so adding one suppression re-solves one component.
    With a `threshold`, a range may be reported narrower than it is, but never as protected
    when it is not (see `_component_ranges`)."""
    hidden_cells = list(values.index[hidden.to_numpy()])
    free_cells = list(values.index[(~hidden & values.isna()).to_numpy()])  # [x]/[z]: unknown
    variables = hidden_cells + free_cells
    hidden_set = frozenset(hidden_cells)
    touching: dict = {}
    for constraint in totals:
        for cell in dict.fromkeys(constraint.cells):
            touching.setdefault(cell, []).append(constraint)
    cache = {} if cache is None else cache
    result = []
    for component in _components(variables, totals):
        key = (tuple(component), frozenset(c for c in component if c in hidden_set))
        if key not in cache:
            linked = list({id(t): t for c in component for t in touching.get(c, ())}.values())
            cache[key] = _component_ranges(values, component, key[1], linked, lower, threshold)
        result.extend(cache[key])
    ranges = pd.DataFrame(result, columns=["cell", "lower", "upper", "feasible"])
    ranges = ranges.set_index("cell").reindex(hidden_cells)
    ranges["feasible"] = ranges["feasible"].fillna(False).astype(bool)
    ranges["width"] = ranges["upper"] - ranges["lower"]
    return ranges


def audit_feasible_ranges(
    table: pd.DataFrame,
    totals_spec: Sequence[Total],
    threshold: int,
    column: str = "count",
    lower: float = SUPPRESSED_LOWER_BOUND,
    population: pd.Series | None = None,
) -> pd.DataFrame:
    """For every `[c]` in `table[column]`, the range an intruder can infer from the published
    cells and `totals_spec` (each `[c]` in [lower, ∞), each `[x]`/`[z]` in [0, ∞)).

    Returns one row per `[c]` cell (indexed by its row label) with lower, upper, width,
    feasible and ok (see `protected`)."""
    cells = table[column]
    hidden = cells.astype("string").eq(CONFIDENTIAL).fillna(False).astype(bool)
    values = pd.to_numeric(cells.where(~hidden), errors="coerce")
    ranges = _feasible_ranges(values, hidden, totals_spec, lower)
    ranges["ok"] = protected(ranges, threshold, population)
    return ranges


def protected(
    ranges: pd.DataFrame, threshold: int, population: pd.Series | None = None
) -> pd.Series:
    """A `[c]` is protected when its feasible range is at least `threshold` wide, when it
    runs from 0 to at least 1, or when it is proved to be 0 (a suppressed zero: nobody is
    disclosed): the intruder cannot tell whether anyone is in the cell (in a
    population smaller than the threshold, known from the exempt headline figures, no range can
    be wider than the population). `population` is accepted for callers that know it; the rule
    does not need it."""
    del population
    wide = ranges["width"] >= threshold - 1e-9
    from_zero = (ranges["lower"] <= 1e-9) & (ranges["upper"] >= 1 - 1e-9)
    zero = ranges["upper"] <= 1e-9  # a suppressed zero proved to be 0 discloses no one
    return ranges["feasible"] & (wide | from_zero | zero)


def p_percent_margin(largest: pd.Series, p: float = DOMINANCE_P) -> pd.Series:
    """How far a hidden magnitude cell's feasible range must reach below and above its true
    value: p% of its largest contribution (the p% rule's protection for secondary cells)."""
    return p / 100 * pd.to_numeric(largest, errors="coerce").fillna(0.0)


def margin_kept(ranges: pd.DataFrame, values: pd.Series, margin: pd.Series) -> pd.Series:
    """True where a `[c]`'s range reaches `margin` below and above its true value."""
    need = margin.reindex(ranges.index).fillna(0.0)
    truth = pd.to_numeric(values, errors="coerce").reindex(ranges.index)
    reach = np.minimum(truth - ranges["lower"], ranges["upper"] - truth)
    return (need <= 0) | (reach >= need - 1e-9)


# ---------------------------------------------------------------------------------------------
# Secondary suppression


def _next_smallest(
    values: pd.Series, suppressed: pd.Series, constraint: Total, fixed: frozenset = frozenset()
) -> Hashable | None:
    """The smallest non-zero published cell of a group, parts before the total, then by label;
    never a `fixed` cell (a value the intruder knows from elsewhere)."""
    candidates = [
        (cell == constraint.total, float(values[cell]), str(cell), cell)
        for cell in dict.fromkeys(constraint.cells)
        if not suppressed[cell] and pd.notna(values[cell]) and values[cell] > 0
        and cell not in fixed
    ]
    return min(candidates, key=lambda c: c[:3])[3] if candidates else None


def _group_needs_more(
    values: pd.Series, suppressed: pd.Series, constraint: Total, threshold: int, lower: float
) -> bool:
    if constraint.at_most:  # an inequality pins nothing on its own; the LP audit decides
        return False
    hidden = [cell for cell in dict.fromkeys(constraint.cells) if suppressed[cell]]
    if len(hidden) == 1:
        return True
    if len(hidden) >= 2 and not suppressed[constraint.total]:
        # The hidden parts' sum is public; each part runs from its floor to that sum less the
        # others' floors: protected when that is the threshold wide, or from 0 to at least 1.
        spare = sum(float(values[cell]) for cell in hidden) - lower * len(hidden)
        return spare < threshold and not (lower <= 1e-9 and spare >= 1)
    return False


def _propagate(
    values: pd.Series, suppressed: pd.Series, totals: Sequence[Total], threshold: int, lower: float,
    fixed: frozenset = frozenset(),
) -> pd.Series:
    """Heuristic pass, repeated until stable so that suppressions spread across linked groups."""
    index = suppressed.index
    values, suppressed = values.to_dict(), suppressed.to_dict()  # fast lookups by label
    changed = True
    while changed:
        changed = False
        for constraint in totals:
            while _group_needs_more(values, suppressed, constraint, threshold, lower):
                cell = _next_smallest(values, suppressed, constraint, fixed)
                if cell is None:
                    break
                suppressed[cell] = True
                changed = True
    return pd.Series(suppressed, index=index, dtype=bool)


def secondary_suppress(
    values: pd.Series,
    suppressed: pd.Series,
    totals: Sequence[Total],
    threshold: int,
    lower: float = SUPPRESSED_LOWER_BOUND,
    population: pd.Series | None = None,
    fixed: pd.Series | None = None,
    margin: pd.Series | None = None,
) -> pd.Series:
    """Extend the primary `suppressed` mask so that no `[c]` can be recovered from `totals`.

    `values` are the true, unrounded quantities the constraints add up (counts, or hours);
    `population` the size of the population each cell belongs to (see `protected`); `fixed`
    marks cells whose value the intruder knows from elsewhere (an exempt headline figure):
    they are never suppressed, so protection falls on other cells. `margin` (magnitude cells
    under the p% rule): how far below and above its true value each `[c]`'s range must reach
    (p% of its largest contribution, `p_percent_margin`)."""
    values = pd.to_numeric(values, errors="coerce")
    suppressed = suppressed.fillna(False).astype(bool)
    known = frozenset() if fixed is None else frozenset(fixed.index[fixed.fillna(False)])
    suppressed[list(known)] = False
    if not totals or not suppressed.any():
        return suppressed
    margin = None if margin is None else pd.to_numeric(margin, errors="coerce").fillna(0.0)
    # Cells that no chain of constraints links never affect each other, whatever is hidden:
    # each block is protected on its own (the same result as one pass over all, much faster
    # when a frame holds many independent tables, e.g. the intruder test's authorities).
    out = suppressed.copy()
    for cells, linked in _blocks(totals):
        # in the frame's order, which decides ties as one pass over the frame would
        cells = list(values.index[np.sort(values.index.get_indexer(cells))])
        if not suppressed.loc[cells].any():
            continue
        out.loc[cells] = _suppress_block(
            values.loc[cells], suppressed.loc[cells], linked, threshold, lower, population,
            known, None if margin is None else margin.loc[cells]).to_numpy()
    return out


def _blocks(totals: Sequence[Total]) -> list[tuple[list, list[Total]]]:
    """The cells of each connected block of the constraint graph (over every cell, shown or
    hidden), with the constraints on them, in first-seen order."""
    parent: dict = {}

    for constraint in totals:
        cells = list(dict.fromkeys(constraint.cells))
        for cell in cells:
            parent.setdefault(cell, cell)
        _union(parent, cells)
    cells_of: dict = {}
    for cell in parent:
        cells_of.setdefault(_root(parent, cell), []).append(cell)
    constraints_of: dict = {}
    for constraint in totals:
        constraints_of.setdefault(_root(parent, constraint.total), []).append(constraint)
    return [(cells, constraints_of[key]) for key, cells in cells_of.items()]


def _suppress_block(
    values: pd.Series, suppressed: pd.Series, totals: Sequence[Total], threshold: int,
    lower: float, population: pd.Series | None, known: frozenset, margin: pd.Series | None,
) -> pd.Series:
    """`secondary_suppress` on one block of linked cells."""
    cache: dict = {}
    while True:
        suppressed = _propagate(values, suppressed, totals, threshold, lower, known)
        # Margins need exact ranges (no shortcut through seen points).
        needs_margin = margin is not None and bool((margin[suppressed] > 0).any())
        ranges = _feasible_ranges(values, suppressed, totals, lower, cache,
                                  None if needs_margin else threshold)
        ok = protected(ranges, threshold, population)
        if margin is not None:
            ok &= margin_kept(ranges, values, margin)
        failing = ranges.index[ranges["feasible"] & ~ok]
        added = None
        for cell in failing:  # loops over suppressed cells, not data rows
            groups = sorted(
                (c for c in totals if cell in c.cells),
                key=lambda c: sum(bool(suppressed[x]) for x in c.cells),
            )
            added = next(
                (x for g in groups
                 if (x := _next_smallest(values, suppressed, g, known)) is not None),
                None,
            )
            if added is not None:
                break
        if added is None:
            return suppressed
        suppressed[added] = True


# ---------------------------------------------------------------------------------------------
# Presentation


def present(values: pd.Series, units: pd.Series | str) -> pd.Series:
    """Round for publication: counts to integers, everything else to 1 d.p.; NaN → `[x]`.

    Returns an object Series of Python int/float or shorthand strings."""
    values = pd.to_numeric(values, errors="coerce").astype("float64")
    units = pd.Series(units, index=values.index) if isinstance(units, str) else units
    is_count = units.astype("string").str.lower().isin(COUNT_UNITS).fillna(False).to_numpy()
    rounded = np.where(is_count, np.round(values), np.round(values, 1)) + 0.0  # -0.0 → 0.0
    missing = np.isnan(rounded)
    cells = np.array(rounded.tolist(), dtype=object)  # Python floats
    whole = is_count & ~missing
    cells[whole] = rounded[whole].astype("int64").tolist()
    cells[missing] = NOT_AVAILABLE
    return pd.Series(cells, index=values.index, dtype=object)


def mask(cells: pd.Series, where: pd.Series, symbol: str = CONFIDENTIAL) -> pd.Series:
    """Replace cells where `where` holds with a shorthand symbol."""
    return cells.astype(object).where(~where.fillna(False).astype(bool), symbol)


def format_cell(cell: object) -> str:
    """Canonical text of a published cell: integers plainly, floats by shortest repr (they are
    already rounded to 1 d.p.), missing as empty, shorthand and labels as they are."""
    if cell is None or cell is pd.NA or (isinstance(cell, float | np.floating) and np.isnan(cell)):
        return ""
    if isinstance(cell, bool | np.bool_):
        return str(int(cell))
    if isinstance(cell, int | np.integer):
        return str(int(cell))
    if isinstance(cell, float | np.floating):
        return repr(float(cell) + 0.0)
    return str(cell)


def is_number(cell: object) -> bool:
    """A real number cell (not bool, not NaN): written as a numeric cell, never as text."""
    return (
        isinstance(cell, int | float | np.integer | np.floating)
        and not isinstance(cell, bool | np.bool_)
        and not np.isnan(cell)
    )
