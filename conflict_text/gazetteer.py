"""Gazetteers of the war's actors and places, loaded from CSV data files.

Data (conflict_text/data/gazetteer/, UTF-8 CSV, one file per type, `|`-separated list fields):
  armed_groups.csv, people.csv, organisations.csv, media.csv   curated
  places.csv                                                    curated places (coordinates flagged
                                                                in coord_precision)
  places_geonames.csv                                           extracted once from GeoNames by
                                                                tools/build_geonames_places.py
  place_aliases.csv                                             extra aliases for GeoNames rows
  districts.csv                                                 Syria's districts (admin-2), from GeoNames by
                                                                tools/build_geonames_places.py; not matched
                                                                in text: places name theirs in admin2_id
  stoplist.csv                                                  ambiguous aliases: `drop` or `cue`
  cues.json                                                     context lexicons for discovery
  person_names.csv                                              given and family names (folded),
                                                                extracted once from Wikidata by
                                                                tools/build_person_names.py

`load_gazetteer()` is cached for the default directory; the Aho-Corasick automaton over folded
aliases is built once per Gazetteer, on first use.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import json
import pathlib
from dataclasses import dataclass, field

import ahocorasick

from conflict_text.arabic import ARTICLE, LI_ARTICLE
from conflict_text.normalize import match_key

DATA_DIR = pathlib.Path(__file__).resolve().parent / "data" / "gazetteer"
# Bumped when the matching rules change in a way that changes output for the same data.
MATCHER_VERSION = "1"

# (file, entity_type); the order is also the priority when two entities share an alias.
_FILES = (
    ("armed_groups.csv", "armed_group"),
    ("organisations.csv", "organisation"),
    ("media.csv", "media"),
    ("people.csv", "person"),
    ("places.csv", "location"),
    ("places_geonames.csv", "location"),
)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Key:
    """One automaton key: a folded alias form pointing at an entity."""

    text: str  # folded form searched in the folded body
    entity_index: int
    rule: str  # "" | "cue" (needs context or an anchor elsewhere in the document)
    lil: bool  # the «لل» form of an «ال» name: the clitic cannot be split off the surface


@dataclass(slots=True)
class Gazetteer:
    rows: list[dict]
    version: str
    stoplist: dict[str, str]
    cues: dict[str, list[str]]
    districts: dict[str, dict] = field(default_factory=dict)  # district id -> its row (districts.csv)
    _automaton: object | None = field(default=None, repr=False)
    _by_key: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _folded_cues: dict[str, frozenset[str]] | None = field(default=None, repr=False)

    def entities(self) -> list[dict]:
        """One row per entity (the warehouse `entities` columns plus type-specific extras)."""
        return [dict(r, aliases=list(r["aliases"])) for r in self.rows]

    def entity(self, index: int) -> dict:
        return self.rows[index]

    def lookup(self, name: str) -> list[int]:
        """Entity indexes whose name or alias folds to `name` (stoplisted ones included)."""
        self._build()
        return self._by_key.get(match_key(name), [])

    @property
    def folded_cues(self) -> dict[str, frozenset[str]]:
        if self._folded_cues is None:
            self._folded_cues = {
                k: frozenset(match_key(w) for w in v) for k, v in self.cues.items() if isinstance(v, list)
            }
        return self._folded_cues

    @property
    def automaton(self):
        self._build()
        return self._automaton

    def _build(self) -> None:
        if self._automaton is not None:
            return
        keys: list[Key] = []
        by_key: dict[str, list[int]] = {}
        seen: dict[str, int] = {}
        for idx, row in enumerate(self.rows):
            for alias in [row["name_ar"], *row["aliases_ar"]]:
                k = match_key(alias)
                if len(k) < 2:
                    continue
                by_key.setdefault(k, [])
                if idx not in by_key[k]:
                    by_key[k].append(idx)
                rule = self.stoplist.get(k, "")
                if rule == "drop":
                    continue
                forms = [(k, False)]
                words = k.split(" ")
                if 1 < len(words) <= 4 and all(len(t) > 1 for t in words):
                    # glued words in scraped text: «أحرارالشام», «الأممالمتحدة»
                    forms.append((k.replace(" ", ""), False))
                    for g in range(1, len(words)):
                        forms.append((" ".join(words[: g - 1] + [words[g - 1] + words[g]] + words[g + 1 :]), False))
                if k.startswith(ARTICLE) and len(k) > 3:
                    forms.append((LI_ARTICLE + k[len(ARTICLE) :], True))  # لل + name: «للمرصد»
                for text, lil in forms:
                    if text in seen:  # first entity (by file priority) keeps the key
                        continue
                    seen[text] = len(keys)
                    keys.append(Key(text, idx, rule, lil))
        automaton = ahocorasick.Automaton()  # folded form -> its Key
        for key in keys:
            automaton.add_word(key.text, key)
        automaton.make_automaton()
        self._by_key, self._automaton = by_key, automaton


def _version(files: list[pathlib.Path]) -> str:
    h = hashlib.sha256(f"matcher:{MATCHER_VERSION}".encode())
    for p in sorted(files):
        h.update(p.name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]


def _row(raw: dict, entity_type: str) -> dict:
    name_ar = (raw.get("name_ar") or "").strip()
    aliases_ar = [a for a in _split(raw.get("aliases_ar")) if a != name_ar]
    aliases_en = _split(raw.get("aliases_en"))
    return {
        "entity_id": raw["id"].strip(),
        "entity_type": entity_type,
        "name_ar": name_ar,
        "name_en": (raw.get("name_en") or "").strip() or None,
        "aliases": aliases_ar + aliases_en,
        "aliases_ar": aliases_ar,
        "aliases_en": aliases_en,
        "latitude": _float(raw.get("latitude")),
        "longitude": _float(raw.get("longitude")),
        "governorate": (raw.get("governorate") or "").strip() or None,
        "parent_id": (raw.get("parent_id") or raw.get("affiliation_id") or "").strip() or None,
        "actor_type": (raw.get("actor_type") or "").strip() or None,
        "role": (raw.get("role") or "").strip() or None,
        "org_type": (raw.get("org_type") or "").strip() or None,
        "place_type": (raw.get("place_type") or "").strip() or None,
        "coord_precision": (raw.get("coord_precision") or "").strip() or None,
        "admin2_id": (raw.get("admin2_id") or "").strip() or None,
        "source": (raw.get("source") or "curated").strip(),
        "domains": _split(raw.get("domains")),
    }


def read_gazetteer(data_dir: str | pathlib.Path) -> Gazetteer:
    """Reads the data files (uncached); see load_gazetteer."""
    data_dir = pathlib.Path(data_dir)
    rows: list[dict] = []
    ids: set[str] = set()
    used: list[pathlib.Path] = []
    for name, entity_type in _FILES:
        path = data_dir / name
        if not path.exists():
            continue
        used.append(path)
        with path.open(encoding="utf-8", newline="") as fh:
            for raw in csv.DictReader(fh):
                if not (raw.get("id") or "").strip() or not (raw.get("name_ar") or "").strip():
                    continue
                row = _row(raw, entity_type)
                if row["entity_id"] in ids:
                    raise ValueError(f"duplicate gazetteer id {row['entity_id']} in {name}")
                ids.add(row["entity_id"])
                rows.append(row)
    extra = data_dir / "place_aliases.csv"
    if extra.exists():
        used.append(extra)
        by_id = {r["entity_id"]: r for r in rows}
        with extra.open(encoding="utf-8", newline="") as fh:
            for raw in csv.DictReader(fh):
                row = by_id.get((raw.get("id") or "").strip())
                if row is None:
                    continue
                row["aliases_ar"] += [
                    a for a in _split(raw.get("aliases_ar")) if a != row["name_ar"] and a not in row["aliases_ar"]
                ]
                row["aliases_en"] += [a for a in _split(raw.get("aliases_en")) if a not in row["aliases_en"]]
                row["aliases"] = row["aliases_ar"] + row["aliases_en"]
    stoplist: dict[str, str] = {}
    stop_path = data_dir / "stoplist.csv"
    if stop_path.exists():
        used.append(stop_path)
        with stop_path.open(encoding="utf-8", newline="") as fh:
            for raw in csv.DictReader(fh):
                alias, rule = (raw.get("alias") or "").strip(), (raw.get("rule") or "").strip()
                if alias and rule in ("drop", "cue"):
                    stoplist[match_key(alias)] = rule
    cues: dict[str, list[str]] = {}
    cue_path = data_dir / "cues.json"
    if cue_path.exists():
        used.append(cue_path)
        cues = {k: v for k, v in json.loads(cue_path.read_text(encoding="utf-8")).items() if not k.startswith("_")}
    names_path = data_dir / "person_names.csv"
    if names_path.exists():  # read as two more lexicons: «given_names», «family_names»
        used.append(names_path)
        with names_path.open(encoding="utf-8", newline="") as fh:
            for raw in csv.DictReader(fh):
                cues.setdefault(f"{raw['kind']}_names", []).append(raw["name"])
    districts: dict[str, dict] = {}
    districts_path = data_dir / "districts.csv"
    if districts_path.exists():
        used.append(districts_path)
        with districts_path.open(encoding="utf-8", newline="") as fh:
            districts = {raw["id"]: raw for raw in csv.DictReader(fh)}
    return Gazetteer(rows=rows, version=_version(used), stoplist=stoplist, cues=cues, districts=districts)


@functools.cache
def _default_gazetteer() -> Gazetteer:
    return read_gazetteer(DATA_DIR)


def load_gazetteer(data_dir: str | pathlib.Path | None = None) -> Gazetteer:
    """The gazetteer of `data_dir` (default: the package data), cached for the default directory."""
    if data_dir is None or pathlib.Path(data_dir).resolve() == DATA_DIR:
        return _default_gazetteer()
    return read_gazetteer(data_dir)
