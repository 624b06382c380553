"""The baseline: core workforce measures as an analyst would compute them in plain pandas.

Turnover (FTE), vacancy rate (FTE), agency rate (FTE) and caseload (cases per case-holding
FTE) per authority and service at the reference date R, on frames already loaded
(`raw.hr_workforce`, `raw.hr_vacancies`, `raw.caseload` plus an `authority_code` column).
Definitions follow tests/metrics/pandas_reference.py (docs/design.md §4), grouped the way an analyst
writes it: boolean masks, then groupby-sum, then divide.
"""

from __future__ import annotations

import pandas as pd

KEYS = ["authority_code", "service"]


def core_measures(hr: pd.DataFrame, vacancies: pd.DataFrame, caseload: pd.DataFrame,
                  period_start, reference_date) -> pd.DataFrame:
    """One row per authority, service and measure: value."""
    start, ref = pd.Timestamp(period_start), pd.Timestamp(reference_date)
    hr = hr.copy()
    hr["role_start_date"] = pd.to_datetime(hr["role_start_date"])
    hr["role_end_date"] = pd.to_datetime(hr["role_end_date"])
    hr["agency"] = hr["agency_worker"].fillna(0) == 1
    hr["in_post"] = (hr["role_start_date"] <= ref) & (
        hr["role_end_date"].isna() | (hr["role_end_date"] > ref))
    hr["leaver"] = hr["role_end_date"].between(start, ref)

    employed = hr[~hr["agency"]]
    fte_in_post = employed[employed["in_post"]].groupby(KEYS)["fte"].sum()
    leavers = employed[employed["leaver"]].groupby(KEYS)["fte"].sum()
    agency = hr[hr["agency"] & hr["in_post"]].groupby(KEYS)["fte"].sum()
    vacant = vacancies.groupby(KEYS)["vacancies_fte"].sum()

    cases = caseload.copy()
    alloc = pd.to_datetime(cases["allocated_date"])
    dealloc = pd.to_datetime(cases["deallocated_date"])
    open_at = cases[(alloc <= ref) & (dealloc.isna() | (dealloc > ref))]
    in_post = hr[hr["in_post"]]
    holders = in_post.merge(open_at[KEYS + ["worker_id"]].drop_duplicates(), on=KEYS + ["worker_id"])
    held = open_at.merge(holders[KEYS + ["worker_id"]].drop_duplicates(), on=KEYS + ["worker_id"])
    caseload_fte = held.groupby(KEYS).size() / holders.groupby(KEYS)["fte"].sum()

    out = pd.DataFrame({
        "turnover_rate_fte": 100 * leavers.reindex(fte_in_post.index, fill_value=0) / fte_in_post,
        "vacancy_rate_fte": 100 * vacant / (vacant + fte_in_post),
        "agency_rate_fte": 100 * agency / (agency + fte_in_post),
        "caseload_fte": caseload_fte,
    })
    return out.rename_axis(KEYS).reset_index().melt(id_vars=KEYS, var_name="measure")


def compare(pandas_result: pd.DataFrame, ours: pd.DataFrame) -> dict[str, float]:
    """Largest absolute difference per measure between the baseline and our headline rows."""
    headline = ours[ours["breakdown"].isna() & ours["month_end"].isna()]
    merged = pandas_result.merge(headline[["measure", "service", "value"]],
                                 on=["measure", "service"], suffixes=("_pandas", "_ours"))
    diff = (merged["value_pandas"] - merged["value_ours"]).abs()
    return {m: round(float(d), 6) for m, d in diff.groupby(merged["measure"]).max().items()}
