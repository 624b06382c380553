"""The Word file as it is sent: A4 pages numbered in the footer, a cover, a contents list with
its entries already written (linked to the headings), and table columns at least as wide as
their longest word. Checked from the DOCX XML, and by converting it with LibreOffice headless.

The LibreOffice test needs Debian's `soffice` (`scripts/ensure-debian-tools.sh` installs it).
Without it the test skips, except under CI=true, where it fails.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import zipfile

import pytest

from quarto_lite.brand import A4_TWIPS, TEXT_WIDTH_TWIPS
from quarto_lite.docx import CELL_MARGIN_TWIPS, CHAR_TWIPS, column_widths

W_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")


def _part(path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def _plain(xml: str) -> str:
    return html.unescape("".join(W_TEXT.findall(xml)))


@pytest.fixture(scope="module")
def document_xml(rendered) -> str:
    return _part(rendered.outputs["docx"], "word/document.xml")


def test_docx_pages_are_a4_with_numbered_footer(rendered, document_xml):
    sect = re.findall(r"<w:sectPr>.*?</w:sectPr>", document_xml, flags=re.S)[-1]
    assert f'w:w="{A4_TWIPS[0]}"' in sect and f'w:h="{A4_TWIPS[1]}"' in sect
    assert "<w:titlePg />" in sect  # the cover carries no page number
    rels = _part(rendered.outputs["docx"], "word/_rels/document.xml.rels")
    reference = next(r for r in re.findall(r"<w:footerReference [^>]*>", sect) if "default" in r)
    footer_id = re.search(r'r:id="([^"]+)"', reference).group(1)
    target = re.search(rf'Id="{footer_id}" Target="([^"]+)"', rels).group(1)
    footer = _part(rendered.outputs["docx"], f"word/{target}")
    assert " PAGE " in footer and " NUMPAGES " in footer


def test_docx_contents_entries_are_written_and_linked(document_xml):
    toc = re.search(r"<w:sdt>.*?</w:sdt>", document_xml, flags=re.S).group(0)
    entries = re.findall(r'<w:pStyle w:val="TOC([12])" />.*?<w:hyperlink w:anchor="([^"]+)"'
                         r".*?</w:p>", toc, flags=re.S)
    after = document_xml.split("</w:sdt>", 1)[1]  # the cover report before it is not listed
    headings = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)" />\s*<w:p><w:pPr>'
                          r'<w:pStyle w:val="Heading([12])" />', after)
    assert len(entries) >= 10
    assert [(a, lvl) for lvl, a in entries] == headings  # every heading, in order, linked
    texts = [_plain(p) for p in re.findall(r'<w:p><w:pPr><w:pStyle w:val="TOC1" />.*?</w:p>',
                                            toc, flags=re.S)]
    assert "Executive summary" in texts and "Priorities" in texts
    assert 'w:dirty="true"' in toc and "PAGEREF" in toc  # Word refreshes page numbers


def test_docx_has_a_cover_before_the_body(document_xml):
    body = document_xml.split("<w:body>", 1)[1]
    first_break = body.index('<w:br w:type="page" />')
    first_heading = body.index('<w:pStyle w:val="Heading1" />')
    assert first_break < body.index("<w:sdt>") or first_break < first_heading
    assert '<w:pStyle w:val="Title" />' in body[:first_break]


def test_docx_table_columns_fit_their_longest_word(document_xml):
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", document_xml, flags=re.S)
    assert len(tables) >= 10
    for table in tables:
        widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)" />', table)]
        assert sum(widths) <= TEXT_WIDTH_TWIPS + len(widths)
        rows = [[_plain(c) for c in re.findall(r"<w:tc>.*?</w:tc>", r, flags=re.S)]
                for r in re.findall(r"<w:tr[ >].*?</w:tr>", table, flags=re.S)]
        least = [max(len(w) for r in rows for w in r[i].split() or [""]) * CHAR_TWIPS
                 + CELL_MARGIN_TWIPS for i in range(len(widths))]
        if sum(least) <= TEXT_WIDTH_TWIPS:
            assert all(w >= m for w, m in zip(widths, least, strict=False)), (_plain(table)[:80], widths)


def test_column_widths_hand_computed():
    # 'Adults'' is 7 characters: 7 * 115 + 256 = 1061 twips; the text fits, so each column
    # gets its natural width: 'Rows long' 9 chars -> 9 * 115 + 256 = 1291.
    assert column_widths([["Adults'", "Rows long"], ["1", "2"]]) == [1061, 1291]
    # Too long for the page: each column keeps its longest word, the spare is shared by need.
    wide = column_widths([["a " * 100, "b"]], available=2000)
    assert wide[1] == 1 * CHAR_TWIPS + CELL_MARGIN_TWIPS and sum(wide) <= 2000


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("LibreOffice (soffice) is missing under CI=true; run "
                    "scripts/ensure-debian-tools.sh")
    pytest.skip("LibreOffice is not installed; run scripts/ensure-debian-tools.sh (needs root)")


@pytest.mark.office
def test_docx_opens_in_libreoffice_as_a4_with_contents(rendered, tmp_path):
    from pypdf import PdfReader

    soffice = _soffice()
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(rendered.outputs["docx"])],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = PdfReader(tmp_path / (rendered.outputs["docx"].stem + ".pdf"))
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert 12 <= len(pdf.pages) <= 40, len(pdf.pages)
    text = " ".join((p.extract_text() or "") for p in pdf.pages[:3])
    assert "Contents" in text and "Executive summary" in text
    assert f"Page 2 of {len(pdf.pages)}" in (pdf.pages[1].extract_text() or "")
