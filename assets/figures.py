"""Casualty and munition figures read from cleaned bodies, with their evidence and offsets."""

import dataclasses
import functools
import hashlib

import polars as pl

from assets.entities import with_span_text
from assets.resources import LedgerStorage
from assets.stage import Output, stage_asset
from conflict_text.figures import extract_figures
from conflict_text.models import EntityMention
from ledger.parallel import RowsByDocument, map_documents
from ledger.stages import STAGE
from ledger.tables import CASUALTY_FIGURES, CLEANED_DOCUMENTS, ENTITY_MENTIONS, MUNITIONS_FIGURES, record_row
from ledger.warehouse import Warehouse

_MENTION_FIELDS = [f.name for f in dataclasses.fields(EntityMention)]


def figure_id(doc_id: str, kind: str, char_start: int, char_end: int, label: str) -> str:
    """Stable across re-runs: the same text read the same way gets the same id."""
    return hashlib.sha1(f"{doc_id}:{kind}:{char_start}:{char_end}:{label}".encode()).hexdigest()[:20]


def _document_figures(doc: tuple, batch: str, mentions: RowsByDocument) -> tuple[list[dict], list[dict]]:
    doc_id, body, published, page_date = doc
    # The page's own latest date stands in for an unstated publication date to date yearless periods.
    figures = extract_figures(body, [EntityMention(*m) for m in mentions(doc_id)], published or page_date)
    ids = [
        figure_id(doc_id, "casualty", c.char_start, c.char_end, f"{c.outcome}/{c.victim_group}")
        for c in figures.casualties
    ]
    casualties = []
    for fid, c in zip(ids, figures.casualties):
        row = record_row(c)
        parent = row.pop("parent_index")
        casualties.append(
            {
                **row,
                "figure_id": fid,
                "doc_id": doc_id,
                "batch": batch,
                "parent_figure_id": ids[parent] if parent is not None else None,
            }
        )
    munitions = [
        {
            **record_row(m),
            "figure_id": figure_id(doc_id, "munition", m.char_start, m.char_end, m.munition_type),
            "doc_id": doc_id,
            "batch": batch,
        }
        for m in figures.munitions
    ]
    return casualties, munitions


def figure_rows(
    cleaned: pl.DataFrame, mentions: pl.DataFrame, batch: str, workers: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    by_document = RowsByDocument(mentions, _MENTION_FIELDS)
    documents = list(cleaned.select("doc_id", "body", "published_date", "page_date").iter_rows())
    # The rows are all the workers read: the frames' buffers go back before they fork (when the caller keeps none).
    del cleaned, mentions
    return map_documents(
        functools.partial(_document_figures, batch=batch, mentions=by_document),
        documents,
        [CASUALTY_FIGURES, MUNITIONS_FIGURES],
        workers,
    )


def _figures(storage: LedgerStorage, batch: str) -> dict[str, pl.DataFrame]:
    read = storage.warehouse.read_batch
    casualties, munitions = figure_rows(
        read(CLEANED_DOCUMENTS, batch, columns=["doc_id", "body", "published_date", "page_date"]),
        read(ENTITY_MENTIONS, batch, columns=["doc_id", *_MENTION_FIELDS]),
        batch,
        storage.text_workers,
    )
    return {CASUALTY_FIGURES.name: casualties, MUNITIONS_FIGURES.name: munitions}


def _killed_total(casualties: pl.DataFrame) -> dict:
    killed = casualties.filter((pl.col("outcome") == "killed") & pl.col("parent_figure_id").is_null())
    return {"killed_total": int(killed["value"].sum() or 0)}


_FIGURE_SPANS = {"span_text": ("char_start", "char_end"), "evidence_text": ("evidence_start", "evidence_end")}


def _bounds_match_qualifier() -> pl.Expr:
    """value_low/value_high as ../shared/eval/README.md defines them for each qualifier."""
    value, low, high, qualifier = pl.col("value"), pl.col("value_low"), pl.col("value_high"), pl.col("qualifier")
    return (
        pl.when(qualifier == "exact")
        .then((low == value) & (high == value))
        .when(qualifier.is_in(["at_least", "more_than"]))
        .then((low == value) & high.is_null())
        .when(qualifier == "less_than")
        .then((high == value - 1) & low.is_null())
        .when(qualifier.is_in(["vague", "unspecified"]))
        .then(value.is_null())
        .otherwise(True)  # about: bounds are the reader's judgement
        .fill_null(False)
        .alias("bounds_match_qualifier")
    )


def _casualty_derived(frame: pl.DataFrame, warehouse: Warehouse, batch: str | None) -> pl.DataFrame:
    frame = with_span_text(frame, warehouse, batch, _FIGURE_SPANS)
    return frame.with_columns(
        _bounds_match_qualifier(),
        parent_known=pl.col("parent_figure_id").is_null()
        | pl.col("parent_figure_id").is_in(frame["figure_id"].to_list()),
    )


def _munition_derived(frame: pl.DataFrame, warehouse: Warehouse, batch: str | None) -> pl.DataFrame:
    return with_span_text(frame, warehouse, batch, _FIGURE_SPANS).with_columns(_bounds_match_qualifier())


figures, figures_checks = stage_asset(
    STAGE["figures"],
    _figures,
    {
        CASUALTY_FIGURES.name: Output(
            ["outcome", "victim_group", "value", "qualifier"],
            ["figure_id", "doc_id"],
            _casualty_derived,
            _killed_total,
            evidence=True,
        ),
        MUNITIONS_FIGURES.name: Output(
            ["munition_type", "value", "qualifier"], ["figure_id", "doc_id"], _munition_derived, evidence=True
        ),
    },
    "Numbers with what they count (outcome and victims, or munition type), qualifier, breakdowns and context.",
)
