"""Branding from one file, `report/_brand.yml`, for every output format.

- HTML: `report/brand/psw.css` is generated from `_brand.yml` (both renderers use it).
- DOCX: `report/brand/reference.docx` is pandoc's default reference document with the brand's
  fonts, heading colour and UK English, zipped deterministically.
- PDF: the Typst template reads `_brand.yml` itself with Typst's `yaml()`.

Run `python -m quarto_lite.brand [report_dir]` after editing `_brand.yml`; a test fails when
the generated files are out of date.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypandoc
import yaml

from quarto_lite.errors import RenderError

BRAND_FILE = "_brand.yml"
CSS_FILE = "brand/psw.css"
REFERENCE_DOCX = "brand/reference.docx"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest zip date: same bytes on every run


@dataclass(frozen=True)
class Brand:
    authority: str
    colours: dict[str, str]  # role or palette name -> "#rrggbb"
    base_font: str
    heading_font: str
    mono_font: str

    @property
    def chart_colours(self) -> list[str]:
        return [hex_ for name, hex_ in self.colours.items() if name.startswith("chart-")]


def _resolve(value: str, palette: dict[str, str]) -> str:
    return palette.get(value, value)


def load_brand(project_dir: Path) -> Brand:
    path = project_dir / BRAND_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise RenderError(f"Brand file not found: {path}") from None
    colour = data.get("color", {})
    palette = {name: str(value) for name, value in colour.get("palette", {}).items()}
    colours = dict(palette)
    for role in ("foreground", "background", "primary", "secondary", "light"):
        if role in colour:
            colours[role] = _resolve(str(colour[role]), palette)
    typography = data.get("typography", {})
    name = data.get("meta", {}).get("name", {})
    return Brand(
        authority=name.get("full", "") if isinstance(name, dict) else str(name),
        colours=colours,
        base_font=typography.get("base", {}).get("family", "Arial"),
        heading_font=typography.get("headings", {}).get("family", "Arial"),
        mono_font=typography.get("monospace", {}).get("family", "DejaVu Sans Mono"),
    )


def css_text(brand: Brand) -> str:
    c = brand.colours
    variables = "\n".join(f"  --psw-{name}: {value};" for name, value in c.items())
    return f"""/* Generated from _brand.yml by `python -m quarto_lite.brand`. Do not edit by hand. */
/* Chart colours are Okabe-Ito, distinguishable with common colour-vision deficiencies. */
:root {{
{variables}
}}
body {{
  font-family: "{brand.base_font}", Helvetica, sans-serif;
  color: var(--psw-foreground);
  background: var(--psw-background);
  max-width: 46em;
  margin: 0 auto;
  padding: 1em 1.5em 3em;
  line-height: 1.5;
  font-size: 1.05rem;
}}
h1, h2, h3, h4 {{
  font-family: "{brand.heading_font}", Helvetica, sans-serif;
  color: var(--psw-primary);
  line-height: 1.25;
}}
header#title-block-header {{
  border-bottom: 6px solid var(--psw-primary);
  margin-bottom: 1.5em;
}}
p.subtitle {{ font-size: 1.3em; color: var(--psw-secondary); }}
a {{ color: var(--psw-primary); text-decoration: underline; }}
a:focus {{ outline: 3px solid var(--psw-chart-yellow); background: var(--psw-chart-yellow); }}
figure {{ margin: 1.5em 0; }}
figure img {{ max-width: 100%; height: auto; }}
figcaption, caption {{ font-weight: bold; text-align: left; padding: 0.4em 0; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border-bottom: 1px solid var(--psw-secondary); padding: 0.3em 0.8em; }}
th {{ background: var(--psw-light); text-align: left; }}
code, pre {{ font-family: "{brand.mono_font}", monospace; }}
nav#TOC {{ background: var(--psw-light); padding: 0.5em 1.5em; margin-bottom: 2em; }}
body {{ overflow-wrap: break-word; }}
/* A wide table or chart scrolls inside its own box, never the whole page (phones). */
.table-scroll, .figure-scroll {{ overflow-x: auto; max-width: 100%; }}
.table-scroll:focus, .figure-scroll:focus {{ outline: 3px solid var(--psw-chart-yellow); }}
.table-scroll table {{ margin: 0.2em 0; }}
/* Charts are drawn about 1000 px wide: at 620 px or more their labels stay 11 px or larger. */
.figure-scroll img {{ min-width: 620px; }}
.skip-link {{ position: absolute; left: -9999px; }}
.skip-link:focus {{ position: static; display: inline-block; padding: 0.3em;
  background: var(--psw-chart-yellow); color: var(--psw-foreground); }}
