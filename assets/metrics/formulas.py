"""The core workforce ratios as plain, vectorised functions (docs/design.md §4 "Workforce measures").

The SQL in `workforce.sql` computes the same ratios; `tests/metrics/test_metrics_formulas.py`
checks that every SQL row agrees with these functions, and the backtest recomputes the DfE
national rates from the benchmark file's own components with them. A zero denominator gives NaN
(the measure is then left out, docs/design.md §4 "Missing values").
"""

from __future__ import annotations

import numpy as np


def _ratio(num, den, scale: float = 1.0) -> np.ndarray:
    num, den = np.asarray(num, dtype="float64"), np.asarray(den, dtype="float64")
    safe = np.where(den != 0, den, np.nan)
    return scale * num / safe


def turnover_rate(leavers_fte, fte_in_post) -> np.ndarray:
    """DfE CSWW: 100 x FTE leavers in the year / FTE in post at the reference date."""
    return _ratio(leavers_fte, fte_in_post, 100.0)


def vacancy_rate(vacancies_fte, fte_in_post) -> np.ndarray:
    """DfE CSWW: 100 x FTE vacancies / (FTE vacancies + FTE social workers in post)."""
    vacancies_fte = np.asarray(vacancies_fte, dtype="float64")
    return _ratio(vacancies_fte, vacancies_fte + np.asarray(fte_in_post, dtype="float64"), 100.0)


def agency_rate(agency_fte, fte_in_post) -> np.ndarray:
    """DfE CSWW: 100 x FTE agency workers / (FTE agency workers + FTE social workers in post)."""
    agency_fte = np.asarray(agency_fte, dtype="float64")
    return _ratio(agency_fte, agency_fte + np.asarray(fte_in_post, dtype="float64"), 100.0)


def caseload(cases, case_holders_fte) -> np.ndarray:
    """DfE CSWW: cases held at the reference date / FTE (agency included) holding >= 1 case."""
    return _ratio(cases, case_holders_fte)


def absence_rate(working_days_lost, fte_in_post, working_year: float = 253.0) -> np.ndarray:
    """DfE CSWW: 100 x working days lost / (FTE in post x 253), DfE's fixed working year."""
    return _ratio(working_days_lost,
                  np.asarray(fte_in_post, dtype="float64") * working_year, 100.0)


def percent(numerator, denominator) -> np.ndarray:
    """100 x numerator / denominator: every other percentage measure."""
    return _ratio(numerator, denominator, 100.0)
