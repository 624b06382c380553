"""One benchmark stage, run by benchmarks/run.py in a fresh process.

    python benchmarks/stage.py STAGE DATA_DIR WORK_DIR

Prints one JSON line: {"excluded": seconds of set-up not to count, "rows": rows handled,
"extra": {...}}. run.py times the whole process (imports included) and subtracts `excluded`
(reading a previous stage's pickle, copying a warehouse file), and takes peak RSS from wait4.
"""

from __future__ import annotations

import json
import os
import pickle
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

YEAR = 2025
KEY = b"benchmark-key-not-secret-0123456789"
CORE_MODELS = ("worker_spells", "case_allocations", "vacancies")
CORE_FAMILIES = ("workforce", "vacancies", "caseload")


def _config(work: Path):
    from psw_core.config import load_config

    return load_config(work / "authority.yml")


def _copy(src: Path, dst: Path) -> float:
    started = time.perf_counter()
    shutil.copyfile(src, dst)
    return time.perf_counter() - started


def floor(data: Path, work: Path) -> dict:
    """DuckDB read_csv of the same files into tables: no typing rules, no checks."""
    import duckdb

    db = work / "floor.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    rows = 0
    for f in sorted(data.glob("*.csv")):
        enc = ", encoding='latin-1'" if f.name == "health_check_responses.csv" else ""
        con.execute(f"create table {f.stem} as select * from read_csv('{f}', header=true{enc})")
        rows += con.execute(f"select count(*) from {f.stem}").fetchone()[0]
    con.close()
    return {"rows": rows}


def ingest(data: Path, work: Path) -> dict:
    """prepare_year (read, type, pseudonymise, scrub) and the candidate/raw load."""
    import duckdb

    from assets.candidate.load import prepare_year
    from assets.candidate.store import write_candidates
    from assets.raw.warehouse import promote_year

    prepared = prepare_year(data, YEAR, _config(work), KEY)
    db = work / "warehouse.duckdb"
    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    write_candidates(con, YEAR, prepared.tables)
    promote_year(con, YEAR)
    con.close()
    started = time.perf_counter()
    with open(work / "read_results.pkl", "wb") as f:  # for the validation stage
        pickle.dump(prepared.read_results, f, protocol=pickle.HIGHEST_PROTOCOL)
    return {"rows": sum(len(t) for t in prepared.tables.values()),
            "excluded": time.perf_counter() - started}


def validation(data: Path, work: Path) -> dict:
    """The GX suites and cross-extract SQL on the prepared frames (as candidate_extracts)."""
    started = time.perf_counter()
    with open(work / "read_results.pkl", "rb") as f:
        reads = pickle.load(f)
    excluded = time.perf_counter() - started
    from assets.candidate.validate import ValidationReport, validate_reads

    report = validate_reads(reads, _config(work), YEAR, ValidationReport(folder=str(data)))
    errors = sum(1 for p in report.problems if p.severity == "error")
    return {"rows": sum(len(r.frame) for r in reads.values()), "excluded": excluded,
            "extra": {"problems_listed": len(report.problems), "errors_listed": errors}}


def measures(data: Path, work: Path) -> dict:
    """staging.* and metrics.* (measures and trends) on a copy of the loaded warehouse."""
    import duckdb

    excluded = _copy(work / "warehouse.duckdb", work / "measures.duckdb")
    from assets.metrics.measures import build_metrics
    from assets.metrics.trends import build_trends

    config = _config(work)
    con = duckdb.connect(str(work / "measures.duckdb"))
    build_metrics(con, YEAR, config)
    build_trends(con, YEAR, config)
    rows = con.execute("select sum(estimated_size) from duckdb_tables() "
                       "where schema_name = 'raw'").fetchone()[0]
    out = con.execute("select count(*) from metrics.measures").fetchone()[0]
    con.close()
    return {"rows": int(rows), "excluded": excluded, "extra": {"measure_rows": out}}


def published(data: Path, work: Path) -> dict:
    """Disclosure control and the published files/snapshot, on the measured warehouse."""
    import duckdb

    excluded = _copy(work / "measures.duckdb", work / "publish_stage.duckdb")
    from assets.published.publish import publish_year

    con = duckdb.connect(str(work / "publish_stage.duckdb"))
    tables = publish_year(con, YEAR, _config(work), work / "out" / str(YEAR), data.parent)
    con.close()
    return {"rows": sum(len(t) for t in tables.values()), "excluded": excluded}


