"""`psw reference update FILE`: a good newer file is installed; a file with a missing column or
from an older release changes nothing and says why (exit 2)."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from psw_core.dfe_reference import DFE_DIR, INDICATORS_FILE, release_of
from psw_core.hashing import file_sha256

RUNNER = CliRunner()


@pytest.fixture
def installed(tmp_path):
    """A copy of the installed reference folder (the repository's is never touched)."""
    folder = tmp_path / "dfe"
    shutil.copytree(DFE_DIR, folder)
    return folder


def _published() -> pd.DataFrame:
    return pd.read_csv(DFE_DIR / INDICATORS_FILE, dtype=str, keep_default_na=False)


def _update(path, folder):
    return RUNNER.invoke(app, ["reference", "update", str(path), "--reference-dir", str(folder)])


def test_a_newer_release_is_checked_and_installed(installed, tmp_path):
    frame = _published()
    newer = pd.concat([frame, frame[frame["time_period"] == "2025"].assign(time_period="2026")])
    path = tmp_path / "csww_indicators_2017_to_2026.csv"
    newer.to_csv(path, index=False)
    done = _update(path, installed)
    assert done.exit_code == 0, done.output
    assert "reporting-year 2026 release" in done.output
    assert file_sha256(installed / INDICATORS_FILE) == file_sha256(path)
    assert release_of(installed / INDICATORS_FILE).latest_year == 2026


def test_a_file_missing_a_column_changes_nothing(installed, tmp_path):
    before = file_sha256(installed / INDICATORS_FILE)
    path = tmp_path / "broken.csv"
    _published().drop(columns="vacancy_rate_fte").to_csv(path, index=False)
    done = _update(path, installed)
    assert done.exit_code == 2
    assert "vacancy_rate_fte" in done.output and "broken.csv" in done.output
    assert file_sha256(installed / INDICATORS_FILE) == before
    assert not list(installed.glob(".*tmp*"))


def test_an_older_release_changes_nothing(installed, tmp_path):
    before = file_sha256(installed / INDICATORS_FILE)
    frame = _published()
    path = tmp_path / "csww_indicators_2017_to_2024.csv"
    frame[frame["time_period"] != "2025"].to_csv(path, index=False)
    done = _update(path, installed)
    assert done.exit_code == 2
    assert "older release" in done.output and "2024" in done.output and "2025" in done.output
    assert file_sha256(installed / INDICATORS_FILE) == before


def test_a_file_without_council_rows_changes_nothing(installed, tmp_path):
    before = file_sha256(installed / INDICATORS_FILE)
    frame = _published()
    path = tmp_path / "national_only.csv"
    frame[frame["geographic_level"] != "Local authority"].to_csv(path, index=False)
    done = _update(path, installed)
    assert done.exit_code == 2 and "Local authority" in done.output
    assert file_sha256(installed / INDICATORS_FILE) == before
