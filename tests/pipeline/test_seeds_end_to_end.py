"""The whole graph on the seeds, into a temporary warehouse, read back through the analysts' views."""

import sys

import pytest

from assets import checks
from ledger.quality import validator_process

SEED_002 = "002_ccd135a118f501bf.txt"


def test_first_run_publishes_every_seed(seeded):
    summary = seeded.first_summary
    assert summary.ok, summary.lines()
    assert (summary.plan.new, summary.plan.changed, summary.plan.deleted) == (5, 0, 0)
    assert summary.batches[0].checks_failed == []
    assert seeded.query("SELECT count(*) FROM documents") == [(5,)]
    assert seeded.query("SELECT count(*) FROM rejected_documents") == [(0,)]


def test_each_check_takes_the_suite_its_stage_began(ledger, monkeypatch):
    # With a validator process (as `make run` has), a stage's step begins its tables' suites there; a
    # check that did not find its own would start it again.
    started = []  # (table, the function that started its suite)
    start = checks._start_suite

    def recorded(table, *rest):
        started.append((table.name, sys._getframe(1).f_code.co_name))
        return start(table, *rest)

    monkeypatch.setattr(checks, "_start_suite", recorded)
    with validator_process(ledger.storage.expectations):
        summary = ledger.run()
    assert summary.ok, summary.lines()
    tables = [table for table, _ in started]
    assert len(tables) == len(set(tables)) and {"entity_mentions", "casualty_figures"} <= set(tables)
    # Only the gazetteer's check, whose asset is no stage, started its own.
    assert [table for table, caller in started if caller != "begin_suite"] == ["gazetteer_entities"]
    assert checks._begun == {}


def test_killed_toll_with_its_breakdown(seeded):
    rows = seeded.query(
        "SELECT c.victim_group, c.value, c.qualifier, p.value AS parent_value"
        " FROM casualty_figures c JOIN documents d USING (doc_id)"
        " LEFT JOIN casualty_figures p ON p.figure_id = c.parent_figure_id"
        " WHERE d.source_name = ? AND c.outcome = 'killed' ORDER BY c.value DESC",
        [SEED_002],
    )
    assert rows == [("total", 1945, "exact", None), ("children", 385, "exact", 1945), ("women", 285, "exact", 1945)]


@pytest.mark.parametrize(
    ("munition_type", "value"),
    [
        ("airstrike", 6580),
        ("barrel_bomb", 2750),
        ("surface_to_surface_missile", 1450),
        ("cluster_munition", 300),
        ("napalm", 250),
        ("white_phosphorus", 185),
        ("rocket_launcher", 3350),
        ("artillery_shell", 5850),
        ("chlorine_attack", 11),
    ],
)
def test_munition_counts(seeded, munition_type, value):
    rows = seeded.query(
        "SELECT m.value, m.period_start, m.period_end FROM munitions_figures m JOIN documents d USING (doc_id)"
        " WHERE d.source_name = ? AND m.munition_type = ? AND m.value IS NOT NULL",
        [SEED_002, munition_type],
    )
    assert [r[0] for r in rows] == [value]
    assert str(rows[0][1]) == "2018-02-19" and str(rows[0][2]) == "2018-03-23"


def test_no_furniture_number_becomes_a_figure(seeded):
    # COVID counts of the sidebar and ticker, view counts and times.
    furniture = [150000, 150, 3, 1210, 1327, 12, 66, 65, 1125, 7, 11]
    rows = seeded.query("SELECT value, evidence FROM casualty_figures WHERE value IN (SELECT unnest(?))", [furniture])
    assert rows == []
    assert seeded.query("SELECT count(*) FROM documents WHERE body LIKE '%كورونا%' OR body LIKE '%مشاهدة%'") == [(0,)]


def test_every_figure_traces_to_its_sentence(seeded):
    for table in ("casualty_figures", "munitions_figures", "entity_mentions"):
        mismatched = seeded.query(
            f"SELECT count(*) FROM {table} t JOIN documents d USING (doc_id)"  # table names from a fixed list
            " WHERE substr(d.body, t.char_start + 1, t.char_end - t.char_start) <> t.surface"
        )
        assert mismatched == [(0,)], table
    assert seeded.query(
        "SELECT count(*) FROM casualty_figures c JOIN documents d USING (doc_id)"
        " WHERE substr(d.body, c.evidence_start + 1, c.evidence_end - c.evidence_start) <> c.evidence"
    ) == [(0,)]


def test_contract_columns_exist(seeded):
    contract = {
        "documents": "doc_id, source_name, title, outlet, url, published_date, body, batch",
        "entity_mentions": "doc_id, entity_id, entity_type, surface, name_ar, name_en, char_start, char_end",
        "entities": "entity_id, entity_type, name_ar, name_en, aliases, latitude, longitude",
        "casualty_figures": "figure_id, doc_id, outcome, victim_group, value, value_low, value_high, qualifier, "
        "parent_figure_id, location, perpetrator, claimant, period_start, period_end, disputed, evidence, char_start, char_end",
        "munitions_figures": "figure_id, doc_id, munition_type, value, value_low, value_high, qualifier, unit, location, "
        "perpetrator, period_start, period_end, evidence, char_start, char_end",
        "rejected_documents": "source_name, sha256, reason, seen_at",
    }
    for view, columns in contract.items():
        present = {r[0] for r in seeded.query("SELECT column_name FROM (DESCRIBE SELECT * FROM " + view + ")")}
        assert set(columns.split(", ")) <= present, view


def test_places_mentioned_have_coordinates(seeded):
    total, located = seeded.query(
        "SELECT count(*), count(latitude) FROM entities WHERE entity_type = 'location' AND NOT from_pattern"
    )[0]
    assert total > 10 and located == total


def test_second_run_with_nothing_new_processes_nothing(seeded):
    lake_files = sorted(p.name for p in seeded.storage.warehouse.root.glob("lake/*/*/*.parquet"))
    summary = seeded.run()
    assert summary.plan.empty and summary.plan.unchanged == 5
    assert summary.batches == []
    assert sorted(p.name for p in seeded.storage.warehouse.root.glob("lake/*/*/*.parquet")) == lake_files


def test_places_lie_in_their_district_and_munitions_where_their_places_lie(seeded):
    assert seeded.query("SELECT DISTINCT admin2, geo_precision FROM entity_mentions WHERE name_ar = 'دمشق'") == [
        ("Damascus", 1)
    ]
    # the seeds' one place found from context is a base named from afar: nothing places it
    assert seeded.query(
        "SELECT count(*), count(latitude) FROM entities WHERE entity_type = 'location' AND from_pattern"
    ) == [(1, 0)]
    placed = seeded.query(
        "SELECT f.location, p.place_id, p.geo_precision FROM munitions_figures f"
        " LEFT JOIN munition_places p USING (figure_id) WHERE f.location IS NOT NULL"
    )
    assert placed and all(place_id for _, place_id, _ in placed)
    # a town is placed at itself, a region (the campaign totals of Eastern Ghouta) at a part of a region
    assert {precision for location, _, precision in placed if location == "دوما"} == {1}
    assert {precision for location, _, precision in placed if location == "الغوطة الشرقية"} == {2}
