"""The curation loop: names found from context go to an analyst, and the accepted ones into the gazetteer.

`export_review` writes the names the entity stage found from context (match_source "pattern") in
the published catalog, one row per name with its counts and example sentences, to a CSV the
analyst edits: `decision` is `new` (a new entity), `alias` (a spelling of the entity `alias_of`) or
`reject`. `apply_review` writes the accepted names into the hand-kept gazetteer files, records each
decision with its provenance in `review_log.csv` beside them, and remembers the rejected ones; the
gazetteer's hash changes, so the next run re-extracts the published batches.

The review's memory lives in the warehouse (`review/state.json`): the names already listed, so that a
review shows what was found since the last one, and the names rejected, which are never listed again.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from conflict_text.gazetteer import read_gazetteer
from conflict_text.sentences import split_sentences

DECISIONS = ("new", "alias", "reject")
COLUMNS = [
    "decision",  # new | alias | reject, filled in by the analyst (blank: decided later)
    "alias_of",  # for alias: the gazetteer id the name is a spelling of
    "name_ar",  # the name as it goes into the gazetteer (editable)
    "name_en",  # for new: the English name, from which the new id is made
    "entity_type",
    "place_type",  # for a new location: town, neighbourhood, region, site ...
    "latitude",  # for a new location: its coordinates (the gazetteer check requires them)
    "longitude",
    "governorate",
    "pattern_id",  # the id the entity stage gave the name
    "mentions",
    "documents",
    "surfaces",  # every spelling found, most frequent first
    "example_1",
    "source_1",
    "example_2",
    "source_2",
]
_EXAMPLES = 2
_EXAMPLE_CHARS = 300
# A new entity's id: the type's prefix in the gazetteer files, then its English name as a slug.
ID_PREFIX = {"armed_group": "group", "person": "person", "organisation": "org", "media": "media", "location": "place"}
# The hand-kept file of each entity type; aliases of generated GeoNames places go to place_aliases.csv.
HAND_KEPT = {
    "armed_group": "armed_groups.csv",
    "person": "people.csv",
    "organisation": "organisations.csv",
    "media": "media.csv",
    "location": "places.csv",
}
GENERATED_PLACES = "places_geonames.csv"
PLACE_ALIASES = "place_aliases.csv"
LOG = "review_log.csv"
LOG_COLUMNS = [
    "applied_at",
    "decision",
    "entity_id",
    "name_ar",
    "name_en",
    "pattern_id",
    "mentions",
    "review",
    "source_1",
]


class ReviewError(ValueError):
    """A review file that cannot be applied, with every row at fault."""


@dataclass
class ReviewState:
    listed: set[str]
    rejected: set[str]

    @classmethod
    def load(cls, path: Path) -> ReviewState:
        data = json.loads(path.read_text("utf-8")) if path.exists() else {}
        return cls(set(data.get("listed", [])), set(data.get("rejected", [])))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"listed": sorted(self.listed), "rejected": sorted(self.rejected)}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


def state_path(warehouse_root: Path) -> Path:
    return warehouse_root / "review" / "state.json"


def _example(body: str, start: int, end: int) -> str:
    """The sentence around a mention, the mention between ⟦ ⟧, cut to a readable length."""
    s, e = next(((s, e) for s, e in split_sentences(body) if s <= start < e), (start, end))
    s, e = max(s, start - _EXAMPLE_CHARS // 2), min(max(e, end), end + _EXAMPLE_CHARS // 2)
    text = f"{body[s:start]}⟦{body[start:end]}⟧{body[end:e]}"
    return " ".join(text.split())


def review_rows(catalog: Path, state: ReviewState, everything: bool = False) -> list[dict]:
    """One row per name found from context and not yet decided, most mentioned first; without
    `everything`, only the names not listed by an earlier review."""
    with duckdb.connect(str(catalog), read_only=True) as con:
        mentions = con.sql(
            """SELECT m.entity_id, m.entity_type, m.name_ar, m.surface, m.doc_id, m.char_start, m.char_end,
                      d.source_name, d.body
               FROM entity_mentions m JOIN documents d USING (doc_id)
               WHERE m.match_source = 'pattern'
               ORDER BY d.source_name, m.char_start"""
        ).fetchall()
    skipped = state.rejected | (set() if everything else state.listed)
    names: dict[str, dict] = {}
    for entity_id, etype, name_ar, surface, doc_id, start, end, source, body in mentions:
        if entity_id in skipped:
            continue
        name = names.setdefault(
            entity_id,
            {"entity_type": etype, "names": Counter(), "surfaces": Counter(), "docs": set(), "examples": []},
        )
        name["names"][name_ar] += 1
        name["surfaces"][surface] += 1
        if doc_id not in name["docs"] and len(name["examples"]) < _EXAMPLES:
            name["examples"].append((_example(body, start, end), source))
        name["docs"].add(doc_id)
    rows = []
    for entity_id, name in names.items():
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            name_ar=name["names"].most_common(1)[0][0],
            entity_type=name["entity_type"],
            pattern_id=entity_id,
            mentions=sum(name["surfaces"].values()),
            documents=len(name["docs"]),
            surfaces="|".join(s for s, _ in name["surfaces"].most_common()),
        )
        for i, (sentence, source) in enumerate(name["examples"], 1):
            row[f"example_{i}"], row[f"source_{i}"] = sentence, source
        rows.append(row)
    return sorted(rows, key=lambda r: (-r["mentions"], -r["documents"], r["pattern_id"]))


def export_review(catalog: Path, warehouse_root: Path, out: Path, everything: bool = False) -> int:
    """Writes the review CSV and remembers its names as listed; returns how many rows it holds."""
    state = ReviewState.load(state_path(warehouse_root))
    rows = review_rows(catalog, state, everything)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    state.listed |= {r["pattern_id"] for r in rows}
    state.save(state_path(warehouse_root))
    return len(rows)


def _slug(name_en: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name_en.lower()).strip("_")


class _GazetteerFiles:
    """The gazetteer folder's CSV files as rows in memory, written back only when every decision
    of a review applies: a review with one bad row changes nothing."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.tables: dict[str, tuple[list[str], list[dict]]] = {}

    def table(self, name: str) -> tuple[list[str], list[dict]]:
        if name not in self.tables:
            with (self.folder / name).open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                self.tables[name] = (list(reader.fieldnames or []), list(reader))
        return self.tables[name]

    def write(self) -> None:
        for name, (columns, rows) in self.tables.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            (self.folder / name).write_text(out.getvalue(), encoding="utf-8")


