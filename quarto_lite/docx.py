"""Finish pandoc's DOCX so it is ready to send: a cover page, a contents list with its entries
already written, and table columns sized to their text.

Pandoc leaves the contents field empty (only Word fills it, and only when asked) and sizes
table columns evenly or from the Markdown source, which breaks words in narrow columns. Page
size, margins, footer and styles come from the reference document (quarto_lite/brand.py).

The contents entries are ordinary paragraphs in the TOC styles, each a link to its heading's
bookmark with a PAGEREF field, inside the TOC field: an office suite that does not update
fields shows the entries as they are; Word refreshes the field (and page numbers) on opening
because the field is marked dirty. The zip is rewritten with fixed timestamps (same bytes).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

from quarto_lite.brand import (
    A4_TWIPS,
    FIXED_ZIP_TIME,
    FOOTER_PARTS,
    TEXT_WIDTH_TWIPS,
    footer_part_xml,
    page_setup,
)

PAGE_BREAK = '<w:p><w:r><w:br w:type="page" /></w:r></w:p>'
_TOC_FIELD = re.compile(r'<w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true" />'
                        r'<w:instrText xml:space="preserve">(TOC [^<]*)</w:instrText>'
                        r'<w:fldChar w:fldCharType="separate" /><w:fldChar w:fldCharType="end" />'
                        r"</w:r></w:p>")
_HEADING = re.compile(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)" />\s*'
                      r'<w:p><w:pPr><w:pStyle w:val="Heading([1-9])" />.*?</w:p>', re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_TITLE_BLOCK = re.compile(r'<w:p>\s*<w:pPr>\s*<w:pStyle w:val="(?:Title|Subtitle|Author|Date)" />'
                          r".*?</w:p>", re.S)
# Twips per character of 10 pt Arial (table text), a little generous so bold headers fit,
# plus the cell's left and right margins.
CHAR_TWIPS = 115
CELL_MARGIN_TWIPS = 2 * 108 + 40


def _plain(xml: str) -> str:
    return html.unescape("".join(_TEXT.findall(xml)))


def contents_entries(document_xml: str, depth: int) -> list[tuple[int, str, str]]:
    """(level, text, bookmark) for every heading down to `depth`, in document order."""
    entries = []
    for match in _HEADING.finditer(document_xml):
        level = int(match.group(2))
        if level <= depth:
            entries.append((level, _plain(match.group(0)), match.group(1)))
    return entries


def _entry(level: int, text: str, anchor: str, first: str, last: str) -> str:
    return (
        f'<w:p><w:pPr><w:pStyle w:val="TOC{level}" /></w:pPr>{first}'
        f'<w:hyperlink w:anchor="{anchor}" w:history="1">'
        f'<w:r><w:t xml:space="preserve">{html.escape(text, quote=False)}</w:t></w:r>'
        "<w:r><w:tab /></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin" /></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {anchor} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate" /></w:r>'
        '<w:r><w:fldChar w:fldCharType="end" /></w:r>'
        f"</w:hyperlink>{last}</w:p>"
    )


def fill_contents(document_xml: str, depth: int) -> str:
    """Write the contents entries into pandoc's empty TOC field."""
    found = _TOC_FIELD.search(document_xml)
    # Only what follows the list: a cover report before it is not part of the contents.
    entries = contents_entries(document_xml[found.end():], depth) if found else []
    if not found or not entries:
        return document_xml
    begin = ('<w:r><w:fldChar w:fldCharType="begin" w:dirty="true" /></w:r>'
             f'<w:r><w:instrText xml:space="preserve">{found.group(1)}</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate" /></w:r>')
    end = '<w:r><w:fldChar w:fldCharType="end" /></w:r>'
    paragraphs = [
        _entry(level, text, anchor, begin if i == 0 else "", end if i == len(entries) - 1 else "")
        for i, (level, text, anchor) in enumerate(entries)
    ]
    return document_xml[: found.start()] + "".join(paragraphs) + document_xml[found.end():]


