"""Time `psw preview`'s re-render after an edit (a measurement, not a test).

    .venv/bin/python scripts/time_preview.py --out build [--year 2025] [--runs 3]

Works on a copy of report/ (the real one is never edited) and the snapshot of an earlier
`psw build --out <out>`. It renders once, then for each run edits one sentence of a YAML
narrative file and one of a prose file and prints how long each re-render took, split into
the check, the chunks and pandoc.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _timed(preview, name: str, calls: dict[str, float]):
    """Wrap preview.<name> so its seconds are added to calls[name]."""
    original = getattr(preview, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            calls[name] = calls.get(name, 0.0) + time.perf_counter() - started

    setattr(preview, name, wrapper)


def _edit(path: Path, run: int) -> None:
    """Append a word to the file's first line of text that has one (a real edit, each run)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if path.suffix == ".yml" and ": " in line and not line.strip().startswith("#") \
                and len(line.split(": ", 1)[1].strip()) > 20:
            lines[i] = line.rstrip("\n").rstrip('"') + f" (edit {run})" + (
                '"' if line.rstrip("\n").endswith('"') else "") + "\n"
            break
        if path.suffix == ".md" and len(line.strip()) > 20 and not line.startswith("#"):
            lines[i] = line.rstrip("\n") + f" Edit {run}.\n"
            break
    path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--yaml", default="priorities.yml")
    parser.add_argument("--prose", default="recognition.md")
    args = parser.parse_args()

    from pipelines.preview import Preview

    work = Path(tempfile.mkdtemp(prefix="psw-time-preview-"))
    report = work / "report"
    shutil.copytree(ROOT / "report", report)
    site = work / "site"
    site.mkdir()
    os.environ["PSW_OUT_DIR"] = str(args.out.resolve())
    os.environ["PSW_REPORT_DIR"] = str(report)
    preview = Preview(args.year, report, args.out, site, print)
    calls: dict[str, float] = {}
    for name in ("check", "run_chunks", "publish"):
        _timed(preview, name, calls)
    try:
        what, seconds = preview.refresh()
        print(f"first render ({what}): {seconds:.1f} s")
        for run in range(1, args.runs + 1):
            for name in (args.yaml, args.prose):
                path = preview.narrative / name
                _edit(path, run)
                calls.clear()
                what, seconds = preview.refresh({path})
                parts = ", ".join(f"{k} {v:.1f} s" for k, v in calls.items())
                print(f"run {run}: {name} edited -> {what}: {seconds:.1f} s ({parts})")
    finally:
        preview.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
