"""Where we stand among councils: sentences, tables, dot charts and their alt text, from the
published comparison tables (docs/comparisons.md).

Like-for-like (docs/design.md §4): a figure is set above or below another only when the published row
says `like_for_like` yes (same definition and DfE's reporting year); otherwise the text gives
the figures side by side and says why it does not compare them. Rank 1 is the highest value;
`better` (from benchmark_map) says which way is better, and the text says so.
"""

from __future__ import annotations

import pandas as pd

from assets.metrics.definitions import MEASURES
from assets.report.support.formatting import fmt, is_missing, to_number
from assets.report.support.snapshot import Snapshot

NAMES = {
    "turnover_rate_fte": "FTE turnover",
    "vacancy_rate_fte": "FTE vacancy rate",
    "agency_rate_fte": "agency workers' share of the FTE workforce",
    "caseload_fte": "average caseload",
    "absence_rate": "sickness absence rate",
}
SHORT = {"turnover_rate_fte": "Turnover", "vacancy_rate_fte": "Vacancy rate",
         "agency_rate_fte": "Agency share", "caseload_fte": "Caseload",
         "absence_rate": "Sickness absence"}
QUARTERS = {1: "the highest quarter", 2: "the second-highest quarter",
            3: "the second-lowest quarter", 4: "the lowest quarter"}


def _unit(measure: str) -> str:
    """The measure's unit from the registry (an unregistered name: percent, as DfE's rates)."""
    return MEASURES[measure].unit if measure in MEASURES else "percent"


def group(snap: Snapshot) -> dict[str, str]:
    frame = snap.table("comparison_group")
    return {} if frame.empty else dict(zip(frame["item"], frame["value"], strict=True))


def neighbour_names(snap: Snapshot) -> list[str]:
    items = group(snap)
    names = [items[k] for k in sorted((k for k in items if k.startswith("neighbour_")),
                                      key=lambda k: int(k.split("_")[1]))]
    return [" ".join(n.split(" ")[1:]) or n for n in names]


def available(snap: Snapshot) -> bool:
    return not snap.table("comparisons").empty and bool(group(snap).get("region"))


def comparison_year(snap: Snapshot) -> int:
    councils = snap.table("comparison_councils")
    return int(councils["comparison_year"].max()) if not councils.empty else snap.reporting_year


def row(snap: Snapshot, measure: str, year: int | None = None) -> dict | None:
    frame = snap.table("comparisons")
    year = comparison_year(snap) if year is None else year
    hit = frame[(frame["measure"] == measure) & (pd.to_numeric(frame["series_year"]) == year)]
    return None if hit.empty else hit.iloc[0].to_dict()


def group_sentence(snap: Snapshot) -> str:
    items = group(snap)
    names = neighbour_names(snap)
    listed = ", ".join(names[:-1]) + (f" and {names[-1]}" if len(names) > 1 else "".join(names))
    if items.get("illustrative") == "yes":
        source = ("This is a fictional council: its region and neighbours were chosen by hand "
                  "in its settings and are **illustrative only**; the figures for them are "
                  "real councils' published figures.")
    elif items.get("neighbours_from") == "DfE neighbour model":
        source = (f"The neighbours are DfE's statistical neighbours for the council (LA code "
                  f"{items.get('dfe_la_code')}, DfE's 2025 model), nearest first.")
    else:
        source = "The neighbours were set by hand in the council's settings."
    return (f"The region is **{items.get('region')}**. The statistical neighbours, councils "
            f"most like this one, are {listed}. {source} Other councils' figures are DfE's "
            f"published figures ({items.get('dfe_release', 'DfE')}).")


def _relation(ours: float, other: float, interval: tuple | None = None) -> str:
    """The benchmark rule (docs/measures.md): "similar to" when the other figure lies inside
    our 95% interval, else above or below; "the same as" when both round alike."""
    ours, other = round(ours, 1), round(other, 1)
    if ours == other:
        return "the same as"
    if interval and None not in interval and interval[0] <= other <= interval[1]:
        return "similar to"
    return "above" if ours > other else "below"


def _interval(snap: Snapshot, measure: str, r: dict) -> tuple | None:
    """Our published interval for the year compared, when the figure is our own."""
    if r["council_source"] == "DfE published":
        return None
    head = snap.headline(measure, "children")
    return (to_number(head.get("ci_lower")), to_number(head.get("ci_upper")))


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def measure_sentence(snap: Snapshot, measure: str) -> str:
    r = row(snap, measure)
    if r is None or is_missing(r["council"]):
        return ""
    unit, year = _unit(measure), comparison_year(snap)
    name = NAMES[measure]
    source = " (DfE's published figure)" if r["council_source"] == "DfE published" else ""
    used = int(r["neighbours_used"])
    neighbours = (f"the average of our statistical neighbours ({fmt(r['neighbour_mean'], unit)}, "
                  f"{used} of {int(r['neighbours_listed'])} with a figure)")
    if r["like_for_like"] != "yes":
        return (f"Children's {name} was {fmt(r['council'], unit)} in {year}. It is measured "
                "differently from DfE's figure, so it is not set above or below other councils "
                f"or ranked. DfE's figures were: England {fmt(r['england'], unit)}, "
                f"the {r['region_name']} {fmt(r['region'], unit)}, and {neighbours}.")
    ours = to_number(r["council"])
    interval = _interval(snap, measure, r)
    parts = []
    for label, cell in (("England", r["england"]), (f"the {r['region_name']}", r["region"]),
                        (neighbours, r["neighbour_mean"])):
        value = to_number(cell)
        if value is not None:
            shown = label if label == neighbours else f"{label} ({fmt(cell, unit)})"
            parts.append(f"{_relation(ours, value, interval)} {shown}")
    listed = ", ".join(parts[:-1]) + (f" and {parts[-1]}" if len(parts) > 1 else "".join(parts))
    text = f"Children's {name} was {fmt(r['council'], unit)} in {year}{source}: {listed}."
    rank = to_number(r["rank"])
    if rank is not None:
        better = str(r.get("better") or "")
        direction = f" For this measure {better} is better." if better in ("lower", "higher") else ""
        text += (f" It was {_ordinal(int(rank))} highest of {int(to_number(r['councils_ranked']))} "
                 f"councils, in {QUARTERS[int(to_number(r['quartile']))]}.{direction}")
    return text


