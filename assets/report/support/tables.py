"""Reader-ready tables from published tables: labels, services side by side, GSS cells.

Each function returns a pandas frame of formatted text cells (shorthand kept), ready for
`formatting.markdown_table`, plus the chart series where a chart shows the same data.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from assets.report.support.formatting import CONFIDENTIAL, fmt, humanise, is_shorthand, to_number
from assets.report.support.snapshot import Snapshot

SERVICE_COLUMNS = {"children": "Children's", "adults": "Adults'", "all": "Both services"}
TOTAL = "Total"

# Code labels: one list, shared with the published spreadsheets (assets/published/labels.py).
from assets.published.labels import (  # noqa: E402, F401 - the report's chunks import them from here
    ETHNICITY,
    GRADES,
    LEARNING,
    LEAVER_DESTINATION,
    REASON_LEAVE,
    ROLE_GROUPS,
    ROUTES,
    STANDARDS,
    START_ORIGIN,
)

GRADE_ORDER = list(GRADES)
CHARACTERISTICS = {"ethnicity": "Ethnicity", "gender": "Gender", "age_band": "Age band",
                   "disability": "Disability"}  # fmt: skip
# The populations of the `equality_diversity` table: its `characteristic` column is the
# population prefix + the characteristic, e.g. `in_post_ethnicity`, `leavers_age_band`.
POPULATIONS = {"in_post": "Staff in post", "starters": "Starters", "leavers": "Leavers"}

# Ethnicity: the DfE Common Basic Data Set (CBDS) main ethnicity codes, as the CSWW census
# `Ethnicity` item and the HR extract use them (assets/candidate/contract.py CBDS_ETHNICITY), in
# the CBDS order (White, Mixed, Asian, Black, Chinese, any other group, refused, not
# obtained). Source: DfE, Children's social work workforce census guide and CBDS code set
# for ethnicity. A code not listed here is shown as given.
# Gender: the CSWW census `GenderCurrent` codes (DfE, Children's social work workforce census
# guide; the same codes as the HR extract, expectations/hr_workforce.json).
# Shown in the order male, female, then the two codes for no answer.
GENDER = {"1": "Male", "2": "Female", "0": "Not known", "9": "Not specified",
          "not recorded": "Not recorded"}  # fmt: skip
# Age bands as the pipeline writes them (assets/metrics), youngest first.
AGE_BAND = {"<30": "Under 30", "30-39": "30 to 39", "40-49": "40 to 49", "50-59": "50 to 59",
            "60+": "60 and over", "not recorded": "Not recorded"}  # fmt: skip
CHARACTERISTIC_LABELS = {"ethnicity": ETHNICITY, "gender": GENDER, "age_band": AGE_BAND}


def label(category: object, labels: dict[str, str]) -> str:
    key = str(category).strip()
    if key == TOTAL:
        return TOTAL
    if key in labels:
        return labels[key]
    if key.endswith(".0") and key[:-2] in labels:
        return labels[key[:-2]]
    return humanise(key)


def long_date(value: str | dt.date) -> str:
    day = dt.date.fromisoformat(str(value)) if not isinstance(value, dt.date) else value
    return f"{day.day} {day:%B %Y}"


def period_text(snap: Snapshot) -> tuple[str, str]:
    """('1 October 2024 to 30 September 2025', '30 September 2025') from the period basis."""
    year = snap.reporting_year
    if snap.build_item("period_basis", "dfe") == "financial":
        return f"1 April {year - 1} to 31 March {year}", f"31 March {year}"
    return f"1 October {year - 1} to 30 September {year}", f"30 September {year}"


def headline_table(snap: Snapshot, rows: list[tuple[str, str]]) -> pd.DataFrame:
    """Measure | Children's | Adults' | Both services | England.

    The England column shows a national figure on exactly our definition as it is; one on a
    different basis is marked 'context, different basis' (docs/design.md §4 benchmarks)."""
    out = []
    for measure, name in rows:
        record = {"Measure": name}
        for service, column in SERVICE_COLUMNS.items():
            record[column] = str(snap.f(measure, service, note=False))
        nationals = []
        for s in ("children", "adults"):
            row = snap.headline(measure, s)
            if to_number(row.get("national_value")) is None:
                continue
            shown = fmt(row["national_value"], row["unit"], False)
            basis = "" if str(row.get("national_match", "")).strip().lower() == "exact" else (
                "; context, different basis")
            nationals.append(f"{shown} ({SERVICE_COLUMNS[s].lower()}{basis})")
        record["England"] = "; ".join(nationals) if nationals else "[x]"
        out.append(record)
    return pd.DataFrame(out)


def side_by_side(
    snap: Snapshot, table: str, category: str, labels: dict[str, str], column: str = "count",
    unit: str = "count", order: list[str] | None = None,
) -> pd.DataFrame:
    """One row per category, one column per service, of `column` from a breakdown table.

    The frame keeps the raw cells in `_children`/`_adults`/`_all` for charts."""
    return pivot(snap.table(table), category, labels, column, unit, order)


def pivot(
    frame: pd.DataFrame, category: str, labels: dict[str, str], column: str = "count",
    unit: str = "count", order: list[str] | None = None,
) -> pd.DataFrame:
    """`side_by_side` for a frame already in hand."""
    if frame.empty or category not in frame:
        return pd.DataFrame()
    wide = frame.pivot_table(index=category, columns="service", values=column, aggfunc="first",
                             sort=False)  # fmt: skip
    keys = list(dict.fromkeys(frame[category].astype(str)))
    if order:
        keys = [k for k in order if k in keys] + [k for k in keys if k not in order]
    keys = [k for k in keys if k != TOTAL] + ([TOTAL] if TOTAL in keys else [])
    wide.index = wide.index.astype(str)
    rows = []
    for key in keys:
        record = {humanise(category): label(key, labels)}
        for service, heading in SERVICE_COLUMNS.items():
            raw = wide.loc[key, service] if service in wide.columns else "[x]"
            raw = "[x]" if pd.isna(raw) else raw
            record[heading] = str(fmt(raw, unit, note=False))
            record[f"_{service}"] = raw
        rows.append(record)
    return pd.DataFrame(rows)


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without its raw `_` columns."""
    return frame[[c for c in frame.columns if not str(c).startswith("_")]]


