"""The DfE reference data is an observable source asset (its data version is the files'
hashes, its metadata the release), and the comparisons are an asset of their own between the
measures and the published tables."""

from __future__ import annotations

import dagster as dg
import pytest
from dagster._core.definitions.observe import observe

from assets.metrics.defs import dfe_reference
from pipelines.definitions import defs
from psw_core.dfe_reference import reference_files

pytestmark = pytest.mark.timeout(120)


def test_observing_records_the_release_and_the_files_hashes():
    with dg.instance_for_test() as instance:
        result = observe([dfe_reference], instance=instance)
        assert result.success
        (event,) = result.get_asset_observation_events()
        observation = event.asset_observation_data.asset_observation
    hashes = [f["sha256"] for f in reference_files()]
    assert observation.tags["dagster/data_version"] == "-".join(h[:16] for h in hashes)
    assert "reporting-year 2025 release" in observation.metadata["release"].value
    assert [f["sha256"] for f in observation.metadata["files"].value] == hashes


def test_comparisons_sit_between_measures_the_reference_and_the_published_tables():
    graph = defs.get_repository_def().asset_graph
    comparisons = dg.AssetKey(["metrics", "comparisons"])
    families = {k for k in graph.get_all_asset_keys()
                if k.path[0] == "metrics" and k.path[-1].endswith("_measures")}
    assert families and graph.get(comparisons).parent_keys == families | {
        dg.AssetKey(["reference", "dfe_csww"])}
    assert comparisons in graph.get(dg.AssetKey(["published", "tables"])).parent_keys
    assert graph.get(dg.AssetKey(["reference", "dfe_csww"])).is_observable
