"""The warehouse's tables: one schema per table, defined once.

Assets write these columns, expectations check them, the catalog's views read them and the
Dagster UI shows them (column schema metadata) from this single definition.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: dict[str, tuple[pl.DataType, str]]  # name -> (type, description)

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({name: dtype for name, (dtype, _) in self.columns.items()})

    def arrow_schema(self) -> pa.Schema:
        """This table's schema in Arrow's types, for `arrow_rows` (Polars derives it: call it where Polars may run)."""
        return pl.DataFrame(schema=self.schema).to_arrow().schema

    def frame(self, rows: list[dict] | None = None) -> pl.DataFrame:
        """A frame with exactly this table's columns, in order, typed, from rows that may carry
        more keys (ignored) or fewer (null); empty when there are no rows."""
        return self.from_arrow([arrow_rows(rows or [], self.arrow_schema())])

    def from_arrow(self, parts: Sequence[pa.Table]) -> pl.DataFrame:
        """One frame of this table from Arrow tables of its rows (built by `arrow_rows`), in order."""
        import pyarrow as pa

        rows = pa.concat_tables(parts) if parts else None
        if rows is None or not rows.num_rows:
            return pl.DataFrame(schema=self.schema)
        return pl.from_arrow(rows, rechunk=True)


@functools.cache
def _field_names(record_type: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(record_type))


def record_row(record: object) -> dict:
    """A dataclass record's fields as a row (name -> value), for `arrow_rows`.

    What `dataclasses.asdict` gives for the text functions' records, whose fields hold plain values
    or lists of them, without its deep copy of every value: a text stage made one per figure, event
    and document, and asdict was a tenth of the figures stage's own work around the text functions.
    """
    return {name: getattr(record, name) for name in _field_names(type(record))}


def arrow_rows(rows: list[dict], schema: pa.Schema) -> pa.Table:
    """Rows as an Arrow table of `schema`'s columns: keys the schema lacks are ignored, missing ones are null.

    Pure Arrow, without Polars, so that a forked text worker can build its share of a table (ledger/parallel.py).
    """
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=schema)


_S, _I, _B, _D, _T = pl.String(), pl.Int64(), pl.Boolean(), pl.Date(), pl.Datetime("us", "UTC")

_EVIDENCE = {
    "evidence": (_S, "The sentence the figure was read from (body[evidence_start:evidence_end])"),
    "evidence_start": (_I, "Offset of the evidence sentence in documents.body"),
    "evidence_end": (_I, "End offset (exclusive) of the evidence sentence"),
    "char_start": (_I, "Offset of the number expression in documents.body"),
    "char_end": (_I, "End offset (exclusive): body[char_start:char_end] == surface"),
    "surface": (_S, "The number expression as written"),
}

SOURCE_FILES = Table(
    "source_files",
    "The inbox ledger: one row per file seen in a batch, with what became of it.",
    {
        "source_name": (_S, "Path of the file relative to the inbox"),
        "sha256": (_S, "sha256 of the file's bytes (null for a deleted file)"),
        "size_bytes": (_I, "File size in bytes"),
        "mtime_ns": (_I, "File modification time, ns since the epoch"),
        "change": (_S, "new | changed | deleted: what the planner saw"),
        "status": (_S, "document | duplicate | rejected | deleted: what the batch made of it"),
        "doc_id": (_S, "The document it became (sha256 of the bytes); null when rejected or deleted"),
        "reason": (_S, "Why a file was rejected, or whose duplicate it is"),
        "seen_at": (_T, "When the planner saw the file"),
        "batch": (_S, "The batch (Dagster partition) that processed the file"),
    },
)

RAW_DOCUMENTS = Table(
    "raw_documents",
    "Decoded text of each new document, one row per file version.",
    {
        "doc_id": (_S, "sha256 of the raw bytes"),
        "source_name": (_S, "Path of the file relative to the inbox"),
        "encoding": (_S, "The encoding the bytes were decoded from"),
        "size_bytes": (_I, "File size in bytes"),
        "text": (_S, "Decoded text, line ends normalised"),
        "batch": (_S, "Batch (Dagster partition)"),
    },
)

CLEANED_DOCUMENTS = Table(
    "documents",
    "Cleaned documents: metadata and the body without site furniture. All offsets refer to body.",
    {
        "doc_id": (_S, "sha256 of the raw bytes"),
        "source_name": (_S, "Path of the file relative to the inbox"),
        "title": (_S, "Headline"),
        "outlet": (_S, "Publishing outlet, when recognised"),
        "url": (_S, "URL of the article, when the page states it"),
        "published_date": (_D, "Publication date, when the page states it"),
        "page_date": (
            _D,
            "When no publication date is stated: the latest date on the page (embedded posts), "
            "which dates the text's yearless dates",
        ),
        "body": (_S, "Article text without site furniture; offsets refer to it"),
        "furniture_lines_removed": (_I, "Lines of site furniture removed"),
        "batch": (_S, "Batch (Dagster partition)"),
    },
)

ENTITY_MENTIONS = Table(
    "entity_mentions",
    "Mentions of armed groups, people, places, organisations and media in document bodies.",
    {
        "mention_id": (_S, "Stable id of the mention"),
        "doc_id": (_S, "Document"),
        "entity_id": (_S, "Canonical entity (gazetteer id, or pattern:* for names found from context)"),
        "entity_type": (_S, "armed_group | person | location | organisation | media"),
        "surface": (_S, "The name as written, clitics excluded (body[char_start:char_end])"),
        "name_ar": (_S, "Canonical Arabic name"),
        "name_en": (_S, "Canonical English name"),
        "char_start": (_I, "Offset in documents.body"),
        "char_end": (_I, "End offset (exclusive)"),
        "match_source": (_S, "gazetteer | pattern (found from context: review and promote)"),
        "place_id": (
            _S,
            "Places: the gazetteer place whose coordinates the mention takes (itself, or the place "
            "the text puts it in or near, conflict_text/places.py)",
        ),
        "latitude": (pl.Float64(), "Places: latitude of place_id"),
        "longitude": (pl.Float64(), "Places: longitude of place_id"),
        "admin1": (_S, "Places: governorate"),
        "admin2": (_S, "Places: district, when the gazetteer places place_id in one"),
        "geo_precision": (
            _I,
            "Places: 1 the place itself, 2 the coordinates of its town, district or region, 3 of its governorate",
        ),
        "place_rule": (_S, "Places: gazetteer, or the rule of conflict_text/data/place_links.json that placed it"),
        "batch": (_S, "Batch (Dagster partition)"),
    },
)

_FIGURE_COMMON = {
    "value": (_I, "The stated number; null for vague quantities or uncounted weapons"),
    "value_low": (_I, "Lower bound implied by the qualifier"),
    "value_high": (_I, "Upper bound implied by the qualifier"),
    "qualifier": (_S, "exact | at_least | more_than | about | less_than | vague (| unspecified for munitions)"),
}
_FIGURE_CONTEXT = {
    "location": (_S, "Place the figure refers to, where stated"),
    "perpetrator": (_S, "Who caused it, where stated"),
    "claimant": (_S, "Who states the number"),
    "period_start": (_D, "Start of the period covered, where stated"),
    "period_end": (_D, "End of the period covered, where stated"),
    "rules": (pl.List(_S), "Ids of the extraction rules that made the figure (conflict_text/data/figure_rules/)"),
}

CASUALTY_FIGURES = Table(
    "casualty_figures",
    "Casualty figures with their evidence sentence and offsets.",
    {
        "figure_id": (_S, "Stable id of the figure"),
        "doc_id": (_S, "Document"),
        "outcome": (_S, "killed | injured | missing | displaced | detained | killed_or_injured"),
        "victim_group": (
            _S,
            "total | civilians | fighters | women | children | regime_forces | civil_defence | medical_staff | women_and_children",
        ),
        **_FIGURE_COMMON,
        "parent_figure_id": (_S, "The figure this one is a breakdown of (never add it to its parent)"),
        **_FIGURE_CONTEXT,
        "disputed": (_B, "Denied or contested in the text"),
        "superseded": (_B, "An earlier toll raised later in the same text"),
        **_EVIDENCE,
        "batch": (_S, "Batch (Dagster partition)"),
    },
)

MUNITIONS_FIGURES = Table(
    "munitions_figures",
    "Munitions used, counted or named, with their evidence sentence and offsets.",
    {
        "figure_id": (_S, "Stable id of the figure"),
        "doc_id": (_S, "Document"),
        "munition_type": (_S, "Munition vocabulary (airstrike, barrel_bomb, ...)"),
        **_FIGURE_COMMON,
        "unit": (_S, "What was counted when it is the carrier (e.g. rockets of chlorine)"),
        **_FIGURE_CONTEXT,
        **_EVIDENCE,
        "batch": (_S, "Batch (Dagster partition)"),
    },
)


FIGURE_EVENTS = Table(
    "figure_events",
    "The event each casualty figure reports: when, where (resolved to the gazetteer) and who did what to whom.",
    {
        "figure_id": (_S, "The casualty figure (casualty_figures.figure_id)"),
        "doc_id": (_S, "Document"),
        "event_date": (_D, "The day of the event: an explicit or relative date of the text, or the publication date"),
        "time_precision": (
            _I,
            "ACLED time_precision: 1 the day, 2 the week (the publication date stands in), 3 the month or vaguer",
        ),
        "date_cue": (_S, "The words the date was read from (folded); null when the publication date stands in"),
        "location": (_S, "The most specific place the text names for the event"),
        "location_id": (_S, "Its entity id (pattern:* for a site found from context, anchored in place_id)"),
        "place_id": (_S, "The gazetteer place the location is, or lies in"),
        "within_ids": (
            pl.List(_S),
            "Gazetteer places containing the location, innermost first (stated in the text or by parent_id)",
        ),
        "admin1": (_S, "Governorate"),
        "admin2": (_S, "District, when the gazetteer places the location in one"),
        "latitude": (pl.Float64(), "Latitude of place_id"),
        "longitude": (pl.Float64(), "Longitude of place_id"),
        "geo_precision": (
            _I,
            "ACLED geo_precision: 1 the town (or a site in it), 2 part of a region or a village at its town's"
            " coordinates, 3 a governorate or wider",
        ),
        "actor1": (_S, "Who did it: canonical ACLED-style actor (conflict_text/data/actors.json)"),
        "actor1_category": (_S, "ACLED actor category of actor1"),
        "actor2": (_S, "To whom: canonical actor of the victims"),
        "actor2_category": (_S, "ACLED actor category of actor2"),
        "batch": (_S, "Batch (Dagster partition)"),
    },
)


def quarantine_of(table: Table) -> Table:
    """The documents whose rows of `table` failed a row-level expectation: kept out of every view."""
    return Table(
        f"quarantine_{table.name}",
        f"Documents quarantined by the {table.name} suite, with the expectation and a one-line reason.",
        {
            "doc_id": (_S, "The quarantined document"),
            "source_name": (_S, "Path of its file relative to the inbox"),
            "stage": (_S, f"The table whose suite failed ({table.name})"),
            "expectation": (_S, "The row-level expectation its rows failed"),
            "reason": (_S, "What failed, with the failing value cut to 200 characters"),
            "quarantined_at": (_T, "When the check quarantined it"),
            "batch": (_S, "Batch (Dagster partition)"),
        },
    )


VICTIMS = Table(
    "victims",
    "People an article names as killed or injured, each counted in a casualty figure.",
    {
        "victim_id": (_S, "Stable id of the named victim"),
        "doc_id": (_S, "Document"),
        "figure_id": (_S, "The casualty figure the victim is counted in"),
        "outcome": (_S, "The figure's outcome (killed, injured ...)"),
        "name": (_S, "The name as written (body[char_start:char_end])"),
        "sex": (_S, "male | female, where a title word states it («الطفلة», «الشاب»)"),
        "age": (_I, "Age in years, where stated"),
        "age_class": (_S, "child | adult | elderly, from the title word or the age (under 18, 60 and over)"),
        "char_start": (_I, "Offset of the name in documents.body"),
        "char_end": (_I, "End offset (exclusive)"),
        "batch": (_S, "Batch (Dagster partition)"),
    },
)

INCIDENTS = Table(
    "incidents",
    "One row per event across documents and outlets (ledger/incidents.py: the rules for joining, best, low, high and grade).",
    {
        "incident_id": (_S, "Stable id: the figure_id of the figure that founded the incident, kept when others join"),
        "outcome": (_S, "killed | injured | ... (casualty_figures.outcome)"),
        "victim_group": (_S, "The victims of the best toll"),
        "event_date": (_D, "The day of the event, from its most precisely dated report"),
        "time_precision": (_I, "ACLED time_precision of event_date: 1 day, 2 week, 3 month"),
        "location": (_S, "The most specific place any report names"),
        "location_id": (_S, "Its entity id (pattern:* for a site anchored in place_id)"),
        "place_id": (_S, "The gazetteer place it is or lies in"),
        "admin1": (_S, "Governorate"),
        "admin2": (_S, "District, where known"),
        "latitude": (pl.Float64(), "Latitude of place_id"),
        "longitude": (pl.Float64(), "Longitude of place_id"),
        "geo_precision": (_I, "ACLED geo_precision: 1 town or site, 2 part of a region, 3 governorate or wider"),
        "best": (_I, "The best toll: the latest report that is neither disputed nor superseded (never a sum)"),
        "best_figure_id": (_S, "The figure best is read from"),
        "low": (_I, "The lowest toll stated for the event"),
        "high": (_I, "The highest toll stated for the event"),
        "figures": (_I, "Member figures (incident_figures), breakdowns and superseded tolls included"),
        "documents": (_I, "Documents reporting it"),
        "outlets": (pl.List(_S), "Outlets reporting it (the document's id when its outlet is unknown)"),
        "claimants": (pl.List(_S), "Who states the tolls, where the text says"),
        "perpetrators": (pl.List(_S), "Canonical actors the reports name as doing it"),
        "munitions": (pl.List(_S), "Munition types named in the members' sentences"),
        "actor1": (_S, "The perpetrator most reports name (canonical ACLED-style actor)"),
        "actor1_category": (_S, "ACLED actor category of actor1"),
        "actor2": (_S, "The victims' actor most reports name"),
        "actor2_category": (_S, "ACLED actor category of actor2"),
        "sub_event_type": (_S, "ACLED sub_event_type from the munitions (Attack when none is named)"),
        "disputed": (_B, "A member is denied or contested"),
        "grade": (_S, "single_source | corroborated (2+ outlets within 20 %) | contested (further apart, or disputed)"),
        "notes": (_S, "The best toll's sentence"),
    },
)

INCIDENT_FIGURES = Table(
    "incident_figures",
    "Which casualty figures make up each incident.",
    {
        "incident_id": (_S, "The incident"),
        "figure_id": (_S, "A member figure (casualty_figures.figure_id)"),
        "role": (
            _S,
            "head (a toll of the event) | breakdown (inside its parent) | superseded (raised later in its text)",
        ),
    },
)

INCIDENT_REVISIONS = Table(
    "incident_revisions",
    "What each publication changed in an incident's members, best, low or high.",
    {
        "incident_id": (_S, "The incident"),
        "publication": (_I, "The publication that made the change (publication.sequence)"),
        "changed": (pl.List(_S), "created | withdrawn | members | best | low | high"),
        "detail": (_S, "Old and new values, e.g. 'members 3 → 4; best 12 → 14'"),
        "documents_added": (pl.List(_S), "Documents whose figures joined the incident"),
    },
)


GAZETTEER_ENTITIES = Table(
    "gazetteer_entities",
    "The gazetteer: canonical armed groups, people, places, organisations and media with aliases and coordinates.",
    {
        "entity_id": (_S, "Stable gazetteer id"),
        "entity_type": (_S, "armed_group | person | location | organisation | media"),
        "name_ar": (_S, "Canonical Arabic name"),
        "name_en": (_S, "Canonical English name"),
        "aliases": (pl.List(_S), "Other spellings and names matched"),
        "latitude": (pl.Float64(), "Latitude (places)"),
        "longitude": (pl.Float64(), "Longitude (places)"),
        "governorate": (_S, "Syrian governorate (places)"),
        "place_type": (
            _S,
            "Kind of place (country, governorate, city, town, village, neighbourhood, region, site ...)",
        ),
        "parent_id": (_S, "Enclosing place, or parent organisation"),
        "actor_type": (_S, "ACLED-style actor type (armed groups)"),
        "role": (_S, "Role (people)"),
    },
)
