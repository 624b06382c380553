"""Synthetic authority generator (`psw synth`); see docs/synthetic-data.md."""

from psw_synth.generator import (
    SAMPLE_SEED,
    SAMPLE_YEARS,
    generate,
    sample_manifest,
    write_sample,
)

__all__ = ["SAMPLE_SEED", "SAMPLE_YEARS", "generate", "sample_manifest", "write_sample"]