def contents_block(title: str, depth: int) -> str:
    """A page break, an empty contents field as pandoc writes it, and a page break: a raw
    OpenXML block the renderer places before a chosen heading (`contents-before`)."""
    return (
        PAGE_BREAK + "<w:sdt><w:sdtPr><w:docPartObj>"
        '<w:docPartGallery w:val="Table of Contents" /><w:docPartUnique /></w:docPartObj>'
        '</w:sdtPr><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading" /></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{html.escape(title, quote=False)}</w:t></w:r></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin" w:dirty="true" />'
        f'<w:instrText xml:space="preserve">TOC \\o &quot;1-{depth}&quot; \\h \\z \\u'
        '</w:instrText><w:fldChar w:fldCharType="separate" /><w:fldChar w:fldCharType="end" />'
        "</w:r></w:p></w:sdtContent></w:sdt>" + PAGE_BREAK
    )


def add_cover(document_xml: str) -> str:
    """The title block on a page of its own, and the contents list on the next."""
    blocks = list(_TITLE_BLOCK.finditer(document_xml))
    if not blocks:
        return document_xml
    cut = blocks[-1].end()
    rest = document_xml[cut:]
    toc_end = rest.find("</w:sdt>")
    if toc_end != -1 and rest[:toc_end].lstrip().startswith("<w:sdt>"):
        toc_end += len("</w:sdt>")
        rest = rest[:toc_end] + PAGE_BREAK + rest[toc_end:]
    return document_xml[:cut] + PAGE_BREAK + rest


def column_widths(rows: list[list[str]], available: int = TEXT_WIDTH_TWIPS) -> list[int]:
    """Twips per column: every column at least as wide as its longest word (so no word breaks
    when the table can fit), the rest of the width shared by how much text each column holds."""
    columns = max((len(r) for r in rows), default=0)
    words = [max((len(w) for r in rows if i < len(r) for w in r[i].split()), default=1)
             for i in range(columns)]
    longest = [max((len(r[i]) for r in rows if i < len(r)), default=1) for i in range(columns)]
    least = [w * CHAR_TWIPS + CELL_MARGIN_TWIPS for w in words]
    wanted = [max(n * CHAR_TWIPS + CELL_MARGIN_TWIPS, m) for n, m in zip(longest, least, strict=False)]
    if sum(wanted) <= available:
        return wanted
    if sum(least) >= available:  # cannot fit: shrink evenly (the text will wrap inside words)
        return [int(w * available / sum(least)) for w in least]
    spare, extra = available - sum(least), [w - m for w, m in zip(wanted, least, strict=False)]
    return [m + int(spare * e / sum(extra)) for m, e in zip(least, extra, strict=False)]


_TABLE = re.compile(r"<w:tbl>.*?</w:tbl>", re.S)
_ROW = re.compile(r"<w:tr>.*?</w:tr>|<w:tr [^>]*>.*?</w:tr>", re.S)
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.S)


def fit_table(table_xml: str) -> str:
    rows = [[_plain(c) for c in _CELL.findall(r)] for r in _ROW.findall(table_xml)]
    widths = column_widths(rows)
    if not widths:
        return table_xml
    grid = "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}" />' for w in widths) + "</w:tblGrid>"
    table_xml = re.sub(r"<w:tblGrid>.*?</w:tblGrid>", grid, table_xml, count=1, flags=re.S)
    table_xml = re.sub(r"<w:tblW [^>]*/>", f'<w:tblW w:type="dxa" w:w="{sum(widths)}" />',
                       table_xml, count=1)
    table_xml = table_xml.replace('<w:tblLayout w:type="fixed" />', "")
    table_xml = table_xml.replace("<w:tblPr>", '<w:tblPr><w:tblLayout w:type="fixed" />', 1)
    table_xml = re.sub(r"<w:tcW [^>]*/>", "", table_xml)

    def sized(row: re.Match) -> str:
        cells = iter(widths)
        return _CELL.sub(lambda c: c.group(0).replace(
            "<w:tc>", f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{next(cells, widths[-1])}" />'
            "</w:tcPr>", 1).replace("</w:tcPr><w:tcPr>", "").replace(
            "</w:tcPr><w:tcPr />", "</w:tcPr>"), row.group(0))

    return _ROW.sub(sized, table_xml)


