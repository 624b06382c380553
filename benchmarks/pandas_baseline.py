"""The baseline: our three core measure families as an analyst would compute them in plain pandas.

Everything `workforce.sql`, `vacancies.sql` and `caseload.sql` emit for one reporting year
(every measure, for each service and `all`, with its numerator, denominator and interval), on
frames already loaded (`raw.hr_workforce`, `raw.hr_vacancies`, `raw.caseload`). Both sides of
`benchmarks/stage.py baseline` therefore do the same arithmetic from the same raw tables: ours
builds the staging models those families read (worker_spells with its moves between
services, case_allocations, vacancies) and runs the families; this script derives the same
flags and sums with boolean masks, merges and groupby. The option of restricting ours to four
headline measures was not taken: it would time a special path rather than the real one.

Definitions follow docs/design.md §4 and the SQL (what counts as a move, `all` only when every
service has vacancies, caseloads from Cases30 when a year has no caseload extract). Intervals
use the project's own formulas (`assets.metrics.intervals`, method from the registry), as an
analyst would call a library for them. `compare` checks every row either side produces.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assets.metrics.definitions import DFE_WORKING_YEAR, MEASURES
from assets.metrics.intervals import poisson_rate, wilson

ROW_KEYS = ["measure", "service"]
COMPARED = ["value", "numerator", "denominator", "ci_lower", "ci_upper"]


def loaded(frame: pd.DataFrame) -> pd.DataFrame:
    """A raw.* table as DuckDB's .df() gives it, its pseudonyms (BLOB, as bytearray, which
    pandas cannot hash) made bytes: the analyst's loading, before any arithmetic."""
    ids = [c for c in ("worker_id", "case_id") if c in frame]
    return frame.assign(**{c: frame[c].map(bytes, na_action="ignore") for c in ids})


def _scoped(frame: pd.DataFrame) -> pd.DataFrame:
    """Each row once in its own service and once in `all` (column `scope`)."""
    return pd.concat([frame.assign(scope=frame["service"]), frame.assign(scope="all")],
                     ignore_index=True)


def spells(hr: pd.DataFrame, period_start, reference_date) -> pd.DataFrame:
    """staging.worker_spells' flags for one year's rows of raw.hr_workforce."""
    start, ref = pd.Timestamp(period_start), pd.Timestamp(reference_date)
    s = hr[["worker_id", "service", "fte", "agency_worker", "asye", "reason_leave",
            "working_days_lost", "stress_days_lost"]].copy()
    begin = pd.to_datetime(hr["role_start_date"])
    end = pd.to_datetime(hr["role_end_date"])
    s["agency_worker"] = s["agency_worker"].fillna(0)
    s["asye_recorded"] = s["asye"].notna()
    s["asye"] = s["asye"].fillna(0)
    s["in_post"] = (begin <= ref) & (end.isna() | (end > ref))
    s["active"] = (begin <= ref) & (end.isna() | ((end > start) & (end > begin)))
    s["starts"] = begin.between(start, ref)
    s["ends"] = end.between(start, ref)
    s["stable"] = begin <= ref - pd.DateOffset(years=2)
    # Moves between services: a spell ending with reason 7 and the same worker starting in
    # another service 0-7 days later (both directions flagged).
    s["row"], s["begin"], s["end"] = np.arange(len(s)), begin, end
    outs = s.loc[(s["reason_leave"] == 7) & end.notna(), ["row", "worker_id", "service", "end"]]
    pairs = outs.merge(s[["row", "worker_id", "service", "begin"]], on="worker_id",
                       suffixes=("_out", "_in"))
    pairs = pairs[(pairs["service_out"] != pairs["service_in"])
                  & (pairs["begin"] >= pairs["end"])
                  & (pairs["begin"] <= pairs["end"] + pd.Timedelta(days=7))]
    s["starts_all"] = s["starts"] & ~s["row"].isin(pairs["row_in"])
    s["ends_all"] = s["ends"] & ~s["row"].isin(pairs["row_out"])
    return s


