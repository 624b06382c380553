"""Run a document's chunks and inline expressions in one Jupyter kernel; return pandoc markdown.

Everything runs in document order in a single kernel (as Quarto's Jupyter engine does), so a
variable set in one chunk is visible to later chunks and to inline expressions after it.
"""

from __future__ import annotations

import ast
import atexit
import base64
import contextlib
import json
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from quarto_lite.errors import RenderError
from quarto_lite.qmd import INLINE_EXPR_RE, PLAIN_FENCE_RE, Chunk, Document, Markdown

KERNEL_NAME = "psw-python"
CELL_TIMEOUT_SECONDS = 600
# How long to wait, once a cell has finished, for the rest of its output. nbclient's default
# (4 s, then a warning only) would silently drop output sent late by a busy machine, so a
# loaded build could leave text out; wait longer, and fail rather than drop anything.
IOPUB_TIMEOUT_SECONDS = 120
ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CELL_LINE_RE = re.compile(r"Cell In\[\d+\], line (\d+)")
PLACEHOLDER = "\x00PSW-INLINE-{}\x00"

# Defined in the kernel before any report code. Inline values become markdown text:
# str(value) for plain values, _repr_markdown_ for Markdown objects (as Quarto does).
SETUP_CODE = """
def __psw_inline__(value):
    from IPython.display import display
    text = value._repr_markdown_() if hasattr(value, "_repr_markdown_") else str(value)
    display({"text/markdown": text}, raw=True)
"""


@dataclass
class Executed:
    markdown: str
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Cell:
    """A notebook cell and what it stands for in the document."""

    source: str
    chunk: Chunk | None = None
    inline_where: str | None = None  # "file, line n" for an inline expression
    inline_expr: str | None = None


def _kernel_manager(spec_dir: Path) -> KernelManager:
    """A kernel started from this very interpreter, so no global kernel spec is needed."""
    kernel_dir = spec_dir / KERNEL_NAME
    kernel_dir.mkdir(parents=True)
    spec = {
        "argv": [
            sys.executable,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            # Keep the kernel's start-up notices out of the author's console.
            "--IPKernelApp.log_level=ERROR",
        ],
        "display_name": "psw-report",
        "language": "python",
        # A fixed string hash, so that report code iterating over a set of text (or anything
        # else ordered by hash) lays out the same report on every run.
        "env": {"PYTHONHASHSEED": "0"},
    }
    (kernel_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(spec_dir)], ensure_native_kernel=False)
    return KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)


# nbclient starts its kernels with this argument (its `ipython_hist_file`); so do we.
HISTORY_ARGUMENT = "--HistoryManager.hist_file=:memory:"
# Kernels started ahead of a render (prestart_kernel), by the folder their chunks run in.
_PRESTARTED: dict[str, list[Future]] = {}
_PRESTARTED_LOCK = threading.Lock()


def prestart_kernel(work_dir: Path, modules: Sequence[str] = ()) -> None:
    """Start, in the background, a kernel for a later render whose chunks run in `work_dir`,
    and import `modules` in it (binding no names), so that the kernel's start and the chunks'
    imports overlap with what the caller does meanwhile. The next render in that folder takes
    it instead of starting its own (same interpreter, settings and folder, so the same
    output); one never taken is stopped when this process exits."""
    future: Future = Future()

    def start() -> None:
        try:
            future.set_result(_warm_kernel(Path(work_dir), list(modules)))
        except BaseException as exc:  # the render then starts a kernel of its own
            future.set_exception(exc)

    with _PRESTARTED_LOCK:
        if not _PRESTARTED:
            atexit.register(_stop_prestarted)
        _PRESTARTED.setdefault(str(Path(work_dir).resolve()), []).append(future)
    threading.Thread(target=start, name="prestart-kernel", daemon=True).start()


def prestarted(work_dir: Path) -> int:
    """How many kernels prestart_kernel has started for `work_dir` that no render has taken."""
    with _PRESTARTED_LOCK:
        return len(_PRESTARTED.get(str(Path(work_dir).resolve()), []))


