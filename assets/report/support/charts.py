"""Report charts on top of quarto_lite/charts.py (Okabe-Ito palette, reproducible PNGs).

Meaning is never carried by colour alone: each series also has its own marker, line style or
hatching, and is labelled directly; bars carry their values, and a suppressed or missing value
is written on the chart as its shorthand ([c], [x]) instead of being drawn.
"""

from __future__ import annotations

from collections.abc import Sequence

from assets.report.support.formatting import is_shorthand, to_number
from quarto_lite.charts import CHART_COLOURS, apply_style, show_figure

GREY = "#505a5f"
# One look per series: colour + marker + line style + hatch.
STYLES = {
    "Children's": {"color": CHART_COLOURS[0], "marker": "o", "linestyle": "-", "hatch": ""},
    "Adults'": {"color": CHART_COLOURS[1], "marker": "s", "linestyle": "--", "hatch": "///"},
    "All": {"color": CHART_COLOURS[2], "marker": "D", "linestyle": "-.", "hatch": "..."},
    "England": {"color": GREY, "marker": "^", "linestyle": ":", "hatch": "xx"},
}
_FALLBACK = [
    {"color": c, "marker": m, "linestyle": ls, "hatch": h}
    for c, m, ls, h in zip(CHART_COLOURS, "o^sDvP*", ["-", "--", "-.", ":"] * 2,
                           ["", "///", "...", "xx", "\\\\", "++", "oo"], strict=False)
]  # fmt: skip


def style(name: str, index: int = 0) -> dict:
    for key, look in STYLES.items():
        if name.startswith(key):
            return look
    return _FALLBACK[index % len(_FALLBACK)]


def _figure(width: float = 7.0, height: float = 4.0):
    import matplotlib.pyplot as plt

    apply_style()
    return plt.subplots(figsize=(width, height))


def _label(value: object, decimals: int = 1, suffix: str = "") -> str:
    if is_shorthand(value):
        return str(value).strip()
    number = to_number(value)
    return "[x]" if number is None else f"{number:,.{decimals}f}{suffix}"


def line_chart(
    x: Sequence,
    series: dict[str, Sequence],
    ylabel: str,
    suffix: str = "%",
    xlabels: Sequence[str] | None = None,
    show=True,
):
    """Lines with markers, each labelled at its last point; gaps where a value is missing."""
    fig, ax = _figure()
    positions = list(range(len(x)))
    top = 0.0
    ends = []  # (x, y, text) of each line's last point, labelled after the loop
    for index, (name, values) in enumerate(series.items()):
        numbers = [to_number(v) for v in values]
        look = style(name, index)
        ax.plot(positions, [float("nan") if v is None else v for v in numbers],
                color=look["color"], marker=look["marker"], linestyle=look["linestyle"],
                linewidth=2, markersize=6, label=name)  # fmt: skip
        present = [(p, v) for p, v in zip(positions, numbers, strict=True) if v is not None]
        if present:
            top = max(top, max(v for _, v in present))
            ends.append((*present[-1], f"{name} {present[-1][1]:.1f}{suffix}"))
    # Direct labels, nudged apart so that close values never overprint each other.
    gap = max(top * 1.25, 1) * 0.06
    placed: list[float] = []
    for end_x, end_y, text in sorted(ends, key=lambda e: e[1]):
        label_y = max([end_y, *[p + gap for p in placed]])
        placed.append(label_y)
        ax.annotate(text, (end_x, end_y), xytext=(end_x + 0.08, label_y), textcoords="data", va="center",
                    fontsize=9, color="#0b0c0c")
    ax.set_xticks(positions, list(xlabels if xlabels is not None else [str(v) for v in x]))
    if len(positions) > 6:
        ax.tick_params(axis="x", labelrotation=45, labelsize=9)
        for tick in ax.get_xticklabels():
            tick.set_horizontalalignment("right")
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, max(top * 1.25, 1))
    ax.set_xlim(-0.3, len(positions) - 1 + max(1.2, len(positions) * 0.35))
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.legend(loc="lower left", frameon=False, fontsize=9, ncol=min(len(series), 3))
    labels = list(xlabels) if xlabels is not None else [str(v) for v in x]
    return _finish(fig, show, describe_lines(labels, series, suffix))


