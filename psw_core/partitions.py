"""Reporting-year partitions: one dynamic partition per `data/raw/<year>/` folder.

Dynamic rather than static so that a new year folder is picked up by the sensor (and by
`psw build`) without reloading the code location.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import dagster as dg

from psw_core.settings import YEAR_DIR, year_folders  # noqa: F401 - re-exported

reporting_year = dg.DynamicPartitionsDefinition(name="reporting_year")


def register_year_folders(instance: dg.DagsterInstance, raw_dir: Path) -> list[str]:
    """Add a `reporting_year` partition for every year folder not yet known; returns those added.

    Called when the code location loads (so a fresh DAGSTER_HOME and *Reload definitions* show
    every folder), by the sensor at each tick and by `psw build`.
    """
    known = set(instance.get_dynamic_partitions(reporting_year.name))
    new = [str(y) for y in year_folders(raw_dir) if str(y) not in known]
    if new:
        instance.add_dynamic_partitions(reporting_year.name, new)
    return new


# Asset checks are partitioned by reporting year so that a year's run never overwrites another
# year's check status. Dagster 1.13 calls that a preview feature; we accept it knowingly and pin
# the behaviour we rely on in tests/dagster/test_dagster_checks.py.
warnings.filterwarnings("ignore", message="Specifying a partitions_def on an AssetCheckSpec",
                        category=dg.PreviewWarning)
