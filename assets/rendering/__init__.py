"""The report renderer: Quarto when on PATH, else the built-in renderer (DESIGN §2).

Names are imported lazily so that report chunks importing `assets.rendering.charts` do not pay
for nbclient, pandoc and typst inside the kernel.
"""

from importlib import import_module

__all__ = ["RenderError", "RenderResult", "check_features", "render_report"]

_HOMES = {
    "RenderError": "assets.rendering.errors",
    "RenderResult": "assets.rendering.render",
    "render_report": "assets.rendering.render",
    "check_features": "assets.rendering.features",
}


def __getattr__(name: str):
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'assets.rendering' has no attribute {name!r}")
