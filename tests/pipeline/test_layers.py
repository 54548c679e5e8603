"""The layers stay apart: conflict_text/, ledger/ and analysis/ know no Dagster, analysis/ reads the ledger,
assets/ never imports pipelines/ (which imports assets/ to build the definitions)."""

import ast

import pytest

from ledger.settings import PROJECT_ROOT

# package -> the project packages it may import (besides itself)
ALLOWED = {
    "conflict_text": set(),
    "ledger": {"conflict_text"},
    "analysis": {"ledger", "conflict_text"},
    "assets": {"ledger", "analysis", "conflict_text"},
    "pipelines": {"assets", "ledger", "analysis", "conflict_text"},
}
THIRD_PARTY_FORBIDDEN = {
    "conflict_text": {"dagster", "great_expectations", "duckdb", "polars"},
    "ledger": {"dagster"},
    "analysis": {"dagster"},
}


def _imported_packages(path):
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_layer_imports_only_the_layers_below_it(package):
    wrong = {}
    for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
        imported = set(_imported_packages(path))
        bad = (imported & set(ALLOWED)) - ALLOWED[package] - {package}
        bad |= imported & THIRD_PARTY_FORBIDDEN.get(package, set())
        if bad:
            wrong[str(path.relative_to(PROJECT_ROOT))] = sorted(bad)
    assert wrong == {}
