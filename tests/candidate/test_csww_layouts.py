"""Every CSWW census layout 2021-2025, built from code, read and validated clean."""

from __future__ import annotations

import pandas as pd
import pytest
from census_returns import LAYOUT_OF_YEAR, children_workforce, write_return

from assets.candidate.csww import LAYOUTS, read_csww
from assets.candidate.validate import format_text, validate_folder
from psw_core.config import AuthorityConfig
from psw_synth.census import census_xml

CONFIG = AuthorityConfig(name="Test Council", code="TST")


@pytest.mark.parametrize("year", [2021, 2022, 2023, 2024, 2025])
def test_each_layout_reads_to_the_same_workforce(tmp_path, year):
    path = write_return(tmp_path / str(year), year)
    results = read_csww(path, None, year)
    workforce, vacancies = results["hr_workforce"], results["hr_vacancies"]
    assert f"({LAYOUT_OF_YEAR[year]} census layout)" in workforce.notes[0]
    frame = workforce.frame
    # GenderCurrent (2/1) and Sex (F/M) land on the same codes.
    assert frame["gender"].tolist() == [2, 1, 2, 1]
    assert frame["fte"].tolist() == [1.0, 0.5, 0.8, 0.6]  # W3's FTE30, as a leaver
    assert frame["service"].unique().tolist() == ["children"]
    if year < 2025:
        assert frame["asye"].tolist() == [1, 0, 0, 0]
    else:  # CFKSSstatus is gone from 2025: blank, not 0
        assert frame["asye"].isna().all()
        assert "asye" not in workforce.column_letters
    assert vacancies.frame[["vacancies_fte", "agency_cover_fte",
                            "agency_cover_headcount"]].iloc[0].tolist() == [2.5, 1.5, 2]
    assert workforce.problems == [] and vacancies.problems == []


@pytest.mark.parametrize("year", [2021, 2022, 2024, 2025])
def test_a_clean_return_validates_with_exit_0(tmp_path, year):
    write_return(tmp_path / str(year), year)
    report = validate_folder(tmp_path / str(year), CONFIG)
    text = format_text(report)
    assert report.exit_code == 0, text
    assert report.errors == []
    # no rule about an element the layout lacks fires (QualInst, CFKSSstatus, GenderCurrent)
    census_rules = [p for p in report.problems if p.rule.startswith("CSWW")]
    assert census_rules == [], text
    assert f"social_work_workforce_{year}.xml (4 workers)" in text


def test_a_repeated_cfkss_status_keeps_every_value(tmp_path):
    workers = children_workforce(2024)
    workers["CFKSSstatus"] = pd.Series([["4", "1"], ["2"], ["3", "4"], pd.NA], dtype=object)
    workers = workers.drop(columns="asye")
    path = write_return(tmp_path, 2024, workers)
    assert path.read_text().count("<CFKSSstatus>") == 5
    asye = read_csww(path, None, 2024)["hr_workforce"].frame["asye"]
    # ASYE in any value counts (W1 lists it second); no status at all stays blank
    assert asye.tolist()[:3] == [1, 0, 0] and pd.isna(asye.iloc[3])


def test_sex_values_outside_the_code_list_are_named(tmp_path):
    workers = children_workforce(2025)
    workers["gender"] = pd.array([2, 1, 2, 1], dtype="Int64")
    path = write_return(tmp_path, 2025, workers)
    path.write_text(path.read_text().replace("<Sex>M</Sex>", "<Sex>X</Sex>", 1))
    problems = read_csww(path, None, 2025)["hr_workforce"].problems
    bad = [p for p in problems if p.column == "gender"]
    assert [(p.row, p.column_letter, p.value) for p in bad] == [(2, "Sex", "X")]


def test_2025_pay_items_are_read_but_never_kept(tmp_path):
    workers = children_workforce(2025)
    workers["BaseSalary"] = ["41000.00", "", "39000.50", "37000.00"]
    path = write_return(tmp_path, 2025, workers)
    result = read_csww(path, None, 2025)["hr_workforce"]
    assert "BaseSalary" in path.read_text()
    assert not any("salary" in c.lower() for c in result.frame.columns)
    assert "pay items are read but never stored or published" in result.notes[0]
    assert result.problems == []


