"""The Cabinet paper as a Cabinet member reads it, in every format: the cover report (purpose,
recommendations, decision sought, meeting date, author, contact) on page 1, nothing written
for developers (snake_case measure names, Σ notation, design-document references, SHA-256
fingerprints), and the technical annex as a separate document from the same render."""

from __future__ import annotations

import html as htmllib
import re
import zipfile
from pathlib import Path

import pytest

from assets.report.support.narrative import load_narrative

REPORT_DIR = Path(__file__).resolve().parents[2] / "report"
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DEVELOPER = re.compile(r"Σ|\bDESIGN\b|SHA-?256|\b[0-9a-f]{16}\b|authority\.yml")


def _text(markup: str) -> str:
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture(scope="module")
def paper(rendered) -> dict[str, list[str]]:
    """Each format's text, the PDF as its pages."""
    from pypdf import PdfReader

    html = _text(rendered.outputs["html"].read_text(encoding="utf-8"))
    with zipfile.ZipFile(rendered.outputs["docx"]) as archive:
        docx = _text(archive.read("word/document.xml").decode("utf-8"))
    pdf = [re.sub(r"\s+", " ", p.extract_text() or "")
           for p in PdfReader(rendered.outputs["pdf"]).pages]
    return {"html": [html], "docx": [docx], "pdf": pdf}


def test_cabinet_paper_has_no_developer_text(paper):
    for fmt, pages in paper.items():
        text = " ".join(pages)
        assert not SNAKE_CASE.findall(text), (fmt, SNAKE_CASE.findall(text)[:5])
        assert not DEVELOPER.findall(text), (fmt, DEVELOPER.findall(text)[:5])


def test_cabinet_paper_cover_report_from_the_narrative(paper, rendered):
    from report_snapshot import YEAR

    cabinet = load_narrative(REPORT_DIR / "narrative" / str(YEAR)).cabinet
    first_recommendation = " ".join(cabinet["recommendations"][0].split())[:40]
    for fmt, pages in paper.items():
        text = " ".join(pages).replace("’", "'")
        for shown in ("Purpose of the report", "Recommendations", "Decision sought",
                      "14 January 2026", cabinet["contact"]["email"], first_recommendation):
            assert shown in text, (fmt, shown)
        # The cover report comes before the executive summary.
        assert text.index("Recommendations") < text.index("Executive summary"), fmt


def test_cabinet_paper_recommendations_before_page_3(paper):
    pages = [p.replace("’", "'") for p in paper["pdf"]]
    first = next(i for i, p in enumerate(pages) if "Recommendations" in p and "Cabinet" in p)
    assert first < 2, f"recommendations on PDF page {first + 1}"
    summary = next(i for i, p in enumerate(pages) if "Executive summary" in p
                   and "This report sets out" in p)
    assert summary <= 3


def test_cabinet_paper_docx_recommendations_on_the_first_page(rendered):
    with zipfile.ZipFile(rendered.outputs["docx"]) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    first_break = xml.index('<w:br w:type="page" />')
    assert "Recommendations" in _text(xml[:first_break])
    assert "Executive summary" not in _text(xml[:first_break])


def test_technical_annex_is_a_separate_document(rendered_annex):
    assert set(rendered_annex.outputs) == {"html", "docx", "pdf"}
    text = _text(rendered_annex.outputs["html"].read_text(encoding="utf-8"))
    assert "technical annex" in text.lower() and "Appendix D: provenance" in text
