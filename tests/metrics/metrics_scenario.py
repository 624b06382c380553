"""The hand-made authority used by the measure tests: reporting year 2024 on the DfE basis,
P = 2023-10-01 .. 2024-09-30, R = 2024-09-30, England (253 working days in P: 261 weekdays
less 8 bank holidays: 25 and 26 Dec 2023, 1 Jan, 29 Mar, 1 Apr, 6 May, 27 May, 26 Aug 2024).

Workers (C = children, A = adults; fte; start - end):
  w1 C 1.0  2020-01-01 -            in post, stable (start <= 2022-09-30), 10 days lost (4 stress)
  w2 C 0.5  2023-10-01 -            starter on the first day of P; ASYE; origin 1
  w3 C 0.8  2019-05-01 - 2024-09-30 leaver on R (in P, not in post at R); reason 1; 5 days (1)
  w4 C 1.0  2023-01-01 -            AGENCY: out of turnover, in caseload and supervision
  w5 C 1.0  2018-01-01 - 2024-03-15 reason 7, then
  w5 A 1.0  2024-03-18 -            3 days later: a move (leaver C, starter A, neither for all);
                                     ASYE in adults; 4 days lost in the children spell
  w6 A 0.6  2021-06-01 -            in post, stable, 6 days lost
  w7 A 1.0  2022-01-01 - 2023-09-30 ended the day before P: not active, not a leaver (3 days)
"""

from __future__ import annotations

import pandas as pd

YEAR = 2024

HR = [
    dict(worker_id="w1", service="children", agency_worker=0, fte=1.0,
         role_start_date="2020-01-01", gender=2, ethnicity="WBRI", age_band="30-39",
         working_days_lost=10, stress_days_lost=4),
    dict(worker_id="w2", service="children", agency_worker=0, fte=0.5,
         role_start_date="2023-10-01", start_origin=1, asye=1, gender=1, ethnicity="ABAN",
         age_band="<30", working_days_lost=0, stress_days_lost=0),
    dict(worker_id="w3", service="children", agency_worker=0, fte=0.8,
         role_start_date="2019-05-01", role_end_date="2024-09-30", reason_leave=1,
         leaver_destination=1, gender=2, ethnicity="WBRI", age_band="40-49",
         working_days_lost=5, stress_days_lost=1),
    dict(worker_id="w4", service="children", agency_worker=1, fte=1.0,
         role_start_date="2023-01-01", working_days_lost=100, stress_days_lost=50),
    dict(worker_id="w5", service="children", agency_worker=0, fte=1.0,
         role_start_date="2018-01-01", role_end_date="2024-03-15", reason_leave=7,
         leaver_destination=5, gender=1, ethnicity="BAFR", age_band="50-59",
         working_days_lost=4, stress_days_lost=0),
    dict(worker_id="w5", service="adults", agency_worker=0, fte=1.0,
         role_start_date="2024-03-18", start_origin=6, asye=1, gender=1, ethnicity="BAFR",
         age_band="50-59", working_days_lost=0, stress_days_lost=0),
    dict(worker_id="w6", service="adults", agency_worker=0, fte=0.6,
         role_start_date="2021-06-01", gender=2, ethnicity="WBRI", age_band="60+",
         working_days_lost=6, stress_days_lost=0),
    dict(worker_id="w7", service="adults", agency_worker=0, fte=1.0,
         role_start_date="2022-01-01", role_end_date="2023-09-30", reason_leave=1,
         leaver_destination=8, working_days_lost=3, stress_days_lost=3),
]

VACANCIES = [
    dict(service="children", team="A", vacancies_fte=0.25),
    dict(service="children", team="B", vacancies_fte=0.25),
    dict(service="adults", vacancies_fte=0.4),
]