def _warm_kernel(work_dir: Path, modules: list[str]) -> KernelManager:
    spec_dir = tempfile.mkdtemp(prefix="psw-kernel-")
    try:
        km = _kernel_manager(Path(spec_dir))
        km.start_kernel(extra_arguments=[HISTORY_ARGUMENT], cwd=str(work_dir))
    finally:
        shutil.rmtree(spec_dir, ignore_errors=True)  # read once, at the kernel's start
    client = km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=CELL_TIMEOUT_SECONDS)
        if modules:
            # An import that fails here is left to the chunk that makes it, which reports it.
            client.execute_interactive(
                f"for __psw_module__ in {modules!r}:\n"
                "    try:\n        __import__('importlib').import_module(__psw_module__)\n"
                "    except Exception:\n        pass\n"
                "del __psw_module__",
                store_history=False, timeout=CELL_TIMEOUT_SECONDS, output_hook=lambda _: None)
    except BaseException:
        km.shutdown_kernel(now=True)
        raise
    finally:
        client.stop_channels()
    return km


def _take_prestarted(work_dir: Path) -> KernelManager | None:
    """A kernel prestart_kernel started for `work_dir` and still alive, or None."""
    with _PRESTARTED_LOCK:
        waiting = _PRESTARTED.get(str(Path(work_dir).resolve())) or []
        future = waiting.pop(0) if waiting else None
    if future is None or future.exception() is not None:
        return None
    km = future.result()
    if km.is_alive():
        return km
    km.cleanup_resources()
    return None


def _stop_prestarted() -> None:
    with _PRESTARTED_LOCK:
        futures = [f for waiting in _PRESTARTED.values() for f in waiting]
        _PRESTARTED.clear()
    for future in futures:
        if future.exception() is None:
            with contextlib.suppress(Exception):
                future.result().shutdown_kernel(now=True)


def _param_code(params: dict) -> str:
    lines = ["# Injected parameters"]
    for key, value in params.items():
        if not key.isidentifier():
            raise RenderError(f"Parameter name {key!r} is not a valid Python name.")
        if not isinstance(value, str | int | float | bool) and value is not None:
            raise RenderError(
                f"Parameter {key!r} must be a single value (text, number, true/false), "
                f"not {type(value).__name__}."
            )
        lines.append(f"{key} = {value!r}")
    return "\n".join(lines)


def _is_parameters_chunk(chunk: Chunk) -> bool:
    tags = chunk.options.get("tags") or []
    return "parameters" in (tags if isinstance(tags, list) else [tags])


def _markdown_with_placeholders(segment: Markdown, cells: list[_Cell]) -> str:
    """Narrative text with each inline expression swapped for a placeholder and a cell."""
    out = []
    fence: str | None = None
    for line in segment.lines:
        text = line.text
        if fence is None:
            opened = PLAIN_FENCE_RE.match(text)
            if opened:
                fence = opened.group("fence")
                out.append(text)
                continue
        else:
            stripped = text.strip()
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
            out.append(text)
            continue

        def swap(match: re.Match, line=line) -> str:
            if match.group("engine") != "python":
                raise RenderError(
                    f"Only `{{python}}` inline expressions are supported ({line.where()})."
                )
            expr = match.group("expr").strip()
            cells.append(
                _Cell(f"__psw_inline__({expr})", inline_where=line.where(), inline_expr=expr)
            )
            return PLACEHOLDER.format(len(cells) - 1)

        out.append(INLINE_EXPR_RE.sub(swap, text))
    return "\n".join(out)


def _error_message(
    cell: _Cell, outputs: list, project_dir: Path, exc: Exception | None = None
) -> str:
    error = next((o for o in outputs if o.get("output_type") == "error"), None)
    # No error output (a timeout, a dead kernel): say what nbclient said, without the preview
    # of the cell's code that its timeout message goes on with.
    ename = error.get("ename", "Error") if error else type(exc).__name__ if exc else "Error"
    evalue = error.get("evalue", "") if error else (
        " ".join(str(exc).strip().splitlines()[:2]) if exc else ""
    )
    if cell.chunk is not None:
        where = cell.chunk.describe(project_dir)
        traceback = ANSI_RE.sub("", "\n".join(error.get("traceback", []))) if error else ""
        lines = CELL_LINE_RE.findall(traceback)
        if lines:
            # The chunk body starts on the line after its opening fence.
            file_line = cell.chunk.start.lineno + int(lines[-1])
            where = where.replace(f"line {cell.chunk.start.lineno})", f"line {file_line})")
        return f"The report failed in {where}: {ename}: {evalue}"
    return (
        f"The report failed in inline expression `{{python}} {cell.inline_expr}` "
        f"({cell.inline_where}): {ename}: {evalue}"
    )


