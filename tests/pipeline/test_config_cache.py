"""load_config keeps a valid settings file per process: a change to the file is still seen, an
invalid one still refused, and no caller can change what the next one gets."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from psw_core.config import load_config, resolve_peers
from psw_core.problems import UnusableInput

ROOT = Path(__file__).resolve().parents[2]


def _config(tmp_path: Path, region: str) -> Path:
    data = yaml.safe_load((ROOT / "data" / "authority.yml").read_text(encoding="utf-8"))
    data.pop("statistical_neighbours", None)
    data["region"] = region
    path = tmp_path / "authority.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_loaded_file_is_kept_until_it_changes(tmp_path):
    path = _config(tmp_path, "North West")
    first = load_config(path)
    first.targets["supervision_compliance"] = 1
    again = load_config(path)
    assert again == load_config(path) and again is not first
    assert again.targets["supervision_compliance"] != 1
    assert resolve_peers(again).region == "North West"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("North West", "North East"), encoding="utf-8")
    assert resolve_peers(load_config(path)).region == "North East"
    path.write_text(text.replace("North West", "Narnia"), encoding="utf-8")
    with pytest.raises(UnusableInput, match="Narnia"):
        load_config(path)
    path.unlink()
    with pytest.raises(UnusableInput, match="not found"):
        load_config(path)
