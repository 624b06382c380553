"""Confidence intervals for proportions of counts (docs/design.md §4 "Intervals", "Year-on-year").

Plain numpy functions: they take scalars or arrays and return arrays of the same shape.
Where an interval is undefined (n = 0, x < 0 or x > n, or a missing input) the result is NaN.

- `wilson`: Wilson score interval (Wilson 1927; Newcombe 1998a method 3).
- `newcombe_diff`: interval for p1 - p2 from two independent proportions, Newcombe's hybrid
  score method (Newcombe 1998b, "Interval estimation for the difference between independent
  proportions", Statistics in Medicine 17:873-890, method 10).
- `poisson_rate`: exact (Garwood 1936) interval for a rate of k events over an exposure,
  scaled to the published rate (turnover: leavers over FTE or headcount in post).
- `mover_diff`: interval for a difference of two independent estimates from each one's own
  interval, the "method of variance estimates recovery" (Zou & Donner 2008, Statistics in
  Medicine 27:1693-1702). With Wilson limits it is exactly Newcombe's method 10; it carries
  the Poisson and respondent-clustered intervals to year-on-year changes the same way.
"""

from __future__ import annotations

import numpy as np

Z95 = 1.959964


def _as_float(a) -> np.ndarray:
    return np.asarray(a, dtype="float64")


def wilson(x, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for x successes out of n, as proportions in [0, 1].

    Returns (lower, upper); NaN where n <= 0 or x is outside [0, n].
    """
    x, n = _as_float(x), _as_float(n)
    valid = (n > 0) & (x >= 0) & (x <= n)
    n_safe = np.where(valid, n, 1.0)
    p = np.where(valid, x, 0.0) / n_safe
    z2 = z * z
    centre = (p + z2 / (2 * n_safe)) / (1 + z2 / n_safe)
    half = (z / (1 + z2 / n_safe)) * np.sqrt(p * (1 - p) / n_safe + z2 / (4 * n_safe**2))
    lower = np.where(valid, np.clip(centre - half, 0.0, 1.0), np.nan)
    upper = np.where(valid, np.clip(centre + half, 0.0, 1.0), np.nan)
    return lower, upper


def newcombe_diff(x1, n1, x2, n2, z: float = Z95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference d = x1/n1 - x2/n2 with Newcombe's hybrid score 95% interval (method 10).

    Returns (difference, lower, upper) as proportions; NaN where either proportion is undefined.
    Worked example (Newcombe 1998b, Table II): 56/70 vs 48/80 gives d = 0.2000,
    interval 0.0524 to 0.3339.
    """
    x1, n1, x2, n2 = map(_as_float, (x1, n1, x2, n2))
    l1, u1 = wilson(x1, n1, z)
    l2, u2 = wilson(x2, n2, z)
    ok = ~(np.isnan(l1) | np.isnan(l2))
    p1 = np.where(ok, x1 / np.where(n1 > 0, n1, 1.0), np.nan)
    p2 = np.where(ok, x2 / np.where(n2 > 0, n2, 1.0), np.nan)
    d = p1 - p2
    delta = np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    epsilon = np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, d - delta, d + epsilon


def poisson_rate(value, events, scale_if_none, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Exact Poisson interval for a published rate resting on `events` (an integer count).

    The rate is `value` = scale x amount / exposure, with the amount carried by `events`
    events (leavers); the interval is value x [k_lower / k, k_upper / k]. With no events the
    value is 0 and the upper limit is k_upper(0) x `scale_if_none` (the rate one event would
    give). NaN where `events` is missing or negative."""
    # The chi-squared quantiles, chi2.ppf(q, 2k) / 2, are the inverse regularised gamma function
    # gammaincinv(k, q) (scipy.stats computes them so, bit for bit); scipy.special imports in
    # 0.2 s where scipy.stats takes 1.4 s, in every build and UI run.
    from scipy.special import gammaincinv

    value, events = _as_float(value), _as_float(events)
    scale_if_none = _as_float(scale_if_none)
    alpha = 2 * (1 - _normal_cdf(z))
    valid = (events >= 0) & ~np.isnan(value)
    k = np.where(valid, events, 1.0)
    k_lower = np.where(k > 0, gammaincinv(np.where(k > 0, k, 1.0), alpha / 2), 0.0)
    k_upper = gammaincinv(k + 1, 1 - alpha / 2)
    per_event = np.where(k > 0, value / np.where(k > 0, k, 1.0), scale_if_none)
    lower = np.where(valid, per_event * k_lower, np.nan)
    upper = np.where(valid, per_event * k_upper, np.nan)
    return lower, upper


def _normal_cdf(z: float) -> float:
    from math import erf, sqrt

    return 0.5 * (1 + erf(z / sqrt(2)))


def mover_diff(value1, lower1, upper1, value2, lower2, upper2):
    """Difference d = value1 - value2 with the MOVER 95% interval from each one's interval.

    Returns (difference, lower, upper); NaN where either interval is missing."""
    v1, l1, u1, v2, l2, u2 = map(_as_float, (value1, lower1, upper1, value2, lower2, upper2))
    d = v1 - v2
    lower = d - np.sqrt((v1 - l1) ** 2 + (u2 - v2) ** 2)
    upper = d + np.sqrt((u1 - v1) ** 2 + (v2 - l2) ** 2)
    return d, lower, upper
