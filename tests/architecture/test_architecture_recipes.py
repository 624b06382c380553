"""The recipes in docs/architecture.md work as written: each test copies the code into a
temporary tree, adds a toy item by following its recipe (and touching nothing else), and runs
the real pipeline code on it in a fresh interpreter."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = ("psw_core", "quarto_lite", "assets", "pipelines", "psw_synth", "expectations", "report")

pytestmark = pytest.mark.slow


def _tree(dest: Path) -> Path:
    for name in CODE:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", dest / "data", ignore=shutil.ignore_patterns("raw"))
    return dest


def _run(tree: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree), "GX_ANALYTICS_ENABLED": "false"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path}: the recipe's anchor {old!r} has moved; update the recipe"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_adding_an_extract_takes_its_contract_entry_its_suite_and_its_generator(tmp_path):
    tree = _tree(tmp_path / "tree")
    # 1. the contract entry
    _edit(tree / "assets/candidate/contract.py", "# Reading order:", textwrap.dedent('''\
        MENTORING = ExtractSpec(
            name="mentoring",
            grain="one row per mentoring session",
            section="learning",
            columns=(_WORKER, _c("session_date", "date", required=True, not_null=True)),
        )

        # Reading order:'''))
    _edit(tree / "assets/candidate/contract.py", "HEALTH_CHECK_AGGREGATE)\n",
          "HEALTH_CHECK_AGGREGATE, MENTORING)\n")
    # 2. its suite
    rule = {"rule": "MEN-001", "severity": "error", "why": "A session must name its worker.",
            "action": "Fill in worker_id."}
    suite = {"name": "mentoring", "expectations": [
        {"type": "expect_column_to_exist", "kwargs": {"column": c},
         "meta": {**rule, "rule": "MEN-000"}, "severity": "critical"}
        for c in ("worker_id", "session_date")] + [
        {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "worker_id"},
         "meta": rule, "severity": "critical"}]}
    (tree / "expectations/mentoring.json").write_text(json.dumps(suite, indent=2), "utf-8")
    # 3. its generator (an optional one: the committed sample's bytes stay as they are)
    _edit(tree / "psw_synth/generator.py", 'OPTIONAL_EXTRACTS = ("health_check_aggregate",)',
          'OPTIONAL_EXTRACTS = ("health_check_aggregate", "mentoring")')

    year = tmp_path / "raw" / "2025"
    shutil.copytree(ROOT / "data/raw/2025", year)
    (year / "mentoring.csv").write_text(
        "worker_id,session_date\nNFC-W-000001,2025-01-10\n,2025-02-11\n", encoding="utf-8")
    result = _run(tree, f"""
        from pathlib import Path
        from pipelines.definitions import defs
        from assets.candidate.validate import validate_folder
        from psw_core.config import load_config

        keys = {{k.to_user_string() for k in defs.get_repository_def().asset_graph.get_all_asset_keys()}}
        assert "candidate/mentoring" in keys, sorted(keys)
        report = validate_folder(Path({str(year)!r}), load_config(Path("data/authority.yml")), 2025)
        found = [(p.file, p.rule, p.row, p.column) for p in report.problems
                 if p.file == "mentoring.csv"]
        print(found)
        assert ("mentoring.csv", "MEN-001", 3, "worker_id") in found, found
    """)
    assert result.returncode == 0, result.stdout + result.stderr


# The toy measure of "How to add a measure": the share of social workers in post who work part
# time. Its three parts, exactly as the recipe says to write them.
TOY_SQL = """\
-- Part-time working (a toy measure for the recipe test): 100 x directly employed workers in
-- post at R on less than 1.0 FTE / headcount in post at R.
-- Grain of the result: one row per service (children, adults, all).
with

in_post as (
    select service as scope, worker_id, fte from staging.worker_spells
    where reporting_year = $reporting_year and agency_worker = 0 and in_post_at_reference_date
    union all
    select 'all', worker_id, fte from staging.worker_spells
    where reporting_year = $reporting_year and agency_worker = 0 and in_post_at_reference_date
),

counted as (
    select scope, count(distinct worker_id) filter (where fte < 1) as part_time,
        count(distinct worker_id) as headcount
    from in_post
    group by scope
),

final as (
    select scope as service, 'part_time_rate' as measure, null::varchar as breakdown,
        null::varchar as category, null::date as month_end,
        (100 * part_time / headcount)::double as value, part_time::double as numerator,
        headcount::double as denominator
    from counted
)

