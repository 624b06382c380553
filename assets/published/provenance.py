"""What went in: input files with SHA-256 and row counts, code version and git commit,
validation results, benchmark release (docs/design.md §5 provenance.json)."""

from __future__ import annotations

import json
import os
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import duckdb
import pandas as pd

from psw_core.config import AuthorityConfig
from psw_core.dfe_reference import reference_files


def package_version() -> str:
    try:
        return version("psw-report")
    except PackageNotFoundError:
        return "unknown"


def git_commit() -> str:
    """The commit of the code that ran; PSW_GIT_COMMIT wins (e.g. in a packaged install)."""
    if os.environ.get("PSW_GIT_COMMIT"):
        return os.environ["PSW_GIT_COMMIT"]
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5,
            cwd=Path(__file__).resolve().parent,
        )
        commit = done.stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True,
            timeout=5, cwd=Path(__file__).resolve().parent,
        ).stdout.strip()
        return (commit + ("-dirty" if dirty else "")) if commit else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def input_files(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """One row per input file of the year: file, extract, SHA-256 and rows loaded."""
    from assets.candidate.contract import TABLES as RAW_TABLES

    parts = []
    for name in RAW_TABLES:
        exists = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema='raw' AND table_name=?",
            [name],
        ).fetchall()[0][0]
        if exists:
            parts.append(con.execute(
                f"SELECT ? AS extract, source_sha256 AS sha256, count(*) AS rows "
                f"FROM raw.{name} WHERE reporting_year = ? GROUP BY source_sha256",
                [name, year],
            ).df())
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["extract", "sha256", "rows"])
    return frame.sort_values(["extract", "sha256"]).reset_index(drop=True)


def build_provenance(con: duckdb.DuckDBPyConnection, year: int, config: AuthorityConfig,
                     raw_dir: Path | None = None) -> dict:
    files = input_files(con, year)
    names = {}
    if raw_dir is not None and (raw_dir / str(year)).is_dir():
        from psw_core.hashing import file_sha256

        names = {file_sha256(p): p.name for p in sorted((raw_dir / str(year)).iterdir()) if p.is_file()}
    files["file"] = files["sha256"].map(names).fillna("")
    return {
        "reporting_year": year,
        "authority": {"name": config.name, "code": config.code, "nation": config.nation,
                      "period": config.period},
        "inputs": files[["file", "extract", "sha256", "rows"]].to_dict(orient="records"),
        "package_version": package_version(),
        "git_commit": git_commit(),
        "benchmark_release": config.benchmark_vintage,
        "reference_files": reference_files(),
        "suites": suite_summary(),
        "validation": validation_summary(con, year),
        "caseload_source": caseload_source(con, year),
        "asye_flag": asye_flag(con, year),
    }


ASYE_FLAG = {True: "recorded", False: "not recorded"}
ASYE_NOT_RECORDED = ("No ASYE flag in this year's workforce data (the 2025 census no longer "
                     "collects CFKSSstatus, and no local extract supplies asye): ASYE figures "
                     "are not available ([x]), and supervision is judged monthly for every "
                     "worker.")


def asye_flag(con: duckdb.DuckDBPyConnection, year: int) -> str:
    """Whether any of the year's spells carries the ASYE flag (staging.worker_spells)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema='staging' "
        "AND table_name='worker_spells'").fetchall()[0][0]
    if not exists:
        return ASYE_FLAG[False]
    recorded = con.execute("SELECT coalesce(bool_or(asye_recorded), false) FROM "
                           "staging.worker_spells WHERE reporting_year = ?", [year]).fetchone()
    return ASYE_FLAG[bool(recorded[0])]


CASELOAD_SOURCES = {"extract": "caseload extract",
                    "census": "CSWW census Cases30 (no caseload extract)", "none": "none"}


def caseload_source(con: duckdb.DuckDBPyConnection, year: int) -> str:
    """Where the year's caseload_fte comes from: the caseload extract (which wins when both are
    there) or the census's Cases30 (staging.case_allocations, case_type 'cases30')."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema='staging' "
        "AND table_name='case_allocations'").fetchall()[0][0]
    if not exists:
        return CASELOAD_SOURCES["none"]
    census, total = con.execute(
        "SELECT count(*) FILTER (WHERE case_type = 'cases30'), count(*) "
        "FROM staging.case_allocations WHERE reporting_year = ?", [year]).fetchall()[0]
    return CASELOAD_SOURCES["census" if census else "extract" if total else "none"]


def validation_summary(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """How the year's extracts fared against the suites: counts by severity and rule."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema='raw' "
        "AND table_name='validation_problems'").fetchall()[0][0]
    if not exists:
        return {"errors": 0, "warnings": 0, "by_rule": {}}
    rows = con.execute(
        "SELECT severity, rule, count(*) FROM raw.validation_problems WHERE reporting_year = ? "
        "GROUP BY ALL ORDER BY rule", [year]).fetchall()
    return {
        "errors": sum(n for sev, _, n in rows if sev == "error"),
        "warnings": sum(n for sev, _, n in rows if sev == "warning"),
        "by_rule": {rule: n for _, rule, n in rows},
    }


def suite_summary() -> list[dict]:
    folder = Path(__file__).resolve().parents[2] / "expectations"
    out = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out.append({"suite": path.stem, "expectations": len(data.get("expectations", []))})
    return out


def write_json_atomic(data: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)
