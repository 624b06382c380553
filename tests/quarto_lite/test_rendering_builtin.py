"""Real renders of a small fixture project with the built-in renderer (kernel, pandoc, typst)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pypdf
import pytest

from quarto_lite import RenderError, render_report
from quarto_lite.brand import css_text, load_brand, reference_docx_bytes

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("fixtures") / "project"
PARAMS = {"reporting_year": 2025, "authority_name": "Sample Borough"}
METADATA = {
    "authority": "Sample Borough Council",
    "reporting-year": 2025,
    "date": "1 December 2025",
}
ALT = "Bar chart: children's turnover 14.2%, adults' 9.8%."


def make_project(root: Path) -> Path:
    """The fixture's .qmd files plus the real report's config and brand files."""
    shutil.copytree(FIXTURE, root)
    for name in ("_quarto.yml", "_brand.yml"):
        shutil.copy(REPO / "report" / name, root / name)
    shutil.copytree(REPO / "report" / "brand", root / "brand")
    return root


def render(project: Path, out: Path, formats=("html", "docx", "pdf"), **kwargs):
    return render_report(
        project, "report.qmd", out, "psw", list(formats), PARAMS,
        renderer="builtin", metadata=METADATA, **kwargs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    project = make_project(root / "project")
    result = render(project, root / "out")
    return result


def test_every_format_is_written_with_the_builtin_renderer(rendered):
    assert rendered.renderer == "builtin"
    assert sorted(p.name for p in rendered.outputs.values()) == ["psw.docx", "psw.html", "psw.pdf"]
    assert all(p.stat().st_size > 1000 for p in rendered.outputs.values())
    leftovers = [p.name for p in rendered.outputs["html"].parent.iterdir()]
    assert sorted(leftovers) == ["psw.docx", "psw.html", "psw.pdf"]


def test_html_has_values_table_figure_and_no_external_resources(rendered):
    html = rendered.outputs["html"].read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html)
    # Parameters override the defaults in the parameters cell.
    assert "This is the report for 2025 at Sample Borough." in text
    assert "report for 2000" not in text
    assert "Children’s turnover was 14.2%" in text
    assert "<caption>Table 1: Turnover by service</caption>" in text
    assert '<td style="text-align: left;">Adults</td>' in text
    img = re.search(r"<img [^>]*>", html).group(0)
    assert 'alt="Bar chart: children&#39;s turnover 14.2%, adults&#39; 9.8%."' in img
    assert 'src="data:image/png;base64,' in img
    assert "<figcaption>Figure 1: Turnover rate by service</figcaption>" in html
    assert '<a href="#fig-turnover">Figure 1</a>' in html  # cross-reference
    assert "<strong>Asis marker:</strong>" in html  # output: asis
    assert "Closing paragraph with value 24.0." in html  # include of an include
    assert "import matplotlib" not in html  # echo: false by default
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)
    assert "Sample Borough Council" in html  # authority as author


def test_docx_has_text_and_image_description(rendered):
    with zipfile.ZipFile(rendered.outputs["docx"]) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)
    assert "This is the report for 2025 at Sample Borough." in text
    assert "Table 1: Turnover by service" in text
    assert "Figure 1: Turnover rate by service" in text
    assert 'descr="Bar chart: children&#39;s turnover 14.2%, adults&#39; 9.8%."' in xml


def test_pdf_has_title_page_headings_values_and_tags(rendered):
    reader = pypdf.PdfReader(rendered.outputs["pdf"])
    pages = [page.extract_text() for page in reader.pages]
    assert "Sample Borough Council" in pages[0] and "Reporting year 2025" in pages[0]
    body = "\n".join(pages).replace("\xa0", " ")  # Typst joins "Table 1" with a no-break space
    for expected in ("Introduction", "Workforce", "Turnover chart", "14.2%", "Table 1: Turnover"):
        assert expected in body
    assert "Page 1 of" in body
    assert reader.trailer["/Root"].get("/StructTreeRoot") is not None  # tagged PDF


def test_same_inputs_give_the_same_bytes(rendered, tmp_path):
    again = render(make_project(tmp_path / "project"), tmp_path / "out")
    for fmt, path in rendered.outputs.items():
        assert again.outputs[fmt].read_bytes() == path.read_bytes(), fmt


def test_formats_made_side_by_side_are_the_bytes_of_one_by_one(tmp_path):
    from quarto_lite.render import convert_all, convert_executed, execute_builtin

    project = make_project(tmp_path / "project")
    executed = execute_builtin(project, "report.qmd", tmp_path / "work", PARAMS, METADATA)
    together = tmp_path / "together"
    together.mkdir()
    made = convert_all(executed, ["html", "docx", "pdf"], together)
    for fmt, path in made.items():
        alone = tmp_path / f"alone.{fmt}"
        convert_executed(executed, fmt, alone)
        assert alone.read_bytes() == path.read_bytes(), fmt


def test_a_prestarted_kernel_is_taken_and_changes_no_byte(rendered, tmp_path):
    from quarto_lite import execute

    project = make_project(tmp_path / "project")
    execute.prestart_kernel(project, ["json", "matplotlib.pyplot", "no_such_module_here"])
    again = render(project, tmp_path / "out")
    assert execute._PRESTARTED[str(project.resolve())] == []  # the render took it
    for fmt, path in rendered.outputs.items():
        assert again.outputs[fmt].read_bytes() == path.read_bytes(), fmt


def test_a_prestarted_kernel_binds_no_names(tmp_path):
    from quarto_lite import execute

    part = ("```{python}\n#| output: asis\nprint('json' in globals(), "
            "'__psw_module__' in globals(), 'sys' in globals())\n```\n")
    project = make_small_project(tmp_path / "project", part)
    execute.prestart_kernel(project, ["json", "sys"])
    html = render(project, tmp_path / "out", formats=["html"]).outputs["html"].read_text()
    assert execute._PRESTARTED[str(project.resolve())] == []  # the render took it
    assert "False False False" in html


def make_small_project(root: Path, part: str) -> Path:
    """A quick project (no pandas/matplotlib) whose main file includes sections/part.qmd."""
    make_project(root)
    (root / "report.qmd").write_text(
        "---\ntitle: Small\n---\n\n# Small\n\n{{< include sections/part.qmd >}}\n"
    )
    (root / "sections" / "part.qmd").write_text(part)
    return root


def test_failing_chunk_names_the_chunk_and_line(tmp_path):
    part = "Text.\n\n```{python}\n#| label: broken-sum\nx = 1\ny = x / 0\n```\n"
    project = make_small_project(tmp_path / "project", part)
    out = tmp_path / "out"
    with pytest.raises(RenderError) as caught:
        render(project, out, formats=["html"])
    message = str(caught.value)
    assert "broken-sum" in message and "ZeroDivisionError" in message
    assert "sections/part.qmd, line 6)" in message  # the line of `y = x / 0`
    assert "Traceback" not in message
    assert list(out.iterdir()) == []


def test_failing_inline_expression_is_named(tmp_path):
    project = make_small_project(tmp_path / "project", "Value `{python} no_such_name`.\n")
    with pytest.raises(RenderError, match=r"no_such_name.*part\.qmd, line 1.*NameError"):
        render(project, tmp_path / "out", formats=["html"])


def test_missing_include_names_the_file(tmp_path):
    project = make_project(tmp_path / "project")
    workforce = project / "sections" / "workforce.qmd"
    workforce.write_text(workforce.read_text() + "\n{{< include parts/absent.qmd >}}\n")
    with pytest.raises(RenderError, match=r"sections/parts/absent\.qmd"):
        render(project, tmp_path / "out", formats=["html"])


def test_include_cycle_is_an_error(tmp_path):
    project = make_project(tmp_path / "project")
    chart = project / "sections" / "parts" / "chart.qmd"
    chart.write_text(chart.read_text() + "\n{{< include ../workforce.qmd >}}\n")
    with pytest.raises(RenderError, match=r"Include cycle.*workforce\.qmd"):
        render(project, tmp_path / "out", formats=["html"])


def test_late_failure_leaves_no_partial_outputs(tmp_path):
    project = make_small_project(tmp_path / "project", "```{python}\nx = 1\n```\n\nText.\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "psw.html").write_text("previous report")
    # HTML and DOCX succeed, then the PDF step fails on a broken template.
    (project / "brand" / "typst-template.typ").write_text("#let psw-report(")
    with pytest.raises(RenderError, match="Typst"):
        render(project, out)
    assert sorted(p.name for p in out.iterdir()) == ["psw.html"]
    assert (out / "psw.html").read_text() == "previous report"


def test_list_parameters_are_refused(tmp_path):
    project = make_project(tmp_path / "project")
    with pytest.raises(RenderError, match="single value"):
        render_report(
            project, "report.qmd", tmp_path / "out", "psw", ["html"], {"years": [2024, 2025]},
            renderer="builtin",
        )  # fmt: skip


def test_brand_files_are_generated_from_brand_yml():
    report = REPO / "report"
    brand = load_brand(report)
    assert (report / "brand" / "psw.css").read_text(encoding="utf-8") == css_text(brand)
    assert (report / "brand" / "reference.docx").read_bytes() == reference_docx_bytes(brand)
    assert brand.colours["primary"] == "#1d4f76"
    assert len(brand.chart_colours) == 7


def test_params_are_injected_at_the_top_without_a_parameters_cell(tmp_path):
    project = make_small_project(tmp_path / "project", "Year `{python} reporting_year`.\n")
    result = render(project, tmp_path / "out", formats=["html"])
    assert "<p>Year 2025.</p>" in result.outputs["html"].read_text(encoding="utf-8")


def test_text_printed_in_pieces_is_one_paragraph(tmp_path):
    # Each flush sends a separate stream output, as the kernel's flush timer does under load;
    # stderr in between must not cut the paragraph either. Report code gets a fixed hash seed.
    part = (
        "```{python}\n#| output: asis\nimport os, sys\n"
        "print('Printed in', end='')\nsys.stdout.flush()\n"
        "sys.stderr.write('noise')\nsys.stderr.flush()\n"
        "print(' pieces,')\nsys.stdout.flush()\nprint('one paragraph.')\nprint()\n"
        "print('Hash seed', os.environ.get('PYTHONHASHSEED'))\n```\n"
    )
    project = make_small_project(tmp_path / "project", part)
    html = render(project, tmp_path / "out", formats=["html"]).outputs["html"].read_text(
        encoding="utf-8"
    )
    assert "<p>Printed in pieces, one paragraph.</p>" in re.sub(r"\s+", " ", html)
    assert "<p>Hash seed 0</p>" in html
    assert "noise" not in html
