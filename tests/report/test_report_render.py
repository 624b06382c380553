"""End to end: the annual report rendered once (HTML, DOCX, PDF) from a realistic snapshot."""

from __future__ import annotations

import html as htmllib
import re
import zipfile
from pathlib import Path

import duckdb
import pytest
from report_snapshot import SUPPRESSED_COUNTS

from assets.report.support.formatting import fmt
from quarto_lite import check_features

REPORT_DIR = Path(__file__).resolve().parents[2] / "report"
SECTIONS = [
    "Report to Cabinet", "Purpose of the report", "Recommendations", "Decision sought",
    "Executive summary", "The year at a glance", "Our context", "Turnover and retention",
    "Recruitment", "Learning and development", "Practice quality",
    "The social work health check", "Priorities",
]  # fmt: skip
ANNEX_SECTIONS = [
    "Appendix A: methods and definitions", "Appendix B: chart data",
    "Appendix C: data quality", "Appendix D: provenance",
]  # fmt: skip
# A raw id, or a pseudonym as text: 32 hex characters (16 bytes), or 64 (the form before).
ID_LIKE = re.compile(r"\b[0-9a-f]{64}\b|\b[0-9a-f]{32}\b|NFC-[WCR]-", re.IGNORECASE)


def _text(markup: str) -> str:
    markup = re.sub(r"<(style|script)\b.*?</\1>", " ", markup, flags=re.S)
    return htmllib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup)))


@pytest.fixture(scope="session")
def html(rendered) -> str:
    return rendered.outputs["html"].read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def html_text(html) -> str:
    return _text(html)


@pytest.fixture(scope="session")
def docx_text(rendered) -> str:
    with zipfile.ZipFile(rendered.outputs["docx"]) as archive:
        return _text(archive.read("word/document.xml").decode("utf-8"))


@pytest.fixture(scope="session")
def pdf_pages(rendered) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(rendered.outputs["pdf"]).pages]


@pytest.fixture(scope="session")
def annex_text(rendered_annex) -> str:
    return _text(rendered_annex.outputs["html"].read_text(encoding="utf-8"))


def test_report_renders_all_three_formats(rendered):
    assert set(rendered.outputs) == {"html", "docx", "pdf"}
    assert all(path.stat().st_size > 10_000 for path in rendered.outputs.values())
    print(f"render: {rendered.seconds} s")


def test_report_every_section_heading_present(html_text, docx_text, pdf_pages):
    pdf = re.sub(r"\s+", " ", " ".join(pdf_pages)).replace("’", "'")
    for heading in SECTIONS:
        assert heading in html_text.replace("’", "'"), heading
        assert heading in docx_text.replace("’", "'"), heading
        assert heading in pdf, heading


def test_report_headline_figures_equal_the_snapshot(snapshot_path, html_text):
    con = duckdb.connect(str(snapshot_path), read_only=True)
    rows = con.execute(
        "select measure, service, value, unit from headline_measures where measure in "
        "('fte_in_post', 'headcount_in_post', 'turnover_rate_fte', 'vacancy_rate_fte', "
        "'supervision_compliance', 'audits_good_or_better', 'health_check_response_rate')"
    ).fetchall()
    con.close()
    assert rows
    for measure, service, value, unit in rows:
        shown = str(fmt(value, unit, note=False)).replace("\\", "")
        assert shown in html_text, (measure, service, shown)
    assert "11.6%" in html_text and "13.8%" in html_text  # children's turnover vs national
    assert "DfE Children's social work workforce, reporting-year 2025 release" in html_text.replace(
        "’", "'")


def test_report_direction_words_come_from_intervals(html_text):
    from assets.report.support.language import CHANGE_FRAMES, SIMILAR_FRAMES, frame_patterns

    text = html_text.replace("’", "'")
    patterns = frame_patterns()

    def said(frames, *parts):
        return [m.group(0) for f in frames for m in patterns[f].finditer(text)
                if all(p in m.group(0) for p in parts)]

    assert said(CHANGE_FRAMES, "fell", "16.1% in 2024", "13.0%")  # interval excludes 0
    # interval includes 0: 'similar', with the change in points, in one of its wordings
    found = said(SIMILAR_FRAMES, "41.4%", "36.4%", "a change of −5.0 percentage points")
    assert found and not any(w in found[0] for w in ("rose", "fell", "higher", "lower")), found


def test_report_no_sentence_frame_repeats_more_than_three_times(html_text):
    """Generated statements take turns between wordings (assets/report/support/language.py), so
    no frame, and neither phrase issue 15 found ten and five times, appears more than 3 times."""
    from assets.report.support.language import frame_patterns

    counts = {frame: len(p.findall(html_text)) for frame, p in frame_patterns().items()}
    assert sum(counts.values()) >= 5, counts  # the paper makes such statements
    assert max(counts.values()) <= 3, counts
    assert len(re.findall(r"then, \S+ now", html_text)) <= 3
    assert html_text.count("no national figure on the same definition") <= 3


