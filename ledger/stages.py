"""The stages of the pipeline, listed once: what each reads and writes, the text logic it runs, and
the code version of that logic. Dagster's assets and checks, the catalog's views, the publication,
the run summary and re-extraction all read this list; adding a stage is one entry here, its text
function and its suite.

A text stage's code version is a hash of every conflict_text module its entry modules import
(followed through conflict_text) and of every data file those modules name. Dagster shows an
asset stale when its code version changes; the ledger also records the versions per published
batch, so `make run` re-extracts exactly the stages whose logic, data or gazetteer changed, from
the earliest one on, without re-ingesting a file.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conflict_text.gazetteer import DATA_DIR as GAZETTEER_DIR
from conflict_text.gazetteer import Gazetteer
from ledger.tables import (
    CASUALTY_FIGURES,
    CLEANED_DOCUMENTS,
    ENTITY_MENTIONS,
    FIGURE_EVENTS,
    GAZETTEER_ENTITIES,
    MUNITIONS_FIGURES,
    RAW_DOCUMENTS,
    SOURCE_FILES,
    VICTIMS,
    Table,
    quarantine_of,
)

_TEXT = Path(__file__).resolve().parent.parent / "conflict_text"


@dataclass(frozen=True)
class Stage:
    name: str
    group: str  # the Dagster asset group, one per stage
    owner: str
    inputs: tuple[Table, ...]
    outputs: tuple[Table, ...]
    # The conflict_text modules the stage's asset calls; empty for ingest, which is not re-extracted
    # (a decoded file is re-read only when it changes).
    text_modules: tuple[str, ...] = ()
    # Its output depends on the gazetteer's data too, whose own version joins the stage's.
    reads_gazetteer: bool = False

    @property
    def extracts(self) -> bool:
        return bool(self.text_modules)


PIPELINE = (
    Stage("ingest", "raw", "ingest", (), (SOURCE_FILES, RAW_DOCUMENTS)),
    # decode.py counts here: the ingest step that runs it has no version of its own.
    Stage(
        "documents",
        "cleaned",
        "text",
        (RAW_DOCUMENTS,),
        (CLEANED_DOCUMENTS,),
        ("conflict_text.clean", "conflict_text.decode"),
    ),
    Stage(
        "entity_mentions",
        "entities",
        "analysis",
        (CLEANED_DOCUMENTS, GAZETTEER_ENTITIES),
        (ENTITY_MENTIONS,),
        ("conflict_text.entities", "conflict_text.places"),
        reads_gazetteer=True,
    ),
    Stage(
        "figures",
        "figures",
        "analysis",
        (CLEANED_DOCUMENTS, ENTITY_MENTIONS),
        (CASUALTY_FIGURES, MUNITIONS_FIGURES),
        ("conflict_text.figures",),
    ),
    Stage(
        "events",
        "events",
        "analysis",
        (CLEANED_DOCUMENTS, ENTITY_MENTIONS, CASUALTY_FIGURES, GAZETTEER_ENTITIES),
        (FIGURE_EVENTS, VICTIMS),
        ("conflict_text.events", "conflict_text.victims"),
        reads_gazetteer=True,
    ),
)
STAGE = {s.name: s for s in PIPELINE}
# The stages a published batch can be re-extracted from, in pipeline order: re-extracting one
# re-extracts every later one.
STAGES = tuple(s.name for s in PIPELINE if s.extracts)
# Which text stage produces each table (the asset and table names are the same): the publication
# records that stage's version beside the table.
STAGE_OF_TABLE = {t.name: s.name for s in PIPELINE if s.extracts for t in s.outputs}
# Text stages' tables are about documents: a row failing a row-level expectation quarantines its document.
QUARANTINE_TABLES = tuple(quarantine_of(t) for s in PIPELINE if s.extracts for t in s.outputs)
# What one batch stages and the publication promotes.
BATCH_TABLES = tuple(t for s in PIPELINE for t in s.outputs) + QUARANTINE_TABLES
# Tables about documents that the catalog shows for current, unquarantined documents only.
DOCUMENT_TABLES = tuple(t for s in PIPELINE if s.extracts for t in s.outputs if t is not CLEANED_DOCUMENTS)


def assets_from(stage: str) -> list[str]:
    """The assets that re-extracting a published batch from `stage` re-materialises, publication and report last."""
    return [t.name for s in STAGES[STAGES.index(stage) :] for t in STAGE[s].outputs] + ["publication", "report"]


def _module_file(module: str) -> Path | None:
    """The source of a conflict_text module (a package's __init__.py), or None outside conflict_text."""
    if module != "conflict_text" and not module.startswith("conflict_text."):
        return None
    path = _TEXT.parent.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _statements(nodes: list[ast.AST]) -> Iterator[ast.AST]:
    """Every statement, nested ones (in functions, classes, branches, handlers) included; expressions,
    which hold no import and are most of a module's nodes, are not walked."""
    for node in nodes:
        yield node
        for block in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, block, None)
            if isinstance(inner, list):
                yield from _statements(inner)


