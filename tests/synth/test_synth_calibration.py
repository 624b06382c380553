"""The sample's headline measures, computed independently per docs/design.md §4, land where the
generator is calibrated (docs/synthetic-data.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from synth_measures import headline

REPO = Path(__file__).resolve().parents[2]
BENCHMARKS = REPO / "data" / "reference" / "national_benchmarks.csv"
VINTAGE = "DfE Children's social work workforce, reporting-year 2025 release"
YEARS = (2023, 2024, 2025)  # the years calibrated against DfE; 2022 is the census year
TURNOVER_TOLERANCE = 3.0  # percentage points


def national_turnover(year: int) -> float:
    frame = pd.read_csv(BENCHMARKS, dtype=str)
    row = frame[frame["source"].str.startswith(VINTAGE)
                & frame["measure"].eq("turnover_rate_fte")
                & frame["reporting_year"].eq(str(year))]
    assert len(row) == 1
    return float(row["value"].iloc[0])


@pytest.fixture(scope="module")
def measures(sample_frames):
    return {year: headline(sample_frames[year], year) for year in YEARS}


@pytest.mark.parametrize("year", YEARS)
def test_childrens_turnover_is_near_the_national_rate(measures, year):
    # 15.9 (2023), 13.9 (2024), 11.8 (2025) in the 2025 release.
    local = measures[year]["children"]["turnover_rate_fte"]
    assert abs(local - national_turnover(year)) <= TURNOVER_TOLERANCE


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(
    ("service", "measure", "low", "high"),
    [
        ("adults", "turnover_rate_fte", 11, 17),
        ("children", "vacancy_rate_fte", 11, 22),
        ("adults", "vacancy_rate_fte", 7, 15),
        ("children", "agency_rate_fte", 10, 21),
        ("adults", "agency_rate_fte", 6, 15),
        ("children", "caseload_fte", 14, 18),
        ("adults", "caseload_fte", 14, 18),
        ("children", "absence_rate", 2, 5),
        ("adults", "absence_rate", 1.5, 5),
        ("children", "supervision_compliance", 85, 95),
        ("adults", "supervision_compliance", 85, 95),
        ("children", "response_rate", 30, 50),
        ("adults", "response_rate", 30, 50),
    ],
)
def test_headline_measures_in_calibrated_ranges(measures, year, service, measure, low, high):
    assert low <= measures[year][service][measure] <= high


def test_workforce_size_is_a_mid_sized_authority(sample_frames):
    hr = sample_frames[2025]["hr_workforce"]
    spells = hr.groupby("service").size()
    assert 180 <= spells["children"] <= 280 and 90 <= spells["adults"] <= 150
    cases = sample_frames[2025]["caseload"]
    open_at_r = cases["deallocated_date"].isna().sum()
    assert 2000 <= open_at_r <= 5000


def test_asye_caseloads_are_protected(sample_frames):
    frames = sample_frames[2025]
    hr, cases = frames["hr_workforce"], frames["caseload"]
    asye = hr[(hr["asye"] == 1) & hr["role_end_date"].isna()]["worker_id"]
    held = cases[cases["deallocated_date"].isna()].groupby("worker_id").size()
    asye_held = held.reindex(asye).fillna(0)
    others = held.drop(asye, errors="ignore")
    assert len(asye_held) >= 5
    assert (asye_held <= 10).mean() >= 0.8 and asye_held.mean() < others.mean()
