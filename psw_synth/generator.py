"""`psw synth`: writes a fictional authority's extracts in the docs/design.md §3 contract.

generate() simulates one employment history per authority and cuts each requested reporting
year's extracts from it; write_sample() regenerates the committed sample in data/raw/.
Same seed and arguments give byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from assets.candidate.contract import EXTRACTS as CONTRACT_EXTRACTS
from psw_core.config import AuthorityConfig
from psw_synth import calibration as cal
from psw_synth import extracts as ex
from psw_synth import survey
from psw_synth.census import census_year
from psw_synth.faults import plant_faults
from psw_synth.history import simulate_history

REPO_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_RAW_DIR = REPO_ROOT / "data" / "raw"
SAMPLE_MANIFEST = REPO_ROOT / "data" / "sample_manifest.json"
SAMPLE_SEED = 20250930
SAMPLE_YEARS = (2022, 2023, 2024, 2025)
# Sample years written as a council holds them: the children's workforce as a CSWW census return
# in the layout of its year, so `make report` runs the census path every time (issue #12). Only a
# year before the ones other work quotes: a year's files never depend on the other years'.
SAMPLE_CENSUS = {2022: "2021-2023"}
# Sample years whose health check is the LGA's aggregate report instead of respondent rows.
SAMPLE_SURVEY_AGGREGATE = (2022,)
SAMPLE_CONFIG = AuthorityConfig(name="Northfield City Council", code="NFC")
GENERATOR_NAME = "psw synth"

# The history always starts here (or earlier if asked for earlier years), so a year's files do
# not depend on which other years were requested. 2017 is the first year of the DfE
# individual-level CSWW series that calibrates it.
HISTORY_START_YEAR = 2017

# How each file is written: (encoding, line ending). Real exports differ: the survey tool
# exports Windows-1252 with CRLF; everything else is UTF-8 with LF.
# The extracts are the contract's (assets/candidate/contract.py); each has its own random
# stream, numbered by its place here. Append a new extract, never reorder: the committed
# sample's bytes depend on the numbers (tests/synth/test_synth_sample.py).
EXTRACTS = ("hr_workforce", "hr_vacancies", "learning", "supervision", "health_check_responses",
            "health_check_items", "health_check_invited", "caseload", "assessments", "audits")
# Written only on request: the survey as an aggregate report instead of respondent rows.
OPTIONAL_EXTRACTS = ("health_check_aggregate",)
if set(EXTRACTS) | set(OPTIONAL_EXTRACTS) != set(CONTRACT_EXTRACTS):  # an extract without a generator
    raise ImportError("psw_synth has no generator for "
                      f"{sorted(set(CONTRACT_EXTRACTS) ^ set(EXTRACTS) ^ set(OPTIONAL_EXTRACTS))}")
FILE_FORMAT = {name: ("utf-8", "\n") for name in EXTRACTS + OPTIONAL_EXTRACTS} | {
    "health_check_responses": ("cp1252", "\r\n"),
}


def generate(
    out_dir: Path,
    years: list[int],
    seed: int,
    scale: float = 1.0,
    authorities: int = 1,
    faults: bool = False,
    config: AuthorityConfig | None = None,
    survey_aggregate: bool | Collection[int] = False,
    census_layout: str | Mapping[int, str] | None = None,
) -> list[Path]:
    """Writes `<out>/<year>/<extract>.csv` (or `<out>/<code>/<year>/…` for several authorities)
    and, with `faults`, `<out>/faults.json`. Returns the files written. `survey_aggregate`
    writes the health check as the LGA's aggregate report instead of respondent rows (True: every
    year; or the years to write so); `census_layout` (2021-2023, 2024 or 2025) writes the
    children's workforce as a CSWW census return `social_work_workforce_<year>.xml` in that
    layout (a layout for every year, or a mapping year -> layout for some years only)."""
    out_dir = Path(out_dir)
    years = sorted(set(int(y) for y in years))
    if not years:
        raise ValueError("give at least one reporting year")
    if seed < 0 or scale <= 0 or authorities < 1:
        raise ValueError("seed must be >= 0, scale > 0 and authorities >= 1")
    base = config or SAMPLE_CONFIG
    written: list[Path] = []
    planted: list[dict] = []
    for index in range(authorities):
        if authorities == 1:
            authority, root = base, out_dir
        else:
            code = f"A{index + 1:03d}"
            authority = replace(base, code=code, name=f"Synthetic Authority {code}")
            root = out_dir / code
        files, found = generate_authority(
            root, authority, years, seed, index, scale, authorities > 1, faults, survey_aggregate,
            census_layout,
        )
        written += files
        prefix = root.relative_to(out_dir).as_posix()
        planted += [
            {**f, "file": f["file"] if prefix == "." else f"{prefix}/{f['file']}"} for f in found
        ]
    if faults:
        path = out_dir / "faults.json"
        path.write_text(json.dumps(planted, indent=2) + "\n", encoding="utf-8", newline="\n")
        written.append(path)
    return written


def generate_authority(
    root: Path, config: AuthorityConfig, years: list[int], seed: int, index: int, scale: float,
    varied: bool, faults: bool, survey_aggregate: bool | Collection[int] = False,
    census_layout: str | Mapping[int, str] | None = None,
) -> tuple[list[Path], list[dict]]:
    """One authority's years. `varied`: draw this authority's size and rates around the
    reference (used when generating many authorities)."""
    rng = np.random.default_rng([seed, index])
    size = float(np.exp(rng.normal(-cal.AUTHORITY_SIZE_SIGMA**2 / 2, cal.AUTHORITY_SIZE_SIGMA)))
    offsets = rng.normal(0.0, cal.AUTHORITY_RATE_SD, 2)
    if not varied:
        size, offsets = 1.0, np.zeros(2)
    headcount = {
        "children": cal.CHILDREN_HEADCOUNT * scale * size,
        "adults": cal.ADULTS_HEADCOUNT * scale * size,
    }
    rate_offset = {"children": float(offsets[0]), "adults": float(offsets[1])}
    ids = ex.id_scheme(rng, config.code)
    spells = simulate_history(
        rng, config, min(HISTORY_START_YEAR, years[0]), years[-1] + 1, headcount, rate_offset
    )
    written: list[Path] = []
    planted: list[dict] = []
    for year in years:
        frames = year_extracts(spells, config, year, seed, index, ids)
        if faults:
            fault_rng = np.random.default_rng([seed, index, year, len(EXTRACTS)])
            found = plant_faults(frames, ex.reporting_year(config, year), ids, fault_rng)
            planted += [{**f, "file": f"{year}/{f['file']}"} for f in found]
        if survey_aggregate is True or (survey_aggregate and year in survey_aggregate):
            frames["health_check_aggregate"] = survey.aggregate(
                frames.pop("health_check_responses"), frames["health_check_items"])
        layout = (census_layout.get(year) if isinstance(census_layout, Mapping)
                  else census_layout)
        if layout:
            yr = ex.reporting_year(config, year)
            xml, frames = census_year(frames, year, layout, str(ex.as_date(yr.p0)),
                                      str(ex.as_date(yr.r)))
            path = root / str(year) / f"social_work_workforce_{year}.xml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(xml)
            written.append(path)
        written += write_year(root / str(year), frames)
    return written, planted


def year_extracts(spells, config: AuthorityConfig, year: int, seed: int, index: int,
                  ids: ex.IdScheme) -> dict[str, pd.DataFrame]:
    """All ten extracts of one reporting year, each from its own random stream."""
    yr = ex.reporting_year(config, year)
    streams = {
        name: np.random.default_rng([seed, index, year, k]) for k, name in enumerate(EXTRACTS)
    }
    ros = ex.roster(spells, yr)
    alloc = ex.caseload(ros, yr, ids, streams["caseload"])
    invited = survey.invited(ros)
    return {
        "hr_workforce": ex.hr_workforce(ros, yr, ids, streams["hr_workforce"]),
        "hr_vacancies": ex.hr_vacancies(ros, yr, streams["hr_vacancies"]),
        "learning": ex.learning(ros, yr, ids, streams["learning"]),
        "supervision": ex.supervision(ros, yr, ids, streams["supervision"]),
        "health_check_responses": survey.responses(
            ros, invited, yr, ids, streams["health_check_responses"]
        ),
        "health_check_items": survey.health_check_items(),
        "health_check_invited": invited,
        "caseload": ex.caseload_extract(alloc, yr, ids),
        "assessments": ex.assessments(alloc, ros, yr, ids, streams["assessments"]),
        "audits": ex.audits(alloc, ros, yr, ids, streams["audits"]),
    }


def write_year(folder: Path, frames: dict[str, pd.DataFrame]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in frames.items():
        encoding, line_end = FILE_FORMAT[name]
        path = folder / f"{name}.csv"
        text = frame.to_csv(index=False, lineterminator=line_end)
        path.write_bytes(text.encode(encoding))  # strict: a character cp1252 lacks is a bug
        paths.append(path)
    return paths


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sample_manifest(raw_dir: Path, files: list[Path]) -> dict:
    return {
        "generator": GENERATOR_NAME,
        "seed": SAMPLE_SEED,
        "years": list(SAMPLE_YEARS),
        "files": {p.relative_to(raw_dir).as_posix(): sha256(p) for p in sorted(files)},
    }


def write_sample(raw_dir: Path = SAMPLE_RAW_DIR, manifest_path: Path = SAMPLE_MANIFEST) -> dict:
    """Regenerates the committed Northfield City Council sample and its manifest."""
    files = generate(raw_dir, list(SAMPLE_YEARS), SAMPLE_SEED, config=SAMPLE_CONFIG,
                     survey_aggregate=SAMPLE_SURVEY_AGGREGATE, census_layout=SAMPLE_CENSUS)
    manifest = sample_manifest(Path(raw_dir), files)
    Path(manifest_path).write_text(
        json.dumps(manifest, indent=2) + "\n", encoding="utf-8", newline="\n"
    )
    return manifest
