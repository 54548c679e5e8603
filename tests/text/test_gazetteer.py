import csv
import pathlib

from conflict_text.gazetteer import DATA_DIR, load_gazetteer, read_gazetteer

TYPES = {"armed_group", "person", "location", "organisation", "media"}


def test_loaded_once_and_versioned():
    g = load_gazetteer()
    assert g is load_gazetteer()
    assert isinstance(g.version, str) and len(g.version) >= 8
    assert read_gazetteer(DATA_DIR).version == g.version


def test_entity_rows_have_the_contract_columns():
    rows = load_gazetteer().entities()
    cols = {
        "entity_id",
        "entity_type",
        "name_ar",
        "name_en",
        "aliases",
        "latitude",
        "longitude",
        "governorate",
        "parent_id",
        "actor_type",
        "role",
    }
    ids = set()
    for r in rows:
        assert cols <= r.keys()
        assert r["entity_type"] in TYPES and r["name_ar"] and isinstance(r["aliases"], list)
        assert r["entity_id"] not in ids
        ids.add(r["entity_id"])


def test_places_have_coordinates_in_range():
    for r in load_gazetteer().entities():
        if r["entity_type"] == "location":
            assert r["latitude"] is not None and r["longitude"] is not None, r["entity_id"]
            assert -90 <= r["latitude"] <= 90 and -180 <= r["longitude"] <= 180
            if r["entity_id"].startswith(("place:geonames:", "place:gov:")):
                assert 32.0 < r["latitude"] < 37.5 and 35.5 < r["longitude"] < 42.5, r["entity_id"]


def test_coverage_of_actors_and_sources():
    g = load_gazetteer()
    by_id = {r["entity_id"]: r for r in g.entities()}
    for eid in (
        "group:jaysh_al_islam",
        "group:hts",
        "group:isis",
        "group:sdf",
        "group:syrian_government_forces",
        "group:russian_military_police",
        "org:sohr",
        "org:snhr",
        "org:syria_civil_defence",
        "org:unsc",
        "media:sana",
        "media:reuters",
        "media:anapress",
        "person:bashar_al_assad",
        "place:eastern_ghouta",
        "place:geonames:170654",
    ):
        assert eid in by_id, eid
    assert by_id["group:jaysh_al_islam"]["actor_type"] == "rebel_group"
    assert by_id["group:russian_forces"]["actor_type"] == "external_forces"
    assert by_id["person:staffan_de_mistura"]["role"]
    assert sum(r["source"] == "geonames" for r in g.entities()) > 200


def test_media_csv_keeps_cleaning_columns():
    with (DATA_DIR / "media.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"id", "name_ar", "aliases_ar", "domains"} <= rows[0].keys()
    assert [r["id"] for r in rows[:4]] == ["media:anapress", "media:human_voice", "media:smart", "media:orient_net"]


def test_custom_directory_is_read(tmp_path: pathlib.Path):
    (tmp_path / "people.csv").write_text(
        "id,name_ar,name_en,aliases_ar,aliases_en,role,affiliation_id\nperson:x,سامي خليل,Sami Khalil,,,spokesman,\n",
        encoding="utf-8",
    )
    g = load_gazetteer(tmp_path)
    assert [r["entity_id"] for r in g.entities()] == ["person:x"]
    assert g.version != load_gazetteer().version


def test_person_names_are_read_as_two_lexicons():
    cues = load_gazetteer().folded_cues
    assert {"محمد", "ساميه"} <= cues["given_names"] and "الحلبي" in cues["family_names"]
    # filtered out when built: common words, and the hand-kept stoplist
    assert not {"سلام", "الجندي"} & (cues["given_names"] | cues["family_names"])


def test_districts_lie_in_their_governorate_and_places_name_theirs():
    g = load_gazetteer()
    places = {r["entity_id"]: r for r in g.entities() if r["entity_type"] == "location"}
    assert len(g.districts) == 61  # Syria's districts (mintaqa), GeoNames admin-2
    for district in g.districts.values():
        assert places[district["parent_id"]]["place_type"] == "governorate"
        if district["seat_id"]:  # a seat lies in its district's governorate, and in the district
            assert places[district["seat_id"]]["governorate"] == district["governorate"]
            assert places[district["seat_id"]]["admin2_id"] == district["id"]
    placed = [r for r in places.values() if r["admin2_id"]]
    assert all(g.districts[r["admin2_id"]]["governorate"] == r["governorate"] for r in placed)
    assert {
        g.districts[places[p]["admin2_id"]]["name_en"] for p in ("place:geonames:168661", "place:geonames:170063")
    } == {
        "Maarrat al-Nu'man",  # Kafranbel: GeoNames' own district code
        "Mount Simeon",  # Aleppo city: the seat of a district named otherwise
    }
