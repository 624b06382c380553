"""Confidence intervals for proportions of counts (DESIGN §4 "Intervals", "Year-on-year").

Plain numpy functions: they take scalars or arrays and return arrays of the same shape.
Where an interval is undefined (n = 0, x < 0 or x > n, or a missing input) the result is NaN.

- `wilson`: Wilson score interval (Wilson 1927; Newcombe 1998a method 3).
- `newcombe_diff`: interval for p1 - p2 from two independent proportions, Newcombe's hybrid
  score method (Newcombe 1998b, "Interval estimation for the difference between independent
  proportions", Statistics in Medicine 17:873-890, method 10).
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
