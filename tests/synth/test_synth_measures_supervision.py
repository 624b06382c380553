"""The calibration check's own supervision count (tests/synth/synth_measures.py) follows the ASYE
framework's schedule: hand-computed worker-months, boundaries included."""

from __future__ import annotations

import pandas as pd
import pytest
from synth_measures import asye_intervals, supervision_compliance

P0, R = pd.Timestamp("2024-10-01"), pd.Timestamp("2025-09-30")


def _spell(worker, start, asye):
    return dict(worker_id=worker, role_start_date=pd.Timestamp(start), role_end_date=pd.NaT,
                asye=asye)


def test_asye_intervals_weekly_then_fortnightly_then_monthly():
    # Started Monday 7 October 2024: weekly to 18 November (6 weeks), fortnightly while the
    # next start is before 7 April 2025 (6 months), then monthly from 7 April.
    intervals = asye_intervals(pd.Series([pd.Timestamp("2024-10-07")]), R)
    starts = intervals["interval_start"].dt.strftime("%m-%d").tolist()
    assert starts[:7] == ["10-07", "10-14", "10-21", "10-28", "11-04", "11-11", "11-18"]
    assert starts[16:] == ["04-07", "05-07", "06-07", "07-07", "08-07"]
    # 7 September to 7 October is still open at R: not judged.
    assert intervals["interval_end"].max() == pd.Timestamp("2025-09-07")


def test_an_asye_month_complies_when_every_overlapping_interval_holds_a_session():
    spells = pd.DataFrame([_spell("A", "2024-10-07", 1)])
    weekly = pd.date_range("2024-10-07", "2024-11-17", freq="7D")  # weeks 1-6
    fortnightly = pd.date_range("2024-11-18", "2025-04-06", freq="14D")
    monthly = pd.to_datetime([f"2025-{m:02d}-10" for m in range(4, 10)])
    every = pd.DataFrame({"worker_id": "A", "session_date": weekly.append(fortnightly)
                          .append(monthly)})
    # Eligible months: November 2024 to September 2025 (not October: started on the 7th),
    # 11 months, all compliant.
    assert supervision_compliance(spells, every, P0, R) == 100
    # Week 5 (4-10 November) without a session: November fails, nothing else.
    missing = every[every["session_date"] != pd.Timestamp("2024-11-04")]
    assert supervision_compliance(spells, missing, P0, R) == pytest.approx(100 * 10 / 11)
    # Month 7 (7 April to 7 May) without a session: April and May fail (both overlap it).
    missing = every[every["session_date"] != pd.Timestamp("2025-04-10")]
    assert supervision_compliance(spells, missing, P0, R) == pytest.approx(100 * 9 / 11)


def test_a_worker_not_in_the_asye_needs_one_session_a_month():
    spells = pd.DataFrame([_spell("B", "2020-01-01", 0)])
    sessions = pd.DataFrame({"worker_id": "B", "session_date": pd.date_range(
        "2024-10-01", "2025-09-01", freq="MS") + pd.Timedelta(days=14)})
    assert supervision_compliance(spells, sessions, P0, R) == 100
    assert supervision_compliance(spells, sessions.iloc[1:], P0, R) == pytest.approx(100 * 11 / 12)
