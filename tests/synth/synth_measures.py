"""A small, independent pandas calculation of the docs/design.md §4 headline measures, used only to
check the synthetic data's calibration (the pipeline's own metrics live in assets/metrics)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

DATE_COLUMNS = {
    "hr_workforce": ["role_start_date", "role_end_date", "person_birth_date"],
    "learning": ["completed_date"],
    "caseload": ["allocated_date", "deallocated_date"],
    "assessments": ["start_date", "completed_date"],
    "audits": ["audit_date"],
    "health_check_responses": ["submitted_date"],
}
ENCODING = {"health_check_responses": "cp1252"}


def read_year(folder: Path) -> dict[str, pd.DataFrame]:
    frames = {}
    for path in sorted(folder.glob("*.csv")):
        name = path.stem
        frame = pd.read_csv(path, encoding=ENCODING.get(name, "utf-8"), keep_default_na=False,
                            na_values=[""], dtype={"worker_id": str, "case_id": str})
        for column in DATE_COLUMNS.get(name, []):
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
        if name == "supervision":
            frame["session_date"] = pd.to_datetime(frame["session_date"], format="%d/%m/%Y")
        frames[name] = frame
    return frames


def in_post(hr: pd.DataFrame, when: pd.Timestamp) -> pd.Series:
    """docs/design.md §4: start <= D and (end blank or end > D)."""
    return (hr["role_start_date"] <= when) & (
        hr["role_end_date"].isna() | (hr["role_end_date"] > when)
    )


def headline(frames: dict[str, pd.DataFrame], year: int) -> dict[str, dict[str, float]]:
    r = pd.Timestamp(date(year, 9, 30))
    p0 = pd.Timestamp(date(year - 1, 10, 1))
    hr = frames["hr_workforce"]
    out: dict[str, dict[str, float]] = {}
    working_days = 253  # DfE's fixed working year for the absence rate (docs/measures.md)
    for service in ("children", "adults"):
        mine = hr[hr["service"] == service]
        direct = mine[mine["agency_worker"] == 0]
        agency = mine[mine["agency_worker"] == 1]
        fte_in_post = direct.loc[in_post(direct, r), "fte"].sum()
        leavers = direct["role_end_date"].between(p0, r)
        agency_fte = agency.loc[in_post(agency, r), "fte"].sum()
        active = direct["role_start_date"].le(r) & (
            direct["role_end_date"].isna() | direct["role_end_date"].gt(p0)
        )
        vac = frames["hr_vacancies"]
        vacancies = vac.loc[vac["service"] == service, "vacancies_fte"].sum()
        cases = frames["caseload"]
        open_at_r = cases[(cases["service"] == service) & (cases["allocated_date"] <= r)
                          & (cases["deallocated_date"].isna() | (cases["deallocated_date"] > r))]
        holders = mine[in_post(mine, r) & mine["worker_id"].isin(open_at_r["worker_id"])]
        out[service] = {
            "fte_in_post": fte_in_post,
            "turnover_rate_fte": 100 * direct.loc[leavers, "fte"].sum() / fte_in_post,
            "agency_rate_fte": 100 * agency_fte / (agency_fte + fte_in_post),
            "vacancy_rate_fte": 100 * vacancies / (vacancies + fte_in_post),
            "absence_rate": 100 * direct.loc[active, "working_days_lost"].sum()
            / (fte_in_post * working_days),
            "absence_days_per_fte": direct.loc[active, "working_days_lost"].sum() / fte_in_post,
            "caseload_fte": len(open_at_r) / holders["fte"].sum(),
            "supervision_compliance": supervision_compliance(mine, frames["supervision"], p0, r),
            "response_rate": 100 * (frames["health_check_responses"]["service"] == service).sum()
            / frames["health_check_invited"].set_index("service").loc[service, "invited"],
        }
    return out


# The ASYE framework's supervision schedule (Skills for Care; the default of authority.yml
# `asye_supervision`), restated here so that the check does not trust the pipeline: a session
# due every `every` until `until` after the ASYE spell's role_start_date (the last runs on).
ASYE_SCHEDULE = ((pd.DateOffset(days=7), pd.DateOffset(weeks=6)),
                 (pd.DateOffset(days=14), pd.DateOffset(months=6)),
                 (pd.DateOffset(months=1), None))


def asye_intervals(starts: pd.Series, r: pd.Timestamp) -> pd.DataFrame:
    """Every schedule interval [interval_start, interval_end) of each ASYE spell start that has
    ended by R (one still open at R is not judged): a phase's intervals run whole, and the
    next phase starts where its last one ends. Steps through the intervals for all spells at
    once (a loop over steps, not rows)."""
    starts = pd.Series(pd.to_datetime(starts.unique()))
    current, phase = starts.copy(), pd.Series(0, index=starts.index)
    rows = []
    while True:
        live = current <= r
        if not live.any():
            break
        step = pd.Series(pd.NaT, index=starts.index, dtype="datetime64[ns]")
        for number, (every, _until) in enumerate(ASYE_SCHEDULE):
            mine = live & (phase == number)
            step[mine] = current[mine] + every
        rows.append(pd.DataFrame({"role_start_date": starts[live],
                                  "interval_start": current[live], "interval_end": step[live]}))
        # The next interval stays in the phase while it starts before the phase's end.
        for number, (_every, until) in enumerate(ASYE_SCHEDULE):
            mine = live & (phase == number)
            if until is not None:
                phase[mine & (step >= starts + until)] = number + 1
        current = step.where(live, pd.Timestamp.max)
    intervals = pd.concat(rows, ignore_index=True)
    return intervals[intervals["interval_end"] <= r + pd.Timedelta(days=1)]


def supervision_compliance(spells: pd.DataFrame, sessions: pd.DataFrame, p0: pd.Timestamp,
                           r: pd.Timestamp) -> float:
    """docs/design.md §4: eligible spell-months (in post on the month's first and last day) with
    >= 1 session; for an ASYE spell, every interval of the ASYE schedule that overlaps the
    month holds a session (a month no judged interval overlaps needs one session)."""
    months = pd.period_range(p0, r, freq="M")
    grid = spells.reset_index(drop=True).merge(pd.DataFrame({"month": months}), how="cross")
    grid["first"] = grid["month"].dt.start_time
    grid["last"] = grid["month"].dt.end_time.dt.normalize()
    eligible = grid[in_post(grid, grid["first"]) & in_post(grid, grid["last"])].copy()
    counts = (sessions.assign(month=sessions["session_date"].dt.to_period("M"))
              .groupby(["worker_id", "month"]).size().rename("sessions"))
    eligible = eligible.join(counts, on=["worker_id", "month"])
    eligible["compliant"] = eligible["sessions"].fillna(0) >= 1
    asye = eligible[eligible["asye"] == 1].reset_index()
    if not asye.empty:
        intervals = asye_intervals(asye["role_start_date"], r)
        held = intervals.merge(asye[["worker_id", "role_start_date"]].drop_duplicates()).merge(
            sessions[["worker_id", "session_date"]], how="left")
        held["held"] = held["session_date"].ge(held["interval_start"]) & held[
            "session_date"].lt(held["interval_end"])
        held = held.groupby(["worker_id", "role_start_date", "interval_start",
                             "interval_end"])["held"].any().reset_index()
        due = asye.merge(held, on=["worker_id", "role_start_date"])
        due = due[(due["interval_start"] <= due["last"]) & (due["interval_end"] > due["first"])]
        judged = due.groupby("index")["held"].all()
        eligible.loc[judged.index, "compliant"] = judged
    return 100 * eligible["compliant"].mean()
