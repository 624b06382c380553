"""Realistic errors planted into a year's extracts by `psw synth --faults`.

Each fault is recorded as {file, row, column, value, rule}: `row` is the spreadsheet row as Excel
shows it (header = row 1), `value` the text written into the cell. Rule ids are the validation
suites' (expectations/*.json, docs/design.md §2). The list is documented in docs/synthetic-data.md.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from psw_synth.extracts import IdScheme, Year, iso_dates

HEADER_ROWS = 1
UNKNOWN_WORKER_NUMBER = 10**7  # beyond any running number the history hands out


def plant_faults(frames: dict[str, pd.DataFrame], yr: Year, ids: IdScheme,
                 rng: np.random.Generator) -> list[dict]:
    """Writes about ten errors into `frames` (in place) and returns what was planted."""
    planted: list[dict] = []

    def plant(extract: str, index: int, column: str, value: str, rule: str) -> None:
        frame = frames[extract]
        frame[column] = frame[column].astype(object)
        frame.loc[index, column] = value
        planted.append({
            "file": f"{extract}.csv", "row": int(index) + HEADER_ROWS + 1, "column": column,
            "value": value, "rule": rule,
        })

    hr = frames["hr_workforce"]
    start = pd.to_datetime(hr["role_start_date"])
    end = pd.to_datetime(hr["role_end_date"].replace("", None))
    p0, r = as_timestamp(yr.p0), as_timestamp(yr.r)
    leaving_in_p = np.flatnonzero(((end >= p0) & (end <= r)).to_numpy())
    repeated = np.flatnonzero(hr["worker_id"].duplicated(keep=False).to_numpy())
    used: set[int] = set()

    def pick(candidates: np.ndarray) -> int:
        """A row not used by another fault, preferring the given candidates."""
        free = np.setdiff1d(candidates, list(used))
        if not len(free):
            free = np.setdiff1d(np.arange(len(hr)), list(used))
        chosen = int(rng.choice(free))
        used.add(chosen)
        return chosen

    # A worker with two spells loses the id on one: nothing else stops matching the HR extract.
    plant("hr_workforce", pick(repeated), "worker_id", "", "HR-001")
    plant("hr_workforce", pick(np.flatnonzero(hr["service"].eq("children").to_numpy())),
          "service", "Childrens", "HR-002")
    plant("hr_workforce", pick(np.arange(len(hr))), "fte", "1.5", "HR-003")
    row = pick(leaving_in_p)
    before_start = iso_dates(np.array([day_number(start.iloc[row]) - 45]))[0]
    plant("hr_workforce", row, "role_end_date", before_start, "HR-005")
    plant("hr_workforce", pick(leaving_in_p), "reason_leave", "", "HR-007")

    plant("learning", int(rng.integers(0, len(frames["learning"]))), "hours", "250", "LRN-003")

    answers = frames["health_check_responses"]
    answered = np.flatnonzero(answers["q07"].notna().to_numpy())
    plant("health_check_responses", int(rng.choice(answered)), "q07", "7", "HCR-004")

    known = set(hr["worker_id"])
    unknown = next(
        wid for wid in ids.ids("W", UNKNOWN_WORKER_NUMBER + np.arange(100)) if wid not in known
    )
    plant("caseload", int(rng.integers(0, len(frames["caseload"]))), "worker_id", unknown,
          "XEX-001")
    plant("supervision", int(rng.integers(0, len(frames["supervision"]))), "session_date",
          f"31/02/{yr.year}", "PARSE-DATE")
    plant("audits", int(rng.integers(0, len(frames["audits"]))), "grade", "Good+", "AUD-002")
    return planted


def as_timestamp(day: int) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(day, "D"))


def day_number(stamp: pd.Timestamp) -> int:
    return (stamp.date() - date(1970, 1, 1)).days