@media (max-width: 600px) {{
  body {{ padding: 0.5em 0.8em 2em; font-size: 1rem; }}
  nav#TOC {{ padding: 0.3em 0.8em; }}
  nav#TOC ul {{ padding-left: 1em; }}
  th, td {{ padding: 0.3em 0.5em; }}
}}
@media print {{ body {{ max-width: none; }} .figure-scroll img {{ min-width: 0; }} }}
"""


def _docx_colour(hex_: str) -> str:
    return hex_.lstrip("#").upper()


def reference_docx_bytes(brand: Brand) -> bytes:
    """pandoc's default reference.docx restyled with the brand, as deterministic zip bytes."""
    default = subprocess.run(
        [pypandoc.get_pandoc_path(), "--print-default-data-file", "reference.docx"],
        check=True,
        capture_output=True,
    ).stdout
    primary = _docx_colour(brand.colours.get("primary", "#1d4f76"))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(default)) as source, zipfile.ZipFile(out, "w") as target:
        for name in sorted(source.namelist()):
            data = source.read(name)
            if name == "word/styles.xml":
                text = data.decode("utf-8")
                text = re.sub(r'(<w:color w:val=")[0-9A-Fa-f]{6}(")', rf"\g<1>{primary}\2", text)
                text = text.replace('w:val="en-US"', 'w:val="en-GB"')
                text = text.replace("</w:styles>", _extra_styles(primary) + "</w:styles>")
                text = _table_text_size(text)
                data = text.encode("utf-8")
            elif name == "word/document.xml":
                data = _page_setup(data.decode("utf-8")).encode("utf-8")
            elif name == "word/_rels/document.xml.rels":
                data = data.decode("utf-8").replace(
                    "</Relationships>", "".join(
                        f'<Relationship Type="{_FOOTER_REL}" Id="{rid}" Target="{part}" />'
                        for rid, part in _FOOTERS) + "</Relationships>").encode("utf-8")
            elif name == "[Content_Types].xml":
                data = data.decode("utf-8").replace(
                    "</Types>", "".join(
                        f'<Override PartName="/word/{part}" ContentType="{_FOOTER_TYPE}" />'
                        for _, part in _FOOTERS) + "</Types>").encode("utf-8")
            elif name == "word/theme/theme1.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{brand.base_font}"', text
                )
                text = re.sub(
                    r"(<a:accent1>\s*<a:srgbClr val=\")[0-9A-Fa-f]{6}",
                    rf"\g<1>{primary}",
                    text,
                )
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
        for part, xml in ((_FOOTERS[0][1], _footer_xml(numbered=True)),
                          (_FOOTERS[1][1], _footer_xml(numbered=False))):
            info = zipfile.ZipInfo(f"word/{part}", date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, xml)
    return out.getvalue()


# Page setup, carried by pandoc from the reference document's last w:sectPr into every DOCX:
# A4, 2 cm margins, "Page N of M" in the footer, and no footer on the cover (w:titlePg).
A4_TWIPS = (11906, 16838)
MARGIN_TWIPS = 1134  # 2 cm
TEXT_WIDTH_TWIPS = A4_TWIPS[0] - 2 * MARGIN_TWIPS
_FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_FOOTERS = (("rIdPswFooter", "footer1.xml"), ("rIdPswCoverFooter", "footer2.xml"))
_W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


FOOTER_PARTS = _FOOTERS


def page_setup(document_xml: str) -> str:
    """The last w:sectPr made A4 with 2 cm margins and the two footers (for a DOCX whose
    reference document lacked them: any page size, margins or footers it had are replaced)."""
    sections = list(re.finditer(r"<w:sectPr\b[^>]*?(?:/>|>(.*?)</w:sectPr>)", document_xml, re.S))
    if not sections:
        return document_xml
    last = sections[-1]
    inner = re.sub(r"<w:(?:pgSz|pgMar|footerReference|titlePg)\b[^>]*/>", "", last.group(1) or "")
    return _page_setup(document_xml[:last.start()] + "<w:sectPr>" + inner + "</w:sectPr>"
                       + document_xml[last.end():])


