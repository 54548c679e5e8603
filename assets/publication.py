"""Write-audit-publish: promote a batch's audited tables into the lake and swap in a new catalog.

This step runs only when every blocking check upstream passed; when one failed, Dagster skips it
and the analysts keep the previous publication, unchanged and queryable. The incidents, computed
across batches, are audited here, before the batch is promoted, and published with it.
"""

from datetime import timedelta

import dagster as dg
import polars as pl

from assets.partitions import batches
from assets.resources import LedgerStorage
from ledger.incidents import IncidentsRejected, stage_incidents
from ledger.stages import BATCH_TABLES, PIPELINE, STAGE_OF_TABLE, extraction_versions
from ledger.tables import GAZETTEER_ENTITIES


@dg.asset(
    name="publication",
    deps=[t.name for stage in PIPELINE for t in stage.outputs] + [GAZETTEER_ENTITIES.name],
    group_name="publication",
    kinds={"duckdb", "parquet"},
    owners=["team:ingest"],
    partitions_def=batches,
    # The nightly pass publishes by 02:00 UTC plus the run; two hours' grace past a day.
    freshness_policy=dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26)),
    description="Promotes the batch's audited Parquet into the lake and atomically replaces "
    "conflict.duckdb, the analysts' catalog of views over the current publication. Late when nothing "
    "was published for 26 hours: the nightly pass failed, was blocked, or the inbox received nothing.",
)
def publication(context: dg.AssetExecutionContext, storage: LedgerStorage) -> dg.MaterializeResult:
    warehouse = storage.warehouse
    batch = context.partition_key
    promoted = warehouse.staged_tables(list(BATCH_TABLES), batch)
    current = extraction_versions(storage.gazetteer)
    versions = {STAGE_OF_TABLE[t.name]: current[STAGE_OF_TABLE[t.name]] for t in promoted if t.name in STAGE_OF_TABLE}
    unpartitioned, unpartitioned_versions = [], {}
    if warehouse.staged_path(GAZETTEER_ENTITIES).exists():
        unpartitioned, unpartitioned_versions = (
            [GAZETTEER_ENTITIES],
            {GAZETTEER_ENTITIES.name: storage.gazetteer.version},
        )
    # The incidents of the batch's dates take its figures in, read from a catalog of the publication to
    # come, and pass their suites before anything is promoted: a failure raises IncidentsRejected here and
    # holds the whole batch back (the previous publication stays; the next run retries the batch).
    with warehouse.candidate_catalog(batch, promoted, unpartitioned) as catalog:
        try:
            incident_parts = stage_incidents(warehouse, batch, storage.expectations, catalog)
        except IncidentsRejected as rejected:
            raise dg.Failure(description=str(rejected)) from rejected
        published = warehouse.publish(
            batch, promoted, versions, unpartitioned, unpartitioned_versions, parts=incident_parts, candidate=catalog
        )
    # This batch's rows: counting the whole catalog after every batch would make a backfill quadratic.
    rows = {
        t.name: pl.scan_parquet(warehouse.root / published.batches[batch][t.name]).select(pl.len()).collect().item()
        for t in promoted
    }
    return dg.MaterializeResult(
        metadata={
            "publication": published.sequence,
            "tables_promoted": ", ".join(t.name for t in promoted),
            "versions": dg.MetadataValue.json(versions),
            "catalog": dg.MetadataValue.path(str(warehouse.catalog_path)),
            **{f"rows_{table}": n for table, n in rows.items()},
        }
    )
