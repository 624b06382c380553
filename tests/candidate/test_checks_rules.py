"""One failing and one passing row per rule, csc-validator style.

Each case: (rule, extract, passing change, failing change, why). Row 2 is the valid base row;
each case adds one row: the base row with the change applied. All failing rows of an extract
go in one frame and all passing rows in another (GX costs ~0.5 s per run, whatever the size):
each rule must fire on its own failing row, and the passing frame must be clean. Key columns
are made unique per row so cases do not collide, except in the uniqueness cases, which
repeat row 2's key on purpose. `DROP` (a column absent from the file) runs on its own.
"""

from __future__ import annotations

import pytest
from _checks_fixtures import BASE, PERIOD_START, REFERENCE, letters_for, typed_frame

from assets.candidate.gx_runner import EXTRACTS, check_frame, load_suite_json

DROP = "__drop__"
ITEMS = {"Q1"}

CASES = [
    # --- hr_workforce
    ("HR-000", "hr_workforce", {}, {DROP: "worker_id"}, "worker_id column absent from the file"),
    ("HR-001", "hr_workforce", {"worker_id": "W2"}, {"worker_id": None}, "blank worker_id"),
    ("HR-002", "hr_workforce", {"service": "adults"}, {"service": "social care"},
     "service must be children or adults"),
    ("HR-003", "hr_workforce", {"fte": 0.5}, {"fte": 1.5}, "fte above 1"),
    ("HR-003", "hr_workforce", {"fte": 1.0}, {"fte": 0.0}, "fte of 0 is not > 0"),
    ("HR-004", "hr_workforce", {}, {"role_start_date": None}, "blank start date"),
    ("HR-005", "hr_workforce", {"role_start_date": "2025-01-06", "role_end_date": "2025-01-06",
                                "reason_leave": 3, "leaver_destination": 1},
     {"role_end_date": "2019-12-31"}, "ends the day before it starts (same-day is fine)"),
    ("HR-006", "hr_workforce", {"role_start_date": "2025-01-06", "start_origin": 2},
     {"role_start_date": "2025-01-06", "start_origin": None}, "starter in P with no origin"),
    ("HR-007", "hr_workforce", {"role_end_date": "2025-06-30", "reason_leave": 3,
                                "leaver_destination": 1},
     {"role_end_date": "2025-06-30", "reason_leave": None, "leaver_destination": 1},
     "leaver in P with no reason"),
    ("HR-008", "hr_workforce", {"role_end_date": "2025-10-31"},
     {"role_end_date": "2025-06-30", "reason_leave": 3}, "leaver in P with no destination; "
     "a leaving date after R is not in P so needs none"),
    ("HR-009", "hr_workforce", {"org_role": 6}, {"org_role": 7}, "OrgRole is 1-6"),
    ("HR-010", "hr_workforce", {"agency_worker": 1}, {"agency_worker": 2}, "flag is 0/1"),
    ("HR-011", "hr_workforce", {}, {"service": None}, "blank service"),
    ("HR-012", "hr_workforce", {"start_origin": 10}, {"start_origin": 11}, "StartOrigin 1-10"),
    ("HR-013", "hr_workforce", {"reason_leave": 10}, {"reason_leave": 0}, "ReasonLeave 1-10"),
    ("HR-014", "hr_workforce", {"leaver_destination": 9}, {"leaver_destination": 10},
     "LeaverDestination 1-9"),
    ("HR-015", "hr_workforce", {"gender": 9}, {"gender": 3}, "GenderCurrent 0/1/2/9"),
    ("HR-016", "hr_workforce", {"qual_level": 3}, {"qual_level": 4}, "qual_level 1-3"),
    ("HR-017", "hr_workforce", {"asye": 1}, {"frontline_grad": 2}, "flags are 0/1"),
    ("HR-018", "hr_workforce", {"working_days_lost": 0.0, "stress_days_lost": 0.0},
     {"working_days_lost": -1.0, "stress_days_lost": None}, "negative sickness days"),
    ("HR-019", "hr_workforce", {"stress_days_lost": 0.0}, {"stress_days_lost": -0.5},
     "negative stress days"),
    ("HR-020", "hr_workforce", {"stress_days_lost": 5.0}, {"stress_days_lost": 6.0},
     "stress days exceed all sickness days"),
    ("HR-021", "hr_workforce", {"service": "adults"}, {}, "same worker, service and start twice"),
    ("HR-022", "hr_workforce", {"fte": 0.8}, {"fte": None}, "blank FTE (warning)"),
    ("HR-023", "hr_workforce", {"role_start_date": "2025-09-30", "start_origin": 1},
     {"role_start_date": "2025-10-01"}, "starts after R (warning)"),
    ("HR-024", "hr_workforce", {"role_end_date": "2024-10-01", "reason_leave": 1,
                                "leaver_destination": 1},
     {"role_end_date": "2024-09-30"}, "ended before P (warning)"),
    ("HR-025", "hr_workforce", {"ethnicity": "REFU"}, {"ethnicity": "British"}, "CBDS code"),
    ("HR-026", "hr_workforce", {}, {"agency_worker": None}, "blank agency flag"),
    ("HR-027", "hr_workforce", {"cases_held": 0}, {"cases_held": -1}, "negative cases held"),
    # --- hr_vacancies
    ("VAC-000", "hr_vacancies", {}, {DROP: "vacancies_fte"}, "vacancies_fte column absent"),
    ("VAC-001", "hr_vacancies", {}, {"service": None}, "blank service"),
    ("VAC-002", "hr_vacancies", {"service": "adults"}, {"service": "both"}, "service code"),
    ("VAC-003", "hr_vacancies", {"team": "B", "vacancies_fte": 0.0},
     {"team": "B", "vacancies_fte": -1.0}, "negative vacancies"),
    ("VAC-004", "hr_vacancies", {"team": "B", "agency_cover_fte": 0.0},
     {"team": "B", "agency_cover_fte": -0.5}, "negative agency cover"),
    ("VAC-005", "hr_vacancies", {"team": "B", "agency_cover_headcount": 0},
     {"team": "B", "agency_cover_headcount": -1}, "negative headcount"),
    ("VAC-006", "hr_vacancies", {"team": "South"}, {}, "same service and team twice"),
    ("VAC-007", "hr_vacancies", {"team": "B"}, {"team": "B", "vacancies_fte": None},
     "blank vacancies"),
    # --- learning
    ("LRN-000", "learning", {}, {DROP: "hours"}, "hours column absent"),
    ("LRN-001", "learning", {}, {"worker_id": None}, "blank worker"),
    ("LRN-002", "learning", {"category": "asye"}, {"category": "training"}, "category list"),
    ("LRN-003", "learning", {"hours": 200.0}, {"hours": 200.5}, "over 200 hours"),
    ("LRN-003", "learning", {"hours": 0.5}, {"hours": 0.0}, "0 hours is not > 0"),
    ("LRN-004", "learning", {}, {"hours": None}, "blank hours"),
    ("LRN-005", "learning", {}, {"completed_date": None}, "blank date"),
    ("LRN-006", "learning", {"completed_date": "2024-10-01"}, {"completed_date": "2024-09-30"},
     "completed before P (warning)"),
    ("LRN-007", "learning", {}, {"category": None}, "blank category"),
    # --- supervision
    ("SUP-000", "supervision", {}, {DROP: "session_date"}, "session_date column absent"),
    ("SUP-001", "supervision", {"session_date": "2025-01-11"}, {"worker_id": None}, "no worker"),
    ("SUP-002", "supervision", {"session_date": "2025-01-11"}, {"session_date": None},
     "blank date"),
    ("SUP-003", "supervision", {"session_date": "2025-01-11", "duration_minutes": 1.0},
     {"session_date": "2025-01-11", "duration_minutes": 0.0}, "zero-length session"),
    ("SUP-004", "supervision", {"session_date": "2025-09-30"}, {"session_date": "2025-10-01"},
     "held after R (warning)"),
    ("SUP-005", "supervision", {"session_date": "2025-01-11", "duration_minutes": 480.0},
     {"session_date": "2025-01-11", "duration_minutes": 600.0}, "over 8 hours (warning)"),
    ("SUP-006", "supervision", {"session_date": "2025-01-11"}, {}, "two on one day (warning)"),
    # --- health_check_responses
    ("HCR-000", "health_check_responses", {"response_id": "R2"}, {DROP: "response_id"},
     "response_id column absent"),
    ("HCR-001", "health_check_responses", {"response_id": "R2"}, {"response_id": None},
     "blank id"),
    ("HCR-002", "health_check_responses", {"response_id": "R2"}, {}, "duplicate response"),
    ("HCR-003", "health_check_responses", {"response_id": "R2", "service": "adults"},
     {"response_id": "R2", "service": "Adults Services"}, "service code"),
    ("HCR-004", "health_check_responses", {"response_id": "R2", "Q1": 5},
     {"response_id": "R2", "Q1": 6}, "answer outside 1-5"),
    ("HCR-004", "health_check_responses", {"response_id": "R2", "Q1": None},
     {"response_id": "R2", "Q1": 0}, "blank is no answer; 0 is not an answer"),
    ("HCR-005", "health_check_responses", {"response_id": "R2"},
     {"response_id": "R2", "Q99": 3}, "item column not in the codebook (warning)"),
    ("HCR-006", "health_check_responses", {"response_id": "R2", "role_group": "asye"},
     {"response_id": "R2", "role_group": "student"}, "role group list"),
    ("HCR-007", "health_check_responses", {"response_id": "R2", "tenure_band": "5+"},
     {"response_id": "R2", "tenure_band": "10+"}, "tenure band list"),
    ("HCR-008", "health_check_responses", {"response_id": "R2"},
     {"response_id": "R2", "service": None}, "blank service"),
    ("HCR-009", "health_check_responses", {"response_id": "R2", "hours_over_contract": 40.0},
     {"response_id": "R2", "hours_over_contract": 41.0}, "over 40 hours a week"),
    # --- health_check_items
    ("HCI-000", "health_check_items", {"item_id": "Q2"}, {DROP: "theme"}, "theme column absent"),
    ("HCI-001", "health_check_items", {"item_id": "Q2"}, {"item_id": None}, "blank item id"),
    ("HCI-002", "health_check_items", {"item_id": "Q2"}, {}, "item listed twice"),
    ("HCI-003", "health_check_items", {"item_id": "Q2", "standard": 0},
     {"item_id": "Q2", "standard": 9}, "standard 0-8"),
    ("HCI-004", "health_check_items", {"item_id": "Q2", "theme": "intention_to_stay"},
     {"item_id": "Q2", "theme": "morale"}, "theme list"),
    ("HCI-005", "health_check_items", {"item_id": "Q2", "reverse_scored": 1},
     {"item_id": "Q2", "reverse_scored": 2}, "flag is 0/1"),
    ("HCI-006", "health_check_items", {"item_id": "Q2"}, {"item_id": "Q2", "standard": None},
     "blank standard"),
    ("HCI-007", "health_check_items", {"item_id": "Q2"}, {"item_id": "Q2", "theme": None},
     "blank theme"),
    ("HCI-008", "health_check_items", {"item_id": "Q2"}, {"item_id": "Q2", "text": None},
     "blank question text (warning)"),
    ("HCI-009", "health_check_items", {"item_id": "Q2"},
     {"item_id": "Q2", "reverse_scored": None}, "blank reverse flag"),
    # --- health_check_aggregate
    ("HCA-000", "health_check_aggregate", {"item_id": "Q2"}, {DROP: "answer_3"},
     "answer_3 column absent"),
    ("HCA-001", "health_check_aggregate", {"item_id": "Q2"}, {"item_id": None}, "blank item"),
    ("HCA-002", "health_check_aggregate", {"item_id": "Q2"}, {"item_id": "Q2", "service": None},
     "blank service"),
    ("HCA-003", "health_check_aggregate", {"item_id": "Q2", "service": "adults"},
     {"item_id": "Q2", "service": "both"}, "service code"),
    ("HCA-004", "health_check_aggregate", {"item_id": "Q2", "role_group": "manager"},
     {"item_id": "Q2", "role_group": "boss"}, "role group code"),
    ("HCA-005", "health_check_aggregate", {"item_id": "Q2", "answer_2": 0},
     {"item_id": "Q2", "answer_2": None}, "blank count"),
    ("HCA-006", "health_check_aggregate", {"item_id": "Q2", "blank": 0},
     {"item_id": "Q2", "blank": -1}, "negative count"),
    ("HCA-007", "health_check_aggregate", {"item_id": "Q2"}, {},
     "item, service and role group twice"),
    # --- health_check_invited
    ("HCV-000", "health_check_invited", {"service": "adults"}, {DROP: "invited"},
     "invited column absent"),
    ("HCV-001", "health_check_invited", {"service": "adults"}, {"service": None}, "blank"),
    ("HCV-002", "health_check_invited", {"service": "adults"}, {"service": "all"}, "code"),
    ("HCV-003", "health_check_invited", {"service": "adults", "invited": 0},
     {"service": "adults", "invited": -3}, "negative invited"),
    ("HCV-004", "health_check_invited", {"service": "adults"},
     {"service": "adults", "invited": None}, "blank invited"),
    ("HCV-005", "health_check_invited", {"service": "adults"}, {}, "service twice"),
    # --- caseload
    ("CAS-000", "caseload", {}, {DROP: "case_type"}, "case_type column absent"),
    ("CAS-001", "caseload", {"case_id": "C2"}, {"case_id": None}, "blank case"),
    ("CAS-002", "caseload", {"case_id": "C2"}, {"worker_id": None}, "blank worker"),
    ("CAS-003", "caseload", {"case_id": "C2"}, {"case_id": "C2", "service": None},
     "blank service"),
    ("CAS-004", "caseload", {"case_id": "C2"}, {"case_id": "C2", "service": "health"},
     "service code"),
    ("CAS-005", "caseload", {"case_id": "C2", "case_type": "care_leaver"},
     {"case_id": "C2", "case_type": "review"}, "review is an adults' type"),
    ("CAS-006", "caseload", {"case_id": "C2", "service": "adults", "case_type": "review"},
     {"case_id": "C2", "service": "adults", "case_type": "cla"}, "cla is a children's type"),
    ("CAS-007", "caseload", {"case_id": "C2"}, {"case_id": "C2", "allocated_date": None},
     "blank allocation date"),
    ("CAS-008", "caseload", {"case_id": "C2", "deallocated_date": "2025-01-01"},
     {"case_id": "C2", "deallocated_date": "2024-12-31"}, "deallocated before allocated"),
    ("CAS-009", "caseload", {"worker_id": "W2"}, {}, "same allocation twice"),
    ("CAS-010", "caseload", {"case_id": "C2", "allocated_date": "2025-09-30"},
     {"case_id": "C2", "allocated_date": "2025-10-01"}, "allocated after R (warning)"),
    ("CAS-011", "caseload", {"case_id": "C2"}, {"case_id": "C2", "case_type": None},
     "blank case type"),
    # --- assessments
    ("ASM-000", "assessments", {"assessment_id": "A2"}, {DROP: "start_date"},
     "start_date column absent"),
    ("ASM-001", "assessments", {"assessment_id": "A2"}, {"assessment_id": None}, "blank id"),
    ("ASM-002", "assessments", {"assessment_id": "A2"}, {}, "assessment listed twice"),
    ("ASM-003", "assessments", {"assessment_id": "A2"},
     {"assessment_id": "A2", "worker_id": None}, "blank worker"),
    ("ASM-004", "assessments", {"assessment_id": "A2", "service": "adults"},
     {"assessment_id": "A2", "service": "kids"}, "service code"),
    ("ASM-005", "assessments", {"assessment_id": "A2", "assessment_type": "other"},
     {"assessment_id": "A2", "assessment_type": "c&f"}, "type list"),
    ("ASM-006", "assessments", {"assessment_id": "A2"},
     {"assessment_id": "A2", "start_date": None}, "blank start"),
    ("ASM-007", "assessments", {"assessment_id": "A2", "completed_date": "2025-01-01"},
     {"assessment_id": "A2", "completed_date": "2024-12-31"}, "completed before start"),
    ("ASM-008", "assessments", {"assessment_id": "A2", "start_date": "2025-09-30",
                                "completed_date": None},
     {"assessment_id": "A2", "start_date": "2025-10-01", "completed_date": None},
     "starts after R (warning)"),
    ("ASM-009", "assessments", {"assessment_id": "A2"},
     {"assessment_id": "A2", "case_id": None}, "blank case"),
    ("ASM-010", "assessments", {"assessment_id": "A2"},
     {"assessment_id": "A2", "service": None}, "blank service"),
    ("ASM-011", "assessments", {"assessment_id": "A2"},
     {"assessment_id": "A2", "assessment_type": None}, "blank type"),
    # --- audits
    ("AUD-000", "audits", {"audit_id": "U2"}, {DROP: "grade"}, "grade column absent"),
    ("AUD-001", "audits", {"audit_id": "U2"}, {"audit_id": None}, "blank id"),
    ("AUD-002", "audits", {"audit_id": "U2", "grade": "inadequate"},
     {"audit_id": "U2", "grade": "satisfactory"}, "grade not in the list"),
    ("AUD-003", "audits", {"audit_id": "U2"}, {}, "audit listed twice"),
    ("AUD-004", "audits", {"audit_id": "U2"}, {"audit_id": "U2", "worker_id": None},
     "blank worker"),
    ("AUD-005", "audits", {"audit_id": "U2"}, {"audit_id": "U2", "grade": None}, "blank grade"),
    ("AUD-006", "audits", {"audit_id": "U2"}, {"audit_id": "U2", "audit_date": None},
     "blank date"),
    ("AUD-007", "audits", {"audit_id": "U2", "audit_date": "2024-10-01"},
     {"audit_id": "U2", "audit_date": "2024-09-30"}, "held before P (warning)"),
    ("AUD-008", "audits", {"audit_id": "U2", "service": "adults"},
     {"audit_id": "U2", "service": "corporate"}, "service code"),
    ("AUD-009", "audits", {"audit_id": "U2"}, {"audit_id": "U2", "case_id": None}, "blank case"),
    ("AUD-010", "audits", {"audit_id": "U2"}, {"audit_id": "U2", "service": None},
     "blank service"),
]


