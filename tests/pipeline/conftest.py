"""A real `psw build` of the committed sample, once per test session, in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipeline_helpers import run_psw


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Path:
    """build/ of the sample authority: tables for 2023-2025 and the 2025 report in 3 formats."""
    tmp = tmp_path_factory.mktemp("sample_build")
    done = run_psw(["build", "--out", str(tmp / "build")], tmp)
    assert done.returncode == 0, done.stdout + done.stderr
    (tmp / "build.stderr").write_text(done.stderr, encoding="utf-8")  # for the hygiene tests
    return tmp
