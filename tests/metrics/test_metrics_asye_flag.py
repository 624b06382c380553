"""ASYE figures when no ASYE flag exists (issue 13): a 2025-layout census carries no
CFKSSstatus, so without a local extract nobody is known to be in the ASYE. The ASYE caseload
measure is then absent, published `[x]`, and the build records why; with the 2024 layout
(CFKSSstatus present) it is computed. A real warehouse: candidate -> raw -> staging ->
metrics."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "candidate"))
from census_returns import write_return  # noqa: E402

from assets.candidate.load import prepare_year  # noqa: E402
from assets.candidate.store import write_candidates  # noqa: E402
from assets.metrics.measures import compute_measures  # noqa: E402
from assets.published.provenance import asye_flag  # noqa: E402
from assets.published.tables import protect_year  # noqa: E402
from assets.raw.warehouse import promote_year  # noqa: E402
from assets.staging.models import build_staging  # noqa: E402
from psw_core.config import AuthorityConfig  # noqa: E402

CONFIG = AuthorityConfig(name="Test Council", code="TST")
KEY = b"k" * 32


def _build(tmp_path: Path, layout: str) -> tuple[pd.DataFrame, str]:
    folder = tmp_path / layout / "2025"
    write_return(folder, 2025, layout=layout)
    prepared = prepare_year(folder, 2025, CONFIG, KEY)
    con = duckdb.connect(str(tmp_path / layout / "warehouse.duckdb"))
    write_candidates(con, 2025, prepared.tables)
    promote_year(con, 2025)
    build_staging(con, CONFIG)
    measures = compute_measures(con, 2025, CONFIG)
    flag = asye_flag(con, 2025)
    con.close()
    return measures, flag


def _published(measures: pd.DataFrame, measure: str) -> pd.Series:
    headline = protect_year(measures, 2025, CONFIG.suppression_threshold)["headline_measures"]
    return headline[headline["measure"] == measure].set_index("service")["value"]


def test_no_asye_flag_in_a_2025_census_makes_the_asye_caseload_not_available(tmp_path):
    # W1 is in the ASYE, but the 2025 layout has no CFKSSstatus: the flag is not recorded.
    measures, flag = _build(tmp_path, "2025")
    assert flag == "not recorded"
    assert "asye_caseload_within_cap" not in set(measures["measure"])  # not 0 of 0
    assert (_published(measures, "asye_caseload_within_cap") == "[x]").all()
    # The caseload itself still comes from the census (Cases30).
    assert "caseload_fte" in set(measures["measure"])


def test_the_2024_census_carries_the_flag_and_the_asye_caseload_is_computed(tmp_path):
    # W1 (ASYE, 12 cases at 30 September) is directly employed and in post: within the
    # default cap of 10? No: 12 > 10, so 0 of 1.
    measures, flag = _build(tmp_path, "2024")
    assert flag == "recorded"
    row = measures[(measures["measure"] == "asye_caseload_within_cap")
                   & (measures["service"] == "children")].iloc[0]
    assert (row["numerator"], row["denominator"]) == (0, 1)
    assert row["value"] == pytest.approx(0.0)
