"""Minimal valid rows per extract (reporting year 2025, DfE basis: P = 2024-10-01..2025-09-30).

Shared by the tests in this folder; each test changes one cell to break exactly one rule.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from assets.candidate.contract import SPECS
from psw_core.problems import column_letter

PERIOD_START, REFERENCE = date(2024, 10, 1), date(2025, 9, 30)
FLAGS = dict(step_up_grad=0, frontline_grad=0, international_recruit=0, apprentice=0, asye=0)

BASE = {
    "hr_workforce": dict(
        worker_id="W1", service="children", team="North", org_role=5, agency_worker=0, fte=1.0,
        role_start_date="2020-01-06", role_end_date=None, start_origin=1, reason_leave=None,
        leaver_destination=None, person_birth_date="1980-01-01", gender=2, ethnicity="WBRI",
        qual_level=1, working_days_lost=5.0, stress_days_lost=2.0, **FLAGS),
    "hr_vacancies": dict(service="children", team="North", vacancies_fte=2.0,
                         agency_cover_fte=1.0, agency_cover_headcount=1),
    "learning": dict(worker_id="W1", activity="Course", category="cpd", hours=7.0,
                     completed_date="2025-01-10"),
    "supervision": dict(worker_id="W1", session_date="2025-01-10", duration_minutes=60.0),
    "health_check_responses": dict(
        response_id="R1", service="children", role_group="social_worker", tenure_band="2-5",
        submitted_date="2025-03-01", hours_over_contract=5.0, comments=None, Q1=4),
    "health_check_items": dict(item_id="Q1", standard=1, theme="workload",
                               text="My workload is manageable", reverse_scored=0),
    "health_check_invited": dict(service="children", invited=10),
    "health_check_aggregate": dict(item_id="Q1", service="children", role_group="social_worker",
                                   answer_1=0, answer_2=1, answer_3=2, answer_4=5, answer_5=3,
                                   blank=1),
    "caseload": dict(case_id="C1", worker_id="W1", service="children", case_type="cin",
                     allocated_date="2025-01-01", deallocated_date=None),
    "assessments": dict(assessment_id="A1", case_id="C1", worker_id="W1", service="children",
                        assessment_type="single_assessment", start_date="2025-01-01",
                        completed_date="2025-02-01"),
    "audits": dict(audit_id="U1", case_id="C1", worker_id="W1", service="children",
                   audit_date="2025-01-15", grade="good"),
}


def typed_frame(extract: str, rows: list[dict], first_row: int = 2) -> pd.DataFrame:
    """A frame shaped like ReadResult.frame: contract dtypes, item columns Int64, `_row`."""
    frame = pd.DataFrame(rows)
    spec = SPECS[extract]
    for col in spec.columns:
        if col.name not in frame:
            frame[col.name] = None
        values = frame[col.name]
        frame[col.name] = (pd.to_datetime(values) if col.type == "date"
                           else values.astype(col.pandas_dtype))
    for item in [c for c in frame.columns if c not in spec.column_names]:
        frame[item] = frame[item].astype("Int64")
    frame["_row"] = range(first_row, first_row + len(frame))
    return frame


def letters_for(frame: pd.DataFrame, drop: tuple[str, ...] = ()) -> dict[str, str]:
    cols = [c for c in frame.columns if c != "_row" and c not in drop]
    return {c: column_letter(i) for i, c in enumerate(cols)}