def workforce(s: pd.DataFrame) -> pd.DataFrame:
    """workforce.sql: one row per measure and scope."""
    scoped = _scoped(s)
    scoped["starter"] = np.where(scoped["scope"] == "all", scoped["starts_all"], scoped["starts"])
    scoped["leaver"] = np.where(scoped["scope"] == "all", scoped["ends_all"], scoped["ends"])
    emp = scoped[scoped["agency_worker"] == 0]
    by = emp.groupby("scope")
    in_post, active = emp[emp["in_post"]], emp[emp["active"]]
    t = pd.DataFrame({
        "fte_in_post": in_post.groupby("scope")["fte"].sum(),
        "headcount_in_post": in_post.groupby("scope")["worker_id"].nunique(),
        "starters_fte": emp[emp["starter"]].groupby("scope")["fte"].sum(),
        "leavers_fte": emp[emp["leaver"]].groupby("scope")["fte"].sum(),
        "leavers_headcount": emp[emp["leaver"]].groupby("scope")["worker_id"].nunique(),
        "stable_headcount": in_post[in_post["stable"]].groupby("scope")["worker_id"].nunique(),
        "days_lost": active.groupby("scope")["working_days_lost"].sum(min_count=1),
        "stress_days_lost": active.groupby("scope")["stress_days_lost"].sum(min_count=1),
        "stress_absence_headcount": active[active["stress_days_lost"] > 0]
        .groupby("scope")["worker_id"].nunique(),
    }, index=by.size().index)
    counts = ["headcount_in_post", "starters_fte", "leavers_fte", "leavers_headcount",
              "stable_headcount", "stress_absence_headcount"]
    t[counts] = t[counts].fillna(0)
    agency = scoped[(scoped["agency_worker"] == 1) & scoped["in_post"]].groupby("scope")
    t["agency_fte"] = agency["fte"].sum().reindex(t.index).fillna(0)
    t["agency_headcount"] = agency["worker_id"].nunique().reindex(t.index).fillna(0)
    # Stress figures only where every service's days lost come with stress days.
    per_service = active.groupby(["scope", "service"]).agg(
        stress=("stress_days_lost", "count"), days=("working_days_lost", "count"))
    ok = ((per_service["stress"] > 0) | (per_service["days"] == 0)).groupby("scope").all()
    recorded = ok.reindex(t.index).fillna(False).astype(bool)

    def rate(num, den, scale=100.0):
        den = den.where(den != 0)
        return scale * num / den

    rows = {
        "fte_in_post": (t["fte_in_post"], np.nan, np.nan),
        "headcount_in_post": (t["headcount_in_post"], t["headcount_in_post"], np.nan),
        "starters_fte": (t["starters_fte"], np.nan, np.nan),
        "leavers_fte": (t["leavers_fte"], np.nan, np.nan),
        "turnover_rate_fte": (rate(t["leavers_fte"], t["fte_in_post"]), t["leavers_fte"],
                              t["fte_in_post"]),
        "turnover_rate_headcount": (rate(t["leavers_headcount"], t["headcount_in_post"]),
                                    t["leavers_headcount"], t["headcount_in_post"]),
        "agency_rate_fte": (rate(t["agency_fte"], t["agency_fte"] + t["fte_in_post"]),
                            t["agency_fte"], t["agency_fte"] + t["fte_in_post"]),
        "agency_rate_headcount": (
            rate(t["agency_headcount"], t["agency_headcount"] + t["headcount_in_post"]),
            t["agency_headcount"], t["agency_headcount"] + t["headcount_in_post"]),
        "absence_days_per_fte": (rate(t["days_lost"], t["fte_in_post"], 1.0), t["days_lost"],
                                 t["fte_in_post"]),
        "absence_rate": (rate(t["days_lost"], t["fte_in_post"] * DFE_WORKING_YEAR),
                         t["days_lost"], t["fte_in_post"] * DFE_WORKING_YEAR),
        "stability_rate": (rate(t["stable_headcount"], t["headcount_in_post"]),
                           t["stable_headcount"], t["headcount_in_post"]),
    }
    frames = [_rows(name, *parts, index=t.index) for name, parts in rows.items()]
    r = t[recorded]
    frames.append(_rows("stress_absence_share", rate(r["stress_days_lost"], r["days_lost"]),
                        r["stress_days_lost"], r["days_lost"], index=r.index))
    r = r[r["days_lost"] > 0]
    frames.append(_rows("stress_absence_headcount", r["stress_absence_headcount"],
                        r["stress_absence_headcount"], np.nan, index=r.index))
    return pd.concat(frames, ignore_index=True)


def vacancies(s: pd.DataFrame, vac: pd.DataFrame) -> pd.DataFrame:
    """vacancies.sql: per service, and `all` when every service in post has a vacancies row."""
    in_post = s[(s["agency_worker"] == 0) & s["in_post"]].groupby("service")["fte"].sum()
    v = vac["vacancies_fte"].fillna(0).groupby(vac["service"]).sum()
    f = in_post.reindex(v.index).fillna(0)
    if len(v) and in_post.index.isin(v.index).all():
        v, f = pd.concat([v, pd.Series({"all": v.sum()})]), pd.concat(
            [f, pd.Series({"all": in_post.sum()})])
    den = v + f
    return _rows("vacancy_rate_fte", 100 * v / den.where(den != 0), v, den, index=v.index)


def allocations(caseload: pd.DataFrame, hr: pd.DataFrame, s: pd.DataFrame,
                reference_date) -> pd.DataFrame:
    """staging.case_allocations open at R: the caseload extract, or Cases30 when there is none."""
    ref = pd.Timestamp(reference_date)
    if len(caseload):
        alloc = pd.to_datetime(caseload["allocated_date"])
        dealloc = pd.to_datetime(caseload["deallocated_date"])
        is_open = (alloc <= ref) & (dealloc.isna() | (dealloc > ref))
        return caseload.loc[is_open, ["case_id", "worker_id", "service", "case_type"]]
    held = hr["cases_held"].fillna(0).to_numpy().astype(int) * s["in_post"].to_numpy()
    rows = np.repeat(np.arange(len(hr)), np.maximum(held, 0))
    return pd.DataFrame({"case_id": None, "worker_id": hr["worker_id"].to_numpy()[rows],
                         "service": hr["service"].to_numpy()[rows], "case_type": "cases30"})


