"""Reader-ready tables from published tables: labels, services side by side, GSS cells.

Each function returns a pandas frame of formatted text cells (shorthand kept), ready for
`formatting.markdown_table`, plus the chart series where a chart shows the same data.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from assets.report_support.formatting import fmt, humanise, is_shorthand, to_number
from assets.report_support.snapshot import Snapshot

SERVICE_COLUMNS = {"children": "Children's", "adults": "Adults'", "all": "Both services"}
TOTAL = "Total"

# CSWW code lists (DfE children's social work workforce census specification).
REASON_LEAVE = {
    "1": "Resignation", "2": "Voluntary redundancy", "3": "Compulsory redundancy",
    "4": "Dismissed", "5": "Retired", "6": "Deceased",
    "7": "Moved to another social work role in the council", "8": "Other", "9": "Not known",
    "10": "Not yet collected",
}  # fmt: skip
LEAVER_DESTINATION = {
    "1": "Social work role in another English council", "2": "Social work role outside England",
    "3": "Agency or consultancy social work", "4": "Other social work role (not a council)",
    "5": "Other social care role", "6": "Left social care, no employment or career break",
    "7": "Other", "8": "Not known", "9": "Not yet collected",
}  # fmt: skip
START_ORIGIN = {
    "1": "Newly qualified", "2": "Social work role in another English council",
    "3": "Social work role outside England", "4": "Agency or consultancy social work",
    "5": "Other social work role (not a council)", "6": "Other social care role",
    "7": "From outside social care, or after a break", "8": "Other", "9": "Not known",
    "10": "Not yet collected",
}  # fmt: skip
ROUTES = {
    "asye": "Newly qualified (ASYE)", "newly_qualified": "Newly qualified (ASYE)",
    "international": "International recruitment", "international_recruit": "International recruitment",
    "apprenticeship": "Social work degree apprenticeship", "apprentice": "Social work degree apprenticeship",
    "step_up": "Step Up to Social Work", "frontline": "Frontline",
    "agency_conversion": "Agency worker who became permanent",
}  # fmt: skip
GRADES = {"outstanding": "Outstanding", "good": "Good",
          "requires_improvement": "Requires improvement", "inadequate": "Inadequate"}  # fmt: skip
GRADE_ORDER = list(GRADES)
LEARNING = {
    "mandatory": "Mandatory training", "cpd": "Continuing professional development",
    "asye": "ASYE programme", "practice_educator": "Practice educator training",
    "leadership": "Leadership and management", "apprenticeship": "Apprenticeship study",
    "qualification": "Post-qualifying awards", "other": "Other",
}  # fmt: skip
STANDARDS = {
    "1": "1. Strong and clear social work framework", "2": "2. Effective workforce planning",
    "3": "3. Safe workloads and case allocation", "4": "4. Wellbeing", "5": "5. Supervision",
    "6": "6. Continuing professional development", "7": "7. Professional registration",
    "8": "8. Strategic partnerships", "wellbeing": "Staff wellbeing (local questions)",
}  # fmt: skip
ROLE_GROUPS = {"social_worker": "Social workers", "senior_practitioner": "Senior practitioners",
               "manager": "Managers", "asye": "ASYE social workers", "other": "Other roles"}  # fmt: skip
CHARACTERISTICS = {"ethnicity": "Ethnicity", "gender": "Sex or gender", "age_band": "Age band",
                   "disability": "Disability"}  # fmt: skip


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
    """Measure | Children's | Adults' | Both services | England (same definition)."""
    out = []
    for measure, name in rows:
        record = {"Measure": name}
        for service, column in SERVICE_COLUMNS.items():
            record[column] = str(snap.f(measure, service, note=False))
        nationals = [
            f"{fmt(snap.headline(measure, s)['national_value'], snap.headline(measure, s)['unit'], False)}"
            f" ({SERVICE_COLUMNS[s].lower()})"
            for s in ("children", "adults")
            if to_number(snap.headline(measure, s).get("national_value")) is not None
        ]
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