@cache
def _imports(path: Path) -> frozenset[str]:
    """The conflict_text modules a source file imports (absolute or relative, modules or their names).
    Read once per file: several stages import the same modules."""
    package = ".".join(path.relative_to(_TEXT.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found = set()
    for node in _statements(ast.parse(path.read_text("utf-8")).body):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}".rstrip(".")
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)  # `from package import module`
    return frozenset(m for m in found if (f := _module_file(m)) and f.exists())


def _data_named_by(source: str, reads_gazetteer: bool) -> set[Path]:
    """Data files whose names the source gives, and the files of data folders it names. The gazetteer's
    folder is data with a version of its own, which joins the version of a stage that reads it."""
    named = set()
    for path in (_TEXT / "data").rglob("*"):
        if path.name not in source or (path.is_dir() and path == GAZETTEER_DIR):
            continue
        if reads_gazetteer and path.is_relative_to(GAZETTEER_DIR):
            continue
        named.update(p for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())
    return named


# What stage_files found in this process, or adopted from an earlier one.
_STAGE_FILES: dict[str, tuple[str, ...]] = {}


def stage_files(stage: str) -> tuple[str, ...]:
    """The files under conflict_text/ that `stage`'s code version hashes: the modules it runs and their data."""
    if stage not in _STAGE_FILES:
        _STAGE_FILES[stage] = _find_stage_files(stage)
    return _STAGE_FILES[stage]


def _find_stage_files(stage: str) -> tuple[str, ...]:
    spec = STAGE[stage]
    modules, todo = set(), {_module_file(m) for m in spec.text_modules}
    while todo:
        path = todo.pop()
        if path not in modules:
            modules.add(path)
            todo |= {_module_file(m) for m in _imports(path)}
    data = set().union(*(_data_named_by(p.read_text("utf-8"), spec.reads_gazetteer) for p in modules))
    return tuple(sorted(p.relative_to(_TEXT).as_posix() for p in modules | data))


def text_sources() -> list[list]:
    """Every file under conflict_text/ (bytecode caches aside) as its path, size and modification time:
    all that stage_files reads, so that while these are unchanged its answers are too."""
    files = (p for p in _TEXT.rglob("*") if "__pycache__" not in p.parts)
    return sorted([p.relative_to(_TEXT).as_posix(), (st := p.stat()).st_size, st.st_mtime_ns] for p in files)


def all_stage_files() -> dict[str, tuple[str, ...]]:
    """stage_files of every extracting stage (parsing every module they import: ~0.15 s of CPU)."""
    return {s.name: stage_files(s.name) for s in PIPELINE if s.extracts}


def adopt_stage_files(found: dict[str, list[str]]) -> None:
    """Takes what all_stage_files gave for the same text_sources (e.g. in an earlier run) as this process's."""
    _STAGE_FILES.update((stage, tuple(files)) for stage, files in found.items())


@cache
def code_version(stage: str) -> str:
    digest = hashlib.sha256()
    for name in stage_files(stage):
        digest.update(name.encode())
        digest.update((_TEXT / name).read_bytes())
    return digest.hexdigest()[:16]


def extraction_versions(gazetteer: Gazetteer) -> dict[str, str]:
    """What each stage's output depends on: its code, and for a stage that reads it the gazetteer's data."""
    return {
        s.name: code_version(s.name) + (f"+{gazetteer.version[:16]}" if s.reads_gazetteer else "")
        for s in PIPELINE
        if s.extracts
    }


def first_outdated_stage(recorded: dict[str, str], gazetteer: Gazetteer) -> str | None:
    """The earliest stage whose recorded version differs from the current one (None when all are current)."""
    current = extraction_versions(gazetteer)
    return next((stage for stage in STAGES if recorded.get(stage) != current[stage]), None)
