"""Incidents: one row per event across documents and outlets, kept at each publication.

Casualty figures join an incident when they could report the same event: the same outcome,
compatible victims (equal, or one of them the total), places that nest (one inside the other, or
one only a region or governorate of the other's: placed in a region or wider, not a village placed at
its town's coordinates), dates within a day when both know the day (a
week, or a month, at coarser precision), no contradicting weapons (ACLED sub-event types), and
not two headline tolls of one article. A figure must fit every toll already in the incident, so
incidents do not chain. Breakdowns join their parent's incident; a superseded toll joins the
incident of the toll that replaced it in its article.

Stable and incremental. Membership, once given, is kept: an incident's id is the id of the figure
that founded it, never recomputed from later members. A publication compares its batch's figures
only with the incidents of their dates (± a week), and sums up again only the incidents that gained
a figure, hold a figure of the batch (re-extracted) or lost one (a deleted or changed file); every
other incident is carried over as it was. Each change to an incident's members, best, low or high
is a row of incident_revisions.

The rules that sum an incident up:
- low and high: the lowest and highest tolls stated for it (headline tolls and superseded ones);
- best: the toll of the latest report (by publication date) that is neither disputed nor
  superseded, the most specific place first among reports of one day, then the higher toll; never
  a sum;
- grade: contested when a member is disputed or denied, or two outlets' latest tolls are more than
  20 % apart; corroborated when two or more outlets agree within 20 %; otherwise single_source.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from conflict_text.places import vague_place_type
from ledger.quality import load_suite, validate
from ledger.tables import INCIDENT_FIGURES, INCIDENT_REVISIONS, INCIDENTS

if TYPE_CHECKING:
    from ledger.warehouse import Warehouse

# How far apart two dates of one event may be, by the coarser precision of the two (1 day, 2 week, 3 month).
_DATE_REACH = {1: 1, 2: 7, 3: 31}
# A batch's figures can join incidents up to a week away (a report dated only by its publication week).
_WINDOW = timedelta(days=7)
CORROBORATION_SPREAD = 0.2


@cache
def _sub_event_types() -> tuple[dict[str, str], dict[str, int]]:
    """munition type -> ACLED sub_event_type, and each sub-event type's rank (first named wins)."""
    mapping = json.loads((Path(__file__).parent / "data" / "acled_sub_event_types.json").read_text("utf-8"))
    types = dict(mapping["order"])
    ranks = {}
    for _munition, sub_event_type in mapping["order"]:
        ranks.setdefault(sub_event_type, len(ranks))
    del types["attack_unspecified"]  # names no weapon: contradicts none
    return types, ranks