CASELOAD = [
    # c1 is held by two workers (w1 and agency w4): it counts for each.
    dict(case_id="c1", worker_id="w1", service="children", case_type="cin",
         allocated_date="2024-01-01"),
    dict(case_id="c1", worker_id="w4", service="children", case_type="cin",
         allocated_date="2024-02-01"),
    dict(case_id="c2", worker_id="w1", service="children", case_type="cla",
         allocated_date="2023-05-01"),
    # closed on R: not open at R
    dict(case_id="c3", worker_id="w2", service="children", case_type="cla",
         allocated_date="2024-01-01", deallocated_date="2024-09-30"),
    dict(case_id="c4", worker_id="w6", service="adults", case_type="long_term",
         allocated_date="2024-01-01"),
    # held by w3, who is not in post at R: left out of caseload
    dict(case_id="c5", worker_id="w3", service="adults", case_type="review",
         allocated_date="2024-01-01"),
    dict(case_id="c6", worker_id="w5", service="adults", case_type="review",
         allocated_date="2024-04-01"),
    dict(case_id="c7", worker_id="w5", service="adults", case_type="long_term",
         allocated_date="2024-04-01"),
]

MONTHS = [f"{y}-{m:02d}" for y, m in
          [(2023, 10), (2023, 11), (2023, 12)] + [(2024, m) for m in range(1, 10)]]
SUPERVISION = (
    [dict(worker_id="w1", session_date=f"{m}-10", duration_minutes=90) for m in MONTHS]
    + [dict(worker_id="w4", session_date="2023-10-05", duration_minutes=90)]
    + [dict(worker_id="w5", session_date=f"{m}-12", duration_minutes=90) for m in MONTHS[6:]]
    + [dict(worker_id="w5", session_date="2024-06-26", duration_minutes=90)]
)

# Single assessments (45 working days from the day after the start; England bank holidays):
# a1/a2 start Wed 2024-03-27, just before Easter (Good Friday 29 Mar, Easter Monday 1 Apr):
#   working days from 28 Mar: 28 Mar (1), 2-5 Apr (2-5), then 8 weeks of 5 to 31 May (45)
#   less Mon 6 May and Mon 27 May (bank holidays) -> day 43 is Fri 31 May, 44 Mon 3 Jun,
#   45 Tue 4 Jun. Due 2024-06-04: a1 on the due date is in time, a2 a day later is late.
# a3 start Wed 2023-12-20, before Christmas: 21, 22 Dec (2), 27-29 Dec (5), Jan 2-5 (9),
#   then 36 more working days = 7 weeks + 1 day -> due Mon 2024-02-26; completed 26 Feb: in time.
# Care Act (28 calendar days): a4 start 2024-05-01 due 2024-05-29 -> in time; a5 a day late.
ASSESSMENTS = [
    dict(assessment_id="a1", case_id="c1", worker_id="w4", service="children",
         assessment_type="single_assessment", start_date="2024-03-27",
         completed_date="2024-06-04"),
    dict(assessment_id="a2", case_id="c2", worker_id="w1", service="children",
         assessment_type="single_assessment", start_date="2024-03-27",
         completed_date="2024-06-05"),
    dict(assessment_id="a3", case_id="c3", worker_id="w2", service="children",
         assessment_type="single_assessment", start_date="2023-12-20",
         completed_date="2024-02-26"),
    dict(assessment_id="a4", case_id="c4", worker_id="w6", service="adults",
         assessment_type="care_act_assessment", start_date="2024-05-01",
         completed_date="2024-05-29"),
    dict(assessment_id="a5", case_id="c6", worker_id="w5", service="adults",
         assessment_type="care_act_assessment", start_date="2024-05-01",
         completed_date="2024-05-30"),
    # no timescale for `other` in the default authority.yml: left out
    dict(assessment_id="a6", case_id="c4", worker_id="w6", service="adults",
         assessment_type="other", start_date="2024-05-01", completed_date="2024-09-01"),
    # completed before P: left out; open: left out
    dict(assessment_id="a7", case_id="c1", worker_id="w1", service="children",
         assessment_type="single_assessment", start_date="2023-08-01",
         completed_date="2023-09-29"),
    dict(assessment_id="a8", case_id="c1", worker_id="w1", service="children",
         assessment_type="single_assessment", start_date="2024-09-01"),
]

AUDITS = [
    dict(audit_id="u1", case_id="c1", worker_id="w1", service="children",
         audit_date="2024-01-10", grade="good"),
    dict(audit_id="u2", case_id="c2", worker_id="w1", service="children",
         audit_date="2024-02-10", grade="outstanding"),
    dict(audit_id="u3", case_id="c3", worker_id="w2", service="children",
         audit_date="2024-03-10", grade="inadequate"),
    dict(audit_id="u4", case_id="c1", worker_id="w1", service="children",
         audit_date="2023-09-15", grade="requires_improvement"),  # before P
    dict(audit_id="u5", case_id="c4", worker_id="w6", service="adults",
         audit_date="2024-04-10", grade="requires_improvement"),
]

