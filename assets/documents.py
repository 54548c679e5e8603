"""Raw and cleaned documents: decode each planned file, record what became of it, clean it."""

import dataclasses
import datetime
import hashlib

import dagster as dg
import polars as pl

from assets.checks import suite_check
from ledger.stages import code_version
from assets.reporting import output_metadata, table_asset_args
from conflict_text.clean import clean_document
from conflict_text.decode import decode_document, size_limit_reason
from ledger.inbox import read_plan
from assets.partitions import batches
from assets.resources import LedgerStorage
from ledger.tables import CLEANED_DOCUMENTS, RAW_DOCUMENTS, SOURCE_FILES
from ledger.warehouse import Warehouse

WAR_START = datetime.date(2011, 1, 1)


def _known_documents(warehouse: Warehouse, batch: str) -> dict[str, str]:
    """doc_id -> source_name of every document published by other batches (re-running a batch is idempotent)."""
    publication = warehouse.current_publication()
    files = [paths[SOURCE_FILES.name] for b, paths in sorted(publication.batches.items())
             if b != batch and SOURCE_FILES.name in paths]
    if not files:
        return {}
    frame = pl.read_parquet([warehouse.root / f for f in files], columns=["doc_id", "source_name", "status"])
    frame = frame.filter(pl.col("status") == "document")
    return dict(zip(frame["doc_id"], frame["source_name"]))


def ingest_batch(storage: LedgerStorage, batch: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Reads, verifies and decodes the files planned for `batch`; every planned file gets one ledger row."""
    plan = read_plan(storage.warehouse, batch)
    known = _known_documents(storage.warehouse, batch)
    ledger, documents = [], []
    for row in plan.iter_rows(named=True):
        entry = {**{k: row[k] for k in ("source_name", "sha256", "size_bytes", "mtime_ns", "change", "seen_at")},
                 "doc_id": None, "reason": None, "batch": batch}
        ledger.append(entry)
        if row["change"] == "deleted":
            entry["status"] = "deleted"
            continue
        if row["is_symlink"]:
            entry.update(status="rejected", reason="symbolic link: never followed out of the inbox")
            continue
        if too_large := size_limit_reason(row["size_bytes"]):
            entry.update(status="rejected", reason=too_large)  # never read into memory
            continue
        try:
            data = (storage.inbox / row["source_name"]).read_bytes()
        except OSError as exc:
            entry.update(status="deferred", reason=f"unreadable now ({exc.strerror}); retried by the next run")
            continue
        sha = hashlib.sha256(data).hexdigest()
        if sha != row["sha256"]:
            entry.update(status="deferred", reason="changed after planning; the next run takes the new version")
            continue
        if sha in known:
            entry.update(status="duplicate", doc_id=sha, reason=f"same content as {known[sha]}")
            continue
        decoded = decode_document(data, row["source_name"])
        if decoded.text is None:
            entry.update(status="rejected", reason=decoded.reason)
            continue
        known[sha] = row["source_name"]
        entry.update(status="document", doc_id=sha)
        documents.append({"doc_id": sha, "source_name": row["source_name"], "encoding": decoded.encoding,
                          "size_bytes": len(data), "text": decoded.text, "batch": batch})
    return SOURCE_FILES.frame(ledger), RAW_DOCUMENTS.frame(documents)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(SOURCE_FILES.name, **table_asset_args(SOURCE_FILES, group="raw", owner="ingest")),
        dg.AssetSpec(RAW_DOCUMENTS.name, **table_asset_args(RAW_DOCUMENTS, group="raw", owner="ingest")),
    ],
    partitions_def=batches,
    can_subset=False,
)
def raw_documents(context: dg.AssetExecutionContext, storage: LedgerStorage):
    """Decodes the batch's new and changed files; rejected files keep their reason in source_files."""
    ledger, documents = ingest_batch(storage, context.partition_key)
    storage.warehouse.write_staged(SOURCE_FILES, context.partition_key, ledger)
    storage.warehouse.write_staged(RAW_DOCUMENTS, context.partition_key, documents)
    statuses = dict(ledger.group_by("status").len().iter_rows())
    yield dg.MaterializeResult(
        asset_key="source_files",
        metadata=output_metadata(ledger, ["source_name", "change", "status", "reason"],
                                 **{f"files_{k}": v for k, v in sorted(statuses.items())}),
    )
    yield dg.MaterializeResult(asset_key="raw_documents", metadata=output_metadata(documents, ["source_name", "encoding", "size_bytes", "text"]))


def _clean_rows(raw: pl.DataFrame) -> pl.DataFrame:
    rows = [{**dataclasses.asdict(clean_document(doc["text"])), "doc_id": doc["doc_id"],
             "source_name": doc["source_name"], "batch": doc["batch"]}
            for doc in raw.select("doc_id", "source_name", "text", "batch").iter_rows(named=True)]
    return CLEANED_DOCUMENTS.frame(rows)


@dg.asset(name=CLEANED_DOCUMENTS.name, partitions_def=batches, code_version=code_version("documents"),
          **table_asset_args(CLEANED_DOCUMENTS, group="cleaned", owner="text", deps=["raw_documents"]))
def documents(context: dg.AssetExecutionContext, storage: LedgerStorage) -> dg.MaterializeResult:
    """Removes site furniture and reads title, outlet, URL and publication date."""
    raw = storage.warehouse.read_batch(RAW_DOCUMENTS, context.partition_key)
    cleaned = _clean_rows(raw)
    storage.warehouse.write_staged(CLEANED_DOCUMENTS, context.partition_key, cleaned)
    return dg.MaterializeResult(metadata=output_metadata(
        cleaned, ["source_name", "title", "outlet", "published_date", "body"],
        furniture_lines_removed=int(cleaned["furniture_lines_removed"].sum() or 0)))


def _explain_ledger(frame: pl.DataFrame, _warehouse: Warehouse, _batch: str | None) -> pl.DataFrame:
    return frame.with_columns(explained=pl.col("status").is_in(["document", "deleted"]) | pl.col("reason").is_not_null())


source_files_check = suite_check(SOURCE_FILES, "source_files", ["source_name"], derive=_explain_ledger)
raw_documents_check = suite_check(RAW_DOCUMENTS, "raw_documents", ["source_name"])
def _published_date_in_range(frame: pl.DataFrame, _warehouse: Warehouse, _batch: str | None) -> pl.DataFrame:
    """Reporting on the Syrian war starts in 2011; a date after today is misread."""
    date = pl.col("published_date")
    return frame.with_columns(published_date_in_range=date.is_null() | date.is_between(WAR_START, datetime.date.today()))


documents_check = suite_check(CLEANED_DOCUMENTS, "documents", ["doc_id", "source_name"], derive=_published_date_in_range)
