"""The Quarto feature subset that both renderers support, checked on pandoc's syntax tree.

The report may use only what renders the same with Quarto and with the built-in renderer.
`check_features` parses each .qmd with pandoc (after protecting the Quarto-only syntax pandoc
does not know) and returns one readable line per feature outside the allow-list.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pypandoc

from quarto_lite.errors import RenderError
from quarto_lite.qmd import (
    CHUNK_OPEN_RE,
    INCLUDE_RE,
    SHORTCODE_RE,
    SourceLine,
    parse_chunk_options,
    split_front_matter,
)

ALLOWED_BLOCKS = {
    "Para", "Plain", "Header", "BulletList", "OrderedList", "DefinitionList", "BlockQuote",
    "CodeBlock", "Table", "Figure", "HorizontalRule", "LineBlock",
}  # fmt: skip
ALLOWED_INLINES = {
    "Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Underline", "Strikethrough",
    "Superscript", "Subscript", "Quoted", "Code", "Link", "Image", "Note", "Cite",
}  # fmt: skip
ALLOWED_CHUNK_OPTIONS = {
    "label",
    "tags",
    "echo",
    "output",
    "include",
    "fig-cap",
    "fig-alt",
    "tbl-cap",
}
CHUNK_CLASS = "psw-chunk"
INCLUDE_MARKER = "PSWINCLUDEPLACEHOLDER"

WHY = {
    "RawBlock": "raw HTML/LaTeX/Typst block (shows in one format only)",
    "RawInline": "raw HTML/LaTeX/Typst (shows in one format only)",
    "Math": "TeX maths (needs MathJax from the internet in HTML)",
    "Span": "bracketed span with attributes `[text]{...}`",
    "Div": "fenced div `::: {...}`",
    "SmallCaps": "small caps",
}


def _protect(text: str, where: str, problems: list[str]) -> tuple[str, list[dict]]:
    """Turn Quarto-only syntax into plain pandoc markdown; collect chunk facts as we go."""
    _, body, offset = split_front_matter(text)
    out: list[str] = []
    chunks: list[dict] = []
    fence: str | None = None
    chunk: dict | None = None
    for number, line in enumerate(body, start=offset + 1):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
                chunk = None
            elif chunk is not None:
                chunk["code"].append(line)
            out.append(line)
            continue
        opened = CHUNK_OPEN_RE.match(line)
        if opened:
            fence = opened.group("fence")
            chunk = {"engine": opened.group("engine"), "line": number, "code": []}
            chunks.append(chunk)
            out.append(f"{fence} {{.{CHUNK_CLASS}}}")
            continue
        plain = re.match(r"^(`{3,}|~{3,})", line)
        if plain:
            fence = plain.group(1)
            out.append(line)
            continue
        if INCLUDE_RE.match(line):
            out.append(INCLUDE_MARKER)
            continue
        for shortcode in SHORTCODE_RE.finditer(line):
            problems.append(
                f"{where}, line {number}: shortcode {{{{< {shortcode.group('name')} >}}}} "
                "is not supported (only include is)"
            )
        out.append(SHORTCODE_RE.sub("SHORTCODE", line))
    return "\n".join(out), chunks


def _walk(node, visit) -> None:
    if isinstance(node, dict):
        if "t" in node:
            visit(node)
        for value in node.values():
            _walk(value, visit)
    elif isinstance(node, list):
        for item in node:
            _walk(item, visit)


def _pandoc_ast(markdown: str, where: str) -> dict:
    completed = subprocess.run(
        # Without native_divs/spans, HTML tags stay raw HTML and are reported as such.
        [pypandoc.get_pandoc_path(), "--from=markdown-native_divs-native_spans", "--to=json"],
        input=markdown,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RenderError(f"pandoc could not parse {where}: {completed.stderr.strip()}")
    return json.loads(completed.stdout)


def _check_chunks(
    chunks: list[dict], path: Path, where: str, problems: list[str], labels: set[str]
) -> None:
    for chunk in chunks:
        at = f"{where}, line {chunk['line']}"
        if chunk["engine"] != "python":
            problems.append(f"{at}: {{{chunk['engine']}}} chunk (only {{python}} is supported)")
            continue
        try:
            options = parse_chunk_options(chunk["code"], SourceLine("", path, chunk["line"]))
        except RenderError:
            problems.append(f"{at}: chunk options are not valid `#| key: value` YAML")
            continue
        for option in sorted(set(options) - ALLOWED_CHUNK_OPTIONS):
            problems.append(f"{at}: chunk option '{option}' is not supported")
        output = options.get("output", True)
        if output not in (True, False, "asis"):
            problems.append(f"{at}: output: {output!r} (use true, false or asis)")
        tags = options.get("tags", [])
        if set(tags if isinstance(tags, list) else [tags]) - {"parameters"}:
            problems.append(f"{at}: only the tag 'parameters' is supported")
        label = options.get("label")
        if label:
            labels.add(str(label))
            if str(label).startswith("fig-") and not options.get("fig-alt"):
                problems.append(f"{at}: figure '{label}' has no fig-alt (alt text is required)")
            if str(label).startswith("fig-") and not options.get("fig-cap"):
                problems.append(f"{at}: figure '{label}' has no fig-cap")
            if str(label).startswith("tbl-") and not options.get("tbl-cap"):
                problems.append(f"{at}: table '{label}' has no tbl-cap")


# Where in the source each kind of problem is written: pandoc's markdown reader keeps no source
# positions, so the line is found by the syntax that makes it (each line used once, in order).
_SOURCE_PATTERNS = {
    "Div": r"^\s*:::",
    "RawBlock": r"^\s*(?:`{3,}\s*\{=|<[A-Za-z!/])",
    "RawInline": r"<[A-Za-z/][^>]*>|`\{=\w+\}",
    "Math": r"\$[^$\s]",
    "Span": r"\]\{",
    "SmallCaps": r"\]\{",
    "Header": r"^#+ .*\{[^}]*\.[A-Za-z]",
    "Image": r"!\[\]\(",
}


class _SourceLines:
    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.used: set[tuple[str, int]] = set()

    def where(self, where: str, kind: str) -> str:
        pattern = _SOURCE_PATTERNS.get(kind)
        for number, line in enumerate(self.lines, start=1):
            if pattern and (kind, number) not in self.used and re.search(pattern, line):
                self.used.add((kind, number))
                return f"{where}, line {number}"
        return where


def _check_tree(ast: dict, where: str, problems: list[str], labels: set, cites: list,
                source: _SourceLines | None = None) -> None:
    base = where

    def visit(node: dict) -> None:
        kind = node["t"]
        content = node.get("c")
        where = source.where(base, kind) if source is not None else base
        if kind in WHY:
            detail = WHY[kind]
            if kind == "Div":
                classes = content[0][1]
                if any(c.startswith("callout") for c in classes):
                    detail = "callout block"
                elif "panel-tabset" in classes:
                    detail = "tabset"
                elif "columns" in classes or "column" in classes:
                    detail = "column layout"
            problems.append(f"{where}: {detail} is not supported")
            return
        is_block_or_inline = kind in ALLOWED_BLOCKS or kind in ALLOWED_INLINES
        if not is_block_or_inline and kind[0].isupper() and kind not in _NON_ELEMENT_TAGS:
            problems.append(f"{where}: {kind} is not supported")
        if kind == "Header":
            ident, classes, _ = content[1]
            if ident:
                labels.add(ident)
            if classes:
                problems.append(f"{where}: heading classes {classes} are not supported")
        elif kind == "CodeBlock":
            classes = content[0][1]
            if CHUNK_CLASS not in classes and any(c.startswith("{") for c in classes):
                problems.append(f"{where}: code block {classes} is not a supported chunk")
        elif kind == "Image":
            attrs = dict(content[0][2])
            if not content[1] and not attrs.get("fig-alt"):
                problems.append(f"{where}: image {content[2][0]} has no caption or fig-alt")
        elif kind == "Figure":
            if content[0][0]:
                labels.add(content[0][0])
        elif kind == "Table":
            if content[0][0]:
                labels.add(content[0][0])
        elif kind == "Cite":
            for citation in content[0]:
                cites.append((where, citation["citationId"]))

    _walk(ast.get("blocks", []), visit)


# Pandoc JSON tags that are not document elements (list styles, alignments, table parts...).
_NON_ELEMENT_TAGS = {
    "AlignDefault", "AlignLeft", "AlignRight", "AlignCenter", "ColWidthDefault", "ColWidth",
    "Decimal", "Period", "OneParen", "TwoParens", "DefaultStyle", "DefaultDelim", "LowerAlpha",
    "UpperAlpha", "LowerRoman", "UpperRoman", "Example", "SingleQuote", "DoubleQuote",
    "NormalCitation", "AuthorInText", "SuppressAuthor", "MetaMap", "MetaList", "MetaBool",
    "MetaString", "MetaInlines", "MetaBlocks",
}  # fmt: skip


def check_features(qmd_paths: Iterable[Path]) -> list[str]:
    """Return one message per use of a feature outside the supported subset (empty = fine).

    Cross-references (@fig-x, @tbl-x) are checked across all the files given together.
    """
    problems: list[str] = []
    labels: set[str] = set()
    cites: list[tuple[str, str]] = []
    for path in qmd_paths:
        path = Path(path)
        where = str(path)
        text = path.read_text(encoding="utf-8")
        markdown, chunks = _protect(text, where, problems)
        _check_chunks(chunks, path, where, problems, labels)
        _check_tree(_pandoc_ast(markdown, where), where, problems, labels, cites,
                    _SourceLines(text))
    for where, ident in cites:
        if not re.match(r"^(fig|tbl)-", ident):
            problems.append(f"{where}: citation @{ident} (only @fig-… and @tbl- references)")
        elif ident not in labels:
            problems.append(f"{where}: @{ident} refers to no figure or table label")
    return problems
