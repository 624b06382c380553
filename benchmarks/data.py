"""Benchmark inputs, generated once and cached under benchmarks/.cache/ (git-ignored).

National scale (docs/design.md §6) is ONE reporting year across 153 authorities. `psw synth` writes
one folder per authority; `national_folder` concatenates the authorities' same-name files into
one national `<year>/` folder, which the pipeline ingests as one big dataset:

- ids are already unique across authorities (synth prefixes them with the authority code);
- `hr_vacancies.team` gets the authority code in front, so (service, team) stays unique;
- `health_check_items` is the same codebook everywhere: one copy;
- `health_check_invited` is summed per service (the nation's invited headcount).

Why one folder rather than 153 ingests: the per-run fixed cost (imports, Dagster start-up, GX
context and suites) would be paid 153 times and swamp the variable cost we want to measure, and
a regional or national comparison is one dataset in one warehouse anyway.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
PSW = ROOT / ".venv" / "bin" / "psw"
AUTHORITIES = 153
YEAR = 2025

ENCODING = {"health_check_responses.csv": "cp1252"}


def synth(out: Path, authorities: int, years: str, scale: float = 1.0) -> Path:
    """Run `psw synth` into `out` unless it is already there (a `.done` marker)."""
    done = out / ".done"
    if done.exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(PSW), "synth", "--out", str(out), "--years", years,
           "--authorities", str(authorities), "--scale", str(scale)]
    print(f"generating {out.relative_to(ROOT)} ({' '.join(cmd[1:])}) ...", file=sys.stderr,
          flush=True)
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    done.touch()
    return out


def _read(path: Path) -> tuple[str, list[str]]:
    """Header line and body lines, line endings kept (files are written without quoted
    newlines by synth, so a physical line is a record)."""
    text = path.read_bytes().decode(ENCODING.get(path.name, "utf-8"))
    lines = text.splitlines(keepends=True)
    return lines[0], lines[1:]


def national_folder(src: Path, year: int = YEAR) -> Path:
    """`<src>/national/<year>/` built from `<src>/A*/<year>/` (cached)."""
    out = src / "national" / str(year)
    if (out / ".done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    folders = sorted(p / str(year) for p in src.glob("A[0-9][0-9][0-9]"))
    names = sorted({f.name for d in folders for f in d.iterdir() if f.suffix == ".csv"})
    for name in names:
        encoding = ENCODING.get(name, "utf-8")
        if name == "health_check_items.csv":
            shutil.copyfile(folders[0] / name, out / name)
            continue
        if name == "health_check_invited.csv":
            totals: dict[str, int] = defaultdict(int)
            for d in folders:
                for row in csv.DictReader(io.StringIO((d / name).read_text(encoding))):
                    totals[row["service"]] += int(row["invited"])
            body = "".join(f"{s},{n}\n" for s, n in totals.items())
            (out / name).write_text("service,invited\n" + body, encoding=encoding, newline="")
            continue
        with open(out / name, "w", encoding=encoding, newline="") as f:
            for i, d in enumerate(folders):
                header, body = _read(d / name)
                if i == 0:
                    f.write(header)
                if name == "hr_vacancies.csv":  # team names repeat across authorities
                    code = d.parent.name
                    rows = list(csv.reader(body))
                    team = next(csv.reader([header])).index("team")
                    for r in rows:
                        r[team] = f"{code} {r[team]}" if r[team] else r[team]
                    buf = io.StringIO()
                    csv.writer(buf, lineterminator="\n").writerows(rows)
                    f.write(buf.getvalue())
                else:
                    f.writelines(body)
    (out / ".done").touch()
    return out


def national() -> Path:
    """The national year folder (generated and concatenated on first use)."""
    src = synth(CACHE / "national_src", AUTHORITIES, str(YEAR))
    return national_folder(src)


def tiny() -> Path:
    """A tiny one-authority year (scale 0.02) for the fixed-overhead measurement."""
    return synth(CACHE / "tiny", 1, str(YEAR), scale=0.02) / str(YEAR)
