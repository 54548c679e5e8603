#!/usr/bin/env python3
"""Checks the phenomena set: every gold file parses and follows ../shared/eval/README.md.

usage: python tests/data/phenomena/check_gold.py [--dir tests/data/phenomena]

For each gold/NAME.json it checks that articles/NAME.txt exists and that
  - the id is NAME.txt, the title is a substring of the article, the article is 1,500-4,000 characters;
  - casualty and munition items use the allowed vocabularies, `value` is an int or null
    (null exactly when the qualifier is vague, or unspecified for a munition), and low/high follow
    the qualifier: exact -> low = high = value; at_least/more_than -> low = value, high null;
    less_than -> low null, high = value - 1; about/vague/unspecified -> both null;
  - `surface` and `evidence` are exact substrings of the article and the surface lies inside the evidence;
  - a casualty's `parent` is the surface of another casualty item of the same document;
  - entities have an allowed type, their text (or `surface`, when given) occurs in the article, and
    no two entities of a document share a matching key (unique per document);
  - distractors are strings.
Exits 1 and lists the problems when any check fails.
"""

import argparse
import json
import pathlib
import re
import sys

OUTCOMES = {"killed", "injured", "missing", "displaced", "detained", "killed_or_injured"}
VICTIMS = {
    "total",
    "civilians",
    "fighters",
    "women",
    "children",
    "regime_forces",
    "civil_defence",
    "medical_staff",
    "women_and_children",
}
CAS_QUALIFIERS = {"exact", "at_least", "more_than", "about", "less_than", "vague"}
MUN_QUALIFIERS = CAS_QUALIFIERS | {"unspecified"}
MUNITION_TYPES = {
    "airstrike",
    "barrel_bomb",
    "surface_to_surface_missile",
    "missile",
    "bunker_buster",
    "vacuum_missile",
    "cluster_munition",
    "napalm",
    "white_phosphorus",
    "chlorine_attack",
    "chemical_attack",
    "rocket_launcher",
    "rocket_shell",
    "artillery_shell",
    "mortar",
    "drone",
    "car_bomb",
    "suicide_attack",
    "bombing",
    "naval_mine",
    "attack_unspecified",
}
ENTITY_TYPES = {"armed_group", "person", "location", "organisation", "media"}
TOP_KEYS = [
    "id",
    "source",
    "outlet",
    "title",
    "publication_date",
    "casualties",
    "munitions",
    "entities",
    "distractors",
    "notes",
]
CAS_KEYS = [
    "outcome",
    "victim",
    "value",
    "low",
    "high",
    "qualifier",
    "surface",
    "evidence",
    "location",
    "perpetrator",
    "source_attribution",
    "parent",
    "superseded",
    "disputed",
]
MUN_KEYS = ["type", "value", "low", "high", "qualifier", "surface", "evidence"]
MIN_CHARS, MAX_CHARS = 1500, 4000

_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})
_HEADS = re.compile(r"^[\s#«\"“]*(?:حي|وكالة|وكاله)[\s_]+(?=\S)")


def entity_key(text):
    """The reference scorer's entity key (../shared/eval/score.py)."""
    text = _DIACRITICS.sub("", _HEADS.sub("", text or "")).translate(_FOLD)
    return re.sub(r"[\s\"'“”«»()\[\].,،:؛_#-]+", "", text)


def expected_bounds(value, qualifier):
    if value is None:
        return None, None
    return {
        "exact": (value, value),
        "at_least": (value, None),
        "more_than": (value, None),
        "less_than": (None, value - 1),
    }.get(qualifier, (None, None))


def check_figure(where, item, article, keys, qualifiers, null_qualifiers):
    problems = []
    for key in keys:
        if key not in item:
            problems.append(f"{where}: missing field {key!r}")
    value, qualifier = item.get("value"), item.get("qualifier")
    if qualifier not in qualifiers:
        problems.append(f"{where}: qualifier {qualifier!r} not allowed")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        problems.append(f"{where}: value {value!r} is not a non-negative int")
    if (value is None) != (qualifier in null_qualifiers):
        problems.append(
            f"{where}: value {value!r} with qualifier {qualifier!r} (null exactly for {sorted(null_qualifiers)})"
        )
    low, high = expected_bounds(value if isinstance(value, int) else None, qualifier)
    if (item.get("low"), item.get("high")) != (low, high):
        problems.append(f"{where}: low/high {item.get('low')!r}/{item.get('high')!r}, expected {low!r}/{high!r}")
    surface, evidence = item.get("surface") or "", item.get("evidence") or ""
    if not evidence or evidence not in article:
        problems.append(f"{where}: evidence not in article: «{evidence}»")
    if not surface or surface not in article:
        problems.append(f"{where}: surface not in article: «{surface}»")
    elif surface not in evidence:
        problems.append(f"{where}: surface «{surface}» not inside its evidence")
    for flag in ("superseded", "disputed"):
        if flag in item and not isinstance(item[flag], bool):
            problems.append(f"{where}: {flag} must be true/false")
    return problems


