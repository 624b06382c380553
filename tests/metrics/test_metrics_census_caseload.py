"""caseload_fte from the census's Cases30 when there is no caseload extract (DfE definition:
cases held at the reference date / FTE of case holders, agency included), on a real warehouse
built from a census return through candidate -> raw -> staging -> metrics."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "candidate"))
from census_returns import children_workforce, write_return  # noqa: E402

from assets.candidate.load import prepare_year  # noqa: E402
from assets.candidate.store import write_candidates  # noqa: E402
from assets.metrics.measures import compute_measures  # noqa: E402
from assets.published.provenance import caseload_source  # noqa: E402
from assets.raw.warehouse import promote_year  # noqa: E402
from assets.staging.models import build_staging  # noqa: E402
from psw_core.config import AuthorityConfig  # noqa: E402

CONFIG = AuthorityConfig(name="Test Council", code="TST")
KEY = b"k" * 32


def _measures(tmp_path: Path, folder: Path, year: int = 2025) -> tuple[pd.DataFrame, str]:
    prepared = prepare_year(folder, year, CONFIG, KEY)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    write_candidates(con, year, prepared.tables)
    promote_year(con, year)
    build_staging(con, CONFIG)
    measures = compute_measures(con, year, CONFIG)
    source = caseload_source(con, year)
    con.close()
    return measures, source


def _caseload(measures: pd.DataFrame, service: str = "children") -> pd.Series:
    return measures[(measures["measure"] == "caseload_fte") & (measures["service"] == service)
                    & measures["breakdown"].isna()].iloc[0]


def test_caseload_comes_from_cases30_without_a_caseload_extract(tmp_path):
    # In post at 30 Sep 2025: W1 1.0 FTE 12 cases, W2 (agency) 0.5 FTE 8 cases, W4 0.6 FTE
    # 4 cases; W3 left in March.  (12 + 8 + 4) / (1.0 + 0.5 + 0.6) = 24 / 2.1
    write_return(tmp_path / "2025", 2025)
    measures, source = _measures(tmp_path, tmp_path / "2025")
    row = _caseload(measures)
    assert (row["numerator"], row["denominator"]) == (24, pytest.approx(2.1))
    assert row["value"] == pytest.approx(24 / 2.1)
    assert source == "CSWW census Cases30 (no caseload extract)"
    # the census cases are not children looked after
    assert "children_looked_after" not in set(measures["measure"])


def test_a_worker_holding_no_cases_is_not_a_case_holder(tmp_path):
    workers = children_workforce(2025)
    workers["Cases30"] = pd.array([12, 0, pd.NA, 4], dtype="Int64")
    write_return(tmp_path / "2025", 2025, workers)
    row = _caseload(_measures(tmp_path, tmp_path / "2025")[0])
    assert (row["numerator"], row["denominator"]) == (16, pytest.approx(1.6))  # 16 / 1.6 = 10
    assert row["value"] == pytest.approx(10.0)


def test_the_caseload_extract_wins_when_both_are_there(tmp_path):
    folder = tmp_path / "2025"
    write_return(folder, 2025)
    # W1 holds 3 open cases at the reference date; a fourth was closed in August.
    (folder / "caseload.csv").write_text(
        "case_id,worker_id,service,case_type,allocated_date,deallocated_date\n"
        "C1,AB1000000001,children,cin,2025-01-10,\nC2,AB1000000001,children,cp,2025-02-01,\n"
        "C3,AB1000000001,children,cla,2024-11-01,\n"
        "C4,AB1000000001,children,cin,2024-12-01,2025-08-01\n", encoding="utf-8")
    measures, source = _measures(tmp_path, folder)
    row = _caseload(measures)
    assert (row["numerator"], row["denominator"], row["value"]) == (3, 1.0, 3.0)
    assert source == "caseload extract"
