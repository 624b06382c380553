"""render_report: the one entry point for making the report, with Quarto or the built-in renderer.

Outputs are made in a staging folder beside `out_dir` and renamed into place only when every
requested format has been made, so a failed render never leaves a partial or mixed set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quarto_lite.convert import EXTENSIONS, convert
from quarto_lite.docx import finish_docx
from quarto_lite.errors import RenderError
from quarto_lite.execute import LiveDocument, execute_document
from quarto_lite.html import finish_html
from quarto_lite.qmd import read_document, split_front_matter

QUARTO_FORMATS = {"html": "html", "docx": "docx", "pdf": "typst"}
# Quarto settings that configure rendering rather than describe the document.
NON_METADATA_KEYS = {"project", "execute", "format", "jupyter", "engine", "params", "brand"}


@dataclass
class RenderResult:
    renderer: str  # "quarto <version>" or "builtin"
    outputs: dict[str, Path]  # format -> final path
    seconds: float
    warnings: list[str] = field(default_factory=list)


def _deep_merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_project_config(project_dir: Path) -> dict:
    path = project_dir / "_quarto.yml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def quarto_version() -> str | None:
    """The Quarto CLI's version when `quarto` is on PATH, else None."""
    if shutil.which("quarto") is None:
        return None
    completed = subprocess.run(["quarto", "--version"], capture_output=True, text=True)
    return completed.stdout.strip() if completed.returncode == 0 else None


def _check_formats(formats: list[str]) -> None:
    unknown = [fmt for fmt in formats if fmt not in EXTENSIONS]
    if unknown or not formats:
        raise RenderError(f"Unknown format(s) {unknown or formats}; choose from html, docx, pdf.")