def summary_table(snap: Snapshot) -> pd.DataFrame:
    """The Cabinet paper's table: one row per measure for the comparison year."""
    rows = []
    for measure in NAMES:
        r = row(snap, measure)
        if r is None:
            continue
        unit = _unit(measure)
        rank = (f"{r['rank']} of {r['councils_ranked']}" if r["like_for_like"] == "yes"
                else "not ranked (different definition)")
        rows.append({
            "Measure (children's)": SHORT[measure],
            "Ours": str(fmt(r["council"], unit, note=False)),
            "England": str(fmt(r["england"], unit, note=False)),
            "Region": str(fmt(r["region"], unit, note=False)),
            "Neighbours (n)": f"{fmt(r['neighbour_mean'], unit, note=False)} ({r['neighbours_used']})",
            "Rank (1 = highest)": rank,
            "Quartile": str(r["quartile"]) if r["like_for_like"] == "yes" else "[z]",
            "Better": str(r.get("better") or ""),
        })
    return pd.DataFrame(rows)


def series_table(snap: Snapshot, measure: str) -> pd.DataFrame:
    """2017 to the latest year: ours (DfE's published figure marked *), England, region,
    neighbour mean with how many neighbours had a figure."""
    frame = snap.table("comparisons")
    frame = frame[frame["measure"] == measure].sort_values("series_year")
    unit = _unit(measure)
    return pd.DataFrame({
        "Year": frame["series_year"].astype(str),
        "Ours": [str(fmt(v, unit, note=False)) + (" \\*" if s == "DfE published" else "")
                 for v, s in zip(frame["council"], frame["council_source"], strict=True)],
        "England": [str(fmt(v, unit, note=False)) for v in frame["england"]],
        "Region": [str(fmt(v, unit, note=False)) for v in frame["region"]],
        "Neighbours": [str(fmt(v, unit, note=False)) for v in frame["neighbour_mean"]],
        "Neighbours with a figure": [f"{u} of {n}" for u, n in
                                     zip(frame["neighbours_used"], frame["neighbours_listed"],
                                         strict=True)],
    })


def councils_table(snap: Snapshot) -> pd.DataFrame:
    """Every council (rows) × compared measure (columns), ours and neighbours marked."""
    frame = snap.table("comparison_councils")
    if frame.empty:
        return frame
    label = frame["council"] + frame["role"].map({"us": " (us)", "neighbour": " (neighbour)"}).fillna("")
    wide = frame.assign(Council=label).pivot_table(
        index="Council", columns="measure", values="value", aggfunc="first")
    wide = wide[[m for m in NAMES if m in wide.columns]].rename(columns=SHORT)
    wide = wide.map(lambda v: str(fmt(v, "", note=False)) if not is_missing(v) else str(v))
    wide.columns.name = None
    return wide.fillna("[x]").reset_index()


def dot_alt(snap: Snapshot, measure: str) -> str:
    r = row(snap, measure)
    frame = snap.table("comparison_councils")
    frame = frame[frame["measure"] == measure]
    values = pd.to_numeric(frame["value"], errors="coerce").dropna()
    unit = _unit(measure)
    # What the chart shows (the spread, England, where we sit), not how it is drawn.
    head = (f"Children's {NAMES[measure]} in {comparison_year(snap)} across {len(values)} "
            f"councils ranged from {fmt(values.min(), unit, note=False)} to "
            f"{fmt(values.max(), unit, note=False)}; England's figure was "
            f"{fmt(r['england'], unit, note=False)}.")
    if r["like_for_like"] == "yes" and not is_missing(r["rank"]):
        where = (f" Ours was {fmt(r['council'], unit, note=False)}, the "
                 f"{_ordinal(int(to_number(r['rank'])))} highest of {r['councils_ranked']} "
                 f"councils ({QUARTERS[int(to_number(r['quartile']))]}); the average of our "
                 f"statistical neighbours was {fmt(r['neighbour_mean'], unit, note=False)}. "
                 f"{str(r.get('better', '')).capitalize()} is better.")
    else:
        where = (" Our council's figure is on a different definition, so it is not placed "
                 "among the others.")
    return head + where + " The figures are in the technical annex and the spreadsheet."


def dot_chart(snap: Snapshot, measure: str, show: bool = True):
    from assets.report.support import charts

    frame = snap.table("comparison_councils")
    frame = frame[frame["measure"] == measure].assign(
        x=lambda d: pd.to_numeric(d["value"], errors="coerce")).dropna(subset=["x"])
    r = row(snap, measure)
    england = to_number(r["england"]) if r else None
    ours = frame[frame["role"] == "us"]
    return charts.dot_chart(
        others=frame.loc[frame["role"] == "other", "x"].tolist(),
        neighbours=frame.loc[frame["role"] == "neighbour", "x"].tolist(),
        ours=(None if ours.empty else ("Us", float(ours["x"].iloc[0]))),
        england=england, xlabel=f"{SHORT[measure]} ({'cases per FTE' if measure == 'caseload_fte' else '%'})",
        alt=dot_alt(snap, measure), show=show,
    )
