"""The event each casualty figure reports (date, place and actors) and the victims articles name, read per document."""

import dataclasses
import functools
import hashlib

import polars as pl

from assets.entities import with_span_text
from assets.resources import LedgerStorage
from assets.stage import Output, stage_asset
from conflict_text.events import FigureSpan, Places, read_events
from conflict_text.models import EntityMention
from conflict_text.victims import FigureSentence, find_victims
from ledger.parallel import RowsByDocument, map_documents
from ledger.stages import STAGE
from ledger.tables import CASUALTY_FIGURES, CLEANED_DOCUMENTS, ENTITY_MENTIONS, FIGURE_EVENTS, VICTIMS, record_row
from ledger.warehouse import Warehouse

# A mention's EntityMention fields, then where the entities stage placed it.
_MENTION_FIELDS_PLACED = [*(f.name for f in dataclasses.fields(EntityMention)), "place_rule"]
# What a document's casualty figures give its events: each figure's id and outcome, then its FigureSpan.
_FIGURE_FIELDS = ["figure_id", "outcome", *(f.name for f in dataclasses.fields(FigureSpan))]


def _document_events(
    doc: tuple, batch: str, places: Places, mentions: RowsByDocument, figures: RowsByDocument
) -> tuple[list[dict], list[dict]]:
    doc_id, body, published, page_date = doc
    rows = figures(doc_id)
    ids, outcomes = [r[0] for r in rows], [r[1] for r in rows]
    spans = [FigureSpan(*r[2:]) for r in rows]
    found = mentions(doc_id)  # each mention's fields, then where the entities stage placed it (its place_rule)
    place_rules = [m[-1] for m in found]
    # As for the figures' periods, the page's latest date stands in for an unstated publication date.
    read = read_events(
        body, published or page_date, spans, [EntityMention(*m[:-1]) for m in found], places, place_rules
    )
    events = [{**record_row(e), "figure_id": fid, "doc_id": doc_id, "batch": batch} for fid, e in zip(ids, read)]
    sentences = [FigureSentence(s.evidence_start, s.evidence_end) for s in spans]
    victims = []
    for v in find_victims(body, sentences):
        victim_id = hashlib.sha1(f"{doc_id}:{v.char_start}:{v.char_end}".encode()).hexdigest()[:20]
        victims.append(
            {
                **record_row(v),
                "victim_id": victim_id,
                "doc_id": doc_id,
                "batch": batch,
                "figure_id": ids[v.figure_index],
                "outcome": outcomes[v.figure_index],
            }
        )
    return events, victims


def event_rows(
    cleaned: pl.DataFrame, mentions: pl.DataFrame, casualties: pl.DataFrame, places: Places, batch: str, workers: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    # Only the documents with a casualty figure have events to read, and only their mentions are looked up.
    with_figures = pl.col("doc_id").is_in(casualties["doc_id"].implode())
    by_document = {
        "mentions": RowsByDocument(mentions.filter(with_figures), _MENTION_FIELDS_PLACED),
        "figures": RowsByDocument(casualties, _FIGURE_FIELDS),
    }
    documents = list(cleaned.filter(with_figures).select("doc_id", "body", "published_date", "page_date").iter_rows())
    # The rows are all the workers read: the frames' buffers go back before they fork (when the caller keeps none).
    del cleaned, mentions, casualties
    return map_documents(
        functools.partial(_document_events, batch=batch, places=places, **by_document),
        documents,
        [FIGURE_EVENTS, VICTIMS],
        workers,
    )


def _events(storage: LedgerStorage, batch: str) -> dict[str, pl.DataFrame]:
    read = storage.warehouse.read_batch
    events, victims = event_rows(
        read(CLEANED_DOCUMENTS, batch, columns=["doc_id", "body", "published_date", "page_date"]),
        read(ENTITY_MENTIONS, batch, columns=["doc_id", *_MENTION_FIELDS_PLACED]),
        read(CASUALTY_FIGURES, batch, columns=["doc_id", *_FIGURE_FIELDS]),
        Places(storage.gazetteer),
        batch,
        storage.text_workers,
    )
    return {FIGURE_EVENTS.name: events, VICTIMS.name: victims}


def _victim_names(frame: pl.DataFrame, warehouse: Warehouse, batch: str | None) -> pl.DataFrame:
    return with_span_text(frame, warehouse, batch, {"span_text": ("char_start", "char_end")})


def _dated_and_placed(frame: pl.DataFrame) -> dict:
    return {
        "dated_to_the_day": frame.filter(pl.col("time_precision") == 1).height,
        "placed": frame.filter(pl.col("place_id").is_not_null()).height,
    }


events, events_checks = stage_asset(
    STAGE["events"],
    _events,
    {
        FIGURE_EVENTS.name: Output(
            ["event_date", "time_precision", "location", "admin1", "geo_precision", "actor1", "actor2"],
            ["figure_id", "doc_id"],
            counts=_dated_and_placed,
        ),
        VICTIMS.name: Output(["name", "sex", "age", "age_class", "outcome"], ["victim_id", "doc_id"], _victim_names),
    },
    "The event each casualty figure reports: its date and ACLED time precision, its most specific place "
    "resolved to the gazetteer (governorate, coordinates, geo precision) and its canonical actors; and the "
    "victims an article names, with sex and age class where stated.",
)
