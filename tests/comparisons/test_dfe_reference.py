"""The DfE reference files: symbols read as missing with the reason kept, joint councils,
the neighbour model, and provenance hashes."""

from __future__ import annotations

import csv
import math

import pandas as pd
import pytest

from psw_core import dfe_reference as dfe
from psw_core.hashing import file_sha256
from psw_core.problems import UnusableInput

REAL = dfe.DFE_DIR / dfe.INDICATORS_FILE


def _header() -> list[str]:
    with REAL.open(encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _write(path, rows: list[dict], header: list[str] | None = None):
    header = header or _header()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in header})
    return path


def _row(level: str, year: int = 2025, **figures) -> dict:
    base = {"time_period": str(year), "geographic_level": level, "country_name": "England"}
    if level != "National":
        base["region_name"] = "North East"
    if level == "Local authority":
        base.update(old_la_code="390", la_name="Gateshead")
    return {**base, **{k: str(v) for k, v in figures.items()}}


def test_each_symbol_reads_as_missing_with_its_reason(tmp_path):
    rows = [_row("National", turnover_rate_fte="11.8"), _row("Regional", turnover_rate_fte="12"),
            _row("Local authority", turnover_rate_fte="u", vacancy_rate_fte="x", agency_rate_fte="c",
                 caseload_fte="z", absence_rate_fte="low", inpost_fte="101.5")]
    long = dfe.read_indicators(_write(tmp_path / "ind.csv", rows))
    council = long[long["level"] == "Local authority"].set_index("figure")
    for figure, symbol in (("turnover_rate_fte", "u"), ("vacancy_rate_fte", "x"),
                           ("agency_rate_fte", "c"), ("caseload_fte", "z"),
                           ("absence_rate_fte", "low")):
        assert math.isnan(council.loc[figure, "value"]), figure
        assert council.loc[figure, "symbol"] == symbol
        assert council.loc[figure, "reason"] == dfe.SYMBOLS[symbol]
    assert council.loc["inpost_fte", "value"] == 101.5
    assert council.loc["inpost_fte", "reason"] == ""
    # A blank cell is missing with no symbol and no reason.
    assert math.isnan(council.loc["cases", "value"]) and council.loc["cases", "symbol"] == ""


def test_the_real_file_has_no_text_left_as_a_number():
    long = dfe.read_indicators()
    raw = pd.read_csv(REAL, dtype=str, keep_default_na=False)
    symbols = {v.strip() for c in dfe.FIGURE_COLUMNS for v in raw[c]} - {""}
    symbols = {v for v in symbols if pd.isna(pd.to_numeric(v, errors="coerce"))}
    assert symbols and symbols <= set(dfe.SYMBOLS)
    flagged = long[long["symbol"] != ""]
    assert flagged["value"].isna().all()
    assert (flagged["reason"] != "").all()
    assert long.loc[long["symbol"] == "", "value"].notna().sum() > 10_000
    assert sorted(long["year"].unique()) == list(range(2017, 2026))


def test_neighbour_model_lists_ten_in_dfe_order():
    model = dfe.read_neighbour_model().set_index("la_code")
    raw = pd.read_csv(dfe.DFE_DIR / dfe.NEIGHBOURS_FILE, dtype=str, encoding="utf-8-sig")
    first = raw.iloc[0]
    assert model.loc[first["old_la_code"], "neighbours"] == [
        first[f"SN_{i}"].strip() for i in range(1, 11)]
    assert model["neighbours"].map(len).eq(10).all()


def test_joint_councils_find_their_shared_row():
    codes = dfe.read_indicators()["la_code"]
    mapping = dfe.joint_code_map(codes[codes != ""])
    assert mapping["314"] == mapping["318"] == "314 / 318"
    assert mapping["390"] == "390"


def test_missing_column_names_the_column(tmp_path):
    header = [c for c in _header() if c != "caseload_fte"]
    path = _write(tmp_path / "ind.csv", [_row("National")], header)
    with pytest.raises(UnusableInput) as err:
        dfe.read_indicators(path)
    assert err.value.problem.column == "caseload_fte"
    assert "caseload_fte" in str(err.value)


def test_reference_hashes_are_the_files_hashes():
    files = {f["file"]: f["sha256"] for f in dfe.reference_files()}
    assert files["data/reference/dfe/csww_indicators.csv"] == file_sha256(REAL)
    assert len(files) == 2