KEYS = {  # column made unique per row, so that cases do not collide with each other
    "hr_workforce": "worker_id", "hr_vacancies": "team", "supervision": "worker_id",
    "health_check_responses": "response_id", "health_check_items": "item_id",
    "caseload": "case_id", "assessments": "assessment_id", "audits": "audit_id",
    "health_check_aggregate": "item_id",
}
UNIQUENESS = {"HR-021", "VAC-006", "SUP-006", "HCR-002", "HCI-002", "HCV-005", "CAS-009",
              "ASM-002", "AUD-003", "HCA-007"}


def _check(extract: str, rows: list[dict], drop: str | None = None):
    frame = typed_frame(extract, rows)
    letters = letters_for(frame, drop=(drop,) if drop else ())
    if drop:  # the reader keeps an absent column, all blank, and gives it no letter
        frame[drop] = frame[drop].mask(frame[drop].notna())
    return check_frame(extract, frame, file_name=f"{extract}.csv", column_letters=letters,
                       period_start=PERIOD_START, reference_date=REFERENCE,
                       codebook_items=ITEMS)


def _case_row(extract: str, index: int, rule: str, change: dict) -> dict:
    row = {**BASE[extract], **change}
    key = KEYS.get(extract)
    if key and rule not in UNIQUENESS and row[key] is not None:
        row[key] = f"{BASE[extract][key]}-{index}"
    return row


