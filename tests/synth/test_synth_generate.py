"""generate(): determinism, year independence, many authorities and the command line."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from psw_synth import generate
from psw_synth.__main__ import main, parse_years


def digest(paths) -> dict[str, str]:
    return {p.name + p.parent.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_same_arguments_give_identical_files(tmp_path):
    a = generate(tmp_path / "a", [2024], 3, scale=0.3)
    b = generate(tmp_path / "b", [2024], 3, scale=0.3)
    c = generate(tmp_path / "c", [2024], 4, scale=0.3)
    assert digest(a) == digest(b)
    assert digest(a) != digest(c)


def test_a_year_does_not_depend_on_which_other_years_were_asked_for(tmp_path):
    alone = generate(tmp_path / "alone", [2024], 5, scale=0.3)
    several = [p for p in generate(tmp_path / "all", [2023, 2024, 2025], 5, scale=0.3)
               if p.parent.name == "2024"]
    assert digest(alone) == digest(several)


def test_many_authorities_have_their_own_folders_codes_and_sizes(tmp_path):
    files = generate(tmp_path, [2025], 9, scale=0.5, authorities=4)
    assert {p.parent.parent.name for p in files} == {"A001", "A002", "A003", "A004"}
    sizes = []
    for code in ("A001", "A002", "A003", "A004"):
        hr = pd.read_csv(tmp_path / code / "2025" / "hr_workforce.csv")
        assert hr["worker_id"].str.startswith(f"{code}-W-").all()
        sizes.append(len(hr))
    assert len(set(sizes)) == 4


def test_scale_multiplies_the_workforce(tmp_path):
    small = pd.read_csv(generate(tmp_path / "s", [2025], 2, scale=0.5)[0])
    large = pd.read_csv(generate(tmp_path / "l", [2025], 2, scale=2.0)[0])
    assert 3 <= len(large) / len(small) <= 5


def test_parse_years():
    assert parse_years("2023-2025") == [2023, 2024, 2025]
    assert parse_years("2025") == [2025]
    assert parse_years("2023,2025") == [2023, 2025]


def test_command_line_writes_years_and_faults(tmp_path, capsys):
    assert main(["--out", str(tmp_path), "--years", "2024-2025", "--seed", "1",
                 "--scale", "0.3", "--faults"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2024", "2025", "faults.json"]
    faults = json.loads((tmp_path / "faults.json").read_text(encoding="utf-8"))
    assert {f["file"].split("/")[0] for f in faults} == {"2024", "2025"}
    assert "wrote" in capsys.readouterr().out


def test_bad_arguments_exit_with_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["--out", str(tmp_path), "--years", "2025-2023"])
    assert exc.value.code == 2
