"""DfE's published children's social work workforce figures for every council, region and
England, and its statistical neighbour model (data/reference/dfe/, OGL v3; see its README).

Read as published: DfE's symbols (`x`, `z`, `u`, `c`, `low`) become missing values with the
symbol and its meaning kept beside them, never a number. A council that reports jointly with
another (e.g. `314 / 318`, Kingston upon Thames / Richmond upon Thames) has one row under the
joint code; each of its old LA codes finds that row.

`check_indicators` / `check_neighbour_model` are what `psw reference update` runs on a newer
file before installing it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from psw_core.hashing import file_sha256
from psw_core.problems import Problem, UnusableInput

DFE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference" / "dfe"
INDICATORS_FILE = "csww_indicators.csv"
NEIGHBOURS_FILE = "statistical_neighbours.csv"
SOURCE = (
    "DfE, Children's social work workforce (explore-education-statistics.service.gov.uk, "
    "find-statistics/children-s-social-work-workforce), Open Government Licence v3.0"
)

# DfE / GSS symbols in explore-education-statistics files (data/reference/dfe/README.md).
SYMBOLS = {
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability (DfE withholds the figure)",
    "c": "confidential (suppressed by DfE)",
    "low": "rounds to zero but is not zero",
}
LEVELS = ("National", "Regional", "Local authority")
KEY_COLUMNS = (
    "time_period", "geographic_level", "region_name", "old_la_code", "new_la_code", "la_name",
)  # fmt: skip
# The figures the project reads (comparisons, reconciliation); a newer file must have them all.
FIGURE_COLUMNS = (
    "inpost_fte", "leavers_fte", "turnover_rate_fte", "agency_fte", "agency_rate_fte",
    "vacancy_fte", "vacancy_rate_fte", "case_holders_fte", "cases", "caseload_fte",
    "working_days_lost_fte", "absence_rate_fte",
)  # fmt: skip
NEIGHBOUR_COUNT = 10
NEIGHBOUR_COLUMNS = ("old_la_code", "la_name", "region_name",
                     *(f"SN_{i}" for i in range(1, NEIGHBOUR_COUNT + 1)))


@dataclass(frozen=True)
class Release:
    """What a file holds: its path, SHA-256, first and latest reporting year."""

    file: str
    sha256: str
    first_year: int
    latest_year: int

    @property
    def label(self) -> str:
        return f"DfE CSWW reporting-year {self.latest_year} release ({self.first_year}–{self.latest_year})"


def _problem(path: Path, rule: str, why: str, column: str | None = None,
             value: str | None = None, row: int | None = None) -> Problem:
    return Problem(file=str(path), rule=rule, severity="error", why=why, column=column,
                   value=value, row=row,
                   action="Use DfE's file as downloaded from explore-education-statistics "
                   "(see data/reference/dfe/README.md).")


def _read_text_csv(path: Path) -> pd.DataFrame:
    try:
        # utf-8-sig: DfE's neighbour model file starts with a byte-order mark.
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UnusableInput(_problem(path, "DFE-001", "The DfE file was not found.")) from exc
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UnusableInput(_problem(path, "DFE-002", f"The file is not a readable CSV: {exc}")) from exc


def check_indicators(path: str | Path) -> pd.DataFrame:
    """The indicators file as text, after checking its columns, years and levels."""
    path = Path(path)
    frame = _read_text_csv(path)
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in (*KEY_COLUMNS, *FIGURE_COLUMNS) if c not in frame.columns]
    if missing:
        raise UnusableInput(_problem(
            path, "DFE-003", f"The file has no column '{missing[0]}' (missing: "
            f"{', '.join(missing)}).", column=missing[0]))
    years = pd.to_numeric(frame["time_period"], errors="coerce")
    if years.isna().any():
        bad = int(years.isna().to_numpy().argmax())
        raise UnusableInput(_problem(path, "DFE-004", "time_period must be a year such as 2025.",
                                     column="time_period", value=frame["time_period"].iloc[bad],
                                     row=bad + 2))
    levels = set(frame["geographic_level"])
    if not set(LEVELS) <= levels:
        raise UnusableInput(_problem(
            path, "DFE-005", "The file must hold National, Regional and Local authority rows; "
            f"it has {', '.join(sorted(levels)) or 'none'}.", column="geographic_level"))
    return frame


def check_neighbour_model(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    frame = _read_text_csv(path)
    frame.columns = [c.strip() for c in frame.columns]
    missing = [c for c in NEIGHBOUR_COLUMNS if c not in frame.columns]
    if missing:
        raise UnusableInput(_problem(
            path, "DFE-006", f"The neighbour model has no column '{missing[0]}'.",
            column=missing[0]))
    return frame


def release_of(path: str | Path, frame: pd.DataFrame | None = None) -> Release:
    path = Path(path)
    frame = check_indicators(path) if frame is None else frame
    years = pd.to_numeric(frame["time_period"]).astype(int)
    return Release(path.name, file_sha256(path), int(years.min()), int(years.max()))


def read_indicators(path: str | Path | None = None) -> pd.DataFrame:
    """Long format: one row per year × level × area × figure, with `value` (float, NaN when
    DfE shows a symbol), `symbol` and `reason` (the symbol's meaning, else '')."""
    frame = check_indicators(path or DFE_DIR / INDICATORS_FILE)
    frame["region_name"] = frame["region_name"].where(frame["geographic_level"] != "National", "")
    ids = ["time_period", "geographic_level", "region_name", "old_la_code", "la_name"]
    long = frame[[*ids, *FIGURE_COLUMNS]].melt(id_vars=ids, var_name="figure", value_name="text")
    text = long["text"].str.strip()
    long["value"] = pd.to_numeric(text, errors="coerce")
    long["symbol"] = text.where(long["value"].isna() & (text != ""), "")
    long["reason"] = long["symbol"].map(SYMBOLS).fillna(
        long["symbol"].map(lambda s: f"DfE symbol '{s}'" if s else ""))
    long = long.rename(columns={"time_period": "year", "geographic_level": "level",
                                "old_la_code": "la_code"})
    long["year"] = long["year"].astype(int)
    return long.drop(columns="text")


def read_neighbour_model(path: str | Path | None = None) -> pd.DataFrame:
    """One row per council: la_code, la_name, region_name, neighbours (list, nearest first)."""
    frame = check_neighbour_model(path or DFE_DIR / NEIGHBOURS_FILE)
    columns = [f"SN_{i}" for i in range(1, NEIGHBOUR_COUNT + 1)]
    out = frame[["old_la_code", "la_name", "region_name"]].rename(columns={"old_la_code": "la_code"})
    out["neighbours"] = frame[columns].apply(lambda r: [c.strip() for c in r if c.strip()], axis=1)
    out["region_name"] = out["region_name"].str.strip()
    return out.reset_index(drop=True)


def joint_code_map(codes: pd.Series) -> dict[str, str]:
    """Old LA code -> the code of the row that holds its figures ('314' -> '314 / 318')."""
    mapping = {}
    for code in codes.drop_duplicates():
        for part in str(code).split("/"):
            mapping[part.strip()] = code
    return mapping


def region_names(indicators: pd.DataFrame) -> list[str]:
    rows = indicators[indicators["level"] == "Regional"]
    return sorted(set(rows["region_name"]))


# ---------------------------------------------------------------------------------------------
# Installing a newer release (`psw reference update FILE`)


def install_indicators(new_file: str | Path, target_dir: str | Path = DFE_DIR) -> Release:
    """Check `new_file` and, if it is usable and not older than the installed release, copy it
    over the installed indicators file atomically. A bad file changes nothing."""
    new_file, target_dir = Path(new_file), Path(target_dir)
    frame = check_indicators(new_file)
    new = release_of(new_file, frame)
    target = target_dir / INDICATORS_FILE
    if target.is_file():
        current = release_of(target)
        if new.latest_year < current.latest_year:
            raise UnusableInput(_problem(
                new_file, "DFE-007", f"The file is an older release (latest year "
                f"{new.latest_year}) than the one installed ({current.latest_year}); nothing "
                "was changed.", column="time_period", value=str(new.latest_year)))
        if new.first_year > current.first_year:
            raise UnusableInput(_problem(
                new_file, "DFE-008", f"The file starts in {new.first_year} but the installed "
                f"release goes back to {current.first_year}; the series would lose years.",
                column="time_period", value=str(new.first_year)))
    target_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{INDICATORS_FILE}.", suffix=".tmp", dir=target_dir)
    os.close(handle)
    try:
        shutil.copyfile(new_file, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return release_of(target)


def reference_files(directory: str | Path = DFE_DIR) -> list[dict]:
    """The DfE files in use with their SHA-256 (provenance.json, the Dagster source asset)."""
    directory = Path(directory)
    return [{"file": f"data/reference/dfe/{name}", "sha256": file_sha256(directory / name)}
            for name in (INDICATORS_FILE, NEIGHBOURS_FILE) if (directory / name).is_file()]