def _batched(extract: str, which: int) -> tuple[dict[int, int], object]:
    """Run every case of one extract in one frame; map case index -> spreadsheet row."""
    cases = [(i, c) for i, c in enumerate(CASES) if c[1] == extract and DROP not in c[which]]
    rows = [BASE[extract]] + [_case_row(extract, i, c[0], c[which]) for i, c in cases]
    return {i: 3 + n for n, (i, _) in enumerate(cases)}, _check(extract, rows)


@pytest.fixture(scope="module")
def outcomes():
    """extract -> (failing rows, failing outcome, passing outcome); one GX run per frame."""
    done = {}
    for extract in {c[1] for c in CASES}:
        if extract in KEYS:
            rows, failing = _batched(extract, 3)
            done[extract] = (rows, failing, _batched(extract, 2)[1])
    return done


def _case_outcomes(outcomes, index: int):
    rule, extract, ok, bad, _ = CASES[index]
    if DROP in bad:
        failing = _check(extract, [BASE[extract], BASE[extract]], drop=bad[DROP])
        return None, failing, None
    if extract in outcomes:
        rows, failing, passing = outcomes[extract]
        return rows[index], failing, passing
    # No key to make rows unique (health_check_invited): one case per frame.
    passing = _check(extract, [BASE[extract], _case_row(extract, index, rule, ok)])
    return 3, _check(extract, [BASE[extract], _case_row(extract, index, rule, bad)]), passing


