"""python -m psw_synth: the `psw synth` command (docs/design.md §5) without the typer CLI."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from psw_synth.generator import generate, write_sample


def parse_years(text: str) -> list[int]:
    """`2023-2025`, `2025` or `2023,2025`."""
    if re.fullmatch(r"\d{4}-\d{4}", text):
        first, last = (int(part) for part in text.split("-"))
        if last < first:
            raise argparse.ArgumentTypeError(f"year range {text!r} runs backwards")
        return list(range(first, last + 1))
    if re.fullmatch(r"\d{4}(,\d{4})*", text):
        return [int(part) for part in text.split(",")]
    raise argparse.ArgumentTypeError(f"years must look like 2023-2025 or 2025, not {text!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="psw synth", description=__doc__)
    parser.add_argument("--out", type=Path, help="folder to write <year>/ (or <code>/<year>/)")
    parser.add_argument("--years", type=parse_years, default=parse_years("2023-2025"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--authorities", type=int, default=1)
    parser.add_argument("--faults", action="store_true", help="plant errors; write faults.json")
    parser.add_argument("--sample", action="store_true",
                        help="regenerate the committed sample data/raw and its manifest")
    args = parser.parse_args(argv)
    if args.sample:
        manifest = write_sample()
        print(f"wrote {len(manifest['files'])} sample files (seed {manifest['seed']})")
        return 0
    if args.out is None:
        parser.error("--out is required (or use --sample)")
    if args.seed < 0 or args.scale <= 0 or args.authorities < 1:
        parser.error("--seed must be >= 0, --scale > 0 and --authorities >= 1")
    files = generate(args.out, args.years, args.seed, args.scale, args.authorities, args.faults)
    print(f"wrote {len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
