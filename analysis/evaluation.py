"""Scoring a published catalog against gold annotations (the format of ../shared/eval/README.md).

Matching follows the reference scorer: a document pairs with the gold file of the same stem; a
casualty figure matches on (outcome, value), strictly also on victim group; a munition figure on
(munition_type, value); vague figures (value null) are not scored. Gold items flagged inferred or
stock are lenient: not required, and a prediction matching one is not counted against precision.
Entities are scored by recall: a gold entity is found when a mention's surface or canonical name
has the same matching key.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from conflict_text.normalize import fold

_KEY_NOISE = re.compile(r"[\s\"'“”«»()\[\].,،:؛\-]+")


def entity_key(name: str | None) -> str:
    return _KEY_NOISE.sub("", fold(name or ""))


@dataclass
class Score:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else float(not self.gold)

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    casualties: Score = field(default_factory=Score)
    casualties_strict: Score = field(default_factory=Score)
    munitions: Score = field(default_factory=Score)
    entities: Score = field(default_factory=Score)
    entities_typed: Score = field(default_factory=Score)
    errors: list[str] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{name:18s} P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  (matched={s.matched} predicted={s.predicted} gold={s.gold})"
            for name, s in (
                ("casualties", self.casualties),
                ("casualties_strict", self.casualties_strict),
                ("munitions", self.munitions),
            )
        ]
        out += [
            f"{name:18s} recall={s.recall:.3f}  (found={s.matched} gold={s.gold})"
            for name, s in (("entities", self.entities), ("entities_typed", self.entities_typed))
        ]
        if self.missing_documents:
            out.append("documents not in the warehouse: " + " ".join(self.missing_documents))
        return out


def _score_counted(score: Score, required: list, lenient: list, predicted: list) -> tuple[Counter, Counter]:
    """Adds one document's one-to-one matches on equal keys; returns unmatched gold and predictions."""
    gold, pred = Counter(required), Counter(predicted)
    matched = gold & pred
    lenient_hits = (pred - matched) & Counter(lenient)
    score.matched += sum(matched.values())
    score.predicted += sum(pred.values()) - sum(lenient_hits.values())
    score.gold += sum(gold.values())
    return gold - matched, pred - matched - lenient_hits


def _predictions(catalog: Path) -> dict[str, dict[str, list[dict]]]:
    queries = {
        "casualties": "SELECT d.source_name, c.outcome, c.victim_group, c.value FROM casualty_figures c JOIN documents d USING (doc_id)",
        "munitions": "SELECT d.source_name, m.munition_type, m.value FROM munitions_figures m JOIN documents d USING (doc_id)",
        "entities": "SELECT d.source_name, e.entity_type, e.surface, e.name_ar FROM entity_mentions e JOIN documents d USING (doc_id)",
        "documents": "SELECT source_name FROM documents",
    }
    by_stem: dict[str, dict[str, list[dict]]] = {}
    with duckdb.connect(str(catalog), read_only=True) as con:
        for kind, sql in queries.items():
            cursor = con.execute(sql)
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                record = dict(zip(names, row))
                stem = Path(record["source_name"]).stem
                by_stem.setdefault(stem, {"casualties": [], "munitions": [], "entities": [], "documents": []})[
                    kind
                ].append(record)
    return by_stem


def evaluate(catalog: Path, gold_dir: Path) -> Evaluation:
    predictions = _predictions(catalog)
    result = Evaluation()
    for gold_file in sorted(Path(gold_dir).glob("*.json")):
        stem, gold = gold_file.stem, json.loads(gold_file.read_text("utf-8"))
        pred = predictions.get(stem)
        if pred is None:
            result.missing_documents.append(stem)
            pred = {"casualties": [], "munitions": [], "entities": []}
        counted = [c for c in gold.get("casualties", []) if c.get("value") is not None]
        lenient = [c for c in counted if c.get("inferred") or c.get("stock")]
        required = [c for c in counted if not (c.get("inferred") or c.get("stock"))]
        predicted = [p for p in pred["casualties"] if p["value"] is not None]
        missed, extra = _score_counted(
            result.casualties,
            [(c["outcome"], int(c["value"])) for c in required],
            [(c["outcome"], int(c["value"])) for c in lenient],
            [(p["outcome"], int(p["value"])) for p in predicted],
        )
        result.errors += [f"{stem} missed casualty {k}" for k in missed.elements()]
        result.errors += [f"{stem} extra casualty {k}" for k in extra.elements()]
        _score_counted(
            result.casualties_strict,
            [(c["outcome"], c["victim"], int(c["value"])) for c in required],
            [(c["outcome"], c["victim"], int(c["value"])) for c in lenient],
            [(p["outcome"], p["victim_group"], int(p["value"])) for p in predicted],
        )
        missed, extra = _score_counted(
            result.munitions,
            [(m["type"], int(m["value"])) for m in gold.get("munitions", []) if m.get("value") is not None],
            [],
            [(m["munition_type"], int(m["value"])) for m in pred["munitions"] if m["value"] is not None],
        )
        result.errors += [f"{stem} missed munition {k}" for k in missed.elements()]
        result.errors += [f"{stem} extra munition {k}" for k in extra.elements()]
        found = {entity_key(n) for e in pred["entities"] for n in (e["surface"], e["name_ar"]) if n}
        found_typed = {
            (e["entity_type"], entity_key(n)) for e in pred["entities"] for n in (e["surface"], e["name_ar"]) if n
        }
        for entity in gold.get("entities", []):
            keys = {entity_key(entity["text"]), entity_key(entity.get("surface", entity["text"]))}
            hit = bool(keys & found)
            result.entities.matched += hit
            result.entities_typed.matched += any((entity["type"], k) in found_typed for k in keys)
            result.entities.gold += 1
            result.entities_typed.gold += 1
            if not hit:
                result.errors.append(f"{stem} missed entity {entity['type']} «{entity['text']}»")
    return result