def test_report_no_suppressed_count_leaks(html):
    for (table, category, service), true_count in SUPPRESSED_COUNTS.items():
        rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S)
        row = next(_text(r) for r in rows if f" {category} " in f" {_text(r)} ")
        cells = row.split(category, 1)[1].split()
        column = {"children": 0, "adults": 1, "all": 2}[service]
        assert cells[column] == "[c]", (table, category, service, row)
        assert cells[column] != str(true_count)


def test_report_shorthand_is_explained(html_text):
    assert "[c] suppressed to protect confidentiality" in html_text


def test_report_no_identifiers_anywhere(html_text, docx_text, pdf_pages):
    for name, text in (("html", html_text), ("docx", docx_text), ("pdf", " ".join(pdf_pages))):
        assert not ID_LIKE.search(text), f"id-like string in the {name} output"


def test_report_every_image_has_alt_text(html):
    images = re.findall(r"<img\b[^>]*>", html)
    assert len(images) >= 8
    for tag in images:
        alt = re.search(r'\balt="([^"]*)"', tag)
        assert alt and alt.group(1).strip(), tag[:120]
        # Alt text says what the chart shows (values, trend), not how it is drawn.
        drawn = re.search(r"\b(solid|hatched|dashed|dotted|circles|squares|diamond|orange|"
                          r"bar chart|line chart|dot chart)\b", alt.group(1), flags=re.I)
        assert not drawn, (drawn.group(0), alt.group(1)[:200])
        assert re.search(r"\d", alt.group(1)), alt.group(1)[:200]  # it states figures


def test_report_pdf_has_pages_and_figures(pdf_pages):
    assert len(pdf_pages) >= 8
    assert "Figure" in " ".join(pdf_pages)


def test_report_annex_has_its_sections_in_every_format(rendered_annex, annex_text, html_text):
    from pypdf import PdfReader

    with zipfile.ZipFile(rendered_annex.outputs["docx"]) as archive:
        docx = _text(archive.read("word/document.xml").decode("utf-8")).replace("’", "'")
    pdf = " ".join(p.extract_text() or "" for p in PdfReader(rendered_annex.outputs["pdf"]).pages)
    pdf = re.sub(r"\s+", " ", pdf).replace("’", "'")
    for heading in ANNEX_SECTIONS:
        assert heading in annex_text.replace("’", "'") and heading in docx and heading in pdf
        assert heading not in html_text, heading  # the Cabinet paper leaves them to the annex


def test_report_annex_defines_measures_in_plain_english(annex_text):
    # The annex prints each measure's plain definition from the registry; the formula, with
    # its notation, is for docs/measures.md.
    from assets.metrics.definitions import MEASURES

    text = annex_text.replace("’", "'")
    for name in ("turnover_rate_fte", "supervision_compliance", "health_check_response_rate"):
        measure = MEASURES[name]
        assert measure.title in text and measure.plain in text, name
        assert measure.calculation not in text, name
    assert "leavers_fte" not in text and "Σ" not in text.split("Choices we made")[0]


def test_report_appendices_show_provenance_and_data_quality(annex_text, html_text):
    assert "HR-014" in annex_text and "hr_workforce.csv" in annex_text
    assert "abababababababab abababababababab" in annex_text  # hash shown in groups
    assert "the council's target of 90%" in html_text.replace("’", "'")


def test_report_uses_only_supported_quarto_features():
    paths = sorted(REPORT_DIR.glob("*.qmd")) + sorted((REPORT_DIR / "sections").glob("*.qmd"))
    paths += sorted((REPORT_DIR / "narrative").glob("*/*.md"))
    assert check_features(paths) == []


def test_report_equality_shows_populations_with_labels(html_text):
    text = html_text.replace("’", "'")
    assert "Equality and diversity of our workforce" in text
    assert "Staff in post" in text and "by ethnicity, both services" in text
    assert "in_post_ethnicity" not in text and "Sex or gender" not in text  # no raw names


def test_report_chart_alt_text_states_values_and_trend(html, docx_text, pdf_pages):
    from assets.report.support.charts import describe_bars, describe_lines

    # Hand-computed: three points, highest first and lowest last.
    assert describe_lines(["2023", "2024", "2025"], {"Children's": [16.1, "13.6", 11.6]}) == (
        "Children's: 16.1% in 2023, 13.6% in 2024, 11.6% in 2025 (highest in 2023, lowest in "
        "2025).")
    assert describe_bars(["Good", "Inadequate"], {"Adults'": [40, "[c]"]}, decimals=0) == (
        "Adults': Good 40, Inadequate [c].")
    trend = re.search(r'<figure id="fig-turnover-trend">.*?alt="([^"]*)"', html, flags=re.S)
    alt = htmllib.unescape(trend.group(1)).replace("’", "'")
    assert re.search(r"Children's: [\d.]+% in 2023, [\d.]+% in 2024, [\d.]+% in 2025 \(highest in"
                     r" \d{4}, lowest in \d{4}\)\.", alt), alt[-300:]
    # The description is alt text only: never left as body text in any format.
    for text in (_text(html), docx_text, " ".join(pdf_pages)):
        assert "psw-alt" not in text and "in 2023, " not in text.replace(alt, "")