@pytest.mark.parametrize("index", range(len(CASES)),
                         ids=[f"{c[0]}-{c[4][:30]}" for c in CASES])
def test_rule_fails_on_the_bad_row_and_passes_the_good_one(outcomes, index):
    rule, extract, _, _, why = CASES[index]
    row, failing, passing = _case_outcomes(outcomes, index)
    if passing is not None:
        assert [p.describe() for p in passing.problems] == [], "passing rows must be clean"
    found = [p for p in failing.problems if p.rule == rule]
    if rule.endswith("-000"):
        assert [p.row for p in found] == [None], why  # the file lacks the column
    elif rule == "HCR-005":
        assert [(p.row, p.column) for p in found] == [(1, "Q99")], why  # its header cell
    else:
        rows = {p.row for p in found}
        assert row in rows, f"{rule} did not fire on row {row}: {why}"
        if rule in UNIQUENESS:
            assert 2 in rows, "both copies of a duplicate are listed"
    suite = load_suite_json(extract)
    severities = {e["meta"]["rule"]: e["meta"]["severity"] for e in suite["expectations"]}
    template = suite["meta"].get("item_expectation", {}).get("meta", {})
    severities.setdefault(template.get("rule"), template.get("severity"))
    assert {p.severity for p in found} == {severities[rule]}


def test_every_rule_in_the_suites_has_a_case():
    ids = {c[0] for c in CASES}
    for extract in EXTRACTS:
        suite = load_suite_json(extract)
        suite_ids = {e["meta"]["rule"] for e in suite["expectations"]}
        suite_ids.add(suite["meta"].get("item_expectation", {}).get("meta", {}).get("rule"))
        assert suite_ids - {None} <= ids, sorted(suite_ids - ids)
