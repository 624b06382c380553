"""Read a Quarto document: front matter, includes, code chunks and inline expressions.

The built-in renderer and the feature check both start here, so that they agree on what a
chunk, an option and an include are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from quarto_lite.errors import RenderError

INCLUDE_RE = re.compile(r"^\s*\{\{<\s*include\s+(?P<path>\S+?)\s*>\}\}\s*$")
SHORTCODE_RE = re.compile(r"\{\{<\s*(?P<name>[\w-]+)(?P<args>[^>]*)>\}\}")
CHUNK_OPEN_RE = re.compile(r"^(?P<fence>`{3,})\s*\{(?P<engine>[A-Za-z0-9_-]+)(?P<rest>[^}]*)\}\s*$")
PLAIN_FENCE_RE = re.compile(r"^(?P<fence>`{3,}|~{3,})")
INLINE_EXPR_RE = re.compile(r"`\{(?P<engine>[A-Za-z0-9_-]+)\}\s+(?P<expr>[^`]+?)`")


@dataclass(frozen=True)
class SourceLine:
    """One line of the expanded document and where it came from (for error messages)."""

    text: str
    file: Path
    lineno: int

    def where(self, project_dir: Path | None = None) -> str:
        return f"{display_path(self.file, project_dir)}, line {self.lineno}"


@dataclass
class Chunk:
    """A fenced ```{python} chunk with its `#|` options."""

    engine: str
    options: dict
    code: str  # the whole body, option lines included, so traceback line numbers map directly
    start: SourceLine  # the opening fence

    @property
    def label(self) -> str | None:
        label = self.options.get("label")
        return str(label) if label is not None else None

    @property
    def source_without_options(self) -> str:
        lines = self.code.splitlines()
        while lines and lines[0].lstrip().startswith("#|"):
            lines.pop(0)
        return "\n".join(lines)

    def describe(self, project_dir: Path | None = None) -> str:
        name = f"chunk '{self.label}'" if self.label else "unlabelled chunk"
        return f"{name} ({self.start.where(project_dir)})"


@dataclass
class Markdown:
    """Narrative text between chunks, with its source lines."""

    lines: list[SourceLine] = field(default_factory=list)


@dataclass
class Document:
    front_matter: dict
    segments: list[Markdown | Chunk]


def display_path(path: Path, project_dir: Path | None) -> str:
    if project_dir is not None:
        try:
            return str(path.resolve().relative_to(project_dir.resolve()))
        except ValueError:
            pass
    return str(path)


def split_front_matter(text: str) -> tuple[dict, list[str], int]:
    """Return (front matter, body lines, number of lines the front matter took)."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        for end in range(1, len(lines)):
            if lines[end].strip() in ("---", "..."):
                meta = yaml.safe_load("\n".join(lines[1:end])) or {}
                if not isinstance(meta, dict):
                    raise RenderError("The YAML front matter is not a mapping.")
                return meta, lines[end + 1 :], end + 1
    return {}, lines, 0


def expand_includes(
    path: Path, project_dir: Path | None = None, _stack: tuple[Path, ...] = ()
) -> tuple[dict, list[SourceLine]]:
    """Read `path`, replacing each `{{< include f >}}` line by f's lines, recursively.

    Includes are resolved relative to the including file, as Quarto does. Front matter of an
    included file is dropped (Quarto ignores it too).
    """
    path = path.resolve()
    if path in _stack:
        chain = " -> ".join(display_path(p, project_dir) for p in (*_stack, path))
        raise RenderError(f"Include cycle: {chain}")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RenderError(f"File not found: {display_path(path, project_dir)}") from None
    meta, body, offset = split_front_matter(text)
    out: list[SourceLine] = []
    fence: str | None = None
    for number, line in enumerate(body, start=offset + 1):
        # Inside a display code block an include line is just text.
        if fence is None:
            opened = PLAIN_FENCE_RE.match(line)
            if opened:
                fence = opened.group("fence")
        elif line.strip().startswith(fence[0] * len(fence)) and line.strip().strip(fence[0]) == "":
            fence = None
            out.append(SourceLine(line, path, number))
            continue
        match = INCLUDE_RE.match(line) if fence is None else None
        if match:
            target = (path.parent / match.group("path")).resolve()
            if not target.is_file():
                raise RenderError(
                    f"Included file not found: {display_path(target, project_dir)} "
                    f"(included from {display_path(path, project_dir)}, line {number})"
                )
            _, included = expand_includes(target, project_dir, (*_stack, path))
            out.extend(included)
        else:
            out.append(SourceLine(line, path, number))
    return meta, out


def parse_chunk_options(code_lines: list[str], where: SourceLine) -> dict:
    option_lines = []
    for line in code_lines:
        stripped = line.lstrip()
        if not stripped.startswith("#|"):
            break
        option_lines.append(stripped[2:].removeprefix(" "))
    if not option_lines:
        return {}
    try:
        options = yaml.safe_load("\n".join(option_lines)) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"Chunk options are not valid YAML at {where.where()}: {exc}") from None
    if not isinstance(options, dict):
        raise RenderError(f"Chunk options must be `#| key: value` lines at {where.where()}")
    return options


def split_segments(lines: list[SourceLine]) -> list[Markdown | Chunk]:
    """Split expanded lines into narrative and executable chunks, in document order."""
    segments: list[Markdown | Chunk] = []
    current = Markdown()
    index = 0
    while index < len(lines):
        line = lines[index]
        chunk_open = CHUNK_OPEN_RE.match(line.text)
        plain_open = PLAIN_FENCE_RE.match(line.text)
        if chunk_open or plain_open:
            fence = (chunk_open or plain_open).group("fence")
            end = index + 1
            while end < len(lines):
                stripped = lines[end].text.strip()
                if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                    break
                end += 1
            if end == len(lines):
                raise RenderError(f"Code block opened at {line.where()} is never closed.")
            if chunk_open:
                if current.lines:
                    segments.append(current)
                    current = Markdown()
                body = [item.text for item in lines[index + 1 : end]]
                segments.append(
                    Chunk(
                        engine=chunk_open.group("engine"),
                        options=parse_chunk_options(body, line),
                        code="\n".join(body),
                        start=line,
                    )
                )
            else:
                current.lines.extend(lines[index : end + 1])
            index = end + 1
            continue
        current.lines.append(line)
        index += 1
    if current.lines:
        segments.append(current)
    return segments


def read_document(path: Path, project_dir: Path | None = None) -> Document:
    meta, lines = expand_includes(path, project_dir)
    return Document(front_matter=meta, segments=split_segments(lines))
