"""The analysts' views, over the lake files of one publication.

Only current documents are visible: a file's latest ledger row decides whether its document is
current (a changed file supersedes its earlier version, a deleted file leaves the views); every
version stays queryable in document_versions and source_files.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from ledger.stages import DOCUMENT_TABLES, QUARANTINE_TABLES
from ledger.tables import (
    CLEANED_DOCUMENTS,
    GAZETTEER_ENTITIES,
    INCIDENT_FIGURES,
    INCIDENT_REVISIONS,
    INCIDENTS,
    RAW_DOCUMENTS,
    SOURCE_FILES,
    Table,
)

if TYPE_CHECKING:
    from ledger.warehouse import Publication

_DUCKDB_TYPES = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Date: "DATE",
    pl.Datetime: "TIMESTAMPTZ",
}


def _sql_type(dtype: pl.DataType) -> str:
    if isinstance(dtype, pl.List):
        return _sql_type(dtype.inner) + "[]"
    return _DUCKDB_TYPES[dtype.base_type()]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scan(root: Path, table: Table, files: list[str]) -> str:
    """A relation over the table's lake files, or an empty relation with its columns."""
    if not files:
        columns = ", ".join(f"CAST(NULL AS {_sql_type(dtype)}) AS {name}" for name, dtype in table.schema.items())
        return f"(SELECT {columns} WHERE false)"
    paths = ", ".join(_literal(str(root / f)) for f in files)
    return f"read_parquet([{paths}])"


def _scan_all(root: Path, tables: tuple[Table, ...], publication: Publication) -> str:
    """One relation over tables of the same columns (the stages' quarantine tables)."""
    return " UNION ALL ".join(f"SELECT * FROM {_scan(root, t, publication.files(t.name))}" for t in tables)


def _values(rows) -> str:
    """Rows of strings and integers as SQL VALUES rows."""
    return ", ".join("(" + ", ".join(str(v) if isinstance(v, int) else _literal(v) for v in row) + ")" for row in rows)


# One row per canonical actor: every gazetteer armed group that data/actors.json maps to it (the
# regime's forces, «النظام السوري», the air force ... are all Military Forces of Syria), with every
# name and spelling; a group the file does not map is an actor of its own under its English name.
_ACTORS = """
CREATE VIEW actors AS
SELECT coalesce(a.actor, g.name_en, g.name_ar) AS actor, coalesce(a.category, c.category) AS actor_category,
       list(g.entity_id ORDER BY g.entity_id) AS entity_ids,
       list_distinct(flatten(list(list_prepend(g.name_ar, g.aliases)))) AS aliases
FROM gazetteer_entities g
LEFT JOIN (VALUES {canonical}) AS a(entity_id, actor, category) USING (entity_id)
LEFT JOIN (VALUES {categories}) AS c(actor_type, category) ON c.actor_type = g.actor_type
WHERE g.entity_type = 'armed_group'
GROUP BY ALL
"""


# The date of the event a toll reports, and the tolls an analyst can add up.
_EVENT_DATE = "coalesce(c.period_start, d.published_date, d.page_date)"
_ADDABLE = "c.parent_figure_id IS NULL AND NOT c.superseded AND c.value IS NOT NULL"

# Tolls an analyst can add up. A breakdown (women, children of a toll) is inside its parent and a
# superseded toll was raised later in the same text: both are left out. Tolls of one event (same
# outcome, victims, place and date) that compete, from different sources or articles, are kept as
# a range (the highest and lowest stated) and never summed. A toll whose place or date is unknown
# cannot be matched to other articles' tolls: it stays an event of its own article (article_scope).
_CASUALTY_TOTALS = f"""
CREATE VIEW casualty_totals AS
SELECT c.outcome, c.victim_group, c.location,
       {_EVENT_DATE} AS event_date,
       CASE WHEN c.location IS NULL OR {_EVENT_DATE} IS NULL
            THEN c.doc_id END AS article_scope,
       max(c.value) AS value, min(c.value) AS lowest_stated, count(*) AS tolls,
       count(DISTINCT c.doc_id) AS documents, bool_or(c.disputed) AS disputed,
       list(DISTINCT c.claimant) FILTER (WHERE c.claimant IS NOT NULL) AS claimants,
       list(c.figure_id) AS figure_ids
FROM casualty_figures c JOIN documents d USING (doc_id)
WHERE {_ADDABLE}
GROUP BY ALL
"""

