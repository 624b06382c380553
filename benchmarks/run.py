"""`make bench`: the pipeline at national scale, against the DuckDB read floor and plain pandas.

    .venv/bin/python benchmarks/run.py [--repeat N] [--skip-sample]

National data (153 authorities, one year) is generated once under benchmarks/.cache/ and
concatenated into one national folder (see benchmarks/data.py for why). Every stage runs in a
fresh process; its time includes imports; its peak memory is the sampled peak of the summed RSS
of the process and its children (worker processes count), or wait4's max RSS if larger.
Each measurement is repeated N times: the median is used, the range shows the spread (other
work on the machine moves it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
import output_hashes  # noqa: E402

import data  # noqa: E402

ROOT = data.ROOT
PY = ROOT / ".venv" / "bin" / "python"
PSW = ROOT / ".venv" / "bin" / "psw"
STAGE = ROOT / "benchmarks" / "stage.py"
NATIONAL_STAGES = ("floor", "ingest", "validation", "measures", "published", "baseline")


def _env(extra: dict | None = None) -> dict:
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false", "DAGSTER_DISABLE_TELEMETRY": "1",
           "PYTHONHASHSEED": "0"}
    env.pop("PSW_PSEUDONYMISATION_KEY", None)
    return {**env, **(extra or {})}


def _tree_rss_peak(pid: int, stop: threading.Event, peak: list[int]) -> None:
    """Sample the summed RSS of `pid` and all its descendants every 50 ms until `stop`.

    wait4's ru_maxrss is the largest single process of the tree, not their sum: a command that
    hands work to a worker process (GX's, the report's kernels) would look smaller than it is.
    """
    try:
        root = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.is_set():
        total = 0
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        peak[0] = max(peak[0], total)
        stop.wait(0.05)


def run_process(cmd: list[str], env: dict | None = None,
                ok: tuple[int, ...] = (0,)) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of one fresh process; exit codes in `ok` pass.

    Peak RSS: the larger of wait4's (the largest single process) and the sampled peak of the
    process tree's summed RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env or _env())
        stop, tree_peak = threading.Event(), [0]
        sampler = threading.Thread(target=_tree_rss_peak, args=(proc.pid, stop, tree_peak),
                                   daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        if proc.returncode not in ok:
            sys.stderr.write(err.read().decode(errors="replace")[-3000:])
            raise SystemExit(f"{' '.join(map(str, cmd))} exited {proc.returncode}")
    return wall, max(usage.ru_maxrss * 1024, tree_peak[0]) / 1024**2, stdout


def run_stage(stage: str, data_dir: Path, work: Path) -> dict:
    wall, rss, stdout = run_process([str(PY), str(STAGE), stage, str(data_dir), str(work)])
    result = json.loads(stdout.strip().splitlines()[-1])
    return {"seconds": wall - result["excluded"], "rss_mb": rss, "rows": result["rows"],
            "extra": result["extra"]}


def work_dir(name: str) -> Path:
    """A work folder with an authority.yml for the benchmark authority."""
    work = data.CACHE / f"work_{name}"
    work.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "data" / "authority.yml").read_text(encoding="utf-8")
    text = text.replace("name: Northfield City Council",
                        "name: England (synthetic, 153 authorities)" if name == "national"
                        else "name: Tiny Synthetic Authority").replace("code: NFC", "code: ENG")
    (work / "authority.yml").write_text(text, encoding="utf-8")
    return work


def sample_builds(work: Path) -> dict:
    """psw build (HTML, DOCX and PDF) on the sample (every year), cold; then a no-op rebuild; then
    psw report (the render for one authority, HTML) on the same outputs. The commit is pinned
    so the outputs can be compared with the hashes in RESULTS.md."""
    out, home = work / "sample_build", work / "sample_dagster"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    env = _env({"DAGSTER_HOME": str(home), "PSW_GIT_COMMIT": "pinned"})
    for name in ("PSW_OUT_DIR", "PSW_WAREHOUSE", "PSW_RAW_DIR", "PSW_CONFIG", "PSW_FORMATS"):
        env.pop(name, None)
    build = [str(PSW), "build", "--out", str(out), "--formats", "html,docx,pdf"]
    cold, cold_rss, _ = run_process(build, env)
    noop, noop_rss, _ = run_process(build, env)
    render, render_rss, _ = run_process(
        [str(PSW), "report", "--year", "2025", "--out", str(out), "--formats", "html"], env)
    expected = output_hashes.recorded()
    same = expected == output_hashes.hashes(out) if expected else None
    return {"cold": (cold, cold_rss), "noop": (noop, noop_rss), "render": (render, render_rss),
            "outputs_match": same}


def gx_import() -> tuple[float, float, str]:
    """`import great_expectations` alone in a fresh process (the floor of any GX run)."""
    return run_process([str(PY), "-c", "import great_expectations"])


def validate_year() -> tuple[float, float, str]:
    """`psw validate` of the latest sample year in a fresh process (exit 1 = errors listed)."""
    latest = sorted((ROOT / "data" / "raw").glob("[0-9]" * 4))[-1]
    return run_process([str(PSW), "validate", str(latest)], ok=(0, 1))


def summarise(samples: list[float]) -> tuple[float, str]:
    med = statistics.median(samples)
    spread = f"{min(samples):.2f}–{max(samples):.2f}" if len(samples) > 1 else "-"
    return med, spread


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-sample", action="store_true", help="skip the sample builds")
    args = parser.parse_args()

    national, tiny = data.national(), data.tiny()
    wn, wt, ws = work_dir("national"), work_dir("tiny"), work_dir("sample")
    runs: dict[str, list[dict]] = {}

    def record(name: str, result: dict) -> None:
        runs.setdefault(name, []).append(result)
        print(f"  {name:<22} {result['seconds']:7.2f} s  {result['rss_mb']:7.0f} MB",
              file=sys.stderr, flush=True)

    for i in range(args.repeat):
        print(f"round {i + 1}/{args.repeat}", file=sys.stderr, flush=True)
        for stage in NATIONAL_STAGES:
            record(stage, run_stage(stage, national, wn))
        record("pipeline_national", run_stage("pipeline", national, wn))
        record("pipeline_tiny", run_stage("pipeline", tiny, wt))
        for name, fn in (("gx_import", gx_import), ("validate_year", validate_year)):
            wall, rss, _ = fn()
            record(name, {"seconds": wall, "rss_mb": rss, "rows": 0, "extra": {}})
        if not args.skip_sample:
            s = sample_builds(ws)
            for key in ("cold", "noop", "render"):
                record(f"sample_{key}", {"seconds": s[key][0], "rss_mb": s[key][1], "rows": 0,
                                         "extra": {}})
            runs.setdefault("outputs_match", []).append(s["outputs_match"])

    def med(name: str) -> float:
        return summarise([r["seconds"] for r in runs[name]])[0]

    rows = [
        ("floor: DuckDB read_csv (national)", "floor"),
        ("ingest: prepare_year + load", "ingest"),
        ("validation: GX + cross-extract", "validation"),
        ("measures: staging + metrics SQL", "measures"),
        ("published tables (disclosure)", "published"),
        ("pipeline via Dagster, national", "pipeline_national"),
        ("pipeline via Dagster, tiny", "pipeline_tiny"),
        ("import great_expectations", "gx_import"),
        ("psw validate, latest sample year", "validate_year"),
        ("report render, one authority", "sample_render"),
        ("sample cold build (every sample year, html+docx+pdf)", "sample_cold"),
        ("sample no-op rebuild", "sample_noop"),
    ]
    lines = ["| stage | seconds (median) | range | rows | rows/s | peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|"]
    for label, name in rows:
        if name not in runs:
            continue
        secs, spread = summarise([r["seconds"] for r in runs[name]])
        n = runs[name][0]["rows"]
        rate = f"{n / secs:,.0f}" if n else "-"
        rss = max(r["rss_mb"] for r in runs[name])
        lines.append(f"| {label} | {secs:.2f} | {spread} | {n:,} | {rate} | {rss:,.0f} |")

    base = runs["baseline"]
    pandas_s = statistics.median(s for r in base for s in r["extra"]["pandas_seconds"])
    ours_s = statistics.median(s for r in base for s in r["extra"]["ours_seconds"])
    lines += ["", f"core measures on loaded data: ours (DuckDB SQL) {ours_s:.3f} s, "
                  f"pandas baseline {pandas_s:.3f} s; largest |difference| "
                  f"{base[-1]['extra']['max_abs_difference']}"]
    fixed, gx = med("pipeline_tiny"), med("gx_import")
    ratios = {
        "gx_import_seconds": gx,
        "fixed_overhead_seconds": fixed,
        "fixed_overhead_over_gx_import_seconds": fixed - gx,
        "ingest_validate_measures_over_floor": (med("pipeline_national") - fixed) / med("floor"),
        "measures_ours_over_pandas_time": ours_s / pandas_s,
    }
    if "sample_cold" in runs:
        ratios["sample_cold_build_seconds"] = med("sample_cold")
        ratios["sample_noop_rebuild_seconds"] = med("sample_noop")
    ratios["validate_one_year_seconds"] = med("validate_year")
    ratios["validate_over_gx_import_seconds"] = med("validate_year") - gx
    ratios["peak_memory_national_mb"] = max(r["rss_mb"] for r in runs["pipeline_national"])
    lines.append("")
    lines += [f"{k}={v:.2f}" for k, v in ratios.items()]
    if "outputs_match" in runs:
        matches = runs["outputs_match"]
        lines.append("sample_outputs_match_recorded_hashes="
                     + ("none recorded" if None in matches else str(all(matches))))
    print(f"machine: {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3:.0f} GB, "
          f"{platform.platform()}, python {platform.python_version()}; repeat={args.repeat}")
    print("\n".join(lines))
    (data.CACHE / "last_run.json").write_text(json.dumps(runs, indent=1, default=str),
                                              encoding="utf-8")


if __name__ == "__main__":
    main()
