"""A small, independent pandas calculation of the docs/design.md §4 headline measures, used only to
check the synthetic data's calibration (the pipeline's own metrics live in assets/metrics)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
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


def supervision_compliance(spells: pd.DataFrame, sessions: pd.DataFrame, p0: pd.Timestamp,
                           r: pd.Timestamp) -> float:
    """docs/design.md §4: eligible spell-months (in post on the month's first and last day) with >= 1
    session (>= 2 for ASYE)."""
    months = pd.period_range(p0, r, freq="M")
    grid = spells.reset_index(drop=True).merge(pd.DataFrame({"month": months}), how="cross")
    first = grid["month"].dt.start_time
    last = grid["month"].dt.end_time.dt.normalize()
    eligible = grid[in_post(grid, first) & in_post(grid, last)].copy()
    counts = (sessions.assign(month=sessions["session_date"].dt.to_period("M"))
              .groupby(["worker_id", "month"]).size().rename("sessions"))
    eligible = eligible.join(counts, on=["worker_id", "month"])
    needed = np.where(eligible["asye"] == 1, 2, 1)
    return 100 * (eligible["sessions"].fillna(0) >= needed).mean()