LEARNING = [
    dict(worker_id="w1", activity="x", category="cpd", hours=10, completed_date="2024-01-15"),
    dict(worker_id="w1", activity="y", category="mandatory", hours=5,
         completed_date="2024-09-30"),
    dict(worker_id="w1", activity="z", category="cpd", hours=7,
         completed_date="2023-09-01"),  # before P
    dict(worker_id="w3", activity="x", category="cpd", hours=20,
         completed_date="2024-02-01"),  # not in post at R
    dict(worker_id="w4", activity="x", category="cpd", hours=8,
         completed_date="2024-02-01"),  # agency
    dict(worker_id="w6", activity="x", category="cpd", hours=6, completed_date="2024-02-01"),
    # completed while in the children spell; w5 is in post in adults at R -> adults
    dict(worker_id="w5", activity="x", category="cpd", hours=4, completed_date="2024-01-20"),
]

ITEMS = [
    dict(item_id="i1", standard=1, theme="workload", text="t", reverse_scored=0),
    dict(item_id="i2", standard=1, theme="stress", text="t", reverse_scored=1),
    dict(item_id="i3", standard=0, theme="wellbeing", text="t", reverse_scored=0),
]
RESPONSES = [
    dict(response_id="r1", service="children", role_group="social_worker",
         hours_over_contract=2),
    dict(response_id="r2", service="children", role_group="manager"),
    dict(response_id="r3", service="adults", role_group="asye", hours_over_contract=4),
]
ANSWERS = [
    dict(response_id="r1", item_id="i1", answer=5),
    dict(response_id="r1", item_id="i2", answer=4),
    dict(response_id="r1", item_id="i3", answer=3),
    dict(response_id="r2", item_id="i1", answer=2),
    dict(response_id="r2", item_id="i3", answer=4),
    dict(response_id="r3", item_id="i1", answer=4),
    dict(response_id="r3", item_id="i2", answer=2),
    dict(response_id="r3", item_id="i3", answer=1),
]
INVITED = [dict(service="children", invited=10), dict(service="adults", invited=4)]

TABLES = dict(
    hr_workforce=HR, hr_vacancies=VACANCIES, caseload=CASELOAD, supervision=SUPERVISION,
    assessments=ASSESSMENTS, audits=AUDITS, learning=LEARNING, health_check_items=ITEMS,
    health_check_responses=RESPONSES, health_check_answers=ANSWERS,
    health_check_invited=INVITED,
)


def config(**overrides):
    """The test authority: defaults of AuthorityConfig (England, DfE period, 45 working /
    28 calendar day timescales) with an ASYE caseload cap of 1."""
    from psw_core.config import AuthorityConfig

    settings = dict(name="Test Council", code="TST",
                    targets={"supervision_compliance": 90, "asye_caseload_cap": 1})
    settings.update(overrides)
    return AuthorityConfig(**settings)


def build(path, tables=None, extra_years=None, cfg=None):
    """Build the warehouse and metrics for YEAR; returns (connection, measures frame)."""
    from metrics_warehouse import load, warehouse

    from assets.metrics.measures import build_metrics

    con = warehouse(path, YEAR, **(TABLES if tables is None else tables))
    for year, year_tables in (extra_years or {}).items():
        for table, rows in year_tables.items():
            load(con, table, rows, year)
    build_metrics(con, YEAR, cfg or config())
    frame = con.execute("select * from metrics.measures").df()
    return con, frame


def value(frame, measure, service, breakdown=None, category=None, month_end=None,
          column="value"):
    """One cell of the measures frame (asserts exactly one row matches)."""
    rows = frame[(frame["measure"] == measure) & (frame["service"] == service)]
    rows = rows[rows["breakdown"].isna()] if breakdown is None else rows[
        rows["breakdown"] == breakdown]
    if category is not None:
        rows = rows[rows["category"] == category]
    if month_end is not None:
        rows = rows[pd.to_datetime(rows["month_end"]) == pd.Timestamp(month_end)]
    elif breakdown is None:
        rows = rows[rows["month_end"].isna()]
    assert len(rows) == 1, (measure, service, breakdown, category, len(rows))
    return rows.iloc[0][column]