@dataclass
class Member:
    row: dict

    def __getattr__(self, name):
        try:
            return self.row[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def head(self) -> bool:
        return self.parent_figure_id is None and not self.superseded

    @property
    def munition_types(self) -> list[str]:
        """The munitions of the figure's sentence; when it names no weapon, its article's, if they are all
        of one ACLED sub-event type (an article about one strike names the weapon once, often in its title)."""
        types = _sub_event_types()[0]
        in_sentence = list(self.munitions or [])
        if any(m in types for m in in_sentence):
            return in_sentence
        in_article = [m for m in self.article_munitions or [] if m in types]
        return in_article if len({types[m] for m in in_article}) == 1 else in_sentence

    @property
    def weapons(self) -> set[str]:
        """ACLED sub-event types of the figure's munitions (munition_types)."""
        types = _sub_event_types()[0]
        return {types[m] for m in self.munition_types if m in types}

    @property
    def places(self) -> list[str]:
        return [p for p in [self.location_id, self.place_id, *(self.within_ids or [])] if p]


@dataclass
class Incident:
    incident_id: str
    members: list[Member] = field(default_factory=list)

    def heads(self) -> list[Member]:
        return [m for m in self.members if m.head]


def _places_nest(a: Member, b: Member) -> bool:
    if not a.place_id or not b.place_id:
        return False
    if a.location_id in b.places or b.location_id in a.places:
        return True
    # A region or a governorate only («ريف إدلب الجنوبي», or a market somewhere in it) may be any town of
    # its governorate; a village placed at a town's coordinates (precision 2) is not: its anchor is a town.
    vague = vague_place_type(a.anchor_type) or vague_place_type(b.anchor_type)
    return vague and a.admin1 is not None and a.admin1 == b.admin1


def _compatible(figure: Member, other: Member) -> bool:
    if figure.outcome != other.outcome or figure.doc_id == other.doc_id:
        return False
    if figure.event_date is None or other.event_date is None:
        return False  # an undated toll cannot be matched to another report: an incident of its own
    if figure.victim_group != other.victim_group and "total" not in (figure.victim_group, other.victim_group):
        return False
    reach = _DATE_REACH[max(figure.time_precision, other.time_precision)]
    if abs((figure.event_date - other.event_date).days) > reach:
        return False
    if figure.weapons and other.weapons and not figure.weapons & other.weapons:
        return False
    return _places_nest(figure, other)


def _closeness(figure: Member, incident: Incident) -> tuple:
    """Which of several fitting incidents a figure joins: the one placed most exactly with it, then nearest in time."""
    heads = incident.heads()
    nested = sum(figure.location_id in h.places or h.location_id in figure.places for h in heads)
    armed_alike = sum(bool(figure.weapons & h.weapons) for h in heads)
    gap = min(abs((figure.event_date - h.event_date).days) for h in heads)  # both dated: they fit
    return (-nested, -armed_alike, gap, incident.incident_id)


class _Nearby:
    """Incidents by outcome, day and governorate of their tolls: a figure is compared only with the
    incidents it could join, so a batch costs what its own days hold, not the whole window."""

    def __init__(self, incidents: dict[str, Incident]):
        self.incidents = incidents
        self.by_day: dict[tuple, dict[str | None, set[str]]] = defaultdict(lambda: defaultdict(set))
        for incident in incidents.values():
            for head in incident.heads():
                self.add(incident, head)

    def add(self, incident: Incident, head: Member) -> None:
        """Files the incident under every day its toll reaches (a day either side, a week or a month)."""
        if head.event_date is None:
            return
        reach = _DATE_REACH[head.time_precision]
        for offset in range(-reach, reach + 1):
            self.by_day[(head.outcome, head.event_date + timedelta(days=offset))][head.admin1].add(incident.incident_id)

    def near(self, figure: Member) -> list[Incident]:
        """Incidents with a toll the figure's date reaches, or that reaches it: a superset of those it fits."""
        if figure.event_date is None:
            return []
        found: set[str] = set()
        reach = _DATE_REACH[figure.time_precision]
        for offset in range(-reach, reach + 1):
            day = self.by_day.get((figure.outcome, figure.event_date + timedelta(days=offset)))
            if day is None:
                continue
            # Places in different governorates nest only through a place without one (the country).
            for admin1 in day if figure.admin1 is None else (figure.admin1, None):
                found |= day.get(admin1, set())
        return [self.incidents[i] for i in sorted(found)]


def assign(figures: list[Member], incidents: dict[str, Incident]) -> list[Member]:
    """Gives each figure not yet in an incident one (an existing one, or a new one it founds); returns them."""
    member_of = {m.figure_id: i for i in incidents.values() for m in i.members}
    nearby = _Nearby(incidents)
    placed = []
    order = sorted(
        figures,
        key=lambda f: (
            f.parent_figure_id is not None,
            f.superseded,
            f.event_date or date.min,
            f.published_date or date.min,
            f.figure_id,
        ),
    )
    for figure in order:
        if figure.figure_id in member_of:
            continue
        incident = None
        if figure.parent_figure_id is not None:
            incident = member_of.get(figure.parent_figure_id)
        elif figure.superseded:
            incident = next(
                (
                    i
                    for i in nearby.near(figure)
                    for h in i.heads()
                    if h.doc_id == figure.doc_id
                    and h.outcome == figure.outcome
                    and h.victim_group == figure.victim_group
                ),
                None,
            )
        if incident is None and figure.parent_figure_id is None:
            fitting = [i for i in nearby.near(figure) if all(_compatible(figure, h) for h in i.heads())]
            incident = min(fitting, key=lambda i: _closeness(figure, i)) if fitting else None
        if incident is None:
            incident = incidents.setdefault(figure.figure_id, Incident(figure.figure_id))
        incident.members.append(figure)
        if figure.head:
            nearby.add(incident, figure)
        member_of[figure.figure_id] = incident
        placed.append(figure)
    return placed


def _outlet(member: Member) -> str:
    return member.outlet or member.doc_id


def summarise(incident: Incident) -> dict:
    """The incident's row: where, when, who, and its tolls by the rules of this module's docstring."""
    heads = incident.heads() or incident.members
    stated = [m for m in incident.members if m.parent_figure_id is None and m.value is not None]
    undisputed = [m for m in stated if m.head and not m.disputed] or [m for m in stated if m.head] or stated
    best = (
        max(
            undisputed,
            key=lambda m: (
                m.published_date or date.min,
                -m.geo_precision if m.geo_precision else -9,
                m.value,
                m.figure_id,
            ),
        )
        if undisputed
        else None
    )
    dated = min(heads, key=lambda m: (m.time_precision or 9, m.event_date or date.max, m.figure_id))
    placed = min(heads, key=lambda m: (m.geo_precision or 9, -len(m.places), m.figure_id))
    latest_by_outlet = {}
    for m in sorted((m for m in stated if m.head), key=lambda m: (m.published_date or date.min, m.figure_id)):
        latest_by_outlet[_outlet(m)] = m.value
    tolls = list(latest_by_outlet.values())
    if any(m.disputed for m in incident.members) or (
        len(tolls) > 1 and max(tolls) - min(tolls) > CORROBORATION_SPREAD * max(tolls)
    ):
        grade = "contested"
    else:
        grade = "corroborated" if len(tolls) > 1 else "single_source"
    types, ranks = _sub_event_types()
    weapons = sorted({w for m in incident.members for w in m.weapons}, key=ranks.get)

    def common(name):
        values = Counter(getattr(m, name) for m in heads if getattr(m, name))
        return values.most_common(1)[0][0] if values else None

    actor1, actor2 = common("actor1"), common("actor2")
    return {
        "incident_id": incident.incident_id,
        "outcome": heads[0].outcome,
        "victim_group": (best or heads[0]).victim_group,
        "event_date": dated.event_date,
        "time_precision": dated.time_precision,
        **{
            k: getattr(placed, k)
            for k in (
                "location",
                "location_id",
                "place_id",
                "admin1",
                "admin2",
                "latitude",
                "longitude",
                "geo_precision",
            )
        },
        "best": best.value if best else None,
        "best_figure_id": best.figure_id if best else None,
        "low": min((m.value for m in stated), default=None),
        "high": max((m.value for m in stated), default=None),
        "figures": len(incident.members),
        "documents": len({m.doc_id for m in incident.members}),
        "outlets": sorted({_outlet(m) for m in incident.members}),
        "claimants": sorted({m.claimant for m in incident.members if m.claimant}),
        "perpetrators": sorted({m.actor1 for m in incident.members if m.actor1}),
        "munitions": sorted({t for m in incident.members for t in m.munition_types}),
        "actor1": actor1,
        "actor1_category": next((m.actor1_category for m in heads if m.actor1 == actor1), None),
        "actor2": actor2,
        "actor2_category": next((m.actor2_category for m in heads if m.actor2 == actor2), None),
        "sub_event_type": weapons[0] if weapons else "Attack",
        "disputed": any(m.disputed for m in incident.members),
        "grade": grade,
        "notes": best.evidence if best else heads[0].evidence,
    }


def _revision(
    before: dict | None,
    after: dict | None,
    members_before: set[str],
    incident: Incident | None,
    docs_before: set[str],
    publication: int,
    incident_id: str,
) -> dict | None:
    """What a publication changed in one incident, or None when nothing that matters changed."""
    members_after = {m.figure_id for m in incident.members} if incident else set()
    if before is None and after is not None:
        changed = ["created"]
    elif after is None:
        changed = ["withdrawn"] if before is not None else []
    else:
        changed = (["members"] if members_after != members_before else []) + [
            k for k in ("best", "low", "high") if before[k] != after[k]
        ]
    if not changed:
        return None
    detail = "; ".join(
        f"{k} {before[k]} → {after[k]}" for k in ("best", "low", "high") if before and after and before[k] != after[k]
    )
    if "members" in changed:
        detail = "; ".join(filter(None, [f"members {len(members_before)} → {len(members_after)}", detail]))
    docs_after = {m.doc_id for m in incident.members} if incident else set()
    return {
        "incident_id": incident_id,
        "publication": publication,
        "changed": changed,
        "detail": detail or None,
        "documents_added": sorted(docs_after - docs_before),
    }


def _reader(warehouse: Warehouse, catalog: Path):
    def query(sql: str, params: list | None = None) -> pl.DataFrame:
        with warehouse.connect_read_only(catalog) as con:
            return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())

    return query


