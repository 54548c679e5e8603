"""The analysts' report of the current publication: HTML and SVG charts under WAREHOUSE_DIR/report/.

Incidents of killing by corroboration, munitions by type, killed by victim group and by month
(one best toll per event, from the incidents view), the most-mentioned actors and a map of the
incidents (analysis/incident_map.py), all read through the catalog's views (read-only), so the
report shows exactly what analysts query. The page reads right to left in Arabic with the English
beside it; the charts' titles and labels are Arabic above their English (analysis/labels.py).
"""

from __future__ import annotations

import html
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from analysis.charts import bar_chart
from analysis.incident_map import MappedIncident, Place, draw_incident_map
from analysis.labels import label, phrase, two_lines
from ledger.data_docs import SuiteRun, latest_runs
from ledger.warehouse import Warehouse

# The incidents of killing, one per event, read once per report: four of the queries below need them.
# Each counts its best toll once, however many articles and outlets reported it; an incident whose
# tolls are all vague («عشرات») counts as an incident and adds no number.
_KILLED = """
    CREATE TEMP TABLE killed AS
    SELECT victim_group, location, event_date, best AS value, grade FROM incidents WHERE outcome = 'killed'"""
_QUERIES = {
    "munitions": """
        SELECT munition_type, sum(value) AS counted, count(*) AS mentions
        FROM munitions_figures GROUP BY munition_type ORDER BY counted DESC NULLS LAST, mentions DESC, munition_type""",
    "victims": """
        SELECT victim_group, coalesce(sum(value), 0) AS killed FROM killed GROUP BY victim_group
        ORDER BY killed DESC, victim_group""",
    "months": """
        SELECT strftime(date_trunc('month', event_date), '%Y-%m') AS month, coalesce(sum(value), 0) AS killed
        FROM killed WHERE event_date IS NOT NULL GROUP BY month ORDER BY month""",
    "actors": """
        SELECT name_ar, coalesce(name_en, name_ar) AS name, mentions, documents FROM entities
        WHERE entity_type = 'armed_group' ORDER BY mentions DESC, name LIMIT 15""",
    # The incidents of killing for the map, taken together by place, precision and grade (the place's
    # English name from the gazetteer): the map draws places, and over 20,000 articles reading its
    # 44,000 incidents one by one took 0.2 s.
    "incidents": """
        SELECT i.location, any_value(g.name_en), i.admin1, i.latitude, i.longitude, i.geo_precision,
               sum(i.best), i.grade, count(*)
        FROM incidents i LEFT JOIN gazetteer_entities g ON g.entity_id = i.location_id
        WHERE i.outcome = 'killed'
        GROUP BY i.location_id, i.location, i.admin1, i.latitude, i.longitude, i.geo_precision, i.grade""",
    # How many events rest on one outlet, on several that agree, or on tolls that disagree or are denied.
    "corroboration": """
        SELECT grade, count(*) AS incidents, coalesce(sum(value), 0) AS killed FROM killed
        GROUP BY grade ORDER BY incidents DESC, grade""",
    # The documents' and figures' counts are the run summary's (Warehouse.view_counts), counted once per catalog.
    "totals": """
        SELECT (SELECT count(*) FROM killed) AS incidents, (SELECT coalesce(sum(value), 0) FROM killed) AS killed""",
}


@dataclass
class Report:
    path: Path
    charts: list[Path] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    tables: dict[str, list[tuple]] = field(default_factory=dict)

    def markdown(self) -> str:
        lines = [
            f"**{self.totals.get('documents', 0)} documents, {self.totals.get('incidents', 0)} incidents of killing, "
            f"{self.totals.get('killed', 0)} killed (incidents), {self.totals.get('munitions_figures', 0)} munition figures**",
            "",
            "| grade | incidents | killed |",
            "|---|---|---|",
        ]
        lines += [f"| {g} | {n} | {k} |" for g, n, k in self.tables.get("corroboration", [])]
        lines += ["", "| munition type | counted | mentions |", "|---|---|---|"]
        lines += [f"| {t} | {c if c is not None else ''} | {m} |" for t, c, m in self.tables.get("munitions", [])[:10]]
        lines += ["", "| actor | mentions |", "|---|---|"]
        lines += [f"| {name} | {mentions} |" for _, name, mentions, _ in self.tables.get("actors", [])[:8]]
        lines += ["", f"Report: `{self.path}`"]
        return "\n".join(lines)


