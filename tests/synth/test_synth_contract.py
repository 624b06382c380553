"""Every file of the committed sample follows the extract contract (docs/design.md §3)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from assets.candidate.contract import NEVER_LOADED, SPECS
from psw_synth.generator import OPTIONAL_EXTRACTS

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
YEARS = (2023, 2024, 2025)  # the CSV-form years; 2022 (census) is in test_synth_sample.py

# Every extract in the sample but the survey responses (item columns come from the codebook).
COLUMNS = {name: spec for name, spec in SPECS.items()
           if not spec.item_columns and name not in OPTIONAL_EXTRACTS}
SERVICES = {"children", "adults"}
CBDS = {"WBRI", "WIRI", "WOTH", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH",
        "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"}
THEMES = {"workload", "wellbeing", "stress", "supervision", "learning", "equality", "culture",
          "intention_to_stay", "practice"}
CASE_TYPES = {"children": {"cin", "cp", "cla", "care_leaver", "assessment"},
              "adults": {"assessment", "review", "long_term", "safeguarding"}}


def period(year: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(date(year - 1, 10, 1)), pd.Timestamp(date(year, 9, 30))


@pytest.mark.parametrize("year", YEARS)
def test_headers_encodings_and_line_endings(year):
    for name, spec in COLUMNS.items():
        raw = (RAW / str(year) / f"{name}.csv").read_bytes()
        text = raw.decode("utf-8")  # strict: everything but the survey is UTF-8
        assert "\r\n" not in text, name
        header = next(csv.reader(io.StringIO(text)))
        known = [c for c in header if c in spec.column_names]
        assert known == [c for c in spec.column_names if c in known], name  # contract order
        assert set(spec.required_columns) <= set(known), name
        assert set(header) - set(known) <= set(NEVER_LOADED), name  # names only, never loaded
    survey = (RAW / str(year) / "health_check_responses.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        survey.decode("utf-8")  # Windows-1252: the '£' byte is not valid UTF-8
    text = survey.decode("cp1252")
    assert "£" in text and text.endswith("\r\n")
    header = next(csv.reader(io.StringIO(text)))
    items = pd.read_csv(RAW / str(year) / "health_check_items.csv")["item_id"].tolist()
    assert header == ["response_id", "service", "role_group", "tenure_band", "submitted_date",
                      *items, "hours_over_contract", "comments"]


@pytest.mark.parametrize("year", YEARS)
def test_hr_workforce_rules(sample_frames, year):
    hr = sample_frames[year]["hr_workforce"]
    p0, r = period(year)
    assert hr["worker_id"].str.fullmatch(r"NFC-W-\d{6}").all()
    assert set(hr["service"]) == SERVICES
    assert hr["org_role"].between(1, 6).all()
    assert set(hr["agency_worker"]) == {0, 1}
    assert ((hr["fte"] > 0) & (hr["fte"] <= 1)).all()
    assert (hr["fte"] < 1).mean() > 0.1  # some part-time contracts
    end, start = hr["role_end_date"], hr["role_start_date"]
    assert not (end < start).any()
    # Held at any time in the year: started by R, not ended before P.
    assert (start <= r).all() and (end.isna() | (end >= p0)).all()
    starts_in_p = start.between(p0, r)
    assert hr.loc[starts_in_p, "start_origin"].between(1, 10).all()
    ends_in_p = end.between(p0, r)
    assert hr.loc[ends_in_p, "reason_leave"].between(1, 10).all()
    assert hr.loc[ends_in_p, "leaver_destination"].between(1, 9).all()
    assert (end > r).sum() >= 1  # a spell ending after R still shows its end date
    assert set(hr["gender"]) <= {0, 1, 2, 9}
    assert set(hr["ethnicity"]) <= CBDS
    assert set(hr["qual_level"]) <= {1, 2, 3}
    for flag in ("step_up_grad", "frontline_grad", "international_recruit", "apprentice", "asye"):
        assert set(hr[flag]) <= {0, 1}, flag
    direct = hr[hr["agency_worker"] == 0]
    assert (direct["working_days_lost"] >= 0).all()
    assert (direct["stress_days_lost"] <= direct["working_days_lost"]).all()
    assert direct["stress_days_lost"].sum() > 0
    assert hr["first_name"].notna().all() and hr["surname"].notna().all()
    age = (r - hr["person_birth_date"]).dt.days / 365.25
    assert age.between(20, 72).all()


@pytest.mark.parametrize("year", YEARS)
def test_other_extracts_follow_their_code_lists_and_ranges(sample_frames, year):
    frames = sample_frames[year]
    p0, r = period(year)
    vac = frames["hr_vacancies"]
    assert set(vac["service"]) == SERVICES
    assert (vac[["vacancies_fte", "agency_cover_fte", "agency_cover_headcount"]] >= 0).all().all()
    learning = frames["learning"]
    assert set(learning["category"]) <= {
        "mandatory", "cpd", "asye", "practice_educator", "leadership", "apprenticeship",
        "qualification", "other"}
    assert ((learning["hours"] > 0) & (learning["hours"] <= 200)).all()
    supervision = frames["supervision"]
    assert (supervision["duration_minutes"] > 0).all()
    assert supervision["session_date"].between(p0, r).all()
    assert (supervision["session_date"].dt.dayofweek < 5).mean() > 0.99  # weekdays, nearly all
    cases = frames["caseload"]
    for service, types in CASE_TYPES.items():
        assert set(cases.loc[cases["service"] == service, "case_type"]) == types
    assert cases["case_id"].str.fullmatch(r"NFC-C-\d{6}").all()
    assert not (cases["deallocated_date"] < cases["allocated_date"]).any()
    assert cases["case_id"].duplicated().any()  # some cases are held by two workers
    assessments = frames["assessments"]
    assert set(assessments["assessment_type"]) == {
        "single_assessment", "care_act_assessment", "other"}
    assert assessments["assessment_id"].is_unique
    assert not (assessments["completed_date"] < assessments["start_date"]).any()
    audits = frames["audits"]
    assert set(audits["grade"]) <= {"outstanding", "good", "requires_improvement", "inadequate"}
    assert audits["grade"].value_counts().idxmax() == "good"
    assert audits["audit_date"].between(p0, r).all()


@pytest.mark.parametrize("year", YEARS)
def test_cross_extract_rules(sample_frames, year):
    frames = sample_frames[year]
    workers = set(frames["hr_workforce"]["worker_id"])
    for name in ("caseload", "assessments", "audits", "learning", "supervision"):
        assert set(frames[name]["worker_id"]) <= workers, name
    assert set(frames["assessments"]["case_id"]) <= set(frames["caseload"]["case_id"])
    responses = frames["health_check_responses"]["service"].value_counts()
    invited = frames["health_check_invited"].set_index("service")["invited"]
    assert (responses <= invited.reindex(responses.index)).all()


@pytest.mark.parametrize("year", YEARS)
def test_survey_codebook_and_answers(sample_frames, year):
    frames = sample_frames[year]
    items = frames["health_check_items"]
    assert set(items["standard"]) == set(range(9))
    assert set(items["theme"]) == THEMES
    assert set(items.loc[items["reverse_scored"] == 1, "theme"]) >= {"stress", "workload"}
    responses = frames["health_check_responses"]
    answers = responses[items["item_id"]]
    assert answers.stack().dropna().between(1, 5).all()
    assert answers.isna().any().any()  # some items left blank
    assert set(responses["role_group"]) <= {
        "social_worker", "senior_practitioner", "manager", "asye", "other"}
    assert set(responses["tenure_band"]) <= {"<2", "2-5", "5+"}
    assert responses["hours_over_contract"].dropna().between(0, 40).all()
    assert responses["response_id"].str.fullmatch(r"NFC-R-\d{6}").all()
    # Stress goes with workload: "caseload too high" (q08) and "often stressed" (q11).
    assert answers["q08"].corr(answers["q11"]) > 0.2


@pytest.mark.parametrize("year", YEARS)
def test_comments_give_the_scrubber_work(sample_frames, year):
    frames = sample_frames[year]
    comments = frames["health_check_responses"]["comments"].dropna()
    hr = frames["hr_workforce"]
    full_names = set(hr["first_name"] + " " + hr["surname"])
    assert comments.apply(lambda c: any(name in c for name in full_names)).any()
    assert comments.str.contains(r"[\w.]+@[\w.]+", regex=True).any()
    assert comments.str.contains(r"07700 900\d{3}", regex=True).any()
    assert comments.str.contains("\n").any()  # one multi-line comment
    assert comments.str.len().gt(0).mean() > 0 and len(comments) < len(
        frames["health_check_responses"]) / 2  # mostly blank


def test_supervision_uses_uk_dates_and_other_files_iso():
    supervision = (RAW / "2025" / "supervision.csv").read_text(encoding="utf-8").splitlines()
    assert all(
        len(line.split(",")[1].split("/")) == 3 for line in supervision[1:]
    )
    assert any(line.split(",")[1].split("/")[0].__len__() == 1 for line in supervision[1:])
    learning = pd.read_csv(RAW / "2025" / "learning.csv", dtype=str)
    assert learning["completed_date"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
