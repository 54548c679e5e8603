"""Raw and cleaned documents: decode each planned file, record what became of it, clean it."""

import datetime
import hashlib

import polars as pl

from assets.resources import LedgerStorage
from assets.stage import Output, stage_asset
from conflict_text.clean import clean_document
from conflict_text.decode import decode_document, size_limit_reason
from ledger.inbox import read_plan
from ledger.parallel import map_documents
from ledger.stages import STAGE
from ledger.tables import CLEANED_DOCUMENTS, RAW_DOCUMENTS, SOURCE_FILES, record_row
from ledger.warehouse import Warehouse

WAR_START = datetime.date(2011, 1, 1)


def _known_documents(warehouse: Warehouse, batch: str) -> dict[str, str]:
    """doc_id -> source_name of every document published by other batches (re-running a batch is idempotent)."""
    publication = warehouse.current_publication()
    files = [
        paths[SOURCE_FILES.name]
        for b, paths in sorted(publication.batches.items())
        if b != batch and SOURCE_FILES.name in paths
    ]
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
        entry = {
            **{k: row[k] for k in ("source_name", "sha256", "size_bytes", "mtime_ns", "change", "seen_at")},
            "doc_id": None,
            "reason": None,
            "batch": batch,
        }
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
        documents.append(
            {
                "doc_id": sha,
                "source_name": row["source_name"],
                "encoding": decoded.encoding,
                "size_bytes": len(data),
                "text": decoded.text,
                "batch": batch,
            }
        )
    return SOURCE_FILES.frame(ledger), RAW_DOCUMENTS.frame(documents)


def _ingest(storage: LedgerStorage, batch: str) -> dict[str, pl.DataFrame]:
    ledger, documents = ingest_batch(storage, batch)
    return {SOURCE_FILES.name: ledger, RAW_DOCUMENTS.name: documents}


def _cleaned_row(doc: dict) -> tuple[list[dict]]:
    cleaned = {
        **record_row(clean_document(doc["text"])),
        "doc_id": doc["doc_id"],
        "source_name": doc["source_name"],
        "batch": doc["batch"],
    }
    return ([cleaned],)


def _clean(storage: LedgerStorage, batch: str) -> dict[str, pl.DataFrame]:
    raw = storage.warehouse.read_batch(RAW_DOCUMENTS, batch, columns=["doc_id", "source_name", "text", "batch"])
    (cleaned,) = map_documents(_cleaned_row, raw.to_dicts(), [CLEANED_DOCUMENTS], storage.text_workers)
    return {CLEANED_DOCUMENTS.name: cleaned}


def _explain_ledger(frame: pl.DataFrame, _warehouse: Warehouse, _batch: str | None) -> pl.DataFrame:
    return frame.with_columns(
        explained=pl.col("status").is_in(["document", "deleted"]) | pl.col("reason").is_not_null()
    )


def _published_date_in_range(frame: pl.DataFrame, _warehouse: Warehouse, _batch: str | None) -> pl.DataFrame:
    """Reporting on the Syrian war starts in 2011; a date after today is misread."""
    date = pl.col("published_date")
    return frame.with_columns(
        published_date_in_range=date.is_null() | date.is_between(WAR_START, datetime.date.today())
    )


def _file_statuses(ledger: pl.DataFrame) -> dict:
    return {f"files_{k}": v for k, v in sorted(ledger.group_by("status").len().iter_rows())}


raw_documents, raw_documents_checks = stage_asset(
    STAGE["ingest"],
    _ingest,
    {
        SOURCE_FILES.name: Output(
            ["source_name", "change", "status", "reason"], ["source_name"], _explain_ledger, _file_statuses
        ),
        RAW_DOCUMENTS.name: Output(["source_name", "encoding", "size_bytes", "text"], ["source_name"]),
    },
    "Decodes the batch's new and changed files; rejected files keep their reason in source_files.",
)

documents, documents_checks = stage_asset(
    STAGE["documents"],
    _clean,
    {
        CLEANED_DOCUMENTS.name: Output(
            ["source_name", "title", "outlet", "published_date", "body"],
            ["doc_id", "source_name"],
            _published_date_in_range,
            lambda cleaned: {"furniture_lines_removed": int(cleaned["furniture_lines_removed"].sum() or 0)},
        ),
    },
    "Removes site furniture and reads title, outlet, URL and publication date.",
)
