"""Fixtures for the synthetic-data tests: the committed sample, read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from synth_measures import read_year

REPO = Path(__file__).resolve().parents[2]
SAMPLE_RAW = REPO / "data" / "raw"


@pytest.fixture(scope="session")
def sample_frames() -> dict[int, dict]:
    """{year: {extract: DataFrame}} for the committed sample in data/raw."""
    return {int(folder.name): read_year(folder) for folder in sorted(SAMPLE_RAW.glob("[0-9]" * 4))}