def test_elements_of_another_layout_warn_once_per_file(tmp_path):
    workers = children_workforce(2025)
    workers["CFKSSstatus"] = "1"  # a 2024 element in a 2025 return
    xml = census_xml(workers, {"vacancies_fte": 1, "agency_cover_fte": 0,
                               "agency_cover_headcount": 0}, 2025, "2025")
    xml = xml.replace(b"<FrontlineGrad>0</FrontlineGrad>",
                      b"<FrontlineGrad>0</FrontlineGrad><CFKSSstatus>1</CFKSSstatus>")
    path = tmp_path / "return.xml"
    path.write_bytes(xml)
    result = read_csww(path, None, 2025)["hr_workforce"]
    foreign = [p for p in result.problems if p.rule == "CSWW-007"]
    assert [(p.severity, p.column_letter) for p in foreign] == [("warning", "CFKSSstatus")]
    assert result.frame["asye"].isna().all()  # not read in the 2025 layout


def test_layout_comes_from_elements_not_the_year(tmp_path):
    # A 2025 collection exported in the 2024 layout is read as 2024 (Sex, LALevelVacancies).
    path = write_return(tmp_path, 2025, layout="2024")
    result = read_csww(path, None, 2025)
    assert "(2024 census layout)" in result["hr_workforce"].notes[0]
    assert result["hr_workforce"].frame["asye"].tolist() == [1, 0, 0, 0]
    assert set(LAYOUTS) == {"2021-2023", "2024", "2025"}


# ----------------------------------------------------------------- the census found by content


def test_two_census_returns_for_one_year_are_an_error_naming_both(tmp_path):
    write_return(tmp_path, 2024, name="social_work_workforce_2024.xml")
    write_return(tmp_path, 2024, name="CSWW return final v2.xml")
    report = validate_folder(tmp_path, CONFIG, year=2024)
    assert report.exit_code == 2
    problem = report.errors[0]
    assert problem.rule == "INGEST-DUPLICATE-EXTRACT"
    assert "CSWW return final v2.xml" in problem.why
    assert "social_work_workforce_2024.xml" in problem.why


def test_an_xml_file_that_is_not_a_census_is_reported(tmp_path):
    write_return(tmp_path, 2024, name="return.xml")
    (tmp_path / "payroll.xml").write_text("<Payroll><Row>1</Row></Payroll>", encoding="utf-8")
    report = validate_folder(tmp_path, CONFIG, year=2024)
    other = [p for p in report.problems if p.rule == "INGEST-UNKNOWN-FILE"]
    assert [(p.file, p.severity) for p in other] == [("payroll.xml", "warning")]
    assert "not a CSWW census return" in other[0].why
    assert "payroll.xml" in format_text(report)
    assert report.files["csww:hr_workforce"] == "return.xml"


# -------------------------------------------------------------- validation messages you can trust


def test_messages_group_by_what_they_say_and_a_fault_is_reported_once(tmp_path):
    workers = children_workforce(2022)
    # W3 (a leaver) loses ReasonLeave and LeaverDestination; W4 (a starter) loses StartOrigin.
    workers.loc[2, ["reason_leave", "leaver_destination"]] = pd.NA
    workers.loc[3, "start_origin"] = pd.NA
    write_return(tmp_path / "2022", 2022, workers)
    report = validate_folder(tmp_path / "2022", CONFIG)
    text = format_text(report)
    assert report.exit_code == 1, text
    # each CSWW-001 heading names the element of every worker listed under it
    for element in ("ReasonLeave", "LeaverDestination"):
        heading = f"ERROR CSWW-001: The worker has a RoleEndDate but no {element}"
        block = text.split(heading, 1)[1].split("\n\n", 1)[0]
        assert f"CSWWWorker 3 (in file order), element {element}" in block, text
    # the HR suite's rules on the same cells (HR-006/007/008) are not said a second time
    assert not {"HR-006", "HR-007", "HR-008"} & {p.rule for p in report.problems}, text
    assert "CSWWWorker 4 (in file order), element StartOrigin (column start_origin): blank" in text
    # three faults, three errors in the summary; 4 workers, not 5 rows with the vacancy block
    assert "0 warnings" in text and ": 3 errors," in text, text
    assert report.rows == {"social_work_workforce_2022.xml": 4}
    assert "(4 workers): 3 error(s)" in text