def bar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence],
    xlabel: str,
    suffix: str = "",
    decimals: int = 1,
    target: float | None = None,
    target_label: str | None = None,
    show=True,
):
    """Horizontal grouped bars (one group per category), hatched per series, value-labelled;
    optional dashed target line, labelled."""
    import numpy as np

    n_series = max(len(series), 1)
    height = max(2.6, 0.34 * len(categories) * n_series + 1.2)
    fig, ax = _figure(7.0, min(height, 9.0))
    bar = 0.8 / n_series
    positions = np.arange(len(categories))
    top = target or 0.0
    for index, (name, values) in enumerate(series.items()):
        look = style(name, index)
        offsets = positions - 0.4 + bar * (index + 0.5)
        numbers = [to_number(v) for v in values]
        ax.barh(offsets, [0 if v is None else v for v in numbers], height=bar * 0.92,
                color=look["color"], hatch=look["hatch"], edgecolor="white", linewidth=0,
                label=name)  # fmt: skip
        for y, raw, number in zip(offsets, values, numbers, strict=True):
            top = max(top, number or 0)
            # A white box behind the value keeps it legible where it crosses a target line.
            ax.annotate(_label(raw, decimals, suffix), (number or 0, y), xytext=(3, 0),
                        textcoords="offset points", va="center", fontsize=8.5, zorder=4,
                        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                              "edgecolor": "none"})  # fmt: skip
    if target is not None:
        ax.axvline(target, color="#0b0c0c", linestyle="--", linewidth=1.5, zorder=3)
        # Labelled above the plot, clear of the bars and their values.
        ax.annotate(target_label or f"Target {target:g}{suffix}", (target, 1.0),
                    xycoords=("data", "axes fraction"), xytext=(0, 4),
                    textcoords="offset points", ha="center", va="bottom", fontsize=9)
    ax.set_yticks(positions, list(categories))
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max(top * 1.18, 1))
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    if len(series) > 1:
        ax.legend(loc="lower right", frameon=True, fontsize=9)
    return _finish(fig, show, describe_bars(categories, series, suffix, decimals))


def dot_chart(
    others: Sequence[float],
    neighbours: Sequence[float],
    ours: tuple[str, float] | None,
    england: float | None,
    xlabel: str,
    alt: str | None = None,
    show=True,
):
    """Every council as a dot on one axis: others grey circles, neighbours orange squares on a
    row of their own, ours a large black diamond (labelled), England a dashed line (labelled).
    Dots with equal values are spread up and down deterministically, so none hides another."""
    import numpy as np

    fig, ax = _figure(7.0, 2.6)

    def spread(values, row):
        values = np.sort(np.asarray(values, dtype=float))
        offsets = (np.arange(len(values)) % 5 - 2) * 0.07  # fixed pattern: no randomness
        return values, row + offsets

    x, y = spread(others, 0.0)
    ax.scatter(x, y, s=18, color="#b1b4b6", marker="o", label="Other councils", zorder=2)
    x, y = spread(neighbours, 1.0)
    ax.scatter(x, y, s=40, color=CHART_COLOURS[1], marker="s", edgecolor="white",
               label="Statistical neighbours", zorder=3)
    if england is not None:
        ax.axvline(england, color=GREY, linestyle="--", linewidth=1.5, zorder=1)
        ax.annotate(f"England {england:.1f}", (england, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=9)
    if ours is not None:
        ax.scatter([ours[1]], [2.0], s=110, color="#0b0c0c", marker="D", label=ours[0], zorder=4)
        ax.annotate(f"{ours[0]} {ours[1]:.1f}", (ours[1], 2.0), xytext=(8, 0),
                    textcoords="offset points", va="center", fontsize=9)
    ax.set_yticks([0, 1, 2], ["Other councils", "Neighbours", "Us"])
    ax.set_ylim(-0.5, 2.6)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    return _finish(fig, show, alt=alt)


def _values(points: Sequence, suffix: str, decimals: int = 1) -> list[str]:
    return [_label(v, decimals, suffix) for v in points]


def describe_lines(x: Sequence[str], series: dict[str, Sequence], suffix: str = "%") -> str:
    """The values behind a line chart, in order, so alt text carries the trend: "Children's:
    16.1% in 2023, 13.6% in 2024, 11.6% in 2025 (lowest in 2025)."."""
    parts = []
    for name, points in series.items():
        shown = _values(points, suffix)
        numbers = [(to_number(v), label) for v, label in zip(points, x, strict=True)
                   if not is_shorthand(v) and to_number(v) is not None]
        values = ", ".join(f"{v} in {label}" for v, label in zip(shown, x, strict=True))
        extremes = ""
        if len(numbers) > 2:
            high = max(numbers, key=lambda n: n[0])[1]
            low = min(numbers, key=lambda n: n[0])[1]
            extremes = f" (highest in {high}, lowest in {low})"
        parts.append(f"{name}: {values}{extremes}.")
    return " ".join(parts)


def describe_bars(categories: Sequence[str], series: dict[str, Sequence], suffix: str = "",
                  decimals: int = 1) -> str:
    """The value of every bar, by series: "Children's: Good 397, Outstanding 60, …"."""
    return " ".join(
        f"{name}: " + ", ".join(f"{c} {v}" for c, v in zip(
            categories, _values(points, suffix, decimals), strict=True)) + "."
        for name, points in series.items())


def _finish(fig, show: bool, description: str = "", alt: str | None = None):
    """Show the figure. `alt` replaces the chunk's alt text (written when the chunk runs);
    `description` is appended to it (the values behind the chart)."""
    fig.tight_layout()
    if show:
        show_figure(fig, alt)
        if description:  # becomes the end of the figure's alt text (quarto_lite/crossref.lua)
            from IPython.display import Markdown, display

            safe = description.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
            display(Markdown(f"[{safe}]{{.psw-alt}}"))
        return None
    return fig
