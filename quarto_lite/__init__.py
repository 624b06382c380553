"""The report renderer: Quarto when on PATH, else the built-in renderer (docs/design.md §2).

Names are imported lazily so that report chunks importing `quarto_lite.charts` do not pay
for nbclient, pandoc and typst inside the kernel.
"""

from importlib import import_module

__all__ = ["RenderError", "RenderResult", "check_features", "render_report"]

_HOMES = {
    "RenderError": "quarto_lite.errors",
    "RenderResult": "quarto_lite.render",
    "render_report": "quarto_lite.render",
    "check_features": "quarto_lite.features",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'quarto_lite' has no attribute {name!r}")