# One row per incident of killing in ACLED's column names: fatalities is the incident's best toll
# (never a sum), with the lowest and highest stated beside it; interaction is ACLED's two inter codes,
# lower first (17: state forces against civilians).
_ACLED_EXPORT = """
CREATE VIEW acled_export AS
SELECT i.incident_id, i.event_date, i.time_precision, i.sub_event_type,
       i.actor1, i.actor2,
       CASE WHEN a1.inter IS NOT NULL AND a2.inter IS NOT NULL THEN least(a1.inter, a2.inter) * 10 + greatest(a1.inter, a2.inter)
            ELSE coalesce(a1.inter, a2.inter) * 10 END AS interaction,
       CASE WHEN i.actor2_category = 'Civilians' THEN 'Civilian targeting' END AS civilian_targeting,
       i.admin1, i.admin2, i.location, i.latitude, i.longitude, i.geo_precision,
       i.best AS fatalities, i.low AS fatalities_low, i.high AS fatalities_high, i.grade,
       array_to_string(i.outlets, '; ') AS source, i.notes
FROM incidents i
LEFT JOIN (VALUES {inter_codes}) AS a1(category, inter) ON a1.category = i.actor1_category
LEFT JOIN (VALUES {inter_codes}) AS a2(category, inter) ON a2.category = i.actor2_category
WHERE i.outcome = 'killed' AND i.best IS NOT NULL
"""


# Where each munition figure's location lies: the place mention of its document that the location
# names (entity_mentions.place_id and its coordinates), the one in the figure's sentence nearest the
# figure first. Casualty figures have theirs, and their event's, in figure_events.
_MUNITION_PLACES = """
CREATE VIEW munition_places AS
SELECT f.figure_id, f.doc_id, f.munition_type, f.location, m.place_id, m.latitude, m.longitude,
       m.admin1, m.admin2, m.geo_precision
FROM munitions_figures f
JOIN entity_mentions m ON m.doc_id = f.doc_id AND m.entity_type = 'location' AND m.place_id IS NOT NULL
                       AND f.location IN (m.name_ar, m.surface)
QUALIFY row_number() OVER (
    PARTITION BY f.figure_id
    ORDER BY (m.char_start >= f.evidence_start AND m.char_start < f.evidence_end) DESC,
             abs(m.char_start - f.char_start), m.mention_id) = 1
"""


