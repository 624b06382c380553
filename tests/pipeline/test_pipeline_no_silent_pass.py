"""No silent passes: an empty or unrecognised folder, a partial drop, a build without HR."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from pipeline_helpers import ROOT, run_psw

from pipelines.build import check_measured
from psw_core.problems import RulesBroken


def test_an_empty_year_folder_fails_validation_naming_what_is_missing(tmp_path):
    (tmp_path / "2025").mkdir()
    done = run_psw(["validate", str(tmp_path / "2025")], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "VALIDATE-NO-EXTRACT" in done.stdout and "hr_workforce" in done.stdout
    assert "Validation passed" not in done.stdout


def test_files_under_unknown_names_fail_and_each_is_named(tmp_path):
    folder = tmp_path / "2025"
    folder.mkdir()
    (folder / "HR export Sept.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "notes.xml").write_text("<Notes/>", encoding="utf-8")
    done = run_psw(["validate", str(folder)], tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "HR export Sept.csv" in done.stdout and "notes.xml" in done.stdout
    assert "not a CSWW census return" in done.stdout


def test_a_partial_drop_validates_with_a_warning_naming_what_build_needs(tmp_path):
    folder = tmp_path / "2025"
    folder.mkdir()
    for name in ("health_check_items.csv", "health_check_responses.csv",
                 "health_check_invited.csv"):
        shutil.copy(ROOT / "data/raw/2025" / name, folder / name)
    done = run_psw(["validate", str(folder)], tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "WARNING VALIDATE-BUILD-NEEDS" in done.stdout
    assert "hr_workforce.csv or .xlsx, or the CSWW census return" in done.stdout


def test_build_exits_2_when_the_hr_source_is_missing(tmp_path):
    raw = tmp_path / "raw" / "2025"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "data/raw/2025/learning.csv", raw / "learning.csv")
    done = run_psw(["build", "--raw", str(raw.parent), "--out", str(tmp_path / "b")], tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "BUILD-003" in done.stderr and "census return" in done.stderr
    assert not (tmp_path / "b").exists()


def test_a_build_that_measured_nothing_is_an_error(tmp_path):
    internal = tmp_path / "internal"
    internal.mkdir()
    pd.DataFrame({"measure": ["turnover_rate"], "service": ["children"], "value": [None]}).to_csv(
        internal / "headline_measures.csv", index=False)
    with pytest.raises(RulesBroken, match="computed no measures"):
        check_measured(tmp_path, 2025)
    pd.DataFrame({"measure": ["turnover_rate"], "service": ["children"], "value": [12.5]}).to_csv(
        internal / "headline_measures.csv", index=False)
    check_measured(tmp_path, 2025)  # a value: no error
