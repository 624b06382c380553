"""The shared core every stage may import: settings, problems, hashing, warehouse helpers,
Dagster resources and partitions. It imports no stage."""
