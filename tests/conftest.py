"""Markers by module: `make check` leaves out `slow` and `browser` tests; `make test` runs all.

A module is slow when it builds the sample, renders a report or runs long property searches;
one list here, so a new slow module is marked in one place (or with `pytestmark` in itself).
"""

from __future__ import annotations

import pytest

SLOW_MODULES = {
    "tests/pipeline/test_pipeline_build.py",
    "tests/pipeline/test_pipeline_cli.py",
    "tests/report/test_report_render.py",
    "tests/quarto_lite/test_rendering_builtin.py",
    "tests/reliability/test_reliability_crash.py",
    "tests/reliability/test_reliability_concurrency.py",
    "tests/reliability/test_reliability_determinism.py",
    "tests/reliability/test_reliability_privacy.py",
    "tests/reliability/test_reliability_hostile_input.py",
    "tests/reliability/test_reliability_injection.py",
    # whole runs through Dagster, renders and census round trips: each takes 10-50 s
    "tests/dagster/test_dagster_executor.py",
    "tests/dagster/test_dagster_checks.py",
    "tests/dagster/test_dagster_partitions.py",
    "tests/report/test_report_preview.py",
    "tests/report/test_report_cabinet_paper.py",
    "tests/report/test_report_new_year.py",
    "tests/synth/test_synth_census.py",
    "tests/candidate/test_census_crosswalk.py",
    # a Dagster instance per test, or the CLI in fresh processes
    "tests/dagster/test_dagster_sensor.py",
    "tests/pipeline/test_pipeline_no_silent_pass.py",
    "tests/pipeline/test_pipeline_definitions.py",
}
BROWSER_MODULES = {
    "tests/dagster/test_dagster_ui_browser.py",
}


def pytest_collection_modifyitems(config, items):
    root = config.rootpath
    for item in items:
        where = item.path.relative_to(root).as_posix()
        if where in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if where in BROWSER_MODULES:
            item.add_marker(pytest.mark.browser)
