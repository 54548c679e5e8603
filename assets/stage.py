"""Every stage's asset and blocking checks, built from its entry in ledger.stages by one factory.

A stage module gives only what is its own: the function that computes the stage's tables for a
batch, and for each table the columns its UI preview shows, the ids that name a failing row, the
columns its suite needs derived, and any counts worth showing. Names, groups, owners, inputs,
code versions and partitions come from the registry.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import dagster as dg
import polars as pl

from assets.checks import Derivation, begin_suite, suite_check
from assets.partitions import batches
from assets.reporting import output_metadata, table_asset_args
from assets.resources import LedgerStorage
from ledger.memory import release_freed_memory
from ledger.stages import Stage, code_version


@dataclass(frozen=True)
class Output:
    """How one of a stage's tables is shown in the UI and checked."""

    preview: list[str]  # columns of the markdown preview
    ids: list[
        str
    ]  # columns that name a failing row in the check's metadata (doc_id lets a row quarantine its document)
    derive: Derivation | None = None  # columns the suite's expectations read but the table does not store
    counts: Callable[[pl.DataFrame], dict] = field(default=lambda frame: {})  # extra metadata, e.g. rows per kind
    evidence: bool = False  # figures: the preview shows each row's whole evidence sentence, the figure marked


# What a stage computes for a batch: table name -> frame, for each of its outputs.
Compute = Callable[[LedgerStorage, str], dict[str, pl.DataFrame]]


def stage_asset(
    stage: Stage, compute: Compute, outputs: dict[str, Output], description: str
) -> tuple[dg.AssetsDefinition, list[dg.AssetChecksDefinition]]:
    version = {"code_version": code_version(stage.name)} if stage.extracts else {}
    specs = [
        dg.AssetSpec(
            t.name,
            **version,
            **table_asset_args(t, group=stage.group, owner=stage.owner, deps=[i.name for i in stage.inputs]),
        )
        for t in stage.outputs
    ]

    @dg.multi_asset(name=stage.name, specs=specs, partitions_def=batches, can_subset=False, description=description)
    def _asset(context: dg.AssetExecutionContext, storage: LedgerStorage):
        frames = compute(storage, context.partition_key)
        for table in stage.outputs:
            storage.warehouse.write_staged(table, context.partition_key, frames[table.name])
        results = []
        for table in stage.outputs:
            shown, frame = outputs[table.name], frames[table.name]
            metadata = output_metadata(frame, shown.preview, shown.evidence, **shown.counts(frame))
            results.append(dg.MaterializeResult(asset_key=table.name, metadata=metadata))
        # The stage's frames, written, are read back by the steps that need them: its memory goes back now.
        del frames, frame
        release_freed_memory()
        for table in stage.outputs:  # checked in the validator process while Dagster records this step
            begin_suite(
                table,
                storage,
                context.partition_key,
                context.run.run_id,
                outputs[table.name].ids,
                outputs[table.name].derive,
            )
        yield from results

    checks = [suite_check(t, t.name, outputs[t.name].ids, derive=outputs[t.name].derive) for t in stage.outputs]
    return _asset, checks
