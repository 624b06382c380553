"""A new year's data arrives before its narrative: the report builds with marked placeholders,
and `psw narrative start YEAR` begins the narrative from the previous year's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from report_snapshot import YEAR

from assets.report.support.narrative import (
    DRAFT,
    MISSING,
    SCHEMAS,
    NarrativeError,
    load_narrative,
    load_yaml,
    narrative_warnings,
    start_narrative,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "report" / "narrative"


def test_a_year_without_a_narrative_folder_gets_marked_placeholders(tmp_path):
    story = load_narrative(tmp_path / "2026")
    assert story.placeholder
    assert all(MISSING in text and "psw narrative start 2026" in text
               for text in story.prose.values())
    for name, data in story.data.items():  # the placeholders satisfy the authors' schemas
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        assert load_yaml(path, SCHEMAS[name]) == data
    assert narrative_warnings(tmp_path / "2026")[0].startswith(
        "report/narrative/2026/ does not exist")


def test_the_report_renders_without_a_narrative(snapshot_path, tmp_path):
    from quarto_lite import render_report

    result = render_report(
        project_dir=ROOT / "report", main_qmd="psw_annual_report.qmd", out_dir=tmp_path,
        output_stem="psw-annual-report", formats=["html"],
        params={"reporting_year": YEAR, "snapshot": str(snapshot_path),
                "narrative_dir": str(tmp_path / "narrative" / str(YEAR)),
                "authority": "Northfield City Council"},
        renderer="builtin", metadata={"authority": "Northfield City Council",
                                      "reporting-year": str(YEAR), "date": "1 December 2025"})
    html = Path(result.outputs["html"]).read_text(encoding="utf-8")
    assert html.count(MISSING) >= 4  # every prose part, and the priorities
    assert "psw narrative start 2025" in html


def test_start_resets_statuses_and_keeps_the_prose_as_a_draft(tmp_path):
    root = tmp_path / "narrative"
    shutil.copytree(SAMPLE / "2025", root / "2025")
    before = load_narrative(root / "2025")
    target = start_narrative(root, 2026)
    after = load_narrative(target)  # every file loads against its schema
    next_2025 = [p["priority"] for p in before.priorities["next_year"]]
    assert [p["priority"] for p in after.priorities["last_year"]] == next_2025
    assert {p["status"] for p in after.priorities["last_year"]} == {"in progress"}
    assert all(p["priority"].startswith(DRAFT) for p in after.priorities["next_year"])
    assert {a["status"] for a in after.actions} == {"planned"}
    assert after.inspection == before.inspection
    assert not (target / "reviewed_comments.yml").exists()  # one survey's comments only
    for name, text in after.prose.items():
        assert text.startswith(f"**{DRAFT}, carried over from 2025")
        assert before.prose[name] in text
    assert any("drafts carried over" in w for w in narrative_warnings(target))
    assert narrative_warnings(SAMPLE / "2025") == []
    with pytest.raises(NarrativeError, match="already exists"):
        start_narrative(root, 2026)
    with pytest.raises(NarrativeError, match="no earlier year"):
        start_narrative(root, 2019)
