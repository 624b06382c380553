"""Repository hygiene: only the listed synthetic sample lives under data/raw/, and the
authority settings are validated."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from psw_core.config import load_config
from psw_core.problems import UnusableInput

ROOT = Path(__file__).resolve().parents[2]


def _tracked_raw_files() -> list[Path]:
    done = subprocess.run(["git", "ls-files", "data/raw"], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    return [ROOT / line for line in done.stdout.split()]


def test_every_tracked_raw_file_is_in_the_sample_manifest():
    manifest = json.loads((ROOT / "data/sample_manifest.json").read_text())["files"]
    unlisted = []
    for path in _tracked_raw_files():
        rel = path.relative_to(ROOT / "data/raw").as_posix()
        if manifest.get(rel) != hashlib.sha256(path.read_bytes()).hexdigest():
            unlisted.append(rel)
    assert unlisted == [], f"files under data/raw/ not in data/sample_manifest.json: {unlisted}"


def test_sample_config_loads():
    config = load_config(ROOT / "data/authority.yml")
    assert config.name == "Northfield City Council"
    assert config.reference_date(2025).isoformat() == "2025-09-30"
    assert config.period_start(2025).isoformat() == "2024-10-01"


def test_financial_period():
    config = load_config(ROOT / "data/authority.yml")
    fin = type(config)(**{**config.__dict__, "period": "financial"})
    assert (fin.period_start(2025).isoformat(), fin.reference_date(2025).isoformat()) == (
        "2024-04-01", "2025-03-31")


_BASE = ("name: X\ncode: X\nnation: england\nperiod: dfe\ntargets: {supervision_compliance: "
         "90, asye_caseload_cap: 10}\ntimescales: {}\nsuppression_threshold: 5\n"
         "benchmark_vintage: v\n")


def test_asye_supervision_schedule_defaults_to_the_framework(tmp_path):
    path = tmp_path / "authority.yml"
    path.write_text(_BASE)
    default = load_config(path).asye_supervision
    assert load_config(ROOT / "data/authority.yml").asye_supervision == list(default)
    assert [p.get("until") for p in default] == [{"weeks": 6}, {"months": 6}, None]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("name: X\ncode: X\nnation: scotland\n", "nation"),
        ("name: X\ncode: X\nnation: england\nperiod: dfe\ntargets: {supervision_compliance: 90, "
         "asye_caseload_cap: 10}\ntimescales: {}\nsuppression_threshold: -1\nbenchmark_vintage: v\n",
         "suppression_threshold"),
        ("name: [unclosed\n", "YAML"),
        # ASYE supervision schedule: a span is days, weeks or months; only the last phase runs
        # on without `until`.
        (_BASE + "asye_supervision: [{every: {fortnights: 1}}]\n", "asye_supervision"),
        (_BASE + "asye_supervision: [{every: {days: 7}}, {until: {months: 6}, "
         "every: {months: 1}}]\n", "asye_supervision"),
    ],
)
def test_bad_config_names_the_setting(tmp_path, text, needle):
    path = tmp_path / "authority.yml"
    path.write_text(text)
    with pytest.raises(UnusableInput) as err:
        load_config(path)
    assert needle in str(err.value)