def view_statements(root: Path, publication: Publication, current_doc_ids: bool = True) -> list[str]:
    """The statements that make a catalog of `publication`; without the current_doc_ids table when the
    catalog has it already (copied from a candidate catalog of the same publication: Warehouse.publish)."""
    # The actors' names and ACLED's inter codes (conflict_text/data/actors.json) are the events stage's;
    # imported here, not with the warehouse, which a run with nothing new imports without building a
    # catalog (the import took 0.06 s of such a run's 1 s of CPU over 100,000 files).
    from conflict_text.events import canonical_actors, category_names, inter_codes

    scan = lambda table: _scan(root, table, publication.files(table.name))  # noqa: E731
    # Unpartitioned tables: one current file each, once published.
    whole = lambda table: _scan(
        root, table, [publication.tables[table.name]] if table.name in publication.tables else []
    )  # noqa: E731
    current_files = "(SELECT doc_id FROM current_source_files WHERE status IN ('document', 'duplicate'))"
    # A document is current when its file's latest version made it, and no suite quarantined it.
    current_docs = "(SELECT doc_id FROM current_doc_ids)"
    return [
        # Which publication this catalog shows (the sequence is ours, an integer).
        f"CREATE VIEW publication AS SELECT {int(publication.sequence)} AS sequence,"
        f" {_literal(publication.published_at)} AS published_at",
        f"CREATE VIEW source_files AS SELECT * FROM {scan(SOURCE_FILES)}",
        "CREATE VIEW current_source_files AS SELECT * FROM source_files"
        " QUALIFY row_number() OVER (PARTITION BY source_name ORDER BY batch DESC) = 1",
        f"CREATE VIEW raw_documents AS SELECT * FROM {scan(RAW_DOCUMENTS)}",
        f"CREATE VIEW document_versions AS SELECT * FROM {scan(CLEANED_DOCUMENTS)}",
        # Documents whose rows failed a row-level expectation, one row per stage and expectation; its
        # document, mentions and figures are left out of every view below until a new version of the
        # file, or of the failing stage's code, passes.
        "CREATE VIEW quarantined_documents AS SELECT q.source_name, q.doc_id, q.batch, q.stage, q.expectation,"
        " q.reason, f.seen_at, q.quarantined_at"
        f" FROM ({_scan_all(root, QUARANTINE_TABLES, publication)}) q"
        " JOIN (SELECT doc_id, max(seen_at) AS seen_at FROM current_source_files WHERE status = 'document' GROUP BY doc_id) f"
        " USING (doc_id)",
        # A table, computed once when the catalog is built: every view below filters by it, and as a view
        # each query over them recomputed it from every file's versions (over 20,000 articles, the run
        # summary's eight counts took 0.35 s of CPU, most of it this). The catalog is rebuilt for each
        # publication and read-only, so the table never goes stale.
        *(
            [
                f"CREATE TABLE current_doc_ids AS SELECT doc_id FROM {current_files}"
                " WHERE doc_id NOT IN (SELECT doc_id FROM quarantined_documents)"
            ]
            if current_doc_ids
            else []
        ),
        f"CREATE VIEW documents AS SELECT * FROM document_versions WHERE doc_id IN {current_docs}",
        "CREATE VIEW rejected_documents AS SELECT source_name, sha256, reason, seen_at, batch"
        " FROM current_source_files WHERE status = 'rejected'",
        # What the text stages read from current documents: entity mentions, casualty and munition figures.
        *(f"CREATE VIEW {t.name} AS SELECT * FROM {scan(t)} WHERE doc_id IN {current_docs}" for t in DOCUMENT_TABLES),
        f"CREATE VIEW gazetteer_entities AS SELECT * FROM {whole(GAZETTEER_ENTITIES)}",
        # One row per canonical entity mentioned in a current document; names found from context
        # (match_source = 'pattern') have no gazetteer row: their coordinates are those of the place
        # their mentions lie in (entity_mentions.place_id), the most precise of them. An id
        # names one typed entity, so grouping by its type too changes no row, but lets a filter on the
        # type («WHERE entity_type = 'armed_group'») run before the aggregate: over 100,000 articles
        # that query took 0.19 s and 180 MB instead of 0.75 s and 630 MB.
        "CREATE VIEW entities AS"
        " WITH mentioned AS (SELECT entity_id, entity_type, any_value(name_ar) AS name_ar,"
        " any_value(name_en) AS name_en, bool_or(match_source = 'pattern') AS from_pattern,"
        " arg_min(place_id, geo_precision) AS located_in, min(geo_precision) AS geo_precision,"
        " arg_min(latitude, geo_precision) AS latitude, arg_min(longitude, geo_precision) AS longitude,"
        " arg_min(admin1, geo_precision) AS admin1, arg_min(admin2, geo_precision) AS admin2,"
        " count(*) AS mentions, count(DISTINCT doc_id) AS documents FROM entity_mentions GROUP BY entity_id, entity_type)"
        " SELECT m.entity_id, m.entity_type, coalesce(g.name_ar, m.name_ar) AS name_ar, coalesce(g.name_en, m.name_en) AS name_en,"
        " coalesce(g.aliases, []::VARCHAR[]) AS aliases, coalesce(g.latitude, m.latitude) AS latitude,"
        " coalesce(g.longitude, m.longitude) AS longitude, coalesce(g.governorate, m.admin1) AS governorate, m.admin2,"
        " m.geo_precision, m.located_in, g.place_type, g.parent_id,"
        " g.actor_type,"
        " g.role, m.from_pattern, m.mentions, m.documents"
        " FROM mentioned m LEFT JOIN gazetteer_entities g USING (entity_id)",
        # Incidents are kept by ledger/incidents.py at each publication, each in the partition of the batch
        # that founded it (one file, before the first publication that partitioned them); their members
        # trace to figures.
        *(
            f"CREATE VIEW {t.name} AS SELECT * FROM {whole(t) if t.name in publication.tables else scan(t)}"
            for t in (INCIDENTS, INCIDENT_FIGURES, INCIDENT_REVISIONS)
        ),
        _CASUALTY_TOTALS,
        _MUNITION_PLACES,
        _ACLED_EXPORT.format(inter_codes=_values(inter_codes().items())),
        _ACTORS.format(canonical=_values(canonical_actors()), categories=_values(category_names().items())),
    ]