def _add_alias(files: _GazetteerFiles, entity: dict, name_ar: str) -> None:
    """Adds `name_ar` to the entity's Arabic aliases in its hand-kept file (a GeoNames place's in
    place_aliases.csv, since places_geonames.csv is generated)."""
    if entity["source"] == "geonames":
        columns, rows = files.table(PLACE_ALIASES)
        row = next((r for r in rows if r["id"] == entity["entity_id"]), None)
        if row is None:
            row = dict.fromkeys(columns, "") | {"id": entity["entity_id"]}
            rows.append(row)
    else:
        _, rows = files.table(HAND_KEPT[entity["entity_type"]])
        row = next(r for r in rows if r["id"] == entity["entity_id"])
    aliases = [a for a in (row["aliases_ar"] or "").split("|") if a]
    row["aliases_ar"] = "|".join([*aliases, name_ar])


def _new_row(columns: list[str], entity_id: str, decided: dict) -> dict:
    row = dict.fromkeys(columns, "") | {"id": entity_id, "name_ar": decided["name_ar"], "name_en": decided["name_en"]}
    if decided["entity_type"] == "location":
        row |= {k: decided[k] for k in ("place_type", "latitude", "longitude", "governorate")}
        row |= {"source": "review", "coord_precision": "approx"}  # coordinates given by the analyst
    return row


def apply_review(review: Path, gazetteer_dir: Path, warehouse_root: Path) -> Counter:
    """Applies a reviewed CSV: new entities and aliases into the hand-kept files, rejections into
    the review state, every decision into review_log.csv. Returns the count of each decision."""
    with review.open(encoding="utf-8", newline="") as fh:
        decided = [r for r in csv.DictReader(fh) if (r.get("decision") or "").strip()]
    gazetteer = read_gazetteer(gazetteer_dir)
    known = {row["entity_id"]: row for row in gazetteer.rows}
    files = _GazetteerFiles(gazetteer_dir)
    state = ReviewState.load(state_path(warehouse_root))
    errors, log, counts = [], [], Counter()
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for line, row in enumerate(decided, 2):
        row = {k: (v or "").strip() for k, v in row.items()}
        decision, name_ar = row["decision"], row["name_ar"]
        where = f"{review.name} row {line} ({row['pattern_id']})"
        if decision not in DECISIONS:
            errors.append(f"{where}: decision {decision!r} is not one of {', '.join(DECISIONS)}")
            continue
        if decision == "reject":
            state.rejected.add(row["pattern_id"])
            entity_id = ""
        elif not name_ar:
            errors.append(f"{where}: name_ar is empty")
            continue
        elif decision == "alias":
            entity_id = row["alias_of"]
            if entity_id not in known:
                errors.append(f"{where}: alias_of {entity_id!r} is no gazetteer id")
                continue
            _add_alias(files, known[entity_id], name_ar)
        else:
            etype = row["entity_type"]
            entity_id = f"{ID_PREFIX.get(etype, '')}:{_slug(row['name_en'])}"
            missing = ["name_en"] if not _slug(row["name_en"]) else []
            if etype == "location":
                missing += [k for k in ("place_type", "latitude", "longitude") if not row[k]]
            if etype not in HAND_KEPT or missing:
                errors.append(f"{where}: a new {etype or 'entity'} needs {', '.join(missing) or 'a known entity_type'}")
                continue
            if entity_id in known:
                errors.append(f"{where}: {entity_id} exists already (an alias of it?)")
                continue
            columns, rows = files.table(HAND_KEPT[etype])
            rows.append(_new_row(columns, entity_id, row))
            known[entity_id] = {"entity_id": entity_id, "entity_type": etype, "source": "review"}
        counts[decision] += 1
        log.append(
            {k: row.get(k, "") for k in LOG_COLUMNS}
            | {"applied_at": now, "entity_id": entity_id, "review": review.name}
        )
    if errors:
        raise ReviewError("\n".join(errors))
    files.write()
    log_path = gazetteer_dir / LOG
    with log_path.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=LOG_COLUMNS, lineterminator="\n")
        if not log_path.stat().st_size:
            writer.writeheader()
        writer.writerows(log)
    state.save(state_path(warehouse_root))
    return counts
