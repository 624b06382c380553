"""Staging stage: one model per SQL file, at the grain its header states (spells, worker-months,
allocations, survey answers), the shapes every measure is counted from."""
