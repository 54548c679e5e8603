"""The analysts' report of the current publication: HTML and PNG charts under WAREHOUSE_DIR/report/.

Incidents of killing by corroboration, munitions by type, killed by victim group and by month
(one best toll per event, from the incidents view), the most-mentioned actors and a map
of the places mentioned sized by killed, all read through the catalog's views (read-only), so the
report shows exactly what analysts query. Chart labels are English (matplotlib does not shape
Arabic); the HTML tables carry the Arabic names.
"""

from __future__ import annotations

import html
import os
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

from ledger.warehouse import Warehouse  # noqa: E402

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
    # Mentions per place from entity_mentions rather than the entities view: the view also counts each
    # entity's distinct documents, which the map does not show and which is most of its cost. Over
    # 100,000 articles this query took 1.07 s through the view and takes 0.13 s so (with the killed
    # table). A place with coordinates is a gazetteer entity.
    "places": """
        SELECT g.name_ar, coalesce(g.name_en, g.name_ar) AS name, g.latitude, g.longitude, m.mentions,
               coalesce(k.killed, 0) AS killed
        FROM (SELECT entity_id, count(*) AS mentions FROM entity_mentions WHERE entity_type = 'location'
              GROUP BY entity_id) m
        JOIN gazetteer_entities g USING (entity_id)
        LEFT JOIN (SELECT location, sum(value) AS killed FROM killed GROUP BY location) k ON k.location = g.name_ar
        WHERE g.latitude IS NOT NULL AND g.place_type IS DISTINCT FROM 'country'
        ORDER BY killed DESC, m.mentions DESC, name""",
    # How many events rest on one outlet, on several that agree, or on tolls that disagree or are denied.
    "corroboration": """
        SELECT grade, count(*) AS incidents, coalesce(sum(value), 0) AS killed FROM killed
        GROUP BY grade ORDER BY incidents DESC, grade""",
    "totals": """
        SELECT (SELECT count(*) FROM documents) AS documents,
               (SELECT count(*) FROM killed) AS incidents,
               (SELECT count(*) FROM casualty_figures) AS casualty_figures,
               (SELECT count(*) FROM munitions_figures) AS munitions_figures,
               (SELECT coalesce(sum(value), 0) FROM killed) AS killed""",
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


def _bar(path: Path, labels: list[str], values: list[float], title: str, horizontal: bool = False) -> Path:
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color="#8c2d04")
    else:
        ax.bar(labels, values, color="#8c2d04")
        ax.tick_params(axis="x", labelrotation=45)
        plt.setp(ax.get_xticklabels(), ha="right")
    ax.set_title(title)
    if not labels:
        ax.text(0.5, 0.5, "nothing published yet", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _map(path: Path, places: list[tuple]) -> Path:
    fig, ax = plt.subplots(figsize=(7, 6), dpi=100)
    syria = [p for p in places if 32 <= p[2] <= 37.5 and 35.5 <= p[3] <= 42.5]  # the map frame: Syria
    if syria:
        ax.scatter(
            [p[3] for p in syria],
            [p[2] for p in syria],
            s=[12 + 6 * (p[5] ** 0.75) for p in syria],
            c=["#b30000" if p[5] else "#777777" for p in syria],
            alpha=0.55,
            edgecolors="black",
            linewidths=0.3,
        )
        for _, name, lat, lon, _, _ in syria[:12]:
            ax.annotate(name, (lon, lat), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xlim(35.5, 42.5)
    ax.set_ylim(32, 37.5)
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Places mentioned (red: sized by killed)")
    ax.set_aspect("equal")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def _html_table(headers: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def build_report(warehouse: Warehouse) -> Report:
    """Writes the report of the current publication; the previous one is replaced whole."""
    with warehouse.connect_read_only() as con:
        con.execute(_KILLED)  # a temporary table: it lives in this connection's memory, never in the catalog
        tables = {name: con.execute(sql).fetchall() for name, sql in _QUERIES.items()}
        sequence = con.execute("SELECT sequence, published_at FROM publication").fetchone()
    totals = dict(
        zip(("documents", "incidents", "casualty_figures", "munitions_figures", "killed"), tables.pop("totals")[0])
    )
    final = warehouse.root / "report"
    building = warehouse.root / f".report.{uuid.uuid4().hex}.tmp"
    building.mkdir(parents=True)
    charts = [
        _bar(
            building / "munitions_by_type.png",
            [r[0] for r in tables["munitions"] if r[1]],
            [r[1] for r in tables["munitions"] if r[1]],
            "Munitions counted, by type",
        ),
        _bar(
            building / "killed_by_victim_group.png",
            [r[0] for r in tables["victims"]],
            [r[1] for r in tables["victims"]],
            "Killed by victim group (incidents)",
        ),
        _bar(
            building / "killed_by_month.png",
            [r[0] for r in tables["months"]],
            [r[1] for r in tables["months"]],
            "Killed by month (incidents)",
        ),
        _bar(
            building / "actors_most_mentioned.png",
            [r[1] for r in tables["actors"]],
            [r[2] for r in tables["actors"]],
            "Most-mentioned armed groups",
            horizontal=True,
        ),
        _map(building / "places_map.png", tables["places"]),
    ]
    sections = [
        (
            "Munitions by type",
            "munitions_by_type.png",
            _html_table(["munition_type", "counted", "mentions"], tables["munitions"]),
        ),
        (
            "Incidents of killing by corroboration",
            None,
            _html_table(["grade", "incidents", "killed"], tables["corroboration"]),
        ),
        (
            "Killed by victim group",
            "killed_by_victim_group.png",
            _html_table(["victim_group", "killed"], tables["victims"]),
        ),
        ("Killed by month", "killed_by_month.png", _html_table(["month", "killed"], tables["months"])),
        (
            "Most-mentioned armed groups",
            "actors_most_mentioned.png",
            _html_table(["name_ar", "name", "mentions", "documents"], tables["actors"]),
        ),
        (
            "Places mentioned, sized by killed",
            "places_map.png",
            _html_table(["name_ar", "name", "latitude", "longitude", "mentions", "killed"], tables["places"][:30]),
        ),
    ]
    page = "\n".join(
        [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Conflict Ledger report</title>"
            "<style>body{font-family:sans-serif;margin:2em;max-width:1000px}table{border-collapse:collapse;margin:1em 0}"
            "td,th{border:1px solid #ccc;padding:2px 8px}img{max-width:100%}</style></head><body>",
            "<h1>Conflict Ledger report</h1>",
            f"<p>Publication {sequence[0]} of {html.escape(str(sequence[1]))}: {totals['documents']} documents, "
            f"{totals['casualty_figures']} casualty figures, {totals['munitions_figures']} munition figures, "
            f"{totals['incidents']} incidents of killing, {totals['killed']} killed: each event's best toll counted once, "
            f"never an article's or a breakdown (view incidents).</p>",
        ]
        + [
            f"<h2>{title}</h2>" + (f"<img src='{image}' alt='{title}'>" if image else "") + table
            for title, image, table in sections
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
    return Report(final / "index.html", [final / c.name for c in charts], totals, tables)
