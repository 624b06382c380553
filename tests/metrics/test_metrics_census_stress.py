"""The CSWW census holds days lost but no stress days: a census-built children's workforce has
no stress absence figures ([x], not 0), and "both services" has none either, rather than the
adults' stress days over both services' days lost. Real warehouse, census return + adults' HR."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "candidate"))
from census_returns import write_return  # noqa: E402

from assets.candidate.load import prepare_year  # noqa: E402
from assets.candidate.store import write_candidates  # noqa: E402
from assets.metrics.measures import compute_measures  # noqa: E402
from assets.raw.warehouse import promote_year  # noqa: E402
from assets.staging.models import build_staging  # noqa: E402
from psw_core.config import AuthorityConfig  # noqa: E402

CONFIG = AuthorityConfig(name="Test Council", code="TST")
# A1 10 days lost, 4 of them stress; A2 none.
ADULTS_HR = ("worker_id,service,fte,agency_worker,role_start_date,role_end_date,"
             "working_days_lost,stress_days_lost\n"
             "A1,adults,1.0,0,2020-01-06,,10,4\nA2,adults,1.0,0,2019-03-04,,0,0\n")


def test_no_stress_figures_where_the_census_holds_none(tmp_path):
    folder = tmp_path / "2025"
    write_return(folder, 2025)
    (folder / "hr_workforce.csv").write_text(ADULTS_HR, encoding="utf-8")
    prepared = prepare_year(folder, 2025, CONFIG, b"k" * 32)
    assert not prepared.has_errors, [p.describe() for p in prepared.problems]
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    write_candidates(con, 2025, prepared.tables)
    promote_year(con, 2025)
    build_staging(con, CONFIG)
    measures = compute_measures(con, 2025, CONFIG)
    con.close()
    headline = measures[measures["breakdown"].isna()].set_index(["measure", "service"])
    assert headline.loc[("stress_absence_share", "adults"), "value"] == pytest.approx(40.0)
    assert headline.loc[("stress_absence_headcount", "adults"), "value"] == 1
    for service in ("children", "all"):
        for measure in ("stress_absence_share", "stress_absence_headcount"):
            assert (measure, service) not in headline.index, (measure, service)
    # days lost are in the census: the absence figures stay. Directly employed children's
    # days lost: W1 2 + W3 5.5 (W2 is agency) = 7.5; with adults' 10: 17.5
    assert headline.loc[("absence_rate", "all"), "numerator"] == pytest.approx(17.5)