def render_report(
    project_dir: Path,
    main_qmd: str,
    out_dir: Path,
    output_stem: str,
    formats: list[str],
    params: dict,
    renderer: str = "auto",
    metadata: dict | None = None,
    before_publish: Callable[[], None] | None = None,
) -> RenderResult:
    """Render `project_dir/main_qmd` to `<out_dir>/<output_stem>.<ext>` for each format.

    `params` override the document's parameters cell; `metadata` (e.g. authority,
    reporting-year, date, subtitle) overrides front matter for the title page. `renderer` is
    "auto" (Quarto when on PATH), "quarto" or "builtin". `before_publish` runs after every
    format is made and before any is moved into place. Raises RenderError on any failure.
    """
    project_dir = Path(project_dir).resolve()
    out_dir = Path(out_dir).resolve()
    _check_formats(formats)
    if not (project_dir / main_qmd).is_file():
        raise RenderError(f"Report source not found: {project_dir / main_qmd}")
    version = quarto_version() if renderer in ("auto", "quarto") else None
    if renderer == "quarto" and version is None:
        raise RenderError("renderer='quarto' was asked for, but `quarto` is not on PATH.")
    if renderer not in ("auto", "quarto", "builtin"):
        raise RenderError(f"Unknown renderer {renderer!r}; use auto, quarto or builtin.")

    metadata = dict(metadata or {})
    if "authority" in metadata:
        # HTML and DOCX title blocks show `author`; the PDF title page shows `authority`.
        metadata.setdefault("author", metadata["authority"])
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    _sweep_abandoned(out_dir, output_stem)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_stem}-render-{os.getpid()}-", dir=out_dir))
    try:
        if version is not None:
            made, warnings = _render_with_quarto(
                project_dir, main_qmd, staging, formats, params, metadata
            )
            finish_outputs(made, _settings(project_dir, main_qmd, metadata))
            used = f"quarto {version}"
        else:
            made, warnings = _render_builtin(
                project_dir, main_qmd, staging, formats, params, metadata
            )
            used = "builtin"
        if before_publish is not None:
            before_publish()  # a caller's hook, e.g. the crash tests' pause point
        outputs = {}
        for fmt in formats:
            final = out_dir / f"{output_stem}.{EXTENSIONS[fmt]}"
            os.replace(made[fmt], final)  # atomic on one filesystem
            outputs[fmt] = final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RenderResult(used, outputs, round(time.perf_counter() - started, 2), warnings)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sweep_abandoned(out_dir: Path, output_stem: str) -> None:
    """Remove staging folders left by a render that was killed (its process is gone)."""
    for folder in out_dir.glob(f".{output_stem}-render-*"):
        pid = folder.name.removeprefix(f".{output_stem}-render-").split("-", 1)[0]
        if folder.is_dir() and (not pid.isdigit() or not _pid_alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Executed:
    """A document run once by the built-in renderer: its Markdown, ready for pandoc."""

    markdown: str
    metadata: dict  # pandoc metadata (front matter, project settings, caller's metadata)
    config: dict  # the merged Quarto settings (for per-format options)
    build_dir: Path  # media and pandoc's working files
    project_dir: Path
    warnings: list[str]


def _prepare(project_dir: Path, main_qmd: str, work_dir: Path, metadata: dict):
    project_dir = Path(project_dir).resolve()
    qmd_path = project_dir / main_qmd
    document = read_document(qmd_path, project_dir)
    config = _deep_merge(load_project_config(project_dir), document.front_matter)
    config = _deep_merge(config, metadata)
    build_dir = Path(work_dir) / "build"
    media_dir = build_dir / "media"
    media_dir.mkdir(parents=True, exist_ok=True)
    pandoc_metadata = {k: v for k, v in config.items() if k not in NON_METADATA_KEYS}
    pandoc_metadata.setdefault("lang", "en-GB")
    return project_dir, qmd_path, document, config, pandoc_metadata, build_dir, media_dir


def execute_builtin(
    project_dir: Path, main_qmd: str, work_dir: Path, params: dict, metadata: dict
) -> Executed:
    """Run every chunk of `main_qmd` once (the slow part); `convert_executed` then makes any
    format from the result, as often as needed (the preview re-converts after a prose edit)."""
    project_dir, qmd_path, document, config, pandoc_metadata, build_dir, media_dir = _prepare(
        project_dir, main_qmd, work_dir, metadata)
    executed = execute_document(
        document, params, work_dir=qmd_path.parent, media_dir=media_dir, project_dir=project_dir
    )
    return Executed(executed.markdown, pandoc_metadata, config, build_dir, project_dir,
                    executed.warnings)


class LiveReport:
    """`execute_builtin` with the kernel kept up (psw preview): after an edit, `rerun` runs
    only the cells that depend on the state it names, then `executed()` is converted as usual.
    Call `close()` when done."""

    def __init__(self, project_dir: Path, main_qmd: str, work_dir: Path, params: dict,
                 metadata: dict) -> None:
        (self.project_dir, qmd_path, document, self.config, self.metadata, self.build_dir,
         media_dir) = _prepare(project_dir, main_qmd, work_dir, metadata)
        self.live = LiveDocument(document, params, work_dir=qmd_path.parent,
                                 media_dir=media_dir, project_dir=self.project_dir)

    def executed(self) -> Executed:
        done = self.live.executed()
        return Executed(done.markdown, self.metadata, self.config, self.build_dir,
                        self.project_dir, done.warnings)

    def rerun(self, code: str, changed: set[str]) -> int:
        return self.live.rerun(code, changed)

    def close(self) -> None:
        self.live.close()


def convert_executed(executed: Executed, fmt: str, target: Path, markdown: str | None = None) -> None:
    """Write `target` in `fmt` from an executed document (or from `markdown` made from it)."""
    config = executed.config
    options = (config.get("format") or {}).get(QUARTO_FORMATS[fmt]) or {}
    convert(
        executed.markdown if markdown is None else markdown,
        executed.metadata,
        fmt,
        executed.build_dir,
        executed.project_dir,
        target,
        toc=bool(options.get("toc", config.get("toc", True))),
        toc_depth=int(options.get("toc-depth", config.get("toc-depth", 2))),
    )


def _render_builtin(
    project_dir: Path,
    main_qmd: str,
    staging: Path,
    formats: list[str],
    params: dict,
    metadata: dict,
) -> tuple[dict[str, Path], list[str]]:
    executed = execute_builtin(project_dir, main_qmd, staging, params, metadata)
    return convert_all(executed, formats, staging), executed.warnings


def convert_all(executed: Executed, formats: list[str], folder: Path) -> dict[str, Path]:
    """Every format of an executed document, as `folder/report.<ext>`. The conversions are
    independent (pandoc and Typst in processes of their own, each format with its own working
    files), so they run side by side on the cores there are; the bytes are those of one by one."""
    made = {fmt: folder / f"report.{EXTENSIONS[fmt]}" for fmt in formats}
    workers = max(1, min(len(formats), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="convert") as pool:
        futures = [pool.submit(convert_executed, executed, fmt, made[fmt]) for fmt in formats]
    for future in futures:  # the first failure in the order asked for, as one by one
        future.result()
    return made


def _settings(project_dir: Path, main_qmd: str, metadata: dict) -> dict:
    """The merged settings the finishing step reads: project, front matter, caller's metadata."""
    text = (project_dir / main_qmd).read_text(encoding="utf-8")
    config = _deep_merge(load_project_config(project_dir), split_front_matter(text)[0])
    return _deep_merge(config, metadata)


def finish_outputs(made: dict[str, Path], config: dict) -> None:
    """The finishing step for a render by Quarto, as the built-in renderer applies it in
    `convert`: the HTML gets its `<main>` landmark, scrolling tables and charts and the chart
    descriptions in the alt text (quarto_lite/html.py); the DOCX gets A4 and the page-numbered
    footer if the reference document lacked them, the contents list before `contents-before`
    with its entries written in, the cover page and table widths (quarto_lite/docx.py)."""
    if "html" in made:
        finish_html(made["html"])
    if "docx" in made:
        options = (config.get("format") or {}).get("docx") or {}
        toc = bool(options.get("toc", config.get("toc", True)))
        depth = int(options.get("toc-depth", config.get("toc-depth", 2)))
        anchor = config.get("contents-before")
        finish_docx(made["docx"], toc, depth, cover=not anchor,
                    contents_before=str(anchor) if anchor else None)


def _quarto_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if not isinstance(value, str | int | float):
        raise RenderError(f"Parameter value {value!r} must be a single value, not a list.")
    return str(value)


def _render_with_quarto(
    project_dir: Path,
    main_qmd: str,
    staging: Path,
    formats: list[str],
    params: dict,
    metadata: dict,
) -> tuple[dict[str, Path], list[str]]:
    made = {}
    stem = Path(main_qmd).stem
    for fmt in formats:
        fmt_dir = staging / fmt
        fmt_dir.mkdir()
        command = ["quarto", "render", main_qmd, "--to", QUARTO_FORMATS[fmt]]
        for key, value in params.items():
            command += ["-P", f"{key}:{_quarto_value(value)}"]
        for key, value in metadata.items():
            command += ["-M", f"{key}:{_quarto_value(value)}"]
        command += ["--output-dir", str(fmt_dir)]
        # Quarto runs the chunks with QUARTO_PYTHON: make it this environment's Python, which
        # has the report's packages, unless the author chose another.
        env = {**os.environ, "QUARTO_PYTHON": os.environ.get("QUARTO_PYTHON", sys.executable)}
        completed = subprocess.run(
            command, cwd=project_dir, capture_output=True, text=True, env=env
        )
        if completed.returncode != 0:
            tail = "\n".join(completed.stderr.strip().splitlines()[-15:])
            raise RenderError(f"quarto render --to {QUARTO_FORMATS[fmt]} failed:\n{tail}")
        produced = sorted(fmt_dir.rglob(f"{stem}.{EXTENSIONS[fmt]}")) or sorted(
            fmt_dir.rglob(f"*.{EXTENSIONS[fmt]}")
        )
        if not produced:
            raise RenderError(f"quarto finished but wrote no .{EXTENSIONS[fmt]} file.")
        made[fmt] = produced[0]
    return made, []
