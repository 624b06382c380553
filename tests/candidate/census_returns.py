"""Census returns built from code, in every layout, for the tests (never read from /work/shared).

`children_workforce(year)` is four children's workers whose measures are easy to compute by
hand; `write_return` writes them as a census return under a council's own file name.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from psw_synth.census import census_xml

# Reporting year -> census layout (2023 used the 2022 layout).
LAYOUT_OF_YEAR = {2021: "2021-2023", 2022: "2021-2023", 2023: "2021-2023", 2024: "2024",
                  2025: "2025"}
VACANCIES = {"vacancies_fte": 2.5, "agency_cover_fte": 1.5, "agency_cover_headcount": 2}


def children_workforce(year: int) -> pd.DataFrame:
    """W1 in post (female, ASYE), W2 agency (male), W3 left in March, W4 started in January."""
    ts = pd.Timestamp
    frame = pd.DataFrame({
        "worker_id": ["AB1000000001", "AB1000000002", "AB1000000003", "AB1000000004"],
        "agency_worker": [0, 1, 0, 0],
        "fte": [1.0, 0.5, 0.8, 0.6],
        "role_start_date": [ts("2015-01-05"), ts(f"{year - 3}-06-01"), ts("2012-04-01"),
                            ts(f"{year}-01-06")],
        "role_end_date": [pd.NaT, pd.NaT, ts(f"{year}-03-31"), pd.NaT],
        "start_origin": [1, 4, 2, 1],
        "reason_leave": [pd.NA, pd.NA, 1, pd.NA],
        "leaver_destination": [pd.NA, pd.NA, 8, pd.NA],
        "person_birth_date": [ts("1990-02-01"), ts("1975-07-31"), ts("1968-11-11"),
                              ts("1999-05-05")],
        "gender": [2, 1, 2, 1],
        "ethnicity": ["WBRI", "BAFR", "APKN", "WBRI"],
        "qual_level": [2, 3, 2, 2],
        "org_role": [6, 6, 5, 6],
        "step_up_grad": [0, 0, 0, 1],
        "frontline_grad": [0, 0, 1, 0],
        "asye": [1, 0, 0, 0],
        "working_days_lost": [2.0, 0.0, 5.5, 0.0],
    })
    for column in ("start_origin", "reason_leave", "leaver_destination"):
        frame[column] = frame[column].astype("Int64")
    frame["QualInst"] = "University of Somewhere"
    frame["Cases30"] = pd.array([12, 8, pd.NA, 4], dtype="Int64")
    return frame


def write_return(folder: Path, year: int, workers: pd.DataFrame | None = None,
                 name: str | None = None, layout: str | None = None) -> Path:
    """Write a census return into `folder` under a council's usual name; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"social_work_workforce_{year}.xml")
    workers = children_workforce(year) if workers is None else workers
    path.write_bytes(census_xml(workers, VACANCIES, year, layout or LAYOUT_OF_YEAR[year]))
    return path
