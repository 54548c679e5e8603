"""One blocking asset check per staged table, each running that table's GX suite.

Blocking: a failing suite stops every downstream step of the run, so the publication step
never promotes the batch; the previous publication stays as it was.
"""

from collections.abc import Callable

import dagster as dg
import polars as pl

from pipelines.partitions import batches
from pipelines.quality import load_suite, validate
from pipelines.resources import LedgerStorage
from pipelines.tables import Table
from pipelines.warehouse import Warehouse

# Adds the columns a suite's expectations name but the table does not store (e.g. the text at
# a record's offsets), given the staged frame, the warehouse and the batch.
Derivation = Callable[[pl.DataFrame, Warehouse, "str | None"], pl.DataFrame]


def suite_check(
    table: Table,
    asset: dg.AssetKey | str,
    id_columns: list[str],
    derive: Derivation | None = None,
    partitioned: bool = True,
) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset,
        name=f"{table.name}_expectations",
        description=f"Great Expectations suite expectations/{table.name}.json on the staged {table.name}.",
        blocking=True,
        partitions_def=batches if partitioned else None,
    )
    def _check(context: dg.AssetCheckExecutionContext, storage: LedgerStorage) -> dg.AssetCheckResult:
        batch = context.partition_key if partitioned else None
        frame = storage.warehouse.read_batch(table, batch)
        if derive is not None:
            frame = derive(frame, storage.warehouse, batch)
        outcome = validate(frame, load_suite(storage.expectations, table.name), id_columns)
        return dg.AssetCheckResult(
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                "rows": outcome.evaluated,
                "expectations_failed": len(outcome.failed),
                "failures": dg.MetadataValue.json(outcome.failed) if outcome.failed else dg.MetadataValue.text("none"),
            },
        )

    return _check
