"""staging.calendar: the bank holidays come from the `holidays` package, imported only when a
calendar is built and computed once per process; the calendar is the same day for day as one
built directly from `holidays`, for both nations."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest

from assets.staging import models

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("nation", ["ENG", "WLS"])
def test_calendar_is_the_same_day_for_day_as_one_built_from_holidays(nation):
    frame = models.calendar_frame(nation, 2021, 2026)
    bank = holidays.country_holidays("GB", subdiv=nation, years=range(2021, 2027))
    day, number = date(2021, 1, 1), 0
    expected = []
    while day <= date(2026, 12, 31):
        working = day.weekday() < 5 and day not in bank
        number += working
        expected.append((day, working, day in bank, number))
        day += timedelta(days=1)
    got = list(frame.itertuples(index=False, name=None))
    assert got == expected
    assert [str(t) for t in frame.dtypes] == ["object", "bool", "bool", "int64"]


def test_bank_holidays_are_computed_once_per_nation_and_years():
    first = models.bank_holidays("ENG", 2022, 2026)
    assert models.bank_holidays("ENG", 2022, 2026) is first
    assert models.bank_holidays("WLS", 2022, 2026) is not first


def test_importing_the_staging_models_does_not_import_holidays():
    code = ("import sys; import assets.staging.models, assets.staging.defs; "
            "print('holidays' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"
