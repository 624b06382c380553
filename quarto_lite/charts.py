"""Chart helpers for report chunks: brand colours and byte-for-byte reproducible PNGs.

In a chunk with `#| fig-cap:` and `#| fig-alt:`, build a matplotlib figure and call
`show_figure(fig)`. The PNG carries no software/version stamp, so the same data gives the
same bytes (and the same HTML) on every run, with Quarto or the built-in renderer.
"""

from __future__ import annotations

import io

# Okabe-Ito, as in report/_brand.yml (chart-*): safe for common colour-vision deficiencies.
# Never let colour carry meaning alone: label series directly or use markers/hatching too.
CHART_COLOURS = [
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
]
DPI = 144


def apply_style() -> None:
    """Brand palette, readable sizes and no chart junk, for all figures made afterwards."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "axes.prop_cycle": cycler(color=CHART_COLOURS),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 11,
            "figure.figsize": (7, 4),
            "figure.dpi": DPI,
            "svg.hashsalt": "psw-report",  # stable ids should anyone save SVG
        }
    )


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes with no metadata, so output depends only on the data."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def save_figure(fig, path) -> None:
    """Write the figure as a deterministic PNG (e.g. to publish alongside the tables)."""
    with open(path, "wb") as handle:
        handle.write(png_bytes(fig))


def show_figure(fig, alt: str | None = None) -> None:
    """Display the figure as the chunk's image output and close it (no duplicate output).

    `alt`, when given, is the figure's alt text in place of the chunk's `fig-alt` (for alt
    text that states what the data show, written when the chunk runs)."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    display(Image(data=png_bytes(fig), format="png"), metadata={"fig-alt": alt} if alt else None)
    plt.close(fig)