def footer_part_xml(numbered: bool) -> bytes:
    return _footer_xml(numbered)


def _page_setup(document_xml: str) -> str:
    sect = (
        f'<w:sectPr><w:footerReference w:type="default" r:id="{_FOOTERS[0][0]}" />'
        f'<w:footerReference w:type="first" r:id="{_FOOTERS[1][0]}" />'
        f'<w:pgSz w:w="{A4_TWIPS[0]}" w:h="{A4_TWIPS[1]}" />'
        f'<w:pgMar w:top="{MARGIN_TWIPS}" w:right="{MARGIN_TWIPS}" w:bottom="{MARGIN_TWIPS}" '
        f'w:left="{MARGIN_TWIPS}" w:header="567" w:footer="567" w:gutter="0" />'
    )
    head, _, tail = document_xml.rpartition("<w:sectPr>")
    tail = tail.replace("</w:sectPr>", "<w:titlePg /></w:sectPr>", 1)
    return head + sect + tail


def _field(instruction: str, shown: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin" /></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate" /></w:r>'
        f"<w:r><w:t>{shown}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end" /></w:r>'
    )


def _footer_xml(numbered: bool) -> bytes:
    body = (
        '<w:r><w:t xml:space="preserve">Page </w:t></w:r>' + _field("PAGE", "1")
        + '<w:r><w:t xml:space="preserve"> of </w:t></w:r>' + _field("NUMPAGES", "1")
    ) if numbered else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr {_W}><w:p><w:pPr><w:pStyle w:val="Footer" /><w:jc w:val="right" /></w:pPr>'
        f"{body}</w:p></w:ftr>"
    ).encode()


def _toc_style(level: int) -> str:
    indent = (level - 1) * 440
    return (
        f'<w:style w:type="paragraph" w:styleId="TOC{level}"><w:name w:val="toc {level}" />'
        '<w:basedOn w:val="Normal" /><w:next w:val="Normal" /><w:uiPriority w:val="39" />'
        '<w:unhideWhenUsed /><w:pPr><w:tabs>'
        f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH_TWIPS}" /></w:tabs>'
        f'<w:spacing w:before="{120 if level == 1 else 0}" w:after="60" />'
        f'<w:ind w:left="{indent}" /></w:pPr>'
        + ('<w:rPr><w:b /></w:rPr>' if level == 1 else "") + "</w:style>"
    )


def _extra_styles(primary: str) -> str:
    """Styles pandoc's default reference lacks: contents entries and the footer."""
    footer = (
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer" />'
        '<w:basedOn w:val="Normal" /><w:uiPriority w:val="99" /><w:unhideWhenUsed />'
        '<w:pPr><w:tabs><w:tab w:val="center" w:pos="4513" /><w:tab w:val="right" '
        'w:pos="9026" /></w:tabs></w:pPr>'
        f'<w:rPr><w:color w:val="{primary}" /><w:sz w:val="18" /></w:rPr></w:style>'
    )
    return _toc_style(1) + _toc_style(2) + footer


def _table_text_size(styles_xml: str) -> str:
    """Table text at 10 pt (the "Table" table style), so more columns fit a page."""
    return re.sub(r'(<w:style w:type="table" w:default="1" w:styleId="Table">.*?)(<w:tblPr>)',
                  r'\1<w:rPr><w:sz w:val="20" /><w:szCs w:val="20" /></w:rPr>\2', styles_xml,
                  count=1, flags=re.S)


def write_brand_files(project_dir: Path) -> list[Path]:
    """Regenerate the CSS and reference.docx from `_brand.yml`; return the files written."""
    brand = load_brand(project_dir)
    css = project_dir / CSS_FILE
    docx = project_dir / REFERENCE_DOCX
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(css_text(brand), encoding="utf-8")
    docx.write_bytes(reference_docx_bytes(brand))
    return [css, docx]


if __name__ == "__main__":
    report_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("report")
    for written in write_brand_files(report_dir):
        print(f"wrote {written}")
