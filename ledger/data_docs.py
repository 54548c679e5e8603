"""Great Expectations Data Docs of a warehouse: every suite run's page, and their index.

Each validation result is kept as JSON under WAREHOUSE_DIR/validation_results/ (a GX filesystem
validation results store) and rendered by GX's own SiteBuilder into WAREHOUSE_DIR/data_docs/
(a filesystem Data Docs site): one page per suite run, listing every expectation, its result and
its failing rows, and an index of the latest runs. Nothing is fetched; the pages load GX's styles
from the site's static/ folder, and their fonts and scripts from a CDN when one is reachable.

A run names its batch (the run name), so a page is found by batch and table. Rendering is the
cost: GX compiles its page templates afresh for each build, about 0.15 s a page. So a suite run only
stores its result and knows where its page will be; the report renders the pages still missing and
the index in one build, once per run (1 s for a run's dozen suites instead of 2 s). A failing run,
whose batch gets no report, renders its page and the index at once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

SITE_DIR = "data_docs"
RESULTS_DIR = "validation_results"
INDEX_RUNS = 200  # the index lists this many latest suite runs; older pages stay on disk


def index_path(root: Path) -> Path:
    return Path(root) / SITE_DIR / "index.html"


def _names(context, root: Path) -> tuple[str, str]:
    """The store and site of one warehouse in the process's GX context, registered on first use (a
    process may serve several warehouses: the tests do)."""
    root = Path(root).resolve()
    digest = hashlib.sha1(str(root).encode()).hexdigest()[:12]
    store, site = f"ledger_results_{digest}", f"ledger_docs_{digest}"
    if store not in context.stores:
        context.add_store(
            store,
            {
                "class_name": "ValidationResultsStore",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(root / RESULTS_DIR),
                },
            },
        )
        context.add_data_docs_site(
            site,
            {
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(root / SITE_DIR)},
                "site_index_builder": {
                    "class_name": "DefaultSiteIndexBuilder",
                    "show_how_to_buttons": False,
                    "validation_results_limit": INDEX_RUNS,
                },
                # Validation pages only: every suite's expectations are on its runs' pages.
                "site_section_builders": {
                    "validations": {"source_store_name": store},
                    "expectations": "None",
                    "profiling": "None",
                },
            },
        )
    return store, site


def _file(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _key(result):
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    batch = result.meta["active_batch_definition"]
    return ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=result.suite_name),
        run_id=result.meta["run_id"],
        batch_identifier=f"{batch['datasource_name']}-{batch['data_asset_name']}",
    )


def _page(root: Path, key) -> Path:
    """Where the site writes a result's page: its key's parts as folders (as GX's filesystem site
    lays them out; asking GX costs 11 ms a key, which the report would pay for every run kept)."""
    suite, run_name, run_time, batch = key.to_tuple()
    return Path(root) / SITE_DIR / "validations" / suite / run_name / run_time / f"{batch}.html"


def store_result(context, root: Path, result, render: bool = False) -> Path:
    """Keeps one suite run's result in the warehouse; returns the path of its page, which is rendered
    now when `render` (with the index), else by the next `render_pending`."""
    store, site = _names(context, root)
    key = _key(result)
    context.stores[store].set(key, result)
    if render:
        context.build_data_docs(site_names=[site], resource_identifiers=[key], build_index=True)
    return _page(root, key)


def render_pending(context, root: Path) -> Path | None:
    """Renders, in one build, the pages of the results kept but not yet rendered, and the index;
    None before any result was kept."""
    store, site = _names(context, root)
    keys = context.stores[store].list_keys()
    if not keys:
        return None
    pending = [k for k in keys if not _page(root, k).exists()]
    # With no page missing, the latest is rendered again: GX writes its index only along with pages.
    again = [max(keys, key=lambda k: k.run_id.run_time)]
    context.build_data_docs(site_names=[site], resource_identifiers=pending or again, build_index=True)
    return index_path(root)


@dataclass(frozen=True)
class SuiteRun:
    """One suite's latest run, as the report lists it: the Data Docs index needs JavaScript from a
    CDN to show its table, the report does not."""

    table: str
    batch: str | None
    run_time: str
    success: bool
    evaluated: int
    failed: int
    page: Path


def latest_runs(root: Path) -> list[SuiteRun]:
    """Each table's latest suite run kept in the warehouse at `root`, by table name."""
    # Chosen by path (SUITE-DIGEST/RUN_NAME/RUN_TIME/BATCH.json, the run time sortable as written), so
    # that only the chosen results are read: a warehouse keeps every run's.
    latest: dict[str, Path] = {}
    for path in (Path(root) / RESULTS_DIR).glob("*/*/*/*.json"):
        table = path.parts[-4].rsplit("-", 1)[0]  # suites are registered as NAME-DIGEST (ledger/quality.py)
        if table not in latest or path.parts[-2] > latest[table].parts[-2]:
            latest[table] = path
    runs = []
    for table, path in sorted(latest.items()):
        result = json.loads(path.read_text("utf-8"))
        run = result["meta"]["run_id"]
        relative = path.relative_to(Path(root) / RESULTS_DIR).with_suffix(".html")
        runs.append(
            SuiteRun(
                table=table,
                batch=None if run["run_name"] in (None, "__none__") else run["run_name"],
                run_time=run["run_time"],
                success=bool(result["success"]),
                evaluated=result["statistics"]["evaluated_expectations"],
                failed=result["statistics"]["unsuccessful_expectations"],
                page=Path(root) / SITE_DIR / "validations" / relative,
            )
        )
    return runs
