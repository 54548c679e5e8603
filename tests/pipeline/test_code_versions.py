"""Each text stage's code version covers every module and data file the stage runs.

A module or lexicon missing from it would change published figures without Dagster showing them
stale and without `make run` re-extracting them. The modules are read from the import statements
of the stage's asset module, followed through conflict_text; the data files from the names the
modules' sources give.
"""

import ast
import json
from pathlib import Path

import pytest

from conflict_text.gazetteer import DATA_DIR as GAZETTEER_DIR
from ledger import stages
from ledger.stages import STAGES, stage_files
from ledger.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]
TEXT = ROOT / "conflict_text"
STAGE_MODULES = {
    "documents": "assets/documents.py",
    "entity_mentions": "assets/entities.py",
    "figures": "assets/figures.py",
    "events": "assets/events.py",
}


def _source_file(module: str) -> str:
    """The file under conflict_text/ of a dotted module name below it: a module, or a package's __init__.py."""
    path = module.replace(".", "/")
    return f"{path}/__init__.py" if (TEXT / path).is_dir() else f"{path}.py"


def _text_imports(path: Path) -> set[str]:
    """conflict_text/ source files that `path` imports."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("conflict_text."):
            names.add(node.module.removeprefix("conflict_text."))
        elif isinstance(node, ast.Import):
            names.update(
                a.name.removeprefix("conflict_text.") for a in node.names if a.name.startswith("conflict_text.")
            )
    return {_source_file(name) for name in names}


def _modules_run_by(stage: str) -> set[str]:
    seen: set[str] = set()
    todo = _text_imports(ROOT / STAGE_MODULES[stage])
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo |= _text_imports(TEXT / module)
    return seen


def _data_files_named_by(module: str) -> set[str]:
    """The data files whose name, or whose folder under conflict_text/ (data/figure_rules), the module names."""
    source = (TEXT / module).read_text("utf-8")
    files = [p for p in (TEXT / "data").rglob("*") if p.is_file() and p.suffix in (".json", ".csv")]
    return {
        p.relative_to(TEXT).as_posix()
        for p in files
        if p.name in source or (p.parent != TEXT / "data" and p.parent.relative_to(TEXT).as_posix() in source)
    }


def test_stage_modules_are_the_assets_of_every_stage():
    assert set(STAGE_MODULES) == set(STAGES)


@pytest.mark.parametrize("stage", STAGES)
def test_a_stages_code_version_covers_what_it_runs(stage):
    # A stage re-extracts every later one, so a file may count in an earlier stage's version instead.
    covered = {name for earlier in STAGES[: STAGES.index(stage) + 1] for name in stage_files(earlier)}
    if STAGES.index(stage) >= STAGES.index("entity_mentions"):  # which adds the gazetteer's version to its own
        covered |= {p.relative_to(TEXT).as_posix() for p in GAZETTEER_DIR.iterdir() if p.suffix in (".json", ".csv")}
    modules = _modules_run_by(stage)
    data = {name for module in modules for name in _data_files_named_by(module)}
    assert modules, "the stage's asset module imports no text logic"
    assert modules | data <= covered, f"not in {stage}'s code version: {sorted((modules | data) - covered)}"


@pytest.fixture
def fresh_stage_files(monkeypatch):
    """This process's stage files forgotten for the test, and its code versions after it."""
    monkeypatch.setattr(stages, "_STAGE_FILES", {})
    yield
    stages.code_version.cache_clear()


def test_a_warehouse_remembers_stage_files_for_the_same_sources_only(tmp_path, fresh_stage_files):
    warehouse = Warehouse(tmp_path)
    warehouse.remember_stage_files()
    remembered_path = tmp_path / ".stage-files.json"
    remembered = json.loads(remembered_path.read_text("utf-8"))
    found = {stage: list(files) for stage, files in stages.all_stage_files().items()}
    assert remembered["stage_files"] == found
    assert remembered["sources"] == stages.text_sources()

    # Read back, not found again, while conflict_text/ is unchanged: a marker written into the file shows.
    remembered["stage_files"]["figures"] = [*found["figures"], "marker.py"]
    remembered_path.write_text(json.dumps(remembered), "utf-8")
    stages._STAGE_FILES.clear()
    warehouse.remember_stage_files()
    assert stages.stage_files("figures")[-1] == "marker.py"

    # A source file whose size or time differs: found again, and written for the new sources.
    remembered["sources"][0][1] += 1
    remembered_path.write_text(json.dumps(remembered), "utf-8")
    stages._STAGE_FILES.clear()
    warehouse.remember_stage_files()
    assert stages.stage_files("figures") == tuple(found["figures"])
    assert json.loads(remembered_path.read_text("utf-8")) == {"sources": stages.text_sources(), "stage_files": found}