def _run_cells(cells: list[_Cell], work_dir: Path, project_dir: Path) -> list[list]:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(SETUP_CODE)] + [
        nbformat.v4.new_code_cell(cell.source) for cell in cells
    ]
    with tempfile.TemporaryDirectory(prefix="psw-kernel-") as spec_dir:
        client = NotebookClient(
            notebook,
            km=_take_prestarted(work_dir) or _kernel_manager(Path(spec_dir)),
            timeout=CELL_TIMEOUT_SECONDS,
            iopub_timeout=IOPUB_TIMEOUT_SECONDS,
            raise_on_iopub_timeout=True,
            allow_errors=False,
            resources={"metadata": {"path": str(work_dir)}},
            shutdown_kernel="immediate",  # every output is in: stop it without waiting
        )
        # nbclient stops a kernel it did not make itself only when asked (cleanup_kc): without
        # it each render left its kernel running until this process ended.
        with client.setup_kernel(cleanup_kc=True):
            for index, nb_cell in enumerate(notebook.cells):
                try:
                    client.execute_cell(nb_cell, index)
                except Exception as exc:  # nbclient's CellExecutionError, timeouts, dead kernel
                    if index == 0:
                        raise RenderError(f"The Python kernel could not start: {exc}") from None
                    message = _error_message(cells[index - 1], nb_cell.outputs, project_dir, exc)
                    raise RenderError(message) from None
    return [nb_cell.outputs for nb_cell in notebook.cells[1:]]


def merge_streams(outputs: list) -> list:
    """A cell's outputs with each run of consecutive `stream` outputs merged into one output per
    stream name (stdout first, then stderr), the pieces' text joined in the order it came.

    The kernel sends what a cell prints in pieces cut wherever its flush timer fires (every
    0.2 s, so where depends on load), and it flushes stdout and stderr separately, so how the
    two interleave is timing too. Display data and results flush both streams before they are
    sent, so where a run of streams stands among them is the author's order and is kept."""
    merged: list = []
    run: dict[str, dict] = {}

    def close_run() -> None:
        for name in sorted(run, key=lambda n: (n != "stdout", n)):
            merged.append(run[name])
        run.clear()

    for output in outputs:
        if output.get("output_type") != "stream":
            close_run()
            merged.append(output)
            continue
        name = output.get("name", "stdout")
        text = output.get("text", "")
        text = "".join(text) if isinstance(text, list) else text  # nbformat allows a list
        if name in run:
            run[name]["text"] += text
        else:
            run[name] = {**output, "text": text}
    close_run()
    return merged


def _attr(value: str) -> str:
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _chunk_markdown(
    chunk: Chunk,
    outputs: list,
    ordinal: int,
    media_dir: Path,
    warnings: list[str],
    project_dir: Path,
) -> str:
    options = chunk.options
    if options.get("include") is False:
        return ""
    echo = options.get("echo", False) is True
    output = options.get("output", "default")
    parts: list[str] = []
    if echo:
        parts.append(f"```python\n{chunk.source_without_options}\n```")
    if output is False:
        return "\n\n".join(parts)
    asis = output == "asis"
    show_plain = echo or output is True
    label = chunk.label
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", label) if label else f"chunk-{ordinal}"
    image_count = 0
    for item in merge_streams(outputs):
        kind = item.get("output_type")
        if kind == "stream":
            if item.get("name") == "stdout" and asis:
                parts.append(item.get("text", ""))
            elif item.get("name") == "stdout" and show_plain:
                parts.append(f"```\n{item.get('text', '').rstrip()}\n```")
            continue
        if kind not in ("display_data", "execute_result"):
            continue
        data = item.get("data", {})
        if "image/png" in data:
            image_count += 1
            suffix = "" if image_count == 1 else f"-{image_count}"
            name = f"{stem}{suffix}.png"
            (media_dir / name).write_bytes(base64.b64decode(data["image/png"]))
            # A chart may carry alt text written from its data (charts.show_figure(fig, alt=...)).
            alt = (item.get("metadata") or {}).get("fig-alt")
            parts.append(_figure_markdown(options, f"{media_dir.name}/{name}", image_count == 1,
                                          alt))
        elif "text/markdown" in data:
            parts.append(_with_table_caption(options, data["text/markdown"]))
        elif "text/plain" in data and show_plain:
            parts.append(f"```\n{data['text/plain']}\n```")
        elif "text/html" in data:
            warnings.append(
                f"{chunk.describe(project_dir)}: an HTML-only output was left out; show tables with "
                "Markdown(df.to_markdown(index=False)) so every format gets them."
            )
    return "\n\n".join(part.strip("\n") for part in parts if part.strip())


