"""The intruder test on the sample (docs/design.md §4, docs/disclosure-control.md): every year of the
session's real `psw build` of the committed sample, attacked through its published
tables (`build/<year>/published.duckdb`), exactly as a reader holding every published number
could. The random small authorities are in tests/published/test_published_intruder.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

from psw_core.config import load_config

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "intruder", Path(__file__).resolve().parents[1] / "published" / "intruder.py")
intruder = sys.modules.setdefault("intruder", importlib.util.module_from_spec(_spec))
if not hasattr(intruder, "attack"):
    _spec.loader.exec_module(intruder)

YEARS = sorted(int(p.name) for p in (ROOT / "data" / "raw").iterdir() if p.name.isdigit())


def _threshold() -> int:
    return load_config(ROOT / "data" / "authority.yml").suppression_threshold


@pytest.mark.slow
@pytest.mark.parametrize("year", YEARS)
def test_intruder_on_the_sample_year(sample_build, year):
    path = sample_build / "build" / str(year) / "published.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.columns where table_schema = 'main' "
            "and column_name = 'reporting_year'").fetchall()]
        tables = {name: con.execute(f"select * from main.{name} where reporting_year = ?",
                                    [year]).df() for name in names}
    threshold = _threshold()
    hidden = sum(int((t["count"].astype(str) == "[c]").sum()) for t in tables.values()
                 if "count" in t)
    assert hidden > 0, "the sample should need suppression"
    system = intruder.relations(tables)
    failures = [str(f) for f in intruder.attack(tables, threshold, system)]
    failures += [f"zero pattern {z}" for z in intruder.zero_patterns(tables, system)]
    failures += [f"group disclosure {g}" for g in intruder.group_patterns(tables, threshold)]
    assert not failures, "\n".join(failures)