def check_document(gold_path, article_path):
    problems = []
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"{gold_path.name}: does not parse: {exc}"]
    if not article_path.exists():
        return [f"{gold_path.name}: no article {article_path.name}"]
    article = article_path.read_text(encoding="utf-8")
    name = gold_path.stem
    for key in TOP_KEYS:
        if key not in gold:
            problems.append(f"{name}: missing top-level field {key!r}")
    if gold.get("id") != article_path.name:
        problems.append(f"{name}: id {gold.get('id')!r} != {article_path.name!r}")
    if not gold.get("title") or gold["title"] not in article:
        problems.append(f"{name}: title not in article")
    if not MIN_CHARS <= len(article) <= MAX_CHARS:
        problems.append(f"{name}: article has {len(article)} characters (expected {MIN_CHARS}-{MAX_CHARS})")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", gold.get("publication_date") or ""):
        problems.append(f"{name}: publication_date is not YYYY-MM-DD")

    casualties = gold.get("casualties", [])
    surfaces = [c.get("surface") for c in casualties]
    for i, c in enumerate(casualties):
        where = f"{name} casualty[{i}] «{c.get('surface')}»"
        if c.get("outcome") not in OUTCOMES:
            problems.append(f"{where}: outcome {c.get('outcome')!r} not allowed")
        if c.get("victim") not in VICTIMS:
            problems.append(f"{where}: victim {c.get('victim')!r} not allowed")
        problems += check_figure(where, c, article, CAS_KEYS, CAS_QUALIFIERS, {"vague"})
        parent = c.get("parent")
        if parent is not None and (parent == c.get("surface") or parent not in surfaces):
            problems.append(f"{where}: parent «{parent}» is not the surface of another casualty item")
    for i, m in enumerate(gold.get("munitions", [])):
        where = f"{name} munition[{i}] «{m.get('surface')}»"
        if m.get("type") not in MUNITION_TYPES:
            problems.append(f"{where}: type {m.get('type')!r} not allowed")
        problems += check_figure(where, m, article, MUN_KEYS, MUN_QUALIFIERS, {"vague", "unspecified"})

    seen = {}
    for i, e in enumerate(gold.get("entities", [])):
        where = f"{name} entity[{i}] «{e.get('text')}»"
        if e.get("type") not in ENTITY_TYPES:
            problems.append(f"{where}: type {e.get('type')!r} not allowed")
        written = e.get("surface") or e.get("text") or ""
        if not written or written not in article:
            problems.append(f"{where}: «{written}» not in article")
        key = entity_key(e.get("text"))
        if key in seen:
            problems.append(f"{where}: same key as entity «{seen[key]}» (entities are unique per document)")
        seen[key] = e.get("text")
    if not all(isinstance(d, str) for d in gold.get("distractors", [])):
        problems.append(f"{name}: distractors must be strings")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=pathlib.Path, default=pathlib.Path(__file__).resolve().parent)
    args = ap.parse_args()
    gold_files = sorted((args.dir / "gold").glob("*.json"))
    articles = sorted((args.dir / "articles").glob("*.txt"))
    problems = []
    for extra in sorted({a.stem for a in articles} - {g.stem for g in gold_files}):
        problems.append(f"{extra}: article without gold")
    counts = {"casualties": 0, "munitions": 0, "entities": 0}
    for gold_path in gold_files:
        problems += check_document(gold_path, args.dir / "articles" / f"{gold_path.stem}.txt")
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            for key in counts:
                counts[key] += len(gold.get(key, []))
        except ValueError:
            pass
    for p in problems:
        print(p)
    print(
        f"{len(gold_files)} documents, {counts['casualties']} casualty items, {counts['munitions']} munition items, "
        f"{counts['entities']} entities: {'OK' if not problems else f'{len(problems)} problem(s)'}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