_MEMBERS_SQL = """
SELECT c.figure_id, c.doc_id, c.outcome, c.victim_group, c.value, c.parent_figure_id, c.disputed, c.superseded,
       c.claimant, c.evidence, e.* EXCLUDE (figure_id, doc_id, date_cue),
       (SELECT g.place_type FROM gazetteer_entities g WHERE g.entity_id = e.place_id) AS anchor_type,
       d.outlet, d.published_date,
       (SELECT list(DISTINCT m.munition_type) FROM munitions_figures m
        WHERE m.doc_id = c.doc_id AND m.evidence_start = c.evidence_start) AS munitions,
       (SELECT list(DISTINCT m.munition_type) FROM munitions_figures m WHERE m.doc_id = c.doc_id) AS article_munitions
FROM casualty_figures c JOIN figure_events e USING (figure_id) JOIN documents d ON d.doc_id = c.doc_id
WHERE {where}
"""


class IncidentsRejected(ValueError):
    """The incident tables failed their suites: the previous incidents are kept."""


def _members(query, where: str, params: list) -> dict[str, Member]:
    return {r["figure_id"]: Member(r) for r in query(_MEMBERS_SQL.format(where=where), params).to_dicts()}


def stage_incidents(warehouse: Warehouse, batch: str, expectations_dir: Path, catalog: Path) -> list[tuple[str, str]]:
    """Re-clusters the incidents a batch touches and stages the incident tables, to be published with it.

    Each incident is kept in the partition of the batch that founded it (its first figure's), its
    revisions in that of the batch whose publication wrote them: a publication rewrites only the
    partitions holding an incident it touched, not every incident of the warehouse.
    Reads `catalog`, a catalog of the publication to come (Warehouse.candidate_catalog: the batch's
    figures are in it); returns the (table, batch) partitions staged, none when the batch touches no
    incident. The tables pass their suites (expectations_dir) or nothing is staged and IncidentsRejected
    says why. Every incident expectation is batch-level: an incident is made of several documents, so a
    failure cannot be pinned on one of them, and it holds back the batch that produced it.
    """
    query = _reader(warehouse, catalog)
    window = query(
        "SELECT min(event_date) AS first, max(event_date) AS last, count(*) AS figures"
        " FROM figure_events WHERE batch = ?",
        [batch],
    ).row(0)
    previous = warehouse.current_publication()

    def published(table, parts: set[str] | None = None, columns: list[str] | None = None) -> pl.DataFrame:
        """The incident table of the current publication, read from its files (those of `parts` only, when
        given), each row with its partition (`part`): through the catalog's view and DuckDB's copy into
        Arrow, the three tables took 0.33 s of CPU over 20,000 articles instead of 0.06 s. Kept whole before
        (one file), it moves to this batch's part."""
        if table.name in previous.tables:
            files = [(batch, previous.tables[table.name])]
        else:
            files = [(b, paths[table.name]) for b, paths in sorted(previous.batches.items()) if table.name in paths]
        frames = [
            pl.read_parquet(warehouse.root / f, columns=columns).with_columns(part=pl.lit(b))
            for b, f in files
            if parts is None or b in parts
        ]
        if frames:
            return pl.concat(frames)
        return table.frame().select(columns or pl.all()).with_columns(part=pl.lit(None, pl.String))

    # Whole, the narrow membership only: which incidents hold the window's figures. The incidents and their
    # revisions are read from the partitions this publication rewrites, once they are known: over 100,000
    # articles, reading them whole and mapping every incident to its partition took 0.5 s of CPU.
    membership = published(INCIDENT_FIGURES)
    has_state = not membership.is_empty()

    lost = (
        set(
            query(
                "SELECT incident_id FROM incident_figures WHERE figure_id NOT IN (SELECT figure_id FROM figure_events)",
            )["incident_id"]
        )
        if has_state
        else set()
    )
    if not window[2] and not lost:
        return []
    # The batch's undated tolls too: each an incident of its own.
    where, params = "e.event_date IS NULL AND e.batch = ?", [batch]
    if window[0] is not None:
        where, params = f"(e.event_date BETWEEN ? AND ? OR {where})", [window[0] - _WINDOW, window[1] + _WINDOW, batch]
    members = _members(query, where, params)
    # The incidents of the window's figures, as far as the window shows them: what new figures may join.
    incidents: dict[str, Incident] = {}
    for incident_id, figure_id in (
        membership.filter(pl.col("figure_id").is_in(list(members))).select("incident_id", "figure_id").iter_rows()
    ):
        incidents.setdefault(incident_id, Incident(incident_id)).members.append(members[figure_id])
    placed = {m.figure_id for m in assign(list(members.values()), incidents)}
    # Touched: incidents that gained a figure, hold a figure of this batch (re-extracted, maybe changed) or
    # lost one. Only they are summed up again; every other incident is carried over as it was.
    touched_ids = lost | {
        i.incident_id for i in incidents.values() if any(m.figure_id in placed or m.batch == batch for m in i.members)
    }
    before = membership.filter(pl.col("incident_id").is_in(list(touched_ids))).select("incident_id", "figure_id")
    outside = [f for f in before["figure_id"] if f not in members]
    if outside:
        members |= _members(query, "c.figure_id IN (SELECT unnest(?))", [outside])
    before_members: dict[str, set[str]] = defaultdict(set)
    for incident_id, figure_id in before.iter_rows():
        before_members[incident_id].add(figure_id)
        incident = incidents.setdefault(incident_id, Incident(incident_id))
        if figure_id in members and members[figure_id] not in incident.members:
            incident.members.append(members[figure_id])
    before_docs = {i: {members[f].doc_id for f in figures if f in members} for i, figures in before_members.items()}

    publication = previous.sequence + 1
    # An incident stays in its partition; a new one goes to its founding figure's batch.
    part_of = dict(
        published(INCIDENTS, columns=["incident_id"]).filter(pl.col("incident_id").is_in(list(touched_ids))).iter_rows()
    )
    for incident_id in touched_ids:
        if incident_id not in part_of:
            founder = members.get(incident_id)
            part_of[incident_id] = founder.batch if founder else batch
    # The partitions this publication rewrites: those of the incidents it touched, and this batch's, whose
    # revisions it appends to. Every other partition is carried over as it was, unread and unwritten.
    parts = {part_of[i] for i in touched_ids} | {batch}
    rows = published(INCIDENTS, parts)
    before_rows = {r["incident_id"]: r for r in rows.filter(pl.col("incident_id").is_in(list(touched_ids))).to_dicts()}
    new_rows, new_revisions = [], []
    for incident_id in sorted(touched_ids):
        incident = incidents.get(incident_id)
        after = summarise(incident) if incident and incident.members else None
        if after:
            new_rows.append(after)
        revision = _revision(
            before_rows.get(incident_id),
            after,
            before_members[incident_id],
            incident if after else None,
            before_docs.get(incident_id, set()),
            publication,
            incident_id,
        )
        if revision:
            new_revisions.append(revision)
    new_membership = INCIDENT_FIGURES.frame(
        [
            {
                "incident_id": incident_id,
                "figure_id": m.figure_id,
                "role": "head" if m.head else ("breakdown" if m.parent_figure_id else "superseded"),
            }
            for incident_id in sorted(touched_ids)
            for m in incidents[incident_id].members
        ]
    )
    written = [
        (INCIDENTS, INCIDENTS.frame(new_rows)),
        (INCIDENT_FIGURES, new_membership),
        (INCIDENT_REVISIONS, INCIDENT_REVISIONS.frame(new_revisions)),
    ]
    # The suites check what this publication wrote, so their cost follows the batch, not the warehouse:
    # the rows carried over passed them when they were written.
    for table, frame in written:
        outcome = validate(
            frame, load_suite(expectations_dir, table.name), ["incident_id"], docs_root=warehouse.root, run_name=batch
        )
        if not outcome.passed:
            failures = "; ".join(
                f"{f['expectation']} on {f['unexpected_count']} rows, e.g. {f['failing_rows'][:3]}"
                for f in outcome.blocking
            )
            raise IncidentsRejected(f"{table.name}_expectations [{failures}]")
    staged = []
    for table, frame in written:
        if table is INCIDENT_REVISIONS:
            table_parts = [batch]
            earlier = published(INCIDENT_REVISIONS, {batch})
            frame = frame.with_columns(part=pl.lit(batch))
        else:
            table_parts = sorted(parts)
            earlier = (membership if table is INCIDENT_FIGURES else rows).filter(
                pl.col("part").is_in(table_parts) & ~pl.col("incident_id").is_in(list(touched_ids))
            )
            frame = frame.with_columns(part=pl.col("incident_id").replace_strict(part_of, return_dtype=pl.String))
        combined = pl.concat([earlier, frame])
        if table is INCIDENTS:
            combined = combined.sort("event_date", "incident_id")
        for part in table_parts:  # written even when empty: its incidents were withdrawn
            warehouse.write_staged(table, part, combined.filter(pl.col("part") == part))
            staged.append((table.name, part))
    return staged
