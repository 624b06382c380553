"""Who we are: dfe_la_code gives region and ten neighbours in DfE's order; either can be set by
hand; a bad code, region or neighbour is an error naming the setting."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from psw_core.config import load_config, resolve_peers
from psw_core.dfe_reference import DFE_DIR, NEIGHBOURS_FILE
from psw_core.problems import UnusableInput

ROOT = Path(__file__).resolve().parents[2]
MODEL = pd.read_csv(DFE_DIR / NEIGHBOURS_FILE, dtype=str, encoding="utf-8-sig")


def _config(tmp_path, **settings):
    data = yaml.safe_load((ROOT / "data" / "authority.yml").read_text(encoding="utf-8"))
    for key in ("region", "statistical_neighbours", "peers_illustrative"):
        data.pop(key, None)
    data.update(settings)
    path = tmp_path / "authority.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["Gateshead", "Barnet", "York"])
def test_code_gives_region_and_neighbours_in_dfe_order(tmp_path, name):
    row = MODEL[MODEL["la_name"] == name].iloc[0]
    peers = resolve_peers(load_config(_config(tmp_path, dfe_la_code=int(row["old_la_code"]))))
    assert peers.la_code == row["old_la_code"]
    assert peers.region == row["region_name"].strip()
    assert peers.neighbours == tuple(row[f"SN_{i}"].strip() for i in range(1, 11))
    assert (peers.region_from, peers.neighbours_from) == ("DfE neighbour model",) * 2
    assert not peers.illustrative


def test_region_and_neighbours_can_be_set_by_hand(tmp_path):
    path = _config(tmp_path, dfe_la_code="390", region="North West",
                   statistical_neighbours=["355", 350])
    peers = resolve_peers(load_config(path))
    assert peers.region == "North West" and peers.neighbours == ("355", "350")
    assert (peers.region_from, peers.neighbours_from) == ("authority.yml", "authority.yml")


def test_the_sample_is_illustrative_with_no_dfe_code():
    peers = resolve_peers(load_config(ROOT / "data" / "authority.yml"))
    assert peers.la_code is None and peers.illustrative
    assert peers.region and len(peers.neighbours) == 10


def test_nothing_set_means_no_comparison_group(tmp_path):
    assert resolve_peers(load_config(_config(tmp_path))) is None


@pytest.mark.parametrize(
    ("settings", "named", "value"),
    [
        ({"dfe_la_code": "999"}, "dfe_la_code", "999"),
        ({"dfe_la_code": "390", "region": "Northumbria"}, "region", "Northumbria"),
        ({"region": "North East", "statistical_neighbours": ["390", "123"]},
         "statistical_neighbours", "'123'"),
        ({"dfe_la_code": "390", "statistical_neighbours": ["391", "391"]},
         "statistical_neighbours", "listed twice"),
        ({"dfe_la_code": "390", "statistical_neighbours": ["391", "390"]},
         "statistical_neighbours", "own code"),
    ],
)
def test_a_bad_setting_is_an_error_naming_it(tmp_path, settings, named, value):
    with pytest.raises(UnusableInput) as err:
        load_config(_config(tmp_path, **settings))
    message = str(err.value)
    assert f"Setting '{named}' is invalid" in message
    assert value in message
    assert "authority.yml" in message