_TOC_BLOCK = re.compile(r"(?:" + re.escape(PAGE_BREAK) + r")?<w:sdt>(?:(?!</w:sdt>).)*?"
                        r'<w:docPartGallery w:val="Table of Contents" />.*?</w:sdt>'
                        r"(?:" + re.escape(PAGE_BREAK) + r")?", re.S)


def move_contents(document_xml: str, anchor: str) -> str:
    """Move the contents list to a page of its own just before the heading `anchor`
    (`contents-before`), as the built-in renderer places it before pandoc runs. For a DOCX made
    by Quarto, whose contents list follows the title block."""
    toc = _TOC_BLOCK.search(document_xml)
    heading = re.search(rf'<w:bookmarkStart w:id="\d+" w:name="{re.escape(anchor)}" />',
                        document_xml)
    if toc is None or heading is None or toc.start() > heading.start():
        return document_xml
    block = toc.group(0)
    core = block[len(PAGE_BREAK):] if block.startswith(PAGE_BREAK) else block
    core = core[:-len(PAGE_BREAK)] if core.endswith(PAGE_BREAK) else core
    at = heading.start() - len(block)
    without = document_xml[:toc.start()] + document_xml[toc.end():]
    return without[:at] + PAGE_BREAK + core + PAGE_BREAK + without[at:]


def _has_page_setup(document_xml: str) -> bool:
    sect = document_xml[document_xml.rfind("<w:sectPr"):]
    return (f'w:w="{A4_TWIPS[0]}" w:h="{A4_TWIPS[1]}"' in sect
            and f'r:id="{FOOTER_PARTS[0][0]}"' in sect)


def _add_footers(parts: dict[str, bytes]) -> None:
    """The numbered footer and the cover's empty one, with their relationships, when the DOCX
    came from a reference document without them."""
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    for (rid, part), numbered in zip(FOOTER_PARTS, (True, False), strict=True):
        parts[f"word/{part}"] = footer_part_xml(numbered)
        if f'Id="{rid}"' not in rels:
            rels = rels.replace("</Relationships>", (
                '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                f'relationships/footer" Id="{rid}" Target="{part}" /></Relationships>'))
        if f'PartName="/word/{part}"' not in types:
            types = types.replace("</Types>", (
                f'<Override PartName="/word/{part}" ContentType="application/vnd.openxmlformats-'
                'officedocument.wordprocessingml.footer+xml" /></Types>'))
    parts["word/_rels/document.xml.rels"] = rels.encode("utf-8")
    parts["[Content_Types].xml"] = types.encode("utf-8")


def finish_docx(path: Path, toc: bool, toc_depth: int, cover: bool = True,
                contents_before: str | None = None) -> None:
    """Rewrite the DOCX at `path` in place, from either renderer: A4 with the "Page N of M"
    footer when the reference document did not give them, the contents list moved before
    heading `contents_before` when it follows the title, its entries written in, table widths
    and, when `cover`, the title block on a page of its own."""
    with zipfile.ZipFile(path) as source:
        infos = source.infolist()
        parts = {info.filename: source.read(info.filename) for info in infos}
    xml = parts["word/document.xml"].decode("utf-8")
    if not _has_page_setup(xml):
        xml = page_setup(xml)
        _add_footers(parts)
    if contents_before:
        xml = move_contents(xml, contents_before)
    if toc:
        xml = fill_contents(xml, toc_depth)
    if cover:
        xml = add_cover(xml)
    xml = _TABLE.sub(lambda m: fit_table(m.group(0)), xml)
    parts["word/document.xml"] = xml.encode("utf-8")
    names = [info.filename for info in infos]
    names += sorted(name for name in parts if name not in names)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            entry = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, parts[name])
    path.write_bytes(out.getvalue())
