"""Health check measures from item counts (`staging.survey_item_counts`): the same figures
from respondent rows and from the LGA's aggregate report, which is what councils receive.

Scores by standard and favourable shares by theme depend only on how many gave each answer to each
item, so they are the same from either source. Respondents per service are the most who saw any
item (answered + blank). Hours over contract needs respondent rows: it is not computed here.

Intervals for aggregate years use a design-effect correction (Kish 1965): answers are clustered
within respondents, so an agree share over `a` answers from `R` respondents carries
deff = 1 + (m − 1)ρ with m = a / R answers per respondent. Without respondent rows ρ cannot be
estimated, so the cautious ρ = 1 is used (deff = m, at least 1): the Wilson interval is taken
on the effective counts x / deff of n / deff. Respondent-row years keep deff = 1, as the
measures in assets/metrics do, so the two sources give the same interval when m = 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

Z95 = 1.959964  # as assets/metrics/intervals.py
ANSWERS = [f"answer_{v}" for v in range(1, 6)]


def wilson(x, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval in [0, 1] (the formula of assets/metrics/intervals.wilson, which
    staging cannot import; a test checks they agree); NaN where n <= 0."""
    x, n = np.asarray(x, dtype=float), np.asarray(n, dtype=float)
    valid = n > 0
    n_safe = np.where(valid, n, 1.0)
    p = np.clip(np.where(valid, x, 0.0) / n_safe, 0.0, 1.0)
    z2 = z * z
    centre = (p + z2 / (2 * n_safe)) / (1 + z2 / n_safe)
    half = (z / (1 + z2 / n_safe)) * np.sqrt(p * (1 - p) / n_safe + z2 / (4 * n_safe**2))
    return (np.where(valid, np.clip(centre - half, 0, 1), np.nan),
            np.where(valid, np.clip(centre + half, 0, 1), np.nan))


def _scored(counts: pd.DataFrame) -> pd.DataFrame:
    """Σ of item scores (v − 1) / 4 × 100, reversed (6 − v) for reverse-scored items."""
    values = np.arange(1, 6)
    forward = (values - 1) / 4 * 100
    n = counts[ANSWERS].to_numpy(float)
    reverse = counts["reverse_scored"].to_numpy() == 1
    score_sum = np.where(reverse, n @ forward[::-1], n @ forward)
    # favourable: 4 or 5 for an ordinary item, 1 or 2 where agreeing is unfavourable
    favourable = np.where(reverse, n[:, 0] + n[:, 1], n[:, 3] + n[:, 4])
    return counts.assign(score_sum=score_sum, agree=n[:, 3] + n[:, 4], favourable=favourable)


def health_check_from_counts(counts: pd.DataFrame, invited: pd.DataFrame | None = None
                             ) -> pd.DataFrame:
    """One row per service (children, adults, all) and measure: scores by standard, agree
    shares by theme (with design-effect-corrected intervals for aggregate counts) and the
    response rate. `counts` is one year of staging.survey_item_counts; `invited` has service,
    invited. Columns: service, measure, value, numerator, denominator, design_effect, ci_lower,
    ci_upper, source."""
    scored = _scored(counts)
    scoped = pd.concat([scored, scored.assign(service="all")], ignore_index=True)
    # respondents: the most who saw any one item, summed over role groups, then services
    seen = scored.assign(seen=scored["answered"] + scored["blank"])
    respondents = seen.groupby(["service", "role_group"])["seen"].max().groupby(level=0).sum()
    respondents["all"] = respondents.sum()
    sources = seen.drop_duplicates(["service", "source"])
    source = sources.groupby("service")["source"].agg(lambda s: "+".join(sorted(s)))
    source["all"] = "+".join(sorted(set(sources["source"])))
    out = []
    standards = scoped.assign(measure=np.where(
        scoped["standard"] == 0, "health_check_score_wellbeing",
        "health_check_score_standard_" + scoped["standard"].astype(str)))
    by_standard = standards.groupby(["service", "measure"])[["score_sum", "answered"]].sum()
    out.append(pd.DataFrame({
        "value": by_standard["score_sum"] / by_standard["answered"], "numerator": np.nan,
        "denominator": by_standard.index.get_level_values(0).map(respondents).to_numpy(float),
        "design_effect": np.nan}, index=by_standard.index))
    themes = scoped.dropna(subset=["theme"]).assign(
        measure="health_check_favourable_" + scoped["theme"].astype(str))
    by_theme = themes.groupby(["service", "measure"])[["favourable", "answered"]].sum()
    theme_respondents = by_theme.index.get_level_values(0).map(respondents).to_numpy(float)
    aggregate = by_theme.index.get_level_values(0).map(source).str.contains("aggregate")
    m = by_theme["answered"].to_numpy(float) / np.where(theme_respondents > 0,
                                                          theme_respondents, np.nan)
    deff = np.where(aggregate, np.maximum(1.0, m), 1.0)
    lower, upper = wilson(by_theme["favourable"].to_numpy(float) / deff,
                          by_theme["answered"].to_numpy(float) / deff)
    out.append(pd.DataFrame({
        "value": 100 * by_theme["favourable"] / by_theme["answered"],
        "numerator": by_theme["favourable"].astype(float),
        "denominator": by_theme["answered"].astype(float), "design_effect": deff,
        "ci_lower": 100 * lower, "ci_upper": 100 * upper}, index=by_theme.index))
    if invited is not None and not invited.empty:
        # only services the survey covered: a one-service survey leaves the other at [x]
        inv = invited.groupby("service")["invited"].sum()
        inv = inv[inv.index.isin(respondents.index)]
        inv = pd.concat([inv, pd.Series({"all": inv.sum()})])
        had = respondents.reindex(inv.index).to_numpy(float)
        lower, upper = wilson(had, inv.to_numpy(float))
        out.append(pd.DataFrame({
            "value": 100 * had / inv.to_numpy(float), "numerator": had,
            "denominator": inv.to_numpy(float), "design_effect": np.nan,
            "ci_lower": 100 * lower, "ci_upper": 100 * upper},
            index=pd.MultiIndex.from_product([inv.index, ["health_check_response_rate"]],
                                             names=["service", "measure"])))
    frame = pd.concat(out).reset_index()
    frame["source"] = frame["service"].map(source)
    return frame.sort_values(["measure", "service"], kind="mergesort").reset_index(drop=True)
