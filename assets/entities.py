"""The gazetteer as an asset, and entity mentions found in cleaned bodies."""

import functools
import hashlib

import dagster as dg
import polars as pl

from assets.checks import suite_check
from assets.reporting import output_metadata, table_asset_args
from assets.resources import LedgerStorage
from assets.stage import Output, stage_asset
from conflict_text.entities import find_mentions
from conflict_text.gazetteer import Gazetteer
from conflict_text.places import PlaceIndex, locate_places
from ledger.parallel import map_documents
from ledger.stages import STAGE
from ledger.tables import CLEANED_DOCUMENTS, ENTITY_MENTIONS, GAZETTEER_ENTITIES
from ledger.warehouse import Warehouse

# Reported as materialised, with the files' content hash as data version, by the first run with work
# or nightly pass (pipelines/automation.py) after the files changed: editing them marks entity
# extraction stale.
gazetteer_files = dg.AssetsDefinition(
    specs=[
        dg.AssetSpec(
            "gazetteer_files",
            group_name="gazetteer",
            kinds={"csv"},
            description="The gazetteer data files under conflict_text/data/gazetteer (reviewed like code); "
            "its data version is their content hash, so editing them marks entity extraction stale.",
        )
    ]
)


@dg.asset(
    name=GAZETTEER_ENTITIES.name,
    **table_asset_args(GAZETTEER_ENTITIES, group="gazetteer", owner="analysis", deps=["gazetteer_files"]),
)
def gazetteer_entities(storage: LedgerStorage) -> dg.MaterializeResult:
    """Canonical entities with aliases and coordinates, staged for the next publication."""
    frame = GAZETTEER_ENTITIES.frame(storage.gazetteer.entities())
    storage.warehouse.write_staged(GAZETTEER_ENTITIES, None, frame)
    by_type = dict(frame.group_by("entity_type").len().iter_rows())
    return dg.MaterializeResult(
        metadata=output_metadata(
            frame,
            ["entity_id", "entity_type", "name_ar", "name_en", "latitude", "longitude"],
            gazetteer_version=storage.gazetteer.version,
            **{f"entities_{k}": v for k, v in sorted(by_type.items())},
        ),
        data_version=dg.DataVersion(storage.gazetteer.version),
    )


def _document_mentions(doc: tuple[str, str], batch: str, gazetteer: Gazetteer, places: PlaceIndex) -> tuple[list[dict]]:
    doc_id, body = doc
    mentions = find_mentions(body, gazetteer)
    located = locate_places(body, mentions, places)
    rows = []
    for k, m in enumerate(mentions):
        place = located.get(k)
        mention_id = hashlib.sha1(f"{doc_id}:{m.char_start}:{m.char_end}:{m.entity_id}".encode()).hexdigest()[:20]
        rows.append(
            {
                "mention_id": mention_id,
                "doc_id": doc_id,
                "entity_id": m.entity_id,
                "entity_type": m.entity_type,
                "surface": m.surface,
                "name_ar": m.name_ar,
                "name_en": m.name_en,
                "char_start": m.char_start,
                "char_end": m.char_end,
                "match_source": m.match_source,
                "place_id": place and place.place_id,
                "latitude": place and place.latitude,
                "longitude": place and place.longitude,
                "admin1": place and place.admin1,
                "admin2": place and place.admin2,
                "geo_precision": place and place.geo_precision,
                "place_rule": place and place.rule,
                "batch": batch,
            }
        )
    return (rows,)


def mention_rows(cleaned: pl.DataFrame, batch: str, gazetteer: Gazetteer, workers: int) -> pl.DataFrame:
    documents = list(cleaned.select("doc_id", "body").iter_rows())
    # The rows are all the workers read: the frame's buffers go back before they fork (when the caller keeps none).
    del cleaned
    (mentions,) = map_documents(
        functools.partial(_document_mentions, batch=batch, gazetteer=gazetteer, places=PlaceIndex(gazetteer)),
        documents,
        [ENTITY_MENTIONS],
        workers,
    )
    return mentions


def _mentions(storage: LedgerStorage, batch: str) -> dict[str, pl.DataFrame]:
    return {
        ENTITY_MENTIONS.name: mention_rows(
            storage.warehouse.read_batch(CLEANED_DOCUMENTS, batch, columns=["doc_id", "body"]),
            batch,
            storage.gazetteer,
            storage.text_workers,
        )
    }


def _mention_counts(mentions: pl.DataFrame) -> dict:
    by_type = dict(mentions.group_by("entity_type").len().iter_rows())
    return {
        "from_patterns": int((mentions["match_source"] == "pattern").sum()),
        **{f"mentions_{k}": v for k, v in sorted(by_type.items())},
    }


def with_span_text(
    frame: pl.DataFrame, warehouse: Warehouse, batch: str | None, spans: dict[str, tuple[str, str]]
) -> pl.DataFrame:
    """Adds body[start:end] for each named span (column -> (start, end)), for offset expectations.

    Sliced document by document: joining each body onto every record would copy a body per figure.
    """
    bodies = dict(warehouse.read_batch(CLEANED_DOCUMENTS, batch, columns=["doc_id", "body"]).iter_rows())
    doc_ids = frame["doc_id"].to_list()
    return frame.with_columns(
        pl.Series(
            name,
            [
                bodies[d][s:e] if d in bodies and s is not None and e is not None else None
                for d, s, e in zip(doc_ids, frame[start].to_list(), frame[end].to_list())
            ],
            dtype=pl.String,
        )
        for name, (start, end) in spans.items()
    )


def _mention_spans(frame: pl.DataFrame, warehouse: Warehouse, batch: str | None) -> pl.DataFrame:
    return with_span_text(frame, warehouse, batch, {"span_text": ("char_start", "char_end")})


def _places_have_coordinates(frame: pl.DataFrame, _warehouse: Warehouse, _batch: str | None) -> pl.DataFrame:
    return frame.with_columns(
        place_has_coordinates=(pl.col("entity_type") != "location")
        | (pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    )


gazetteer_check = suite_check(
    GAZETTEER_ENTITIES, "gazetteer_entities", ["entity_id"], derive=_places_have_coordinates, partitioned=False
)

entity_mentions, entity_mentions_checks = stage_asset(
    STAGE["entity_mentions"],
    _mentions,
    {
        ENTITY_MENTIONS.name: Output(
            ["entity_type", "surface", "name_en", "match_source"],
            ["mention_id", "doc_id"],
            _mention_spans,
            _mention_counts,
        ),
    },
    "Gazetteer matches (Aho-Corasick over normalised aliases, clitics handled) and names found from context.",
)
