"""authority.yml `column_names`: an HR system's own headers read without hand-editing the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assets.candidate.validate import format_text, validate_folder
from psw_core.config import AuthorityConfig, load_config
from psw_core.problems import UnusableInput

ROOT = Path(__file__).resolve().parents[2]
EXPORT = ("Staff Number,Service Area,Team,FTE,Agency?,Start Date,End Date,Start Origin\n"
          "E101,children,North,1,0,2020-01-06,,\n"
          "E102,adults,South,0.5,0,2024-11-04,,3\n")
NAMES = {"hr_workforce": {"Staff Number": "worker_id", "Service Area": "service",
                          "Agency?": "agency_worker", "Start Date": "role_start_date",
                          "End Date": "role_end_date"}}


def _config(column_names: dict) -> AuthorityConfig:
    return AuthorityConfig(name="Test Council", code="TST", column_names=column_names,
                           source_path="authority.yml")


def test_an_export_with_its_own_headers_reads_through_the_map(tmp_path):
    (tmp_path / "hr_workforce.csv").write_text(EXPORT, encoding="utf-8")
    report = validate_folder(tmp_path, _config(NAMES), year=2025)
    assert report.exit_code == 0, format_text(report)
    frame = report.frames["hr_workforce"]
    assert frame["worker_id"].tolist() == ["E101", "E102"]
    assert frame["role_start_date"].dt.strftime("%Y-%m-%d").tolist() == ["2020-01-06",
                                                                          "2024-11-04"]
    # without the map the same file lacks its required columns
    bare = validate_folder(tmp_path, _config({}), year=2025)
    assert {p.column for p in bare.errors if p.rule == "PARSE-MISSING-COLUMN"} >= {
        "worker_id", "service", "agency_worker", "role_start_date", "role_end_date"}


@pytest.mark.parametrize(("names", "setting"), [
    ({"hr_workforce": {"FTE": "fte_hours"}}, "column_names.hr_workforce.FTE"),
    ({"hr_workfroce": {"FTE": "fte"}}, "column_names.hr_workfroce"),
])
def test_an_unknown_name_is_an_error_naming_the_setting(tmp_path, names, setting):
    (tmp_path / "hr_workforce.csv").write_text(EXPORT, encoding="utf-8")
    report = validate_folder(tmp_path, _config(names), year=2025)
    assert report.exit_code == 2
    assert report.errors[0].rule == "CONFIG-004"
    assert f"Setting '{setting}'" in report.errors[0].why


def test_the_schema_refuses_a_map_that_is_not_header_to_column(tmp_path):
    path = tmp_path / "authority.yml"
    settings = yaml.safe_load((ROOT / "data" / "authority.yml").read_text(encoding="utf-8"))
    settings["column_names"] = {"hr_workforce": {"Staff Number": 7}}
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.raises(UnusableInput) as err:
        load_config(path)
    assert "column_names.hr_workforce.Staff Number" in err.value.problem.why
    settings["column_names"] = NAMES
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    assert load_config(path).column_names == NAMES
