"""The code location loads, and its asset keys are stable (a rename shows up in review)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from assets.candidate.contract import EXTRACTS

ROOT = Path(__file__).resolve().parents[2]

# One candidate asset per extract of the contract (the one list of extracts), then the flow.
EXPECTED_ASSETS = {f"candidate/{name}" for name in EXTRACTS} | {
    "candidate/checked_year", "raw/year", "metrics/trends", "published/tables",
    "report/annual_report", "reference/dfe_csww", "metrics/comparisons",
    # one asset per staging model and per measure family (tests/dagster/asset_graph.json)
    "staging/calendar", "staging/periods", "staging/timescales", "staging/asye_schedule",
    "staging/worker_spells",
    "staging/supervision_sessions", "staging/worker_months", "staging/case_allocations",
    "staging/assessments", "staging/audits", "staging/learning_activities", "staging/vacancies",
    "staging/survey_responses", "staging/survey_invited", "staging/survey_answers",
    "staging/survey_item_counts",
    "metrics/workforce_measures", "metrics/vacancies_measures", "metrics/rolling_turnover_measures",
    "metrics/breakdowns_measures", "metrics/caseload_measures", "metrics/practice_measures",
    "metrics/learning_measures", "metrics/health_check_measures",
    "metrics/health_check_response_measures",
}


def test_definitions_load_with_expected_assets_and_checks():
    from pipelines.definitions import defs

    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS
    checks = {k.name for k in repo.asset_graph.asset_check_keys}
    assert "cross_extract_rules" in checks and "gx_suite_hr_workforce" in checks
    assert {j.name for j in repo.get_all_jobs()} >= {"build_year", "validate_only"}


def test_workspace_yaml_loads_in_a_fresh_process(tmp_path):
    # `dagster definitions validate` loads workspace.yaml the way the UI does.
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dagster")), "definitions", "validate", "-w", "workspace.yaml"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PATH": str(Path(sys.executable).parent), "DAGSTER_HOME": str(tmp_path),
             "DAGSTER_DISABLE_TELEMETRY": "1", "GX_ANALYTICS_ENABLED": "false", "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
