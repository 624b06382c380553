"""Metrics stage: the measures to their published definitions (docs/measures.md), one asset per
measure family, with intervals, year-on-year changes and national comparisons."""