def _figure_markdown(options: dict, path: str, first: bool, alt: str | None = None) -> str:
    caption = str(options.get("fig-cap", "")) if first else ""
    attrs = []
    label = options.get("label")
    if first and label and str(label).startswith("fig-") and caption:
        attrs.append(f"#{label}")
    if alt or options.get("fig-alt"):
        attrs.append(f"fig-alt={_attr(alt or options['fig-alt'])}")
    attr_text = "{" + " ".join(attrs) + "}" if attrs else ""
    # A figure must be a paragraph of its own for pandoc to make it a <figure>.
    return f"![{caption}]({path}){attr_text}"


def _with_table_caption(options: dict, markdown: str) -> str:
    caption = options.get("tbl-cap")
    if not caption:
        return markdown
    label = options.get("label")
    ident = f" {{#{label}}}" if label and str(label).startswith("tbl-") else ""
    return f"{markdown.rstrip()}\n\n: {caption}{ident}"


def _plan(document: Document, params: dict, project_dir: Path):
    """The document as kernel cells and the pieces that put their outputs back in order."""
    cells: list[_Cell] = []
    pieces: list[tuple[str, object]] = []  # ("md", text with placeholders) | ("chunk", index)
    has_parameters_cell = any(
        isinstance(s, Chunk) and _is_parameters_chunk(s) for s in document.segments
    )
    if params and not has_parameters_cell:
        # No parameters cell: papermill injects at the top; do the same.
        cells.append(_Cell(_param_code(params)))
    injected = False
    for segment in document.segments:
        if isinstance(segment, Markdown):
            pieces.append(("md", _markdown_with_placeholders(segment, cells)))
            continue
        if segment.engine != "python":
            raise RenderError(
                f"Only ```{{python}} chunks are supported; found {{{segment.engine}}} "
                f"at {segment.start.where(project_dir)}."
            )
        cells.append(_Cell(segment.code, chunk=segment))
        pieces.append(("chunk", len(cells) - 1))
        if _is_parameters_chunk(segment) and not injected and params:
            cells.append(_Cell(_param_code(params)))
            injected = True
    return cells, pieces


def _assemble(cells: list[_Cell], pieces: list, outputs: list, media_dir: Path,
              project_dir: Path) -> Executed:
    warnings: list[str] = []
    text_parts: list[str] = []
    ordinal = 0
    for kind, value in pieces:
        if kind == "chunk":
            ordinal += 1
            cell = cells[value]
            text_parts.append(
                _chunk_markdown(
                    cell.chunk, outputs[value], ordinal, media_dir, warnings, project_dir
                )
            )
        else:
            text_parts.append(value)
    markdown = "\n\n".join(text_parts)

    def inline_value(match: re.Match) -> str:
        index = int(match.group(1))
        texts = [
            o["data"]["text/markdown"]
            for o in outputs[index]
            if o.get("output_type") == "display_data" and "text/markdown" in o.get("data", {})
        ]
        return "".join(texts)

    markdown = re.sub("\x00PSW-INLINE-(\\d+)\x00", inline_value, markdown)
    return Executed(markdown=markdown, warnings=warnings)


def execute_document(
    document: Document, params: dict, work_dir: Path, media_dir: Path, project_dir: Path
) -> Executed:
    """Execute every chunk and inline expression; return the document as pandoc markdown."""
    cells, pieces = _plan(document, params, project_dir)
    outputs = _run_cells(cells, work_dir, project_dir)
    return _assemble(cells, pieces, outputs, media_dir, project_dir)


def _free_reads(tree: ast.AST) -> set[str]:
    """Names read in `tree` that it does not set itself (its own loop variables, locals and
    arguments are its own business)."""
    reads, sets = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else sets).add(node.id)
        elif isinstance(node, ast.arg):
            sets.add(node.arg)
    return reads - sets


