"""The committed sample is exactly what `psw synth --sample` regenerates (docs/design.md §2: psw build
trusts data/raw only when every file's SHA-256 is in data/sample_manifest.json)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from assets.candidate.contract import EXTRACTS as CONTRACT_EXTRACTS
from psw_synth import SAMPLE_SEED, SAMPLE_YEARS, generate
from psw_synth.generator import OPTIONAL_EXTRACTS, SAMPLE_CONFIG, write_sample

REPO = Path(__file__).resolve().parents[2]
RAW = REPO / "data" / "raw"
MANIFEST = REPO / "data" / "sample_manifest.json"
# the contract is the one list of extracts; the sample writes all but the optional ones
EXTRACTS = set(CONTRACT_EXTRACTS) - set(OPTIONAL_EXTRACTS)


def test_regeneration_is_byte_identical_to_the_committed_sample(tmp_path):
    written = generate(tmp_path, list(SAMPLE_YEARS), SAMPLE_SEED, config=SAMPLE_CONFIG)
    assert len(written) == len(SAMPLE_YEARS) * len(EXTRACTS)
    for path in written:
        relative = path.relative_to(tmp_path)
        assert path.read_bytes() == (RAW / relative).read_bytes(), relative


def test_manifest_lists_every_sample_file_with_its_hash():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert manifest["generator"] == "psw synth"
    assert manifest["seed"] == SAMPLE_SEED
    assert manifest["years"] == list(SAMPLE_YEARS)
    on_disk = {
        p.relative_to(RAW).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for year in SAMPLE_YEARS for p in (RAW / str(year)).glob("*.csv")
    }
    assert manifest["files"] == on_disk
    assert {Path(name).stem for name in on_disk} == EXTRACTS


def test_write_sample_reproduces_the_manifest(tmp_path):
    manifest = write_sample(tmp_path / "raw", tmp_path / "manifest.json")
    committed = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert manifest == committed
    assert (tmp_path / "manifest.json").read_bytes() == MANIFEST.read_bytes()
