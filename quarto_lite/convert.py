"""Turn executed pandoc markdown into HTML, DOCX and PDF with the brand applied.

pandoc comes from the pypandoc-binary wheel (3.9, with a Typst writer); PDF is compiled by the
typst wheel, with Typst's bundled fonts only, so the PDF does not depend on installed fonts.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pypandoc
import typst
import yaml

from quarto_lite.brand import BRAND_FILE, CSS_FILE, REFERENCE_DOCX
from quarto_lite.docx import contents_block, finish_docx
from quarto_lite.errors import RenderError
from quarto_lite.html import finish_html

CROSSREF_FILTER = Path(__file__).with_name("crossref.lua")
TYPST_TEMPLATE = "brand/psw-report.typ"
TYPST_PARTIALS = ("brand/typst-template.typ", "brand/typst-show.typ")
FONTS_DIR = "brand/fonts"  # optional: an authority's own font files for the PDF
# A fixed instant for DOCX core properties and PDF metadata, so the same inputs give the same
# bytes; the publication date shown to readers is metadata (`date`), passed in by the caller.
FIXED_EPOCH = 315532800  # 1980-01-01

EXTENSIONS = {"html": "html", "docx": "docx", "pdf": "pdf"}


def _pandoc(args: list[str], cwd: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(FIXED_EPOCH)}
    completed = subprocess.run(
        [pypandoc.get_pandoc_path(), *args], cwd=cwd, capture_output=True, text=True, env=env
    )
    if completed.returncode != 0:
        raise RenderError(f"pandoc failed: {completed.stderr.strip()}")


def _common_args(
    metadata_file: Path, toc: bool, toc_depth: int, resource_dirs: list[Path]
) -> list[str]:
    args = [
        "--from=markdown",
        # Narrative images are found relative to the report folder, as Quarto does.
        f"--resource-path={os.pathsep.join(str(d) for d in resource_dirs)}",
        f"--metadata-file={metadata_file}",
        f"--lua-filter={CROSSREF_FILTER}",
    ]
    if toc:
        args += ["--toc", f"--toc-depth={toc_depth}"]
    return args


def convert(
    markdown: str,
    metadata: dict,
    fmt: str,
    build_dir: Path,
    project_dir: Path,
    target: Path,
    toc: bool = True,
    toc_depth: int = 2,
) -> None:
    """Write `target` in format `fmt` ("html", "docx" or "pdf") from executed markdown.

    Metadata `contents-before: <heading id>` puts the contents list (Word, PDF) just before
    that heading instead of after the title, so a cover report can open page 1."""
    contents_before = metadata.get("contents-before")
    fill_toc = toc
    if contents_before and toc and fmt in ("docx", "pdf"):
        title = str(metadata.get("toc-title") or "Contents")
        markdown = insert_contents(markdown, fmt, str(contents_before), title, toc_depth)
        toc = False
        metadata = {**metadata, "toc": False}  # the templates read `toc` from metadata too
    # Files of their own per format, so that the formats can be converted at the same time.
    source = build_dir / f"report.{fmt}.md"
    source.write_text(markdown, encoding="utf-8")
    metadata_file = build_dir / f"metadata.{fmt}.yaml"
    metadata_file.write_text(yaml.safe_dump(metadata, sort_keys=True), encoding="utf-8")
    common = _common_args(metadata_file, toc, toc_depth, [build_dir, project_dir])
    if fmt == "html":
        css = project_dir / CSS_FILE
        _pandoc(
            [
                *common,
                "--to=html5",
                "--standalone",
                "--embed-resources",
                f"--css={css}",
                "--section-divs",
                "--wrap=none",
                f"--output={target}",
                str(source),
            ],
            cwd=build_dir,
        )
        finish_html(target)
    elif fmt == "docx":
        reference = project_dir / REFERENCE_DOCX
        _pandoc(
            [
                *common,
                "--to=docx",
                f"--reference-doc={reference}",
                f"--output={target}",
                str(source),
            ],
            cwd=build_dir,
        )
        finish_docx(target, fill_toc, toc_depth, cover=not contents_before)
    elif fmt == "pdf":
        _typst_pdf(common, source, build_dir, project_dir, target)
    else:
        raise RenderError(f"Unknown format {fmt!r}; use html, docx or pdf.")


def insert_contents(markdown: str, fmt: str, anchor: str, title: str, depth: int) -> str:
    """A raw contents block (OpenXML or Typst) on its own page before heading `{#anchor}`."""
    heading = re.search(rf"^#{{1,6}} .*\{{#{re.escape(anchor)}[ }}]", markdown, flags=re.M)
    if heading is None:
        raise RenderError(f"contents-before: {anchor!r} names no heading; give the heading "
                          f"an id, e.g. '# Executive summary {{#{anchor}}}'.")
    if fmt == "docx":
        raw = "```{=openxml}\n" + contents_block(title, depth) + "\n```\n\n"
    else:
        raw = ("```{=typst}\n#pagebreak(weak: true)\n"
               f"#context outline(title: [{title}], depth: {depth}, "
               "target: selector(heading).after(here()))\n#pagebreak()\n```\n\n")
    return markdown[: heading.start()] + raw + markdown[heading.start():]


def _typst_pdf(
    common: list[str], source: Path, build_dir: Path, project_dir: Path, target: Path
) -> None:
    # The template and its partials must sit together; the partial reads _brand.yml beside
    # the .typ file, exactly as it does when Quarto compiles in the project folder.
    template_dir = build_dir / "brand"
    template_dir.mkdir(exist_ok=True)
    for name in (TYPST_TEMPLATE, *TYPST_PARTIALS):
        shutil.copyfile(project_dir / name, build_dir / name)
    shutil.copyfile(project_dir / BRAND_FILE, build_dir / BRAND_FILE)
    typ = build_dir / "report.typ"
    # Typst has no section-level TOC switch in pandoc's writer; the template draws it.
    _pandoc(
        [
            *common,
            "--to=typst",
            f"--template={build_dir / TYPST_TEMPLATE}",
            f"--output={typ}",
            str(source),
        ],
        cwd=build_dir,
    )
    fonts = project_dir / FONTS_DIR
    try:
        pdf = typst.compile(
            str(typ),
            root=str(build_dir),
            font_paths=[str(fonts)] if fonts.is_dir() else [],
            ignore_system_fonts=True,
            timestamp=FIXED_EPOCH,
        )
    except Exception as exc:  # typst.TypstError carries the Typst diagnostic
        raise RenderError(f"Typst could not make the PDF: {exc}") from None
    target.write_bytes(pdf)
