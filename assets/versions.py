"""Code versions of the text stages: a hash of the source and data files each stage runs.

Dagster shows an asset stale when its code_version changes; the ledger also records these
versions per published batch, so `make run` re-extracts exactly the stages whose logic, data
or gazetteer changed, from the earliest one on, without re-ingesting a file.
"""
import hashlib
from functools import cache
from pathlib import Path

from conflict_text.gazetteer import Gazetteer

_TEXT = Path(__file__).resolve().parent.parent / "conflict_text"
_SHARED = ["normalize.py", "models.py", "data/vocabularies.json"]
_STAGE_FILES = {
    "documents": ["decode.py", "clean.py", "data/furniture.json", "data/gazetteer/media.csv"],
    "entity_mentions": ["entities.py", "gazetteer.py", "tokens.py"],
    "figures": [*(f"figures/{name}.py" for name in (
                    "__init__", "attribution", "document", "explain", "lexicon", "munitions", "noun_candidates",
                    "number_candidates", "periods", "phrases", "predicates", "qualifiers", "rules", "sentence",
                    "structure", "words")),
                *sorted(p.relative_to(_TEXT).as_posix() for p in (_TEXT / "data" / "figure_rules").glob("*.json")),
                "numbers.py", "sentences.py", "tokens.py", "data/figure_lexicon.json", "data/number_words.json"],
}
# Pipeline order: re-extracting a stage re-extracts every later one.
STAGES = tuple(_STAGE_FILES)
# The assets each stage materialises.
_STAGE_ASSETS = {"documents": ["documents"], "entity_mentions": ["entity_mentions"],
                 "figures": ["casualty_figures", "munitions_figures"]}


# Which stage produces each table (the asset and table names are the same).
STAGE_OF_TABLE = {asset: stage for stage, names in _STAGE_ASSETS.items() for asset in names}


def assets_from(stage: str) -> list[str]:
    """The assets that re-extracting a published batch from `stage` re-materialises, publication and report last."""
    return [name for s in STAGES[STAGES.index(stage):] for name in _STAGE_ASSETS[s]] + ["publication", "report"]


def stage_files(stage: str) -> list[str]:
    """The files under conflict_text/ that `stage`'s code version hashes."""
    return sorted(_SHARED + _STAGE_FILES[stage])


@cache
def code_version(stage: str) -> str:
    digest = hashlib.sha256()
    for name in stage_files(stage):
        digest.update(name.encode())
        digest.update((_TEXT / name).read_bytes())
    return digest.hexdigest()[:16]


def extraction_versions(gazetteer: Gazetteer) -> dict[str, str]:
    """What each stage's output depends on: its code, and for entities also the gazetteer's data."""
    versions = {stage: code_version(stage) for stage in STAGES}
    versions["entity_mentions"] += "+" + gazetteer.version[:16]
    return versions


def first_outdated_stage(recorded: dict[str, str], gazetteer: Gazetteer) -> str | None:
    """The earliest stage whose recorded version differs from the current one (None when all are current)."""
    current = extraction_versions(gazetteer)
    return next((stage for stage in STAGES if recorded.get(stage) != current[stage]), None)
