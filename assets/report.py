"""The analysts' report, rebuilt after each publication."""

import dagster as dg

from analysis.report import build_report
from assets.partitions import batches
from assets.resources import LedgerStorage
from ledger.data_docs import index_path
from ledger.inbox import pending_batches
from ledger.quality import start_rendering_data_docs


@dg.asset(
    name="report",
    deps=["publication"],
    group_name="publication",
    kinds={"html", "python"},
    owners=["team:analysis"],
    partitions_def=batches,
    description="HTML report with SVG charts of the current publication under WAREHOUSE_DIR/report/: munitions by type, "
    "killed by victim group and by month, most-mentioned actors, and a map of the incidents of killing, in Arabic "
    "with English; it links the Great Expectations Data Docs, whose pages of the run's suites it renders.",
)
def report(storage: LedgerStorage) -> dg.MaterializeResult:
    waiting = pending_batches(storage.warehouse)
    if waiting:  # a backfill of many batches builds the report once, after its last batch
        return dg.MaterializeResult(
            metadata={"built": False, "reason": f"{len(waiting)} later batches still to publish"}
        )
    rendering = start_rendering_data_docs(storage.warehouse.root)
    # Built while the validator process renders the pages: the report lists the suite runs kept (whose
    # pages are the ones rendering), linking each page and the index by the path they are written to.
    built = build_report(storage.warehouse, data_docs=index_path(storage.warehouse.root))
    data_docs = rendering.result()
    return dg.MaterializeResult(
        metadata={
            "built": True,
            "report": dg.MetadataValue.path(str(built.path)),
            **({"data_docs": dg.MetadataValue.path(str(data_docs))} if data_docs else {}),
            "charts": dg.MetadataValue.json([str(c) for c in built.charts]),
            "summary": dg.MetadataValue.md(built.markdown()),
            **{f"total_{k}": int(v) for k, v in built.totals.items()},
        }
    )
