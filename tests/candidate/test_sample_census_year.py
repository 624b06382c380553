"""The committed sample's census year (data/raw/2022, issue #12 item 10): the children's
workforce is a CSWW census return under a council's kind of name, found by its content, and the
year validates clean, so every `make report` runs the census path."""

from __future__ import annotations

from pathlib import Path

from assets.candidate.readers import find_extracts
from assets.candidate.validate import format_text, validate_folder
from psw_core.config import load_config

REPO = Path(__file__).resolve().parents[2]
YEAR_DIR = REPO / "data" / "raw" / "2022"
CENSUS = "social_work_workforce_2022.xml"


def test_the_sample_census_year_validates_clean_with_the_census_found_by_content():
    assert not (YEAR_DIR / "csww.xml").exists()  # not the old fixed name
    assert find_extracts(YEAR_DIR)["csww"].name == CENSUS
    report = validate_folder(YEAR_DIR, load_config(REPO / "data" / "authority.yml"))
    assert report.exit_code == 0, format_text(report)
    assert [p for p in report.problems if p.severity == "error"] == []
    assert not [p for p in report.problems if p.rule.startswith(("CSWW", "XEX", "INGEST",
                                                                 "VALIDATE"))]
    workers = (YEAR_DIR / CENSUS).read_text(encoding="utf-8").count("<CSWWWorker>")
    assert report.rows[CENSUS] == workers > 100
    # the adults' HR beside it and the health check as the LGA's aggregate report
    assert report.rows["hr_workforce.csv"] > 0 and report.rows["health_check_aggregate.csv"] > 0
    assert "health_check_responses.csv" not in report.rows
