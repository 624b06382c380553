"""docs/architecture.md "How to add a report section", followed for a toy section: its file in
report/sections/ and one include line in the document; the chunk reads the published snapshot
through the helpers every section uses. Rendered for real (HTML) from a copy of report/."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow

SECTION = textwrap.dedent('''\
    # Mentoring in numbers

    ```{python}
    #| label: mentoring-text
    #| output: asis
    print(f"Children's FTE turnover was {fmt(snap.f('turnover_rate_fte', 'children'))} this year.")
    ```
    ''')


def test_a_new_section_renders_from_its_file_and_its_include(snapshot_path, tmp_path):
    from report_snapshot import YEAR

    from quarto_lite import render_report

    report = tmp_path / "report"
    shutil.copytree(ROOT / "report", report)
    (report / "sections" / "mentoring.qmd").write_text(SECTION, encoding="utf-8")
    main = report / "psw_annual_report.qmd"
    text = main.read_text(encoding="utf-8")
    anchor = "{{< include sections/priorities.qmd >}}"
    assert anchor in text, "the recipe's anchor moved: update docs/architecture.md"
    main.write_text(text.replace(anchor, anchor + "\n\n{{< include sections/mentoring.qmd >}}"),
                    encoding="utf-8")
    result = render_report(
        project_dir=report, main_qmd="psw_annual_report.qmd", out_dir=tmp_path / "out",
        output_stem="paper", formats=["html"], renderer="builtin",
        params={"reporting_year": YEAR, "snapshot": str(snapshot_path),
                "narrative_dir": str(report / "narrative" / str(YEAR)),
                "authority": "Northfield City Council"},
        metadata={"authority": "Northfield City Council", "reporting-year": str(YEAR)})
    html = result.outputs["html"].read_text(encoding="utf-8")
    assert "Mentoring in numbers" in html
    assert "Children&#8217;s FTE turnover was" in html or "Children’s FTE turnover was" in html \
        or "Children's FTE turnover was" in html
