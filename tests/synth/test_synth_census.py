"""`psw synth --census-layout`: a year written as a council holds it, the children's workforce
as a CSWW census return in the chosen layout, and it validates clean."""

from __future__ import annotations

import pytest

from assets.candidate.validate import format_text, validate_folder
from psw_synth import generate
from psw_synth.generator import SAMPLE_CONFIG


@pytest.mark.parametrize(("year", "layout", "marks"), [
    (2022, "2021-2023", ("<GenderCurrent>", "<LALevelVacancies>", "<CFKSSstatus>")),
    (2025, "2025", ("<Sex>", "<LALevel>")),
])
def test_a_census_year_validates_clean_and_leaves_the_other_files_alone(tmp_path, year, layout,
                                                                         marks):
    plain = generate(tmp_path / "plain", [year], seed=7, scale=0.3, config=SAMPLE_CONFIG)
    census = generate(tmp_path / "census", [year], seed=7, scale=0.3, config=SAMPLE_CONFIG,
                      census_layout=layout)
    xml = tmp_path / "census" / str(year) / f"social_work_workforce_{year}.xml"
    assert xml in census
    text = xml.read_text(encoding="utf-8")
    assert all(mark in text for mark in marks)
    if layout == "2025":
        assert "<CFKSSstatus>" not in text and "<QualInst>" not in text
    # only the HR files change: the children's rows moved into the census return
    for path in plain:
        twin = tmp_path / "census" / path.relative_to(tmp_path / "plain")
        if path.name.startswith("hr_"):
            assert "children" not in twin.read_text(encoding="utf-8")
        else:
            assert twin.read_bytes() == path.read_bytes(), path.name
    report = validate_folder(tmp_path / "census" / str(year), SAMPLE_CONFIG)
    assert report.exit_code == 0, format_text(report)
    assert not [p for p in report.problems if p.rule.startswith(("CSWW", "XEX"))]
    assert report.rows[xml.name] == text.count("<CSWWWorker>")
