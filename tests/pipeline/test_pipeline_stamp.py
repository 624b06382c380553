"""psw_core.stamp is the one source of staleness: the build's no-op check, the sensor's key and the
assets' code and data versions all come from it."""

import os
from pathlib import Path

from psw_core import stamp

ROOT = Path(__file__).resolve().parents[2]


def test_folder_stamp_follows_content_not_times_or_office_litter(tmp_path):
    (tmp_path / "hr_workforce.csv").write_text("a\n1\n", encoding="utf-8")
    first = stamp.folder_stamp(tmp_path)
    os.utime(tmp_path / "hr_workforce.csv", (1, 1))
    (tmp_path / "~$hr_workforce.xlsx").write_text("lock", encoding="utf-8")
    assert stamp.folder_stamp(tmp_path) == first
    (tmp_path / "hr_workforce.csv").write_text("a\n2\n", encoding="utf-8")
    assert stamp.folder_stamp(tmp_path) != first
    assert stamp.folder_stamp(tmp_path / "missing") is None


def test_the_build_stamp_and_the_sensor_key_are_the_same_folder_stamp():
    from pipelines.sensors import folder_hash

    assert folder_hash is stamp.folder_stamp


def test_year_stamp_changes_with_input_settings_previous_year_and_formats(tmp_path):
    year = tmp_path / "2025"
    year.mkdir()
    (year / "hr_workforce.csv").write_text("a\n1\n", encoding="utf-8")
    config = ROOT / "data" / "authority.yml"
    base = stamp.year_stamp(year, config, "", "", report_dir=ROOT / "report")
    assert base == stamp.year_stamp(year, config, "", "", report_dir=ROOT / "report")
    assert base != stamp.year_stamp(year, config, "previous", "")
    assert base != stamp.year_stamp(year, config, "", "html", report_dir=ROOT / "report")
    (year / "hr_workforce.csv").write_text("a\n2\n", encoding="utf-8")
    assert base != stamp.year_stamp(year, config, "", "")


def test_code_stamp_is_per_file_set(tmp_path):
    a, b = tmp_path / "a.sql", tmp_path / "b.sql"
    a.write_text("select 1", encoding="utf-8")
    b.write_text("select 2", encoding="utf-8")
    one = stamp.code_stamp([a, b])
    assert one == stamp.code_stamp([b, a])
    b.write_text("select 3", encoding="utf-8")
    assert stamp.code_stamp([a]) == stamp.code_stamp([a]) and stamp.code_stamp([a, b]) != one


def test_every_asset_has_its_own_code_version_from_its_files():
    from pipelines.definitions import defs

    graph = defs.get_repository_def().asset_graph
    versions = {k.to_user_string(): graph.get(k).code_version for k in graph.get_all_asset_keys()
                if not graph.get(k).is_observable}  # DfE's reference data is a source, not code
    assert all(v and len(v) == 16 for v in versions.values()), versions
    assert versions["staging/worker_spells"] != versions["staging/worker_months"]
    assert versions["metrics/workforce_measures"] != versions["metrics/caseload_measures"]
