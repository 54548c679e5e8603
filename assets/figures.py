"""Casualty and munition figures read from cleaned bodies, with their evidence and offsets."""

import dataclasses
import hashlib
from collections import defaultdict

import dagster as dg
import polars as pl

from assets.checks import suite_check
from assets.entities import with_span_text
from ledger.stages import code_version
from assets.reporting import output_metadata, table_asset_args
from conflict_text.figures import extract_figures
from conflict_text.models import EntityMention
from assets.partitions import batches
from ledger.tables import CASUALTY_FIGURES, CLEANED_DOCUMENTS, ENTITY_MENTIONS, MUNITIONS_FIGURES
from assets.resources import LedgerStorage
from ledger.warehouse import Warehouse

_MENTION_FIELDS = [f.name for f in dataclasses.fields(EntityMention)]


def figure_id(doc_id: str, kind: str, char_start: int, char_end: int, label: str) -> str:
    """Stable across re-runs: the same text read the same way gets the same id."""
    return hashlib.sha1(f"{doc_id}:{kind}:{char_start}:{char_end}:{label}".encode()).hexdigest()[:20]


def figure_rows(cleaned: pl.DataFrame, mentions: pl.DataFrame, batch: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    mentions_of = defaultdict(list)
    for row in mentions.select(["doc_id", *_MENTION_FIELDS]).iter_rows(named=True):
        doc_id = row.pop("doc_id")
        mentions_of[doc_id].append(EntityMention(**row))
    casualties, munitions = [], []
    for doc_id, body, published, page_date in cleaned.select("doc_id", "body", "published_date", "page_date").iter_rows():
        # The page's own latest date stands in for an unstated publication date to date yearless periods.
        figures = extract_figures(body, mentions_of[doc_id], published or page_date)
        ids = [figure_id(doc_id, "casualty", c.char_start, c.char_end, f"{c.outcome}/{c.victim_group}") for c in figures.casualties]
        for fid, c in zip(ids, figures.casualties):
            row = dataclasses.asdict(c)
            parent = row.pop("parent_index")
            casualties.append({**row, "figure_id": fid, "doc_id": doc_id, "batch": batch,
                               "parent_figure_id": ids[parent] if parent is not None else None})
        for m in figures.munitions:
            row = dataclasses.asdict(m)
            munitions.append({**row, "figure_id": figure_id(doc_id, "munition", m.char_start, m.char_end, m.munition_type),
                              "doc_id": doc_id, "batch": batch})
    return CASUALTY_FIGURES.frame(casualties), MUNITIONS_FIGURES.frame(munitions)


@dg.multi_asset(
    specs=[
        dg.AssetSpec(table.name, code_version=code_version("figures"),
                     **table_asset_args(table, group="figures", owner="analysis", deps=["documents", "entity_mentions"]))
        for table in (CASUALTY_FIGURES, MUNITIONS_FIGURES)
    ],
    partitions_def=batches,
    can_subset=False,
)
def figures(context: dg.AssetExecutionContext, storage: LedgerStorage):
    """Numbers with what they count (outcome and victims, or munition type), qualifier, breakdowns and context."""
    batch = context.partition_key
    cleaned = storage.warehouse.read_batch(CLEANED_DOCUMENTS, batch, columns=["doc_id", "body", "published_date", "page_date"])
    mentions = storage.warehouse.read_batch(ENTITY_MENTIONS, batch)
    casualties, munitions = figure_rows(cleaned, mentions, batch)
    storage.warehouse.write_staged(CASUALTY_FIGURES, batch, casualties)
    storage.warehouse.write_staged(MUNITIONS_FIGURES, batch, munitions)
    yield dg.MaterializeResult(asset_key="casualty_figures", metadata=output_metadata(
        casualties, ["outcome", "victim_group", "value", "qualifier", "surface", "evidence"],
        killed_total=int(casualties.filter((pl.col("outcome") == "killed") & pl.col("parent_figure_id").is_null())["value"].sum() or 0)))
    yield dg.MaterializeResult(asset_key="munitions_figures", metadata=output_metadata(
        munitions, ["munition_type", "value", "qualifier", "surface", "evidence"]))


_FIGURE_SPANS = {"span_text": ("char_start", "char_end"), "evidence_text": ("evidence_start", "evidence_end")}


def _bounds_match_qualifier() -> pl.Expr:
    """value_low/value_high as ../shared/eval/README.md defines them for each qualifier."""
    value, low, high, qualifier = pl.col("value"), pl.col("value_low"), pl.col("value_high"), pl.col("qualifier")
    return (
        pl.when(qualifier == "exact").then((low == value) & (high == value))
        .when(qualifier.is_in(["at_least", "more_than"])).then((low == value) & high.is_null())
        .when(qualifier == "less_than").then((high == value - 1) & low.is_null())
        .when(qualifier.is_in(["vague", "unspecified"])).then(value.is_null())
        .otherwise(True)  # about: bounds are the reader's judgement
        .fill_null(False)
        .alias("bounds_match_qualifier")
    )


def _casualty_derived(frame: pl.DataFrame, warehouse: Warehouse, batch: str | None) -> pl.DataFrame:
    frame = with_span_text(frame, warehouse, batch, _FIGURE_SPANS)
    return frame.with_columns(
        _bounds_match_qualifier(),
        parent_known=pl.col("parent_figure_id").is_null() | pl.col("parent_figure_id").is_in(frame["figure_id"].to_list()),
    )


def _munition_derived(frame: pl.DataFrame, warehouse: Warehouse, batch: str | None) -> pl.DataFrame:
    return with_span_text(frame, warehouse, batch, _FIGURE_SPANS).with_columns(_bounds_match_qualifier())


casualty_figures_check = suite_check(CASUALTY_FIGURES, "casualty_figures", ["figure_id", "doc_id"], derive=_casualty_derived)
munitions_figures_check = suite_check(MUNITIONS_FIGURES, "munitions_figures", ["figure_id", "doc_id"], derive=_munition_derived)
