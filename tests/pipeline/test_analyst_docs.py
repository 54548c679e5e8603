"""docs/analysts.md stays true: every example query runs on a real warehouse, every view column is documented."""

import re
from pathlib import Path

import dagster as dg

from analysis.report import build_report
from ledger.settings import PROJECT_ROOT

GUIDE = (PROJECT_ROOT / "docs" / "analysts.md").read_text("utf-8")
QUERIES = re.findall(r"```sql\n(.*?)```", GUIDE, flags=re.S)
VIEWS = [
    "documents",
    "casualty_figures",
    "munitions_figures",
    "entity_mentions",
    "entities",
    "casualty_totals",
    "acled_export",
    "figure_events",
    "victims",
    "actors",
    "incidents",
    "incident_figures",
    "incident_revisions",
    "rejected_documents",
    "quarantined_documents",
    "source_files",
]


def test_the_guide_has_at_least_ten_queries_and_they_all_run(seeded):
    assert len(QUERIES) >= 10
    for query in QUERIES:
        seeded.query(query)  # raises on any error


def test_the_guide_traces_figures_to_their_sentences(seeded):
    [trace] = [q for q in QUERIES if "surface_matches" in q]
    rows = seeded.query(trace)
    assert rows and all(r[-1] and r[-2] for r in rows)


def test_every_view_column_is_documented(seeded):
    for view in VIEWS:
        columns = [
            r[0] for r in seeded.query(f"SELECT column_name FROM (DESCRIBE SELECT * FROM {view})")
        ]  # fixed names
        missing = [c for c in columns if f"`{c}`" not in GUIDE and not re.search(rf"\b{c}\b", GUIDE)]
        assert missing == [], view


def test_sums_over_casualty_totals_never_add_breakdowns(seeded):
    # The seeds' 1945 killed include 285 women and 385 children: the total killed is 1945 + 250, not 2615 + 250.
    assert seeded.query("SELECT sum(value) FROM casualty_totals WHERE outcome = 'killed'") == [(1945 + 250,)]
    assert seeded.query("SELECT fatalities FROM acled_export ORDER BY fatalities DESC") == [(1945,), (250,)]


def test_the_report_is_written_after_publication(seeded):
    report = seeded.storage.warehouse.root / "report"
    assert (report / "index.html").exists()
    assert {p.name for p in report.glob("*.svg")} == {
        "munitions_by_type.svg",
        "killed_by_victim_group.svg",
        "killed_by_month.svg",
        "actors_most_mentioned.svg",
        "incidents_map.svg",
    }
    page = (report / "index.html").read_text("utf-8")
    assert "غارة جوية" in page and "air strike" in page and "جيش الإسلام" in page
    # The report asset's metadata in the UI links the Data Docs index, which the report step rendered.
    event = seeded.instance.get_latest_materialization_event(dg.AssetKey("report"))
    index = Path(event.asset_materialization.metadata["data_docs"].value)
    assert index == seeded.storage.warehouse.root / "data_docs" / "index.html" and index.exists()


def test_the_reports_tables_agree_with_the_views(seeded):
    report = build_report(seeded.storage.warehouse)
    killed_by_place = {
        (lat, lon): (incidents, killed)
        for lat, lon, incidents, killed in seeded.query(
            "SELECT latitude, longitude, count(*), coalesce(sum(best), 0) FROM incidents"
            " WHERE outcome = 'killed' AND latitude IS NOT NULL GROUP BY ALL"
        )
    }
    places = {(lat, lon): (incidents, killed) for _, _, _, lat, lon, incidents, killed in report.tables["places"]}
    assert places and places == killed_by_place  # the seeds' incidents all lie inside the map's frame
    assert sum(killed for _, killed in report.tables["victims"]) == report.totals["killed"] == 1945 + 250
    # Three incidents of killing, one of them with only a vague toll (no number to add).
    assert report.tables["corroboration"] == [("single_source", 3, 1945 + 250)] and report.totals["incidents"] == 3