def _bar(path: Path, labels: list[list[str]], values: list[float], title: str, value_name: str, **options) -> str:
    """A bar chart of the report: its title and value axis named in Arabic and English."""
    return bar_chart(
        path,
        labels,
        values,
        two_lines(*phrase(title)),
        " / ".join(phrase(value_name)),
        empty=two_lines(*phrase("nothing_yet")),
        **options,
    )


def _both(ar: str, en: str) -> str:
    """Arabic with its English beside it, as HTML."""
    if ar == en:
        return html.escape(en)
    return f"{html.escape(ar)} <bdi class='en' lang='en' dir='ltr'>{html.escape(en)}</bdi>"


def _cell(value) -> str:
    return html.escape("" if value is None else str(value))


def _html_table(headers: list[str], rows: list[tuple], cells=None) -> str:
    """Headers are phrase names; `cells` turns a row into its cells' HTML (default: each value escaped)."""
    head = "".join(f"<th>{_both(*phrase(h))}</th>" for h in headers)
    cells = cells or (lambda row: [_cell(v) for v in row])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in cells(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _coded(vocabulary: str):
    """Table cells for rows whose first value is a code of `vocabulary`: its Arabic and English names."""
    return lambda row: [_both(*label(vocabulary, row[0]))] + [_cell(v) for v in row[1:]]


def _places_table(places: list[Place]) -> str:
    return _html_table(
        ["place", "governorate", "coordinates", "incidents", "killed"],
        places,
        lambda p: [
            _both(p.location, p.name_en or p.location),
            _cell(p.admin1),
            f"<span dir='ltr'>{p.latitude:.3f}, {p.longitude:.3f}</span>",
            _cell(p.incidents),
            _cell(p.killed),
        ],
    )


def _data_docs_section(runs: list[SuiteRun], index: Path | None, report_dir: Path) -> str:
    """Each table's latest suite run with its Data Docs page, and the Data Docs index."""

    def link(path: Path, text: str, anchor: str = "") -> str:
        href = html.escape(os.path.relpath(path, report_dir), quote=True)
        return f"<a {anchor}href='{href}'>{text}</a>"

    table = _html_table(
        ["table", "batch", "evaluated", "failed", "result", "page"],
        runs,
        lambda r: [
            _cell(r.table),
            _cell(r.batch),
            _cell(r.evaluated),
            _cell(r.failed),
            _both(*phrase("passed" if r.success else "not_passed")),
            link(r.page, "Data Docs", f"class='data-docs-page' data-table='{html.escape(r.table, quote=True)}' "),
        ],
    )
    if index is None:
        return table
    return table + "<p>" + link(index, _both(*phrase("data_docs_index")), "id='data-docs' ") + "</p>"


def _heading(name: str, level: int = 2) -> str:
    return f"<h{level}>{_both(*phrase(name))}</h{level}>"


def build_report(warehouse: Warehouse, data_docs: Path | None = None) -> Report:
    """Writes the report of the current publication; the previous one is replaced whole. It lists each
    table's latest suite run with its Great Expectations Data Docs page, and links `data_docs`, the
    index of the warehouse's Data Docs, when given."""
    with warehouse.connect_read_only() as con:
        con.execute(_KILLED)  # a temporary table: it lives in this connection's memory, never in the catalog
        tables = {name: con.execute(sql).fetchall() for name, sql in _QUERIES.items()}
        sequence = con.execute("SELECT sequence, published_at FROM publication").fetchone()
    totals = {**warehouse.view_counts(), **dict(zip(("incidents", "killed"), tables.pop("totals")[0]))}
    totals = {k: totals[k] for k in ("documents", "incidents", "casualty_figures", "munitions_figures", "killed")}
    final = warehouse.root / "report"
    building = warehouse.root / f".report.{uuid.uuid4().hex}.tmp"
    building.mkdir(parents=True)
    counted = [r for r in tables["munitions"] if r[1]]
    mapped = draw_incident_map(
        building / "incidents_map.svg", [MappedIncident(*row) for row in tables.pop("incidents")]
    )
    # Each section: its phrase, its chart (file name and inline SVG) or none, and its table.
    sections = [
        (
            "munitions",
            "munitions_by_type.svg",
            _bar(
                building / "munitions_by_type.svg",
                [two_lines(*label("munition_type", r[0])) for r in counted],
                [r[1] for r in counted],
                "munitions",
                "counted",
            ),
            _html_table(["munition_type", "counted", "mentions"], tables["munitions"], _coded("munition_type")),
        ),
        (
            "corroboration",
            None,
            None,
            _html_table(["grade", "incidents", "killed"], tables["corroboration"], _coded("grade")),
        ),
        (
            "victims",
            "killed_by_victim_group.svg",
            _bar(
                building / "killed_by_victim_group.svg",
                [two_lines(*label("victim_group", r[0])) for r in tables["victims"]],
                [r[1] for r in tables["victims"]],
                "victims",
                "killed",
            ),
            _html_table(["victim_group", "killed"], tables["victims"], _coded("victim_group")),
        ),
        (
            "months",
            "killed_by_month.svg",
            _bar(
                building / "killed_by_month.svg",
                [[r[0]] for r in tables["months"]],
                [r[1] for r in tables["months"]],
                "months",
                "killed",
                horizontal=False,
            ),
            _html_table(["month", "killed"], tables["months"]),
        ),
        (
            "actors",
            "actors_most_mentioned.svg",
            _bar(
                building / "actors_most_mentioned.svg",
                [two_lines(r[0], r[1]) for r in tables["actors"]],
                [r[2] for r in tables["actors"]],
                "actors",
                "mentions",
            ),
            _html_table(
                ["name", "mentions", "documents"],
                tables["actors"],
                lambda r: [_both(r[0], r[1]), _cell(r[2]), _cell(r[3])],
            ),
        ),
        (
            "map",
            mapped.path.name,
            mapped.svg,
            _places_table(mapped.places[:30])
            + _heading("outside", 3)
            + (_places_table(mapped.outside) if mapped.outside else "<p>—</p>")
            + f"<p>{_both(*phrase('unplaced'))}: {mapped.unplaced}</p>",
        ),
    ]
    tables["places"] = [
        (p.location, p.name_en, p.admin1, p.latitude, p.longitude, p.incidents, p.killed) for p in mapped.places
    ]
    title_ar, title_en = phrase("title")
    runs = latest_runs(warehouse.root)
    if runs:
        sections.append(("data_docs", None, None, _data_docs_section(runs, data_docs, final)))
    page = "\n".join(
        [
            "<!doctype html><html lang='ar' dir='rtl'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title_ar)} · {html.escape(title_en)}</title>"
            "<style>body{font-family:'Noto Naskh Arabic','DejaVu Sans',sans-serif;margin:2em;max-width:1000px}"
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px}td{white-space:nowrap}"
            "svg{max-width:100%;height:auto;direction:ltr}figure{margin:0}.en{color:#555;font-size:.85em;margin-inline-start:.6em}"
            "p.en-block{direction:ltr;text-align:left;color:#555}</style></head><body>",
            f"<h1>{_both(title_ar, title_en)}</h1>",
            f"<p class='en-block' lang='en'>Publication {sequence[0]} of {html.escape(str(sequence[1]))}: {totals['documents']} documents, "
            f"{totals['casualty_figures']} casualty figures, {totals['munitions_figures']} munition figures, "
            f"{totals['incidents']} incidents of killing, {totals['killed']} killed: each event's best toll counted once, "
            f"never an article's or a breakdown (view incidents).</p>",
        ]
        + [
            f"<section id='{name}'>{_heading(name)}"
            + (f"<figure>{svg}<figcaption><a href='{image}'>SVG</a></figcaption></figure>" if svg else "")
            + f"{table}</section>"
            for name, image, svg, table in sections
        ]
        + ["</body></html>"]
    )
    (building / "index.html").write_text(page, encoding="utf-8")
    # Swap the whole folder: a reader never sees a half-written report.
    if final.exists():
        retired = warehouse.root / f".report.{uuid.uuid4().hex}.old.tmp"
        os.replace(final, retired)
        os.replace(building, final)
        shutil.rmtree(retired)
    else:
        os.replace(building, final)
    return Report(final / "index.html", [final / image for _, image, _, _ in sections if image], totals, tables)