def baseline(data: Path, work: Path) -> dict:
    """Core measures on already-loaded data: our SQL (DuckDB) vs a plain pandas analyst script,
    doing the same arithmetic (benchmarks/pandas_baseline.py says why this option).

    Both start from the loaded raw.* tables (pandas gets them as DataFrames, not timed).
    Ours: the staging models the core families read, then the workforce, vacancies and
    caseload families, with their intervals. Pandas: the same staging flags and every row
    those three families emit. `compare` matches every row of both. National data is loaded
    as one authority.
    """
    import duckdb

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import pandas_baseline

    from assets.metrics import measures as m
    from assets.staging import models

    config = _config(work)
    excluded = _copy(work / "warehouse.duckdb", work / "baseline.duckdb")
    con = duckdb.connect(str(work / "baseline.duckdb"))
    started = time.perf_counter()
    frames = {t: pandas_baseline.loaded(con.execute(
                  f"select * from raw.{t} where reporting_year = $y", {"y": YEAR}).df())
              for t in ("hr_workforce", "hr_vacancies", "caseload")}
    load_pandas = time.perf_counter() - started

    def cpu() -> float:  # this process's CPU seconds, DuckDB's threads included
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    pandas_s, pandas_cpu = [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), cpu()
        result = pandas_baseline.core_measures(
            frames["hr_workforce"], frames["hr_vacancies"], frames["caseload"],
            config.period_start(YEAR), config.reference_date(YEAR),
            int(config.targets["asye_caseload_cap"]))
        pandas_s.append(time.perf_counter() - started)
        pandas_cpu.append(cpu() - cpu_started)

    ours_s, ours_cpu = [], []
    all_models, all_families = dict(models.MODELS), dict(m.FAMILIES)
    models.MODELS.clear()
    models.MODELS.update({k: v for k, v in all_models.items() if k in CORE_MODELS})
    m.FAMILIES.clear()
    m.FAMILIES.update({k: v for k, v in all_families.items() if k in CORE_FAMILIES})
    try:
        for _ in range(3):
            started, cpu_started = time.perf_counter(), cpu()
            models.build_staging(con, config)
            ours = m.compute_measures(con, YEAR, config)
            ours_s.append(time.perf_counter() - started)
            ours_cpu.append(cpu() - cpu_started)
    finally:
        models.MODELS.clear()
        models.MODELS.update(all_models)
        m.FAMILIES.clear()
        m.FAMILIES.update(all_families)
    con.close()
    check = pandas_baseline.compare(result, ours)
    return {"rows": sum(len(f) for f in frames.values()),
            "excluded": 0.0,
            "extra": {"pandas_seconds": pandas_s, "ours_seconds": ours_s,
                      "pandas_cpu_seconds": pandas_cpu, "ours_cpu_seconds": ours_cpu,
                      "pandas_load_seconds": load_pandas, "copy_seconds": excluded,
                      "max_abs_difference": check}}


def pipeline(data: Path, work: Path) -> dict:
    """The real path: Dagster in process (as `psw build`), ingest → checks → raw → staging →
    metrics, for one year. Imports and Dagster start-up included."""
    home = work / "dagster_home"
    shutil.rmtree(home, ignore_errors=True)
    (work / "pipeline.duckdb").unlink(missing_ok=True)
    os.environ.update({
        "DAGSTER_HOME": str(home), "PSW_RAW_DIR": str(data.parent),
        "PSW_OUT_DIR": str(work / "pipeline_out"), "PSW_CONFIG": str(work / "authority.yml"),
        "PSW_WAREHOUSE": str(work / "pipeline.duckdb"), "PSW_FORMATS": "html",
        "PSW_PSEUDONYMISATION_KEY": KEY.decode(), "GX_ANALYTICS_ENABLED": "false",
    })
    from assets.candidate import gx_worker

    gx_worker.start(data)  # where `psw build` starts it (pipelines/build.py)
    import dagster as dg

    from pipelines.dagster_home import ensure_dagster_home

    ensure_dagster_home()
    from pipelines.definitions import defs
    from psw_core.partitions import reporting_year

    instance = dg.DagsterInstance.get()
    instance.add_dynamic_partitions(reporting_year.name, [str(YEAR)])
    # Every candidate, raw, staging and measure-family asset (not trends, tables or report).
    selection = (dg.AssetSelection.groups("candidate", "raw", "staging", "metrics")
                 - dg.AssetSelection.assets(["metrics", "trends"]))
    keys = list(selection.resolve(defs.get_repository_def().asset_graph))
    job = defs.resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=instance, partition_key=str(YEAR),
                                    raise_on_error=True, asset_selection=keys)
    if not result.success:
        raise SystemExit("pipeline failed")
    return {"rows": sum(1 for f in data.glob("*.csv") for _ in open(f, "rb")) - 10}


STAGES = {f.__name__: f for f in (floor, ingest, validation, measures, published, baseline,
                                  pipeline)}

if __name__ == "__main__":
    stage, data_dir, work_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    out = STAGES[stage](data_dir, work_dir)
    print(json.dumps({"excluded": 0.0, "extra": {}, **out}))
