"""The feature allow-list: the fixture and the real report pass; each unsupported feature is named."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarto_lite import check_features

REPO = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("fixtures") / "project"


def test_fixture_project_uses_only_supported_features():
    assert check_features(sorted(FIXTURE.rglob("*.qmd"))) == []


def test_real_report_uses_only_supported_features():
    paths = sorted((REPO / "report").rglob("*.qmd"))
    if not paths:
        pytest.skip("report/ has no .qmd files yet")
    assert check_features(paths) == []


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("::: {.panel-tabset}\n## A\n\ntext\n:::\n", "tabset"),
        ("::: {.callout-note}\nNote this.\n:::\n", "callout block"),
        ('<div class="x">raw html</div>\n', "raw HTML"),
        ("Inline <b>bold</b> html.\n", "raw HTML"),
        ("Some maths $x^2$.\n", "TeX maths"),
        ("```{r}\n1 + 1\n```\n", "{r} chunk"),
        ("```{python}\n#| fig-width: 6\n1\n```\n", "chunk option 'fig-width'"),
        ("```{python}\n#| label: fig-x\n#| fig-cap: A chart\n1\n```\n", "no fig-alt"),
        ("{{< meta title >}}\n", "shortcode {{< meta >}}"),
        ("See @fig-nowhere.\n", "@fig-nowhere refers to no figure"),
        ("![](chart.png)\n", "no caption or fig-alt"),
        ("[span]{.highlight}\n", "span"),
        ("[caps]{.smallcaps}\n", "small caps"),
    ],
)
def test_unsupported_feature_is_named_with_file(tmp_path, snippet, expected):
    qmd = tmp_path / "section.qmd"
    qmd.write_text("# A section\n\nSome text.\n\n" + snippet, encoding="utf-8")
    problems = check_features([qmd])
    assert problems, snippet
    assert any(expected in problem and "section.qmd" in problem for problem in problems), problems


def test_display_code_and_include_lines_are_allowed(tmp_path):
    qmd = tmp_path / "ok.qmd"
    qmd.write_text(
        "---\ntitle: x\n---\n\n{{< include other.qmd >}}\n\n"
        "```python\n{{< meta not-a-shortcode-here >}}\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n: Caption {#tbl-a}\n\nSee @tbl-a.\n",
        encoding="utf-8",
    )
    assert check_features([qmd]) == []
