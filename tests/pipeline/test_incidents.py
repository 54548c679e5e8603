"""Incidents across outlets on our own mini-corpus (tests/data/incidents/README.md): one row per event,
the right date, place, tolls and grade, and an id kept when a later delivery reports the same event."""

import json
import shutil
from datetime import date

from ledger.settings import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "tests" / "data" / "incidents"
SEEDS = PROJECT_ROOT / "seeds"
INCIDENT_PARTS = ("incidents", "incident_figures", "incident_revisions")
COLUMNS = (
    "event_date, time_precision, location, admin1, geo_precision, low, high, best, documents, grade, sub_event_type"
)


def _deliver(ledger, folder: str) -> None:
    for path in (CORPUS / folder).glob("*.txt"):
        shutil.copy(path, ledger.inbox / path.name)
    assert ledger.run().ok


def test_one_incident_per_event_and_its_id_survives_a_later_delivery(ledger):
    for seed in ledger.inbox.glob("*.txt"):
        seed.unlink()
    _deliver(ledger, "first_delivery")
    incidents = ledger.query(f"SELECT incident_id, {COLUMNS} FROM incidents ORDER BY event_date, location")
    market, kafranbel, week_later = [row[1:] for row in incidents]
    monday = date(2020, 1, 13)
    # Four outlets, four names for the place, one strike; SANA's denial makes it contested.
    assert market == (monday, 1, "سوق الهال", "Idlib", 1, 12, 14, 14, 4, "contested", "Air/drone strike")
    assert kafranbel == (
        monday,
        1,
        "كفرنبل",
        "Idlib",
        1,
        3,
        3,
        3,
        1,
        "single_source",
        "Shelling/artillery/missile attack",
    )
    assert week_later == (
        date(2020, 1, 20),
        1,
        "معرة النعمان",
        "Idlib",
        1,
        5,
        5,
        5,
        1,
        "single_source",
        "Air/drone strike",
    )
    market_id = incidents[0][0]
    # The week-later report names its weapon in the title only: the incident still knows it.
    assert ledger.query("SELECT munitions FROM incidents ORDER BY event_date, location") == [
        (["airstrike"],),
        (["artillery_shell"],),
        (["airstrike"],),
    ]
    assert ledger.query("SELECT count(*) FROM incident_figures WHERE incident_id = ?", [market_id]) == [(4,)]
    # The regime's aircraft and artillery; «غارة جوية روسية» names the Russian forces by an adjective only.
    assert ledger.query("SELECT actor1, perpetrators FROM incidents ORDER BY event_date, location") == [
        ("Military Forces of Syria", ["Military Forces of Syria"]),
        ("Military Forces of Syria", ["Military Forces of Syria"]),
        ("Military Forces of Russia", ["Military Forces of Russia"]),
    ]
    # «قوات النظام» and «النظام السوري» are one actor, not two armed groups.
    assert ledger.query(
        "SELECT actor, actor_category FROM actors WHERE list_contains(aliases, 'قوات النظام')"
        " OR list_contains(aliases, 'النظام السوري')"
    ) == [("Military Forces of Syria", "State forces")]
    # ACLED's export: one row per incident, the best toll with the stated range beside it.
    assert ledger.query(
        "SELECT fatalities, fatalities_low, fatalities_high, interaction, civilian_targeting, grade"
        " FROM acled_export WHERE incident_id = ?",
        [market_id],
    ) == [(14, 12, 14, 17, "Civilian targeting", "contested")]
    assert ledger.query("SELECT count(*) FROM acled_export") == [(3,)]
    # The Kafranbel report names its three dead.
    assert ledger.query(
        "SELECT v.name, v.sex, v.age, v.age_class FROM victims v JOIN incident_figures f USING (figure_id)"
        " JOIN incidents i USING (incident_id) WHERE i.location = 'كفرنبل' ORDER BY v.char_start"
    ) == [
        ("أحمد الخطيب", None, 40, "adult"),
        ("سارة الخطيب", "female", None, "child"),
        ("محمود العبد الله", None, None, None),
    ]

    _deliver(ledger, "second_delivery")
    assert ledger.query("SELECT count(*) FROM incidents") == [(3,)]
    assert ledger.query("SELECT low, high, best, documents FROM incidents WHERE incident_id = ?", [market_id]) == [
        (12, 16, 16, 5)
    ]
    [(changed, detail, added)] = ledger.query(
        "SELECT changed, detail, documents_added FROM incident_revisions WHERE incident_id = ? AND publication ="
        " (SELECT max(publication) FROM incident_revisions)",
        [market_id],
    )
    assert changed == ["members", "best", "high"] and detail == "members 4 → 5; best 14 → 16; high 14 → 16"
    assert len(added) == 1
    # Every incident traces to its figures, and through them to sentences.
    assert ledger.query(
        "SELECT count(*) FROM incident_figures f LEFT JOIN casualty_figures c USING (figure_id)"
        " WHERE c.evidence IS NULL"
    ) == [(0,)]

    # A delivery about other events writes only its own batch's incidents: the earlier batches' partitions,
    # untouched, stay the files they were, and the views show them beside the new ones.
    warehouse = ledger.storage.warehouse
    before = warehouse.current_publication()
    earlier = {b: {t: paths[t] for t in INCIDENT_PARTS if t in paths} for b, paths in before.batches.items()}
    summed_up = "SELECT incident_id, best, low, high, figures, grade FROM incidents ORDER BY incident_id"
    incidents_before = ledger.query(summed_up)
    shutil.copy(SEEDS / "000_c5fbdeb155b57784.txt", ledger.inbox)
    assert ledger.run().ok
    after = warehouse.current_publication()
    [new_batch] = set(after.batches) - set(before.batches)
    assert {b: {t: after.batches[b].get(t) for t in files} for b, files in earlier.items()} == earlier
    assert set(INCIDENT_PARTS) <= set(after.batches[new_batch]) and not set(INCIDENT_PARTS) & set(after.tables)
    incidents_after = ledger.query(summed_up)
    assert len(incidents_after) > len(incidents_before) and set(incidents_before) <= set(incidents_after)
    assert ledger.query("SELECT count(DISTINCT publication) FROM incident_revisions") == [(3,)]


