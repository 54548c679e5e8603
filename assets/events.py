"""The event each casualty figure reports: date, place and actors, read per document."""

import dataclasses
from collections import defaultdict

import polars as pl

from assets.resources import LedgerStorage
from assets.stage import Output, stage_asset
from conflict_text.events import FigureSpan, Places, read_events
from conflict_text.models import EntityMention
from ledger.stages import STAGE
from ledger.tables import CASUALTY_FIGURES, CLEANED_DOCUMENTS, ENTITY_MENTIONS, FIGURE_EVENTS

_MENTION_FIELDS = [f.name for f in dataclasses.fields(EntityMention)]
_SPAN_FIELDS = [f.name for f in dataclasses.fields(FigureSpan)]


def event_rows(cleaned: pl.DataFrame, mentions: pl.DataFrame, casualties: pl.DataFrame, places: Places,
               batch: str) -> pl.DataFrame:
    mentions_of, figures_of = defaultdict(list), defaultdict(list)
    for row in mentions.select(["doc_id", *_MENTION_FIELDS]).iter_rows(named=True):
        mentions_of[row.pop("doc_id")].append(EntityMention(**row))
    for row in casualties.select(["doc_id", "figure_id", *_SPAN_FIELDS]).iter_rows(named=True):
        figures_of[row.pop("doc_id")].append((row.pop("figure_id"), FigureSpan(**row)))
    rows = []
    for doc_id, body, published, page_date in cleaned.select("doc_id", "body", "published_date", "page_date").iter_rows():
        if not figures_of[doc_id]:
            continue
        ids, spans = zip(*figures_of[doc_id], strict=True)
        # As for the figures' periods, the page's latest date stands in for an unstated publication date.
        events = read_events(body, published or page_date, list(spans), mentions_of[doc_id], places)
        rows += [{**dataclasses.asdict(e), "figure_id": fid, "doc_id": doc_id, "batch": batch} for fid, e in zip(ids, events)]
    return FIGURE_EVENTS.frame(rows)


def _events(storage: LedgerStorage, batch: str) -> dict[str, pl.DataFrame]:
    warehouse = storage.warehouse
    cleaned = warehouse.read_batch(CLEANED_DOCUMENTS, batch, columns=["doc_id", "body", "published_date", "page_date"])
    frame = event_rows(cleaned, warehouse.read_batch(ENTITY_MENTIONS, batch),
                       warehouse.read_batch(CASUALTY_FIGURES, batch), Places(storage.gazetteer), batch)
    return {FIGURE_EVENTS.name: frame}


def _dated_and_placed(frame: pl.DataFrame) -> dict:
    return {"dated_to_the_day": frame.filter(pl.col("time_precision") == 1).height,
            "placed": frame.filter(pl.col("place_id").is_not_null()).height}


events, events_checks = stage_asset(STAGE["events"], _events, {
    FIGURE_EVENTS.name: Output(["event_date", "time_precision", "location", "admin1", "geo_precision", "actor1", "actor2"],
                               ["figure_id", "doc_id"], counts=_dated_and_placed),
}, "The event each casualty figure reports: its date and ACLED time precision, its most specific place "
   "resolved to the gazetteer (governorate, coordinates, geo precision) and its canonical actors.")