select * from final
"""

TOY_ENTRY = '''\
    Measure("part_time_rate", "Part-time working", "percent", _T, family="part_time",
            calculation="100 × directly employed workers in post at R with fte < 1 / "
            "headcount_in_post.",
            plain="The number of social workers in post working less than full time, divided "
            "by the number in post, as a percentage.",
            reference="stock", population="employed", source=LOCAL, interval="wilson",
            count_kind="people", tables=(HEADLINE,), disclosure=PEOPLE_RATIO),
]

_STANDARDS = ['''

TOY_TEST = '''\
"""Part-time working: the hand-made authority of metrics_scenario (in post at R, directly
employed: w1 C 1.0, w2 C 0.5, w5 A 1.0, w6 A 0.6; w3 leaves on R, w4 is agency)."""

from metrics_scenario import build, value


def test_part_time_rate_by_hand(tmp_path):
    con, frame = build(tmp_path / "w.duckdb")
    con.close()
    # children: w2 of {w1, w2}; adults: w6 of {w5, w6}; all: 2 of 4. w3 (leaves on R, 0.8)
    # and w4 (agency) are not in post: counting either would move the figure.
    assert value(frame, "part_time_rate", "children") == 50.0
    assert value(frame, "part_time_rate", "adults") == 50.0
    assert value(frame, "part_time_rate", "all") == 50.0
    assert value(frame, "part_time_rate", "all", column="denominator") == 4
'''


def test_adding_a_measure_takes_its_sql_its_registry_entry_and_its_test(tmp_path):
    tree = _tree(tmp_path / "tree")
    for name in ("pyproject.toml",):
        shutil.copy(ROOT / name, tree / name)
    (tree / "docs").mkdir()
    (tree / "tests/metrics").mkdir(parents=True)
    for helper in ("metrics_scenario.py", "metrics_warehouse.py"):
        shutil.copy(ROOT / "tests/metrics" / helper, tree / "tests/metrics" / helper)
    # 1. its SQL (a new family here; a CTE in an existing family's file works the same way)
    (tree / "assets/metrics/sql/part_time.sql").write_text(TOY_SQL, encoding="utf-8")
    # 2. its registry entry, which says everything else: title, texts, tables, headline rule
    _edit(tree / "assets/metrics/definitions.py", "]\n\n_STANDARDS = [", TOY_ENTRY)
    # 3. its hand-computed test
    (tree / "tests/metrics/test_metrics_part_time.py").write_text(TOY_TEST, encoding="utf-8")
    # ... and docs/measures.md is regenerated from the registry, never written by hand.
    generated = _run(tree, "import runpy; runpy.run_module('assets.metrics.definitions', "
                           "run_name='__main__')")
    assert generated.returncode == 0, generated.stderr

    env = {**os.environ, "PYTHONPATH": str(tree), "GX_ANALYTICS_ENABLED": "false"}
    tested = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             "tests/metrics/test_metrics_part_time.py"], cwd=tree, env=env,
                            capture_output=True, text=True, timeout=300)
    assert tested.returncode == 0 and "1 passed" in tested.stdout, tested.stdout + tested.stderr

    result = _run(tree, """
        import sys
        sys.path.insert(0, "tests/metrics")
        from metrics_scenario import YEAR, build, config
        from pipelines.definitions import defs
        from assets.metrics.definitions import MEASURES, render_annex
        from assets.published.tables import HEADLINE_MEASURES, build_published

        keys = {k.to_user_string() for k in defs.get_repository_def().asset_graph.get_all_asset_keys()}
        assert "metrics/part_time_measures" in keys, sorted(keys)
        con, frame = build("w.duckdb")
        rows = frame[frame["measure"] == "part_time_rate"]
        assert len(rows) == 3 and rows["ci_lower"].notna().all(), rows  # Wilson, from the entry
        tables = build_published(con, YEAR, config())
        headline = tables["headline_measures"]
        shown = headline[headline["measure"] == "part_time_rate"]
        # 1 or 2 people in the numerator: [c] by the entry's disclosure rule
        assert list(shown["service"]) == ["children", "adults", "all"], shown
        assert set(shown["value"]) == {"[c]"}, shown
        assert HEADLINE_MEASURES[-1] == "part_time_rate"
        docs = open("docs/measures.md", encoding="utf-8").read()
        assert "**Part-time working** (`part_time_rate`)" in docs
        assert MEASURES["part_time_rate"].formula in docs
        assert MEASURES["part_time_rate"].plain_definition in render_annex()
        print("ok")
    """)
    assert result.returncode == 0 and "ok" in result.stdout, result.stdout + result.stderr