def _names(source: str) -> tuple[set[str], set[str], dict[str, set[str]]] | None:
    """(names a cell reads from earlier cells, names it sets at top level, {function it
    defines: names its body reads from outside}), or None when the source is not plain Python
    (then it always re-runs)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    sets: set[str] = set()
    functions: dict[str, set[str]] = {}
    statements = []  # what runs when the cell runs (a function's body runs when it is called)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            sets.add(node.name)
            functions[node.name] = _free_reads(node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            continue  # importing again binds the same module: nothing later changes
        else:
            statements.append(node)
            sets |= {n.id for n in ast.walk(node)
                     if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    run = ast.Module(body=statements, type_ignores=[])
    called = {n.id for n in ast.walk(run) if isinstance(n, ast.Name) and n.id in functions}
    # A function the cell defines and calls reads, in effect, what its body reads.
    reads = _free_reads(run).union(*(functions[name] for name in called)) - sets
    return reads, sets, functions


def cells_to_rerun(sources: list[str], changed: set[str]) -> list[int]:
    """Which cells to run again, in order, after the state named `changed` was remade in the
    kernel (by code the caller runs first). A cell re-runs when it reads a changed name; what it
    sets is then changed too, and so is any function whose body reads a changed name. A cell
    that sets one of `changed` itself is where that state was first made: it does not re-run."""
    dirty, rerun = set(changed), []
    for index, source in enumerate(sources):
        names = _names(source)
        if names is None:
            rerun.append(index)
            continue
        reads, sets, functions = names
        if not sets & changed and reads & dirty:
            rerun.append(index)
            dirty |= sets
        dirty |= {name for name, used in functions.items() if used & dirty}
    return rerun


class LiveDocument:
    """A document executed once in a kernel that stays up, so that after an edit only the
    cells that depend on what changed run again (`psw preview` after a narrative YAML edit).
    Call `close()` when done."""

    def __init__(self, document: Document, params: dict, work_dir: Path, media_dir: Path,
                 project_dir: Path) -> None:
        self.media_dir, self.project_dir = media_dir, project_dir
        self.cells, self.pieces = _plan(document, params, project_dir)
        self._stack = contextlib.ExitStack()
        spec_dir = self._stack.enter_context(tempfile.TemporaryDirectory(prefix="psw-kernel-"))
        self.notebook = nbformat.v4.new_notebook()
        self.notebook.cells = [nbformat.v4.new_code_cell(SETUP_CODE)] + [
            nbformat.v4.new_code_cell(cell.source) for cell in self.cells
        ]
        self.client = NotebookClient(
            self.notebook, km=_kernel_manager(Path(spec_dir)), timeout=CELL_TIMEOUT_SECONDS,
            iopub_timeout=IOPUB_TIMEOUT_SECONDS, raise_on_iopub_timeout=True,
            allow_errors=False, resources={"metadata": {"path": str(work_dir)}},
            shutdown_kernel="immediate",
        )
        try:
            self._stack.enter_context(self.client.setup_kernel(cleanup_kc=True))
            for index in range(len(self.notebook.cells)):
                self._execute(index)
        except BaseException:
            self.close()
            raise

    def _execute(self, index: int) -> None:
        nb_cell = self.notebook.cells[index]
        try:
            self.client.execute_cell(nb_cell, index)
        except Exception as exc:  # nbclient's CellExecutionError, timeouts, dead kernel
            if index == 0:
                raise RenderError(f"The Python kernel could not start: {exc}") from None
            if index > len(self.cells):
                raise RenderError(f"Refreshing the report's state failed: {exc}") from None
            message = _error_message(self.cells[index - 1], nb_cell.outputs, self.project_dir,
                                     exc)
            raise RenderError(message) from None

    def executed(self) -> Executed:
        outputs = [nb_cell.outputs for nb_cell in self.notebook.cells[1:len(self.cells) + 1]]
        return _assemble(self.cells, self.pieces, outputs, self.media_dir, self.project_dir)

    def rerun(self, code: str, changed: set[str]) -> int:
        """Run `code` (which remakes the state named `changed`), then the cells that depend on
        it; returns how many cells ran again."""
        self.notebook.cells.append(nbformat.v4.new_code_cell(code))
        try:
            self._execute(len(self.notebook.cells) - 1)
        finally:
            self.notebook.cells.pop()
        again = cells_to_rerun([cell.source for cell in self.cells], changed)
        for index in again:
            self._execute(index + 1)
        return len(again)

    def close(self) -> None:
        self._stack.close()
