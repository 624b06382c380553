"""SHA-256 of the sample build's outputs (CSV, ODS, HTML, DOCX, PDF), to prove that a speed-up
changed no byte.

    .venv/bin/python benchmarks/output_hashes.py BUILD_DIR            # print the hashes
    .venv/bin/python benchmarks/output_hashes.py BUILD_DIR --check    # compare with RESULTS.md

Build with `PSW_GIT_COMMIT=pinned .venv/bin/psw build --out BUILD_DIR` so the provenance's
commit does not vary between commits. `--check` compares with the block between the
`<!-- output-hashes -->` markers in benchmarks/RESULTS.md and exits 1 on any difference.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

SUFFIXES = (".csv", ".ods", ".html", ".docx", ".pdf")
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
MARK = "<!-- output-hashes -->"


def hashes(build: Path) -> dict[str, str]:
    return {p.relative_to(build).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(build.rglob("*")) if p.is_file() and p.suffix.lower() in SUFFIXES}


def recorded() -> dict[str, str]:
    """The hashes recorded in RESULTS.md ({} before any are)."""
    text = RESULTS.read_text(encoding="utf-8")
    if MARK not in text:
        return {}
    block = text.split(MARK)[1]
    pairs = (line.split() for line in block.splitlines() if line.strip() and "`" not in line)
    return {name: digest for digest, name in pairs}


def main() -> int:
    build = Path(sys.argv[1])
    found = hashes(build)
    if "--check" not in sys.argv:
        print("\n".join(f"{digest}  {name}" for name, digest in found.items()))
        return 0
    expected = recorded()
    bad = sorted(n for n in expected.keys() | found.keys() if expected.get(n) != found.get(n))
    for name in bad:
        print(f"DIFFERS: {name} (expected {expected.get(name)}, got {found.get(name)})")
    print(f"{len(found)} files, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
