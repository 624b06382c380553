"""The asset graph a newcomer sees: every asset key, its group, and what it depends on.

Dependencies are read from the SQL (psw_core.sql_models), so a change to a SQL file's FROM
clause moves an edge; this snapshot makes that move show up in review. After a deliberate
change, regenerate it with `PSW_UPDATE_SNAPSHOT=1 pytest tests/dagster/test_dagster_asset_graph.py`
and commit tests/dagster/asset_graph.json.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).with_name("asset_graph.json")


def current_graph() -> dict[str, dict]:
    from pipelines.definitions import defs

    graph = defs.get_repository_def().asset_graph
    out = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.path):
        node = graph.get(key)
        out[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(p.to_user_string() for p in node.parent_keys),
            "checks": sorted(c.name for c in node.check_keys),
        }
    return out


def test_asset_keys_groups_and_dependencies_match_the_snapshot():
    graph = current_graph()
    if os.environ.get("PSW_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(graph, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("snapshot rewritten")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    changed = {k: (expected.get(k), graph.get(k)) for k in set(expected) | set(graph)
               if expected.get(k) != graph.get(k)}
    assert not changed, f"the asset graph changed (old, new): {json.dumps(changed, indent=1)}"


def test_every_staging_model_and_measure_family_is_an_asset_with_its_sql_inputs():
    from assets.metrics.measures import FAMILIES
    from assets.metrics.measures import SQL_DIR as METRICS_SQL
    from assets.staging.models import SQL_DIR as STAGING_SQL

    graph = current_graph()
    for path in STAGING_SQL.glob("*.sql"):
        node = graph[f"staging/{path.stem}"]
        text = path.read_text(encoding="utf-8")
        for dep in node["deps"]:
            schema, name = dep.split("/")
            assert ("raw." if schema == "raw" else f"{schema}.{name}") in text, (path.name, dep)
    for family in FAMILIES:
        text = (METRICS_SQL / f"{family}.sql").read_text(encoding="utf-8")
        deps = graph[f"metrics/{family}_measures"]["deps"]
        assert deps and all(f"staging.{d.split('/')[1]}" in text for d in deps), (family, deps)
    # Every asset has a key prefix: its stage folder, which is also its group.
    assert all("/" in key and node["group"] == key.split("/")[0] for key, node in graph.items())


def test_a_new_sql_model_reads_its_dependencies_from_the_sql():
    from psw_core.sql_models import build_order, sql_tables

    sql = """
    with a as (select * from raw.hr_workforce), b as (select * from staging.periods)
    select $reporting_year as y, * from a join b using (reporting_year)
    left join staging.worker_spells as s using (service)
    """
    assert sql_tables(sql) == {"raw.hr_workforce", "staging.periods", "staging.worker_spells"}
    order = build_order({"late": frozenset({"staging.early"}), "early": frozenset({"raw.x"})}, "staging")
    assert order == ["early", "late"]


def test_extracts_carry_their_contract_as_column_schema_and_assets_link_to_code():
    import dagster as dg

    from assets.candidate.contract import NEVER_LOADED, SPECS
    from pipelines.definitions import defs

    graph = defs.get_repository_def().asset_graph
    for name, spec in SPECS.items():
        node = graph.get(dg.AssetKey(["candidate", name]))
        columns = node.metadata["dagster/column_schema"].columns
        assert [c.name for c in columns] == [c.name for c in spec.columns if c.name not in NEVER_LOADED]
        assert not set(NEVER_LOADED) & {c.name for c in columns}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if node.is_observable:  # a source asset (DfE's reference data): its code is our loader
            continue
        assert "dagster/code_references" in node.metadata, key
    report = graph.get(dg.AssetKey(["report", "annual_report"]))
    assert report.freshness_policy is not None


def test_every_asset_carries_its_groups_description():
    """Dagster 1.13 has no group description, so each asset shows its group's in its metadata:
    a new group without a stage docstring (or a reference entry) fails here, not in the UI."""
    from pipelines.definitions import GROUP_DESCRIPTIONS, defs

    graph = defs.get_repository_def().asset_graph
    groups = set()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        groups.add(node.group_name)
        text = node.metadata.get("group")
        text = getattr(text, "value", text)
        assert text == GROUP_DESCRIPTIONS[node.group_name], key.to_user_string()
        assert len(text.split()) >= 8, f"{node.group_name}: say what the stage does"
    assert groups == set(GROUP_DESCRIPTIONS)
