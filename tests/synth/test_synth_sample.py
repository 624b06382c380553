"""The committed sample is exactly what `psw synth --sample` regenerates (docs/design.md §2: psw build
trusts data/raw only when every file's SHA-256 is in data/sample_manifest.json)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from assets.candidate.contract import EXTRACTS as CONTRACT_EXTRACTS
from psw_synth import SAMPLE_SEED, SAMPLE_YEARS, generate
from psw_synth.generator import (
    OPTIONAL_EXTRACTS,
    SAMPLE_CENSUS,
    SAMPLE_CONFIG,
    SAMPLE_SURVEY_AGGREGATE,
    write_sample,
)

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
MANIFEST = REPO / "data" / "sample_manifest.json"
# the contract is the one list of extracts; the sample writes all but the optional ones
EXTRACTS = set(CONTRACT_EXTRACTS) - set(OPTIONAL_EXTRACTS)


def _files_of(year: int) -> set[str]:
    """The files a sample year holds: the census year's children's workforce is a census
    return named as councils name it (found by content, not by name), and an aggregate-survey
    year holds the LGA's aggregate report instead of respondent rows."""
    names = {f"{e}.csv" for e in EXTRACTS}
    if year in SAMPLE_SURVEY_AGGREGATE:
        names = names - {"health_check_responses.csv"} | {"health_check_aggregate.csv"}
    if year in SAMPLE_CENSUS:
        names |= {f"social_work_workforce_{year}.xml"}
    return names


def test_regeneration_is_byte_identical_to_the_committed_sample(tmp_path):
    written = generate(tmp_path, list(SAMPLE_YEARS), SAMPLE_SEED, config=SAMPLE_CONFIG,
                       survey_aggregate=SAMPLE_SURVEY_AGGREGATE, census_layout=SAMPLE_CENSUS)
    assert len(written) == sum(len(_files_of(y)) for y in SAMPLE_YEARS)
    for path in written:
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (RAW / relative).read_bytes(), relative


def test_the_sample_has_a_census_year_before_the_quoted_years():
    """`make report` runs the census path every time (issue #12), on a year before 2023 so the
    2023-2025 figures other work quotes do not move; its children's workforce is in the census
    return only."""
    assert SAMPLE_CENSUS and max(SAMPLE_CENSUS) < 2023
    for year, layout in SAMPLE_CENSUS.items():
        xml = (RAW / str(year) / f"social_work_workforce_{year}.xml").read_text(encoding="utf-8")
        assert xml.count("<CSWWWorker>") > 100 and "<Collection>CSWW</Collection>" in xml
        assert ("<GenderCurrent>" in xml) == (layout == "2021-2023")
        hr = (RAW / str(year) / "hr_workforce.csv").read_text(encoding="utf-8")
        assert "children" not in hr and "adults" in hr


def test_regeneration_does_not_depend_on_the_other_years(tmp_path):
    """Adding the census year left the quoted years' files as they were."""
    written = generate(tmp_path, [2023], SAMPLE_SEED, config=SAMPLE_CONFIG)
    for path in written:
        assert path.read_bytes() == (RAW / path.relative_to(tmp_path)).read_bytes(), path.name


def test_manifest_lists_every_sample_file_with_its_hash():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["generator"] == "psw synth"
    assert manifest["seed"] == SAMPLE_SEED
    assert manifest["years"] == list(SAMPLE_YEARS)
    on_disk = {
        p.relative_to(RAW).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for year in SAMPLE_YEARS for p in (RAW / str(year)).iterdir()
    }
    assert manifest["files"] == on_disk
    for year in SAMPLE_YEARS:
        assert {Path(n).name for n in on_disk if n.startswith(f"{year}/")} == _files_of(year)


def test_write_sample_reproduces_the_manifest(tmp_path):
    manifest = write_sample(tmp_path / "raw", tmp_path / "manifest.json")
    committed = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert manifest == committed
    assert (tmp_path / "manifest.json").read_bytes() == MANIFEST.read_bytes()