def chart_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows to chart: not the Total row."""
    first = frame.columns[0]
    return frame[frame[first] != TOTAL]


def any_figures(frame: pd.DataFrame, columns=("_children", "_adults", "_all")) -> bool:
    """True when at least one cell is a number (not only shorthand)."""
    if frame.empty:
        return False
    cells = frame[[c for c in columns if c in frame]].to_numpy().ravel()
    return any(to_number(c) is not None and not is_shorthand(c) for c in cells)


def chartable(frame: pd.DataFrame, columns=("_children", "_adults")) -> bool:
    """True when a chart of these columns would draw at least one bar: some cell is a number
    above zero. A chart whose every value is suppressed, missing or zero is left out."""
    if frame.empty:
        return False
    rows = chart_rows(frame)
    cells = rows[[c for c in columns if c in rows]].to_numpy().ravel()
    return any((to_number(c) or 0) > 0 for c in cells)


def split_characteristic(value: object) -> tuple[str | None, str]:
    """'in_post_ethnicity' -> ('in_post', 'ethnicity'); a value with no population prefix
    -> (None, value). A leading 'ed_' (the metrics breakdown name) is ignored."""
    text = str(value).strip()
    text = text[3:] if text.startswith("ed_") else text
    for population in POPULATIONS:
        if text.startswith(population + "_"):
            return population, text[len(population) + 1:]
    return None, text


def _ordered_groups(groups: list[str], labels: dict[str, str]) -> list[str]:
    """Groups in code-list order, then any others as given, 'not recorded' and Total last."""
    known = [k for k in labels if k in groups and k != "not recorded"]
    others = [g for g in groups if g not in labels and g != TOTAL]
    tail = [g for g in ("not recorded", TOTAL) if g in groups]
    return known + others + tail


def equality_tables(frame: pd.DataFrame, services=("all",), show_percent: bool = True
                    ) -> dict[str, pd.DataFrame]:
    """One reader-ready table per characteristic (ethnicity, gender, age band) from the
    `equality_diversity` table: a row per group, a column per population (staff in post,
    starters, leavers) and per service in `services`.

    With one service, each cell is '156 (58.2%)' (count and percentage of that population),
    or the shorthand; with several, counts only, in columns such as 'Starters, children's'.
    Groups are labelled from the CBDS and CSWW code lists; unknown codes are kept as given.
    The raw count cells stay in `_<population>_<service>` columns."""
    if frame.empty or "characteristic" not in frame:
        return {}
    split = frame["characteristic"].map(split_characteristic)
    frame = frame.assign(_population=[p for p, _ in split], _characteristic=[c for _, c in split])
    out: dict[str, pd.DataFrame] = {}
    for characteristic in dict.fromkeys(frame["_characteristic"]):
        rows = frame[frame["_characteristic"] == characteristic]
        labels = CHARACTERISTIC_LABELS.get(characteristic, {})
        populations = [p for p in POPULATIONS if p in set(rows["_population"])] or [None]
        groups = _ordered_groups(list(dict.fromkeys(rows["group"].astype(str))), labels)
        cells = {(p, s, str(g)): (c, pc) for p, s, g, c, pc in zip(
            rows["_population"], rows["service"], rows["group"], rows["count"],
            rows["percent"] if "percent" in rows else [None] * len(rows), strict=True)}
        # A population (and service) with a published Total has a row for every group of
        # its categories (0 where nobody is in it); a group it has no row for is combined
        # into another for that population (docs/disclosure-control.md "Categories"): [z].
        counted = {(p, s) for p, s, _ in cells if (p, s, TOTAL) in cells}
        records = []
        for group in groups:
            record = {"Group": label(group, labels)}
            for population in populations:
                heading = POPULATIONS.get(population, "People")
                for service in services:
                    missing = ("[z]", "[z]") if (population, service) in counted else (
                        "[x]", "[x]")
                    count, percent = cells.get((population, service, group), missing)
                    text = str(fmt(count, "count", note=False))
                    if (show_percent and len(services) == 1 and group != TOTAL
                            and to_number(count) is not None and to_number(percent) is not None):
                        text += f" ({fmt(percent, 'percent', note=False)})"
                    column = (heading if len(services) == 1
                              else f"{heading}, {SERVICE_COLUMNS[service].lower()}")
                    record[column] = text
                    record[f"_{population}_{service}"] = count
                    record[f"_pct_{population}_{service}"] = percent
            records.append(record)
        table = pd.DataFrame(records)
        # Leave out groups with nobody in any population shown.
        raw = [c for c in table.columns
               if str(c).startswith("_") and not str(c).startswith("_pct_")]
        present = table[raw].map(lambda v: str(v).strip() not in ("[x]", "0")).any(axis=1)
        out[characteristic] = table[present | (table["Group"] == TOTAL)].reset_index(drop=True)
    return out


def characteristic_name(characteristic: str) -> str:
    return CHARACTERISTICS.get(characteristic, humanise(characteristic))


def largest_group(table: pd.DataFrame | None, population: str = "in_post",
                  service: str = "all") -> tuple[str, object, object] | None:
    """(group label, raw count, raw percent) of the largest published group of a population
    in a table from `equality_tables`, leaving out Total; None when no group is published."""
    column = f"_{population}_{service}"
    if table is None or table.empty or column not in table:
        return None
    rows = table[table["Group"] != TOTAL]
    numbers = pd.to_numeric(rows[column].map(to_number), errors="coerce")
    if numbers.isna().all():
        return None
    best = numbers.idxmax()
    return (str(rows.loc[best, "Group"]), rows.loc[best, column],
            rows.loc[best, f"_pct_{population}_{service}"])


def protect_service_counts(children: int, adults: int, threshold: int) -> dict[str, str]:
    """Counts of people typed into the narrative (learning_offer.yml), by service and for both,
    with the published tables' rule (docs/disclosure-control.md): a count from 1 to `threshold`
    is `[c]` (zeros stay 0), and when either service is `[c]` the both-services total is too: the
    total less the other service would give one back, and two small counts under a shown total
    would be pinned to a range narrower than the threshold."""
    cells = {"children": children, "adults": adults, "all": children + adults}
    small = {name for name, count in cells.items() if 0 < count <= threshold}
    if small & {"children", "adults"}:
        small.add("all")
    return {name: CONFIDENTIAL if name in small else f"{count:,}"
            for name, count in cells.items()}
