"""CSWW census XML: the public sample, census rules, and hostile XML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assets.candidate.csww import read_csww
from assets.candidate.load import read_extract, read_year
from psw_core.problems import UnusableInput

SAMPLE = Path(__file__).parents[1] / "fixtures" / "csww" / "social_work_workforce_2022.xml"

WORKER = """<CSWWWorker><AgencyWorker>0</AgencyWorker><SWENo>{swe}</SWENo><FTE>{fte}</FTE>
<OrgRole>5</OrgRole><RoleStartDate>2015-01-01</RoleStartDate>{extra}</CSWWWorker>"""


def _census(tmp_path: Path, workers: str, year: int = 2025) -> Path:
    path = tmp_path / "csww.xml"
    path.write_text(
        f"<Message><Header><CollectionDetails><Collection>CSWW</Collection><Year>{year}</Year>"
        f"</CollectionDetails></Header><LALevelVacancies><NumberOfVacancies>4.5"
        "</NumberOfVacancies><NoAgencyFTE>2.25</NoAgencyFTE><NoAgencyHeadcount>3"
        f"</NoAgencyHeadcount></LALevelVacancies>{workers}</Message>", encoding="utf-8")
    return path


def test_the_public_sample_reads_and_its_broken_rules_are_clear_problems():
    results = read_csww(SAMPLE, None)
    workforce, vacancies = results["hr_workforce"], results["hr_vacancies"]
    assert workforce.year == 2022 and workforce.rows == 30
    assert set(workforce.frame["service"]) == {"children"}
    assert workforce.frame["_row"].tolist() == list(range(1, 31))
    # worker 1: in post, FTE 0.521371; worker 2: a leaver dated 2019-09-23 with FTE30 0.603665
    assert workforce.frame["worker_id"].iloc[0] == "Oz2054309383"
    assert workforce.frame["fte"].iloc[0] == pytest.approx(0.521371)
    assert workforce.frame["fte"].iloc[1] == pytest.approx(0.603665)
    outside = [p for p in workforce.problems if p.rule == "CSWW-002"]
    assert outside and all(p.severity == "error" for p in outside)
    first = outside[0]
    assert (first.row, first.column, first.column_letter, first.value) == (
        2, "role_end_date", "RoleEndDate", "2019-09-23")
    missing_start = [p.row for p in workforce.problems
                     if p.rule == "CSWW-001" and p.column_letter == "RoleStartDate"]
    assert 2 in missing_start  # the sample's second worker has no RoleStartDate
    assert vacancies.frame[["vacancies_fte", "agency_cover_fte",
                            "agency_cover_headcount"]].iloc[0].tolist() == [79.68, 59.82, 71]
    assert vacancies.problems == []


def test_leaver_fields_and_year_rules(tmp_path):
    workers = (WORKER.format(swe="AB1234567890", fte="0.8", extra="")
               + WORKER.format(swe="AB1234567891", fte="0",
                               extra="<RoleEndDate>2025-03-31</RoleEndDate><FTE30>0.5</FTE30>")
               + WORKER.format(swe="AB1234567892", fte="0",
                               extra="<RoleEndDate>2025-10-01</RoleEndDate><FTE30>1</FTE30>"
                                     "<ReasonLeave>1</ReasonLeave>"
                                     "<LeaverDestination>8</LeaverDestination>"))
    path = _census(tmp_path, workers)
    result = read_extract(path, "hr_workforce", None, reporting_year=2025)
    assert result.frame["fte"].tolist() == [0.8, 0.5, 1.0]
    errors = {(p.rule, p.row, p.column_letter) for p in result.problems
              if p.severity == "error"}
    assert ("CSWW-001", 2, "ReasonLeave") in errors
    assert ("CSWW-001", 2, "LeaverDestination") in errors
    assert ("CSWW-002", 3, "RoleEndDate") in errors  # 1 Oct 2025 is after the year
    assert not any(p.row == 1 and p.severity == "error" for p in result.problems)
    wrong_year = read_extract(path, "hr_workforce", None, reporting_year=2024)
    assert any(p.rule == "CSWW-004" for p in wrong_year.problems)


def test_an_adults_only_hr_file_combines_with_csww(tmp_path):
    _census(tmp_path, WORKER.format(swe="AB1234567890", fte="1", extra=""))
    (tmp_path / "hr_workforce.csv").write_text(
        "worker_id,service,fte,agency_worker,role_start_date,role_end_date\n"
        "A1,adults,1,0,2020-01-01,\nA2,children,1,0,2020-01-01,\n", encoding="utf-8")
    results = read_year(tmp_path, 2025, None)
    assert set(results) == {"csww:hr_workforce", "csww:hr_vacancies", "hr_workforce"}
    twice = [p for p in results["hr_workforce"].problems if p.rule == "INGEST-CHILDREN-TWICE"]
    assert [(p.row, p.severity) for p in twice] == [(3, "error")]


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Message><Header><CollectionDetails><Year>&lol3;</Year></CollectionDetails></Header></Message>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Year>&xxe;</Year></CollectionDetails></Header></Message>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, EXTERNAL])
def test_entity_payloads_are_refused(tmp_path, payload):
    path = tmp_path / "csww.xml"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(UnusableInput) as err:
        read_csww(path, None)
    assert err.value.problem.rule == "CSWW-XML-UNSAFE"
    assert "root:" not in str(err.value)


@pytest.mark.parametrize("payload", ["<Message><Header>", "not xml at all", "<Other/>"])
def test_malformed_xml_is_unusable(tmp_path, payload):
    path = tmp_path / "csww.xml"
    path.write_text(payload, encoding="utf-8")
    with pytest.raises(UnusableInput):
        read_csww(path, None)


def test_sample_copy_beside_hr_folder_reads(tmp_path):
    shutil.copy(SAMPLE, tmp_path / "CSWW.xml")
    results = read_year(tmp_path, None, None)
    assert results["csww:hr_workforce"].rows == 30
