"""Where place mentions lie (conflict_text/places.py): own sentences, one per rule of data/place_links.json."""

import json
from pathlib import Path

import pytest

from conflict_text.entities import find_mentions
from conflict_text.gazetteer import load_gazetteer
from conflict_text.places import PlaceIndex, locate_places

GAZETTEER = load_gazetteer()
INDEX = PlaceIndex(GAZETTEER)
LINKS = json.loads((Path(__file__).resolve().parents[2] / "conflict_text/data/place_links.json").read_text("utf-8"))


def placed(text: str) -> dict[str, tuple]:
    """surface -> (place_id, admin1, geo_precision, rule) for every place mention of `text`."""
    mentions = find_mentions(text, GAZETTEER)
    found = locate_places(text, mentions, INDEX)
    return {
        m.surface: (found[k].place_id, found[k].admin1, found[k].geo_precision, found[k].rule) if k in found else None
        for k, m in enumerate(mentions)
        if m.entity_type == "location"
    }


def test_a_neighbourhood_in_a_city_takes_the_city_at_precision_two():
    where = placed("قتل مدنيان في حي البساتين في مدينة حمص.")
    assert where["حي البساتين"] == ("place:geonames:169577", "Homs", 2, "place-inside-place")
    assert where["حمص"] == ("place:geonames:169577", "Homs", 1, "gazetteer")


@pytest.mark.parametrize(
    "text, surface, place_id",
    [
        ("سقطت قذيفة على بلدة كفر عويد بريف إدلب الجنوبي.", "كفر عويد", "place:rif:idlib:southern"),
        ("قصفت الطائرات قرية أم التينة في ريف حماة الشمالي.", "أم التينة", "place:rif:hama:northern"),
        ("استهدفت غارة مشفى الأمل وسط مدينة دوما.", "مشفى الأمل", "place:geonames:170592"),
        ("دارت اشتباكات في قرية الزيتونة التابعة لناحية منبج.", "الزيتونة", "place:geonames:167357"),
    ],
)
def test_a_place_found_from_context_lies_in_the_place_linked_after_it(text, surface, place_id):
    assert placed(text)[surface][0] == place_id
    assert placed(text)[surface][2] == 2
    assert placed(text)[surface][3] == "place-inside-place"


@pytest.mark.parametrize(
    "text, surface, place_id",
    [
        ("قصفت المدفعية قرية تل السلطان (25 كم جنوب حلب).", "تل السلطان", "place:geonames:170063"),
        ("سقطت قذائف على مزرعة الرحمة الواقعة قرب بلدة جسر الشغور.", "الرحمة", "place:geonames:169023"),
        ("دارت اشتباكات في قرية الغدير على أطراف دير الزور.", "الغدير", "place:geonames:170794"),
    ],
)
def test_a_place_near_or_on_a_bearing_from_a_known_place_takes_its_coordinates(text, surface, place_id):
    assert placed(text)[surface][:4] == (place_id, placed(text)[surface][1], 2, "place-near-place")


def test_the_places_of_a_list_share_the_place_its_last_member_lies_in():
    where = placed("قصف الطيران بلدات الخضراء، والنهر، وتل الورد بريف حماة.")
    assert where["الخضراء"] == ("place:rif:hama", "Hama", 2, "places-listed-share-a-place")
    assert where["النهر"] == ("place:rif:hama", "Hama", 2, "places-listed-share-a-place")
    assert where["تل الورد"][3] == "place-inside-place"


def test_a_list_ending_in_a_known_place_is_no_link():
    where = placed("قصفت الطائرات قرية أم التينة وحماة.")
    assert where["أم التينة"][3] != "place-inside-place"  # the sentence's governorate places it, at 3
    assert where["أم التينة"][:3] == ("place:gov:hama", "Hama", 3)


def test_a_destination_is_not_a_container():
    where = placed("انتقلوا من حي البساتين إلى حمص.")
    assert where["حي البساتين"] == ("place:gov:homs", "Homs", 3, "place-in-the-governorate-of-its-sentence")


def test_a_target_is_not_a_container_and_a_base_is_named_from_afar():
    where = placed("قصفت المدفعية من معسكر القرميد على بلدة الهبيط.")
    assert where["معسكر القرميد"] is None
    where = placed("أقلعت الطائرات من قاعدة الناصرية الجوية وقصفت دوما.")
    assert where["قاعدة الناصرية"] is None  # not Douma's governorate


def test_a_site_in_the_town_named_before_it():
    where = placed("قصفت الطائرات مدينة دوما، وسقطت قذيفة على جامع النور وسط المدينة.")
    assert where["جامع النور"] == ("place:geonames:170592", "Rif Dimashq", 2, "place-in-the-town-named-before")
    where = placed("قصفت الطائرات مدينة دوما، وقتل مدني في مدرسة الأمل. وفي المدينة نفسها سقطت قذيفة.")
    assert where["مدرسة الأمل"][3] == "place-in-the-governorate-of-its-sentence"


def test_a_hospital_named_after_its_town_lies_in_it():
    where = placed("خرج مشفى معرة النعمان الوطني عن الخدمة.")
    assert where["مشفى معرة النعمان الوطني"] == ("place:geonames:167611", "Idlib", 2, "site-named-after-its-place")


def test_the_governorate_of_the_sentence_or_of_the_article_places_what_nothing_links():
    one = placed("دارت اشتباكات في قرية السبيل، وقصف الطيران معرة النعمان.")
    assert one["السبيل"] == ("place:gov:idlib", "Idlib", 3, "place-in-the-governorate-of-its-sentence")
    two = placed("اشتباكات في قرية السبيل، وقصف على حلب وإدلب.")
    assert two["السبيل"] is None  # two governorates: no guess
    article = placed("قصف الطيران مدينة إدلب.\nوقتل مدني في قرية السبيل.")
    assert article["السبيل"][:3] == ("place:gov:idlib", "Idlib", 3)
    # the paragraph's places decide before the article's, which span two governorates here
    paragraph = placed("قصف الطيران مدينة حلب.\nقتل مدني في قرية السبيل. وكان الطيران قصف كفرنبل صباحا.")
    assert paragraph["السبيل"][:3] == ("place:gov:idlib", "Idlib", 3)


def test_known_places_get_their_district():
    where = {m.surface: m for m in find_mentions("قصف على كفرنبل ومنبج والقابون.", GAZETTEER)}
    found = locate_places("قصف على كفرنبل ومنبج والقابون.", list(where.values()), INDEX)
    districts = {m.surface: found[k].admin2 for k, m in enumerate(where.values())}
    assert districts == {"كفرنبل": "Maarrat al-Nu'man", "منبج": "Manbij", "القابون": "Damascus"}


def test_the_place_found_from_context_of_every_example_of_the_data_is_placed_by_its_rule():
    for rule in LINKS["rules"]:
        assert rule["examples"] and rule["counterexamples"], rule["id"]
        for example in rule["examples"]:
            text = example.split(":")[0]
            mentions = find_mentions(text, GAZETTEER)
            found = locate_places(text, mentions, INDEX)
            k = next(k for k, m in enumerate(mentions) if m.entity_type == "location" and m.match_source == "pattern")
            assert k in found and found[k].rule == rule["id"], (rule["id"], example)