def test_a_failing_incident_suite_holds_the_whole_batch_back(ledger):
    """The incidents are audited before the batch that changes them is promoted: a failure keeps the previous
    publication whole (documents, figures and incidents alike), and the next run retries the batch."""
    for seed in ledger.inbox.glob("*.txt"):
        seed.unlink()
    _deliver(ledger, "first_delivery")
    incidents_before = ledger.query(f"SELECT incident_id, {COLUMNS} FROM incidents ORDER BY incident_id")
    # An analyst decides no incident may have a stated toll over 15: SMART's restated 16 breaks it.
    suite_path = ledger.storage.expectations / "incidents.json"
    suite = json.loads(suite_path.read_text("utf-8"))
    suite["expectations"].append(
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "high", "max_value": 15}}
    )
    suite_path.write_text(json.dumps(suite), encoding="utf-8")
    for path in (CORPUS / "second_delivery").glob("*.txt"):
        shutil.copy(path, ledger.inbox / path.name)
    catalog_before = ledger.storage.warehouse.catalog_path.stat().st_ino

    summary = ledger.run()

    assert not summary.ok
    [batch] = summary.batches
    assert not batch.published
    assert any("incidents" in f and "expect_column_values_to_be_between(high)" in f for f in batch.checks_failed)
    assert ledger.storage.warehouse.catalog_path.stat().st_ino == catalog_before
    assert ledger.query("SELECT count(*) FROM documents WHERE source_name = '07_smart_restated.txt'") == [(0,)]
    assert ledger.query("SELECT count(*) FROM casualty_figures") == [(6,)]
    assert ledger.query(f"SELECT incident_id, {COLUMNS} FROM incidents ORDER BY incident_id") == incidents_before
    assert not ledger.storage.warehouse.staged_path("incidents").exists()

    shutil.copy(PROJECT_ROOT / "expectations" / "incidents.json", suite_path)
    retry = ledger.run()
    assert retry.ok and [b.batch for b in retry.batches] == [batch.batch]
    assert ledger.query("SELECT count(*) FROM documents WHERE source_name = '07_smart_restated.txt'") == [(1,)]
    assert ledger.query("SELECT count(*), max(high) FROM incidents") == [(3, 16)]
    # The incidents are published with the batch: one publication holds both.
    assert ledger.query(
        "SELECT DISTINCT r.publication = p.sequence FROM incident_revisions r, publication p"
        " WHERE r.publication = (SELECT max(publication) FROM incident_revisions)"
    ) == [(True,)]


def test_a_village_at_its_towns_coordinates_nests_in_that_town_only():
    from ledger.incidents import Member, _places_nest

    def member(location_id, place_id, precision, anchor_type, within=()):
        return Member(
            {
                "location_id": location_id,
                "place_id": place_id,
                "within_ids": list(within),
                "geo_precision": precision,
                "admin1": "Idlib",
                "anchor_type": anchor_type,
            }
        )

    kafranbel = member("place:geonames:168661", "place:geonames:168661", 1, "town")
    village_near_kafranbel = member("pattern:location:x", "place:geonames:168661", 2, "town", ["place:geonames:168661"])
    maarat = member("place:geonames:167611", "place:geonames:167611", 1, "city")
    southern_countryside = member("place:rif:idlib:southern", "place:rif:idlib:southern", 2, "region")
    assert _places_nest(village_near_kafranbel, kafranbel)
    assert not _places_nest(village_near_kafranbel, maarat)  # another town of the governorate
    assert _places_nest(southern_countryside, maarat) and _places_nest(southern_countryside, village_near_kafranbel)
