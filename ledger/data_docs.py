"""Great Expectations Data Docs of a warehouse: every suite run's page, and their index.

Each validation result is kept as JSON under WAREHOUSE_DIR/validation_results/ (a GX filesystem
validation results store) and rendered by GX's own SiteBuilder into WAREHOUSE_DIR/data_docs/
(a filesystem Data Docs site): one page per suite run, listing every expectation, its result and
its failing rows, and an index of the latest runs. Nothing is fetched, and the pages open offline: GX's
templates load jQuery, Bootstrap, bootstrap-table and the like from CDNs (the index draws its table with
them), and no GX setting changes that (its custom views only add templates, after its own), so after each
build the pages it wrote are pointed at copies vendored in ledger/data/data_docs_static/ (`OFFLINE`).

A run names its batch (the run name), so a page is found by batch and table. Rendering is the
cost: GX compiles its page templates afresh for each build, about 0.15 s a page. So a suite run only
stores its result and knows where its page will be; the report renders the pages still missing and
the index in one build, once per run (1 s for a run's dozen suites instead of 2 s). A failing run,
whose batch gets no report, renders its page and the index at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

SITE_DIR = "data_docs"
RESULTS_DIR = "validation_results"
INDEX_RUNS = 200  # the index lists this many latest suite runs; older pages stay on disk
VENDORED = Path(__file__).parent / "data" / "data_docs_static"  # copied into the site's static/

# Every CDN resource GX 1.x's pages load, and what stands in for it under the site's static/ folder
# (the vendored files, or GX's own logo); None drops the resource. A GX upgrade that adds one leaves
# it pointing at its CDN, which the browser test finds.
OFFLINE: dict[str, str | None] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "vendor/jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "vendor/popper.js/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "vendor/bootstrap/js/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "vendor/bootstrap/css/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "vendor/bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "vendor/bootstrap-table/bootstrap-table.min.css",
    # GX asks for 1.19.0's filter-control style sheet beside 1.19.1's scripts; 1.19.1's stands in.
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "vendor/bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "vendor/bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "vendor/bootstrap-table/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "vendor/bootstrap-datepicker/js/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "vendor/bootstrap-datepicker/css/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "vendor/fontawesome/css/all.min.css",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "vendor/bootstrap-dark/bootstrap-prefers-dark.min.css"
    ),
    # GX's own logo ships in static/images; the dark theme's is drawn with it too.
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png": "images/logo-long.png",
    "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png": "images/logo-long.png",
    # Charts, which only expectations that none of expectations/ uses draw (1 MB of scripts).
    "https://cdn.jsdelivr.net/npm/vega@5": None,
    "https://cdn.jsdelivr.net/npm/vega-lite@5": None,
    "https://cdn.jsdelivr.net/npm/vega-embed@6": None,
}
# Each pattern starts with a literal, which the regex engine looks for fast: 4 ms over the 12 pages of
# a seeds run, where patterns starting with a class of characters took 20 ms.
# A URL in a page or style sheet, its query apart (the logo's carries the build time).
_URL = re.compile(r"""(https?://[^"'?\s)]+)(?:\?[^"'\s)]*)?""")
_DROPPED_SCRIPT = re.compile(r'<script src="(https?://[^"]+)"></script>\n?')
# Subresource integrity and CORS mode suit a CDN; a file:// page loading with them is refused.
_CDN_ATTRIBUTES = re.compile(r' (?:integrity|crossorigin)="[^"]*"')
# A link to the site's static/ folder: GX's validation pages climb one folder too few to it.
_STATIC_LINK = re.compile(r'href="(?:\.\.?/)*static/')
_GX_STYLES = Path("static") / "styles" / "data_docs_default_styles.css"


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
        _build(context, root, site, [key])
    return _page(root, key)


def render_pending(context, root: Path) -> Path | None:
    """Renders, in one build, the pages of the results kept but not yet rendered, and the index;
    None before any result was kept."""
    store, site = _names(context, root)
    # GX renders pages of the INDEX_RUNS latest runs only, whatever keys it is given: a run that kept
    # more results than that (a first run over a large inbox: batches x suites) leaves its oldest unrendered.
    keys = sorted(context.stores[store].list_keys(), key=lambda k: k.run_id.run_time, reverse=True)[:INDEX_RUNS]
    if not keys:
        return None
    pending = [k for k in keys if not _page(root, k).exists()]
    # With no page missing, the latest is rendered again: GX writes its index only along with pages.
    again = keys[:1]
    _build(context, root, site, pending or again)
    return index_path(root)


def _build(context, root: Path, site: str, keys: list) -> None:
    """Renders the pages of `keys` and the index, and makes them open offline."""
    context.build_data_docs(site_names=[site], resource_identifiers=keys, build_index=True)
    site_dir = Path(root) / SITE_DIR
    _vendor(site_dir)
    # GX copies its static files afresh at each build, its style sheet among them.
    for path in [site_dir / "index.html", site_dir / _GX_STYLES, *(_page(root, k) for k in keys)]:
        static = Path(os.path.relpath(site_dir / "static", path.parent)).as_posix()
        path.write_text(offline(path.read_text("utf-8"), static), "utf-8")


def offline(text: str, static: str) -> str:
    """A page or style sheet of the site, each resource of `OFFLINE` in it loaded from `static` (the site's
    static/ folder, relative to the file) or dropped; other URLs (links to GX's site) are left."""
    text = _DROPPED_SCRIPT.sub(lambda m: "" if m[1] in OFFLINE and OFFLINE[m[1]] is None else m[0], text)
    text = _CDN_ATTRIBUTES.sub("", text)
    text = _STATIC_LINK.sub(lambda _: f'href="{static}/', text)
    return _URL.sub(lambda m: f"{static}/{OFFLINE[m[1]]}" if OFFLINE.get(m[1]) else m[0], text)


def _vendor(site_dir: Path) -> None:
    """Copies the vendored files into the site's static/ folder, once (again if one changed in size)."""
    for source in (VENDORED / "vendor").rglob("*"):
        target = site_dir / "static" / source.relative_to(VENDORED)
        if source.is_file() and (not target.exists() or target.stat().st_size != source.stat().st_size):
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


@dataclass(frozen=True)
class SuiteRun:
    """One suite's latest run, as the report lists it beside its link to the Data Docs index (which
    draws its table with JavaScript)."""

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
