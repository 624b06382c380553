"""Wilson and Newcombe intervals against published worked examples."""

import numpy as np
import pytest

from assets.metrics.intervals import newcombe_diff, wilson


def test_wilson_newcombe_1998a_table_i():
    # Newcombe (1998a) Table I, method 3 (score): 81/263 -> 0.2553 to 0.3662;
    # 15/148 -> 0.0624 to 0.1605; 0/20 -> 0 to 0.1611; 1/29 -> 0.0061 to 0.1718.
    lower, upper = wilson([81, 15, 0, 1], [263, 148, 20, 29])
    assert np.round(lower, 4).tolist() == [0.2553, 0.0624, 0.0, 0.0061]
    assert np.round(upper, 4).tolist() == [0.3662, 0.1605, 0.1611, 0.1718]


def test_wilson_undefined_is_nan():
    # n = 0, x > n and missing inputs have no interval.
    lower, upper = wilson([0, 3, np.nan], [0, 2, 5])
    assert np.isnan(lower).all() and np.isnan(upper).all()


def test_newcombe_1998b_table_ii_example():
    # Newcombe (1998b) Table II, method 10: 56/70 - 48/80 = 0.2000, 95% CI 0.0524 to 0.3339.
    d, lower, upper = newcombe_diff(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert round(float(lower), 4) == 0.0524
    assert round(float(upper), 4) == 0.3339


def test_newcombe_vectorised_and_symmetric():
    # Swapping the groups negates the difference and mirrors the interval.
    d, lo, hi = newcombe_diff([56, 48], [70, 80], [48, 56], [80, 70])
    assert d[0] == pytest.approx(-d[1])
    assert lo[0] == pytest.approx(-hi[1]) and hi[0] == pytest.approx(-lo[1])


def test_poisson_rate_equals_the_chi_squared_quantiles_bit_for_bit():
    """poisson_rate uses scipy.special.gammaincinv (a light import); the textbook form is
    chi2.ppf(alpha/2, 2k)/2 and chi2.ppf(1-alpha/2, 2k+2)/2: the same floats, 0 to 5,000 events."""
    from scipy.stats import chi2

    from assets.metrics.intervals import Z95, _normal_cdf, poisson_rate

    events = np.arange(0, 5001, dtype=float)
    value = np.where(events > 0, events * 0.37, 0.0)
    lower, upper = poisson_rate(value, events, 12.5)
    alpha = 2 * (1 - _normal_cdf(Z95))
    k = np.where(events > 0, events, 1.0)
    per_event = np.where(events > 0, value / k, 12.5)
    expected_lower = per_event * np.where(events > 0, chi2.ppf(alpha / 2, 2 * k) / 2, 0.0)
    expected_upper = per_event * (chi2.ppf(1 - alpha / 2, 2 * events + 2) / 2)
    assert np.array_equal(lower, expected_lower)
    assert np.array_equal(upper, expected_upper)
