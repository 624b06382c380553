"""Reconciliation with DfE's published figures for our council.

A synthetic authority's raw extracts are made so that its totals are Gateshead's (390)
published 2025 figures; the real staging and metrics SQL then compute its children's figures,
which must reconcile with DfE's within tolerance. Shifting one figure must be flagged.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import duckdb
import pytest

from assets.metrics.comparisons import build_comparisons
from assets.metrics.measures import build_metrics
from psw_core.config import AuthorityConfig
from psw_core.dfe_reference import DFE_DIR, INDICATORS_FILE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "metrics"))
from metrics_warehouse import create_raw, load  # noqa: E402

YEAR, CODE = 2025, "390"
PUBLISHED = next(r for r in csv.DictReader((DFE_DIR / INDICATORS_FILE).open(encoding="utf-8"))
                 if r["time_period"] == str(YEAR) and r["old_la_code"] == CODE)
CONFIG = AuthorityConfig(name="Synthetic Gateshead", code="SYN", dfe_la_code=CODE)


def _ftes(total: float) -> list[float]:
    """Whole-time spells and one part-time spell that add up to `total` FTE."""
    whole, part = divmod(round(total * 10), 10)
    return [1.0] * whole + ([part / 10] if part else [])


def raw_rows(extra_agency_fte: float = 0.0) -> dict[str, list[dict]]:
    """Workers, vacancies and cases whose totals are the council's published figures."""
    figure = {k: float(v) for k, v in PUBLISHED.items() if k.endswith(("fte", "cases"))
              and v.replace(".", "", 1).isdigit()}
    holders = _ftes(figure["case_holders_fte"])
    others = _ftes(figure["inpost_fte"] - figure["case_holders_fte"])
    in_post = holders + others
    days_each = figure["working_days_lost_fte"] / len(in_post)
    workers = [dict(worker_id=f"p{i}", service="children", agency_worker=0, fte=fte,
                    role_start_date="2020-01-01", working_days_lost=days_each,
                    stress_days_lost=0) for i, fte in enumerate(in_post)]
    workers += [dict(worker_id=f"l{i}", service="children", agency_worker=0, fte=fte,
                     role_start_date="2020-01-01", role_end_date="2025-06-30", reason_leave=1,
                     working_days_lost=0, stress_days_lost=0)
                for i, fte in enumerate(_ftes(figure["leavers_fte"]))]
    workers += [dict(worker_id=f"a{i}", service="children", agency_worker=1, fte=fte,
                     role_start_date="2024-01-01", working_days_lost=0, stress_days_lost=0)
                for i, fte in enumerate(_ftes(figure["agency_fte"] + extra_agency_fte))]
    cases = [dict(case_id=f"c{i}", worker_id=f"p{i % len(holders)}", service="children",
                  case_type="cin", allocated_date="2025-01-01")
             for i in range(int(figure["cases"]))]
    vacancies = [dict(service="children", team="all", vacancies_fte=figure["vacancy_fte"])]
    return {"hr_workforce": workers, "hr_vacancies": vacancies, "caseload": cases}


def reconcile(path: Path, **shift) -> dict[str, dict]:
    con = duckdb.connect(str(path))
    try:
        create_raw(con)
        for table, rows in raw_rows(**shift).items():
            load(con, table, rows, YEAR)
        build_metrics(con, YEAR, CONFIG)
        build_comparisons(con, YEAR, CONFIG)
        frame = con.execute("select * from metrics.reconciliation").df()
    finally:
        con.close()
    return {row["measure"]: row for row in frame.to_dict(orient="records")}


@pytest.fixture(scope="module")
def matched(tmp_path_factory):
    return reconcile(tmp_path_factory.mktemp("rec") / "w.duckdb")


def test_an_authority_built_to_published_totals_reconciles(matched):
    assert set(matched) == {"fte_in_post", "leavers_fte", "turnover_rate_fte", "agency_rate_fte",
                            "vacancy_rate_fte", "caseload_fte", "absence_rate"}
    for measure, row in matched.items():
        assert row["within_tolerance"], (measure, row["local_value"], row["dfe_value"])
        assert row["flag"] == "within tolerance" and row["likely_reasons"] == ""
    # Totals are exact; rates differ from DfE's only by DfE's rounding to one decimal.
    assert matched["fte_in_post"]["local_value"] == pytest.approx(float(PUBLISHED["inpost_fte"]))
    assert matched["leavers_fte"]["difference"] == pytest.approx(0)
    # 25.4 / 158.4 = 16.035%; DfE publishes 16.0.
    assert matched["turnover_rate_fte"]["local_value"] == pytest.approx(100 * 25.4 / 158.4)
    assert abs(matched["turnover_rate_fte"]["difference"]) < 0.05


def test_a_shifted_figure_is_flagged_with_likely_reasons(tmp_path):
    # Three more agency FTE: 20.7 / (20.7 + 158.4) = 11.56% against DfE's 10.0: 1.56 points.
    shifted = reconcile(tmp_path / "s.duckdb", extra_agency_fte=3.0)
    agency = shifted["agency_rate_fte"]
    assert agency["local_value"] == pytest.approx(100 * 20.7 / 179.1)
    assert not agency["within_tolerance"] and agency["flag"] == "outside tolerance"
    assert "agency coverage" in agency["likely_reasons"]
    assert agency["tolerance"] == 0.5 and agency["tolerance_kind"] == "percentage points"
    # Everything else still reconciles.
    assert all(row["within_tolerance"] for m, row in shifted.items() if m != "agency_rate_fte")


def test_no_la_code_means_no_reconciliation(tmp_path):
    con = duckdb.connect(str(tmp_path / "n.duckdb"))
    try:
        create_raw(con)
        for table, rows in raw_rows().items():
            load(con, table, rows, YEAR)
        config = AuthorityConfig(name="N", code="SYN", region="North East")
        build_metrics(con, YEAR, config)
        build_comparisons(con, YEAR, config)
        assert con.execute("select count(*) from metrics.reconciliation").fetchone()[0] == 0
    finally:
        con.close()