def caseload(s: pd.DataFrame, open_at: pd.DataFrame, present: bool, cap: int) -> pd.DataFrame:
    """caseload.sql: caseload per case-holding FTE, children looked after, ASYE within cap."""
    in_post = _scoped(s[s["in_post"]])
    scoped = _scoped(open_at)
    by_worker = scoped.groupby(["scope", "worker_id"]).size().rename("allocations")
    holders = in_post.groupby(["scope", "worker_id"])["fte"].sum()
    both = pd.concat([holders, by_worker], axis=1, join="inner")
    held, fte = both.groupby(level="scope")["allocations"].sum(), both.groupby(level="scope")["fte"].sum()
    frames = [_rows("caseload_fte", held / fte.where(fte != 0), held, fte, index=held.index)]
    cla = scoped[(scoped["case_type"] == "cla") & (scoped["service"] == "children")]
    children = cla.groupby("scope")["case_id"].nunique()
    frames.append(_rows("children_looked_after", children, children, np.nan, index=children.index))
    if present and s["asye_recorded"].any():
        per_worker = open_at.groupby("worker_id").size()
        asye = in_post[(in_post["agency_worker"] == 0) & (in_post["asye"] == 1)]
        within = asye["worker_id"].map(per_worker).fillna(0) <= cap
        counts = within.groupby(asye["scope"]).agg(["sum", "size"])
        frames.append(_rows("asye_caseload_within_cap", 100 * counts["sum"] / counts["size"],
                            counts["sum"], counts["size"], index=counts.index))
    return pd.concat(frames, ignore_index=True)


def _rows(measure, value, numerator, denominator, *, index) -> pd.DataFrame:
    return pd.DataFrame({"service": index, "measure": measure, "value": value,
                         "numerator": numerator, "denominator": denominator},
                        index=index).reset_index(drop=True)


def intervals(out: pd.DataFrame) -> pd.DataFrame:
    """95% intervals by each measure's method: Wilson on counts, Poisson on the events of the
    `events_from` measure of the same service."""
    method = out["measure"].map({n: m.interval for n, m in MEASURES.items()})
    num, den = out["numerator"].to_numpy(float), out["denominator"].to_numpy(float)
    lo, hi = wilson(num, den)
    source = out["measure"].map({n: m.events_from for n, m in MEASURES.items()})
    events = out.set_index(["measure", "service"])["numerator"]
    ev = pd.MultiIndex.from_arrays([source.fillna(""), out["service"]])
    ev = events.reindex(ev).to_numpy(float)
    p_lo, p_hi = poisson_rate(out["value"].to_numpy(float), ev,
                              100 / np.where(den > 0, den, np.nan))
    out["ci_lower"] = np.select([method == "wilson", method == "poisson"], [100 * lo, p_lo], np.nan)
    out["ci_upper"] = np.select([method == "wilson", method == "poisson"], [100 * hi, p_hi], np.nan)
    return out


def core_measures(hr: pd.DataFrame, vac: pd.DataFrame, cases: pd.DataFrame,
                  period_start, reference_date, asye_caseload_cap: int) -> pd.DataFrame:
    """One row per service and measure of the three families (value, numerator, denominator,
    ci_lower, ci_upper); measures without a value dropped, as ours drops them."""
    s = spells(hr, period_start, reference_date)
    open_at = allocations(cases, hr, s, reference_date)
    out = pd.concat([workforce(s), vacancies(s, vac),
                     caseload(s, open_at, len(cases) > 0 or len(open_at) > 0, asye_caseload_cap)],
                    ignore_index=True)
    out = out[out["value"].notna()].reset_index(drop=True)
    return intervals(out)


def compare(pandas_result: pd.DataFrame, ours: pd.DataFrame) -> dict[str, object]:
    """Every row of both sides matched on (measure, service): the number of rows, those found on
    one side only, and the largest absolute difference of each compared column (NULL on one
    side only counts as an infinite difference)."""
    headline = ours["breakdown"].isna() & ours["category"].isna() & ours["month_end"].isna()
    merged = pandas_result.merge(ours[headline], on=ROW_KEYS, how="outer", suffixes=("_pandas", "_ours"),
                                 indicator=True)
    both = merged[merged["_merge"] == "both"]
    diffs = {}
    for col in COMPARED:
        a, b = both[f"{col}_pandas"].astype(float), both[f"{col}_ours"].astype(float)
        d = (a - b).abs().where(a.notna() & b.notna(), np.where(a.isna() == b.isna(), 0, np.inf))
        diffs[col] = float(d.max()) if len(d) else 0.0
    return {"rows": int(len(merged)), "only_pandas": int((merged["_merge"] == "left_only").sum()),
            "only_ours": int((merged["_merge"] == "right_only").sum() + (~headline).sum()),
            "largest": {c: float(f"{v:.3g}") for c, v in diffs.items()}}
