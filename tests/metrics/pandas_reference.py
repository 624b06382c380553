"""Independent plain-pandas reference computations of the core workforce measures
(docs/design.md §4), for differential tests against the SQL path (e.g. on the synthetic sample).

They take `raw.hr_workforce`-shaped and `raw.caseload`-shaped frames for ONE reporting year of
ONE service (filter before calling) and the reference date R and period start. They ignore
moves between services (apply them only per service, where a move counts as a starter/leaver).
"""

from __future__ import annotations

import pandas as pd


def _in_post(hr: pd.DataFrame, day) -> pd.Series:
    day = pd.Timestamp(day)
    start = pd.to_datetime(hr["role_start_date"])
    end = pd.to_datetime(hr["role_end_date"])
    return (start <= day) & (end.isna() | (end > day))


def fte_in_post(hr: pd.DataFrame, reference_date) -> float:
    employed = hr[hr["agency_worker"].fillna(0) == 0]
    return float(employed.loc[_in_post(employed, reference_date), "fte"].sum())


def leavers_fte(hr: pd.DataFrame, period_start, reference_date) -> float:
    employed = hr[hr["agency_worker"].fillna(0) == 0]
    end = pd.to_datetime(employed["role_end_date"])
    in_p = (end >= pd.Timestamp(period_start)) & (end <= pd.Timestamp(reference_date))
    return float(employed.loc[in_p, "fte"].sum())


def turnover_rate_fte(hr: pd.DataFrame, period_start, reference_date) -> float:
    return 100 * leavers_fte(hr, period_start, reference_date) / fte_in_post(hr, reference_date)


def vacancy_rate_fte(hr: pd.DataFrame, vacancies: pd.DataFrame, reference_date) -> float:
    v = float(vacancies["vacancies_fte"].sum())
    return 100 * v / (v + fte_in_post(hr, reference_date))


def agency_rate_fte(hr: pd.DataFrame, reference_date) -> float:
    agency = hr[hr["agency_worker"].fillna(0) == 1]
    a = float(agency.loc[_in_post(agency, reference_date), "fte"].sum())
    return 100 * a / (a + fte_in_post(hr, reference_date))


def caseload_fte(hr: pd.DataFrame, caseload: pd.DataFrame, reference_date) -> float:
    day = pd.Timestamp(reference_date)
    alloc = pd.to_datetime(caseload["allocated_date"])
    dealloc = pd.to_datetime(caseload["deallocated_date"])
    open_at = caseload[(alloc <= day) & (dealloc.isna() | (dealloc > day))]
    in_post = hr[_in_post(hr, reference_date)]
    holders = in_post[in_post["worker_id"].isin(open_at["worker_id"])]
    cases = open_at[open_at["worker_id"].isin(holders["worker_id"])]
    return len(cases) / float(holders["fte"].sum())
