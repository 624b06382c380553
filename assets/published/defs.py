"""Published asset: disclosure-controlled tables, CSV/ODS files and the report's snapshot."""


from pathlib import Path

import dagster as dg

from assets.metrics.defs import metrics_comparisons, metrics_trends
from psw_core.asset_helpers import (
    OWNER,
    authority,
    partition_year,
    preview,
    row_count,
    stage_code_version,
)
from psw_core.partitions import reporting_year
from psw_core.resources import PswSettings, WarehouseResource


def table_schema(frame) -> dg.TableSchema:
    """A published table's columns and types, as the Dagster UI shows them."""
    return dg.TableSchema(columns=[dg.TableColumn(str(name), str(dtype))
                                   for name, dtype in frame.dtypes.items()])


@dg.asset(
    key=["published", "tables"],
    deps=[metrics_trends, metrics_comparisons],
    partitions_def=reporting_year,
    group_name="published",
    kinds={"duckdb", "csv"},
    owners=[OWNER],
    code_version=stage_code_version("assets/published"),
    description="published.* after disclosure control ([c] for 1–threshold people, secondary "
    "suppression, GSS shorthand), written to build/<Y>/tables/*.csv, psw-tables-<Y>.ods, "
    "build/<Y>/published.duckdb (the report's only input) and the internal headline file.",
)
def published_tables(context: dg.AssetExecutionContext, settings: PswSettings, warehouse: WarehouseResource):
    from assets.published.publish import publish_year

    year = partition_year(context)
    out = Path(settings.out_dir) / str(year)
    with warehouse.connect() as con:
        tables = publish_year(con, year, authority(settings), out, Path(settings.raw_dir))
    rows = {name: len(frame) for name, frame in tables.items()}
    context.log.info(f"published: {len(tables)} tables for {year} ({sum(rows.values())} rows) "
                     f"written to {out.resolve()}")
    metadata = {
        **row_count(sum(rows.values())),
        "tables": dg.MetadataValue.json(rows),
        "snapshot": dg.MetadataValue.path(str((out / "published.duckdb").resolve())),
    }
    empty = sorted(name for name, n in rows.items() if n == 0)
    if empty:
        # Say why a table is empty, e.g. year_on_year after building a single year.
        why = {"year_on_year": "no earlier reporting year is in the warehouse to compare with"}
        metadata["empty_tables"] = dg.MetadataValue.md("\n".join(
            f"- `{name}`: {why.get(name, 'no rows for this year (its inputs are absent)')}"
            for name in empty))
    if "headline_measures" in tables:
        metadata["preview"] = preview(tables["headline_measures"], 15)
        # The Columns tab shows the headline table, the one every report figure comes from;
        # every published table's columns follow (docs/published-tables.md says what they mean).
        metadata["dagster/column_schema"] = table_schema(tables["headline_measures"])
    for name in sorted(tables):
        metadata[f"columns/{name}"] = table_schema(tables[name])
    return dg.MaterializeResult(metadata=metadata)
