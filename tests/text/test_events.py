"""The event of a figure from our own sentences: date, most specific place and its containers, actors."""

import json
from datetime import date
from pathlib import Path

import conflict_text
from conflict_text.entities import find_mentions
from conflict_text.events import FigureSpan, Places, attached_actors, read_events
from conflict_text.gazetteer import load_gazetteer
from conflict_text.places import locate_places

PLACES = Places(load_gazetteer())


def event_of(body: str, number: str, published: date, victim_group: str = "civilians"):
    start = body.index(number)
    sentence_start = body.rfind("\n", 0, start) + 1
    sentence_end = body.find("\n", start) if "\n" in body[start:] else len(body)
    figure = FigureSpan(start, start + len(number), sentence_start, sentence_end, victim_group)
    mentions, place_rules = mentions_placed(body)
    [event] = read_events(body, published, [figure], mentions, PLACES, place_rules)
    return event


def mentions_placed(body: str) -> tuple[list, list[str | None]]:
    """The mentions of `body` and the rule that placed each, as the entities stage gives them."""
    mentions = find_mentions(body, load_gazetteer())
    placed = locate_places(body, mentions, PLACES)
    return mentions, [placed[k].rule if k in placed else None for k in range(len(mentions))]


def test_a_market_inside_a_town_inside_a_region():
    body = "ارتفع إلى 14 عدد المدنيين الذين قتلوا أمس الاثنين بغارة جوية لقوات النظام على سوق الهال في معرة النعمان بريف إدلب الجنوبي."
    event = event_of(body, "14", date(2020, 1, 14))
    assert (event.event_date, event.time_precision) == (date(2020, 1, 13), 1)
    assert (event.location, event.place_id, event.admin1, event.geo_precision) == (
        "سوق الهال",
        "place:geonames:167611",
        "Idlib",
        1,
    )
    assert "place:rif:idlib:southern" in event.within_ids
    assert (event.actor1, event.actor1_category, event.actor2) == (
        "Military Forces of Syria",
        "State forces",
        "Civilians (Syria)",
    )


def test_the_regime_and_its_forces_are_one_actor():
    regime = event_of("قتل 4 مدنيين اليوم بغارة لطائرات النظام السوري على كفرنبل.", "4", date(2020, 1, 13))
    forces = event_of("قتل 4 مدنيين اليوم بقصف لقوات النظام على كفرنبل.", "4", date(2020, 1, 13))
    assert regime.actor1 == forces.actor1 == "Military Forces of Syria"


def test_a_residential_quarter_is_not_a_place_and_a_bearing_is_not_a_container():
    event = event_of("قتل 3 مدنيين بقصف طال حيا سكنيا في كفرنبل جنوبي إدلب.", "3", date(2020, 1, 13))
    assert (event.location, event.geo_precision) == ("كفرنبل", 1)
    assert "place:geonames:169389" not in event.within_ids  # «جنوبي إدلب»: south of the city, not in it
    assert (event.event_date, event.time_precision) == (date(2020, 1, 13), 2)  # undated: the publication's week


def test_a_region_only_is_geo_precision_two():
    event = event_of("قتل 13 مدنيا بغارة على سوق شعبي في ريف إدلب الجنوبي اليوم الاثنين.", "13", date(2020, 1, 13))
    assert (event.location, event.place_id, event.geo_precision) == ("سوق شعبي", "place:rif:idlib:southern", 2)


def test_a_headline_takes_the_date_and_place_of_its_lead():
    body = "مقتل 12 مدنيا بغارة على سوق في معرة النعمان\n\nقتل 12 مدنيا اليوم الاثنين بغارة على سوق الهال في مدينة معرة النعمان."
    event = event_of(body, "12", date(2020, 1, 13))
    assert (event.event_date, event.time_precision, event.location) == (date(2020, 1, 13), 1, "سوق الهال")


def test_a_toll_over_a_period_is_no_days_event():
    body = "وثق المرصد مقتل 40 مدنيا منذ 3 كانون الثاني."
    start = body.index("40")
    figure = FigureSpan(
        start, start + 2, 0, len(body), "civilians", period_start=date(2020, 1, 3), period_end=date(2020, 1, 14)
    )
    mentions, place_rules = mentions_placed(body)
    [event] = read_events(body, date(2020, 1, 14), [figure], mentions, PLACES, place_rules)
    assert (event.event_date, event.time_precision) == (date(2020, 1, 3), 3)


def test_every_attached_actor_example_names_its_actor_and_no_counterexample_names_one():
    rules = json.loads((Path(conflict_text.__file__).parent / "data" / "actors.json").read_text("utf-8"))[
        "attached_actors"
    ]
    for example in rules["examples"]:
        assert [PLACES.actor(m).name for m in attached_actors(example["text"])] == [example["actor"]], example
    for counterexample in rules["counterexamples"]:
        assert attached_actors(counterexample["text"]) == [], counterexample


def test_an_attack_named_with_its_nationality_is_the_doer_before_a_group_merely_named():
    published = date(2020, 1, 20)
    russian = event_of(
        "قتل 5 مدنيين اليوم بغارة جوية روسية على مناطق سيطرة هيئة تحرير الشام في كفرنبل.", "5", published
    )
    assert (russian.actor1, russian.actor1_category) == ("Military Forces of Russia", "External/Other forces")
    turkish = event_of("قتل 3 مدنيين في القصف المدفعي التركي على قرية قرب عفرين.", "3", published)
    assert turkish.actor1 == "Military Forces of Turkey"
    # Made in Russia, fired by the regime.
    made = event_of("قتل 4 مدنيين بقصف لقوات النظام بصواريخ روسية الصنع على كفرنبل.", "4", published)
    assert made.actor1 == "Military Forces of Syria"


def test_an_attack_named_with_its_nationality_is_not_the_fighters_killed():
    event = event_of("قتل 4 عناصر من قوات النظام بقصف مدفعي تركي قرب منبج.", "4", date(2020, 2, 3), "fighters")
    assert (event.actor1, event.actor2) == ("Military Forces of Turkey", "Military Forces of Syria")
    event = event_of("قتل 3 عناصر بقصف تركي على مواقعهم قرب منبج.", "3", date(2020, 2, 3), "fighters")
    assert (event.actor1, event.actor2) == ("Military Forces of Turkey", None)


def test_an_attack_beyond_a_word_joining_two_events_names_no_one_for_the_other():
    body = "قتل 3 مدنيين بقصف على كفرنبل، فيما قتل 2 آخران بغارة جوية روسية على معرة النعمان."
    assert event_of(body, "3", date(2020, 1, 20)).actor1 is None
    assert event_of(body, "2", date(2020, 1, 20)).actor1 == "Military Forces of Russia"


def test_every_site_example_is_the_event_place_inside_its_town():
    sites = json.loads((Path(conflict_text.__file__).parent / "data" / "sites.json").read_text("utf-8"))
    for example in sites["examples"]:
        event = event_of(example["text"], next(c for c in example["text"] if c.isdigit()), date(2020, 1, 13))
        assert (event.location, event.place_id, event.geo_precision) == (example["location"], example["inside"], 1)
    for counterexample in sites["counterexamples"]:
        event = event_of(
            counterexample["text"], next(c for c in counterexample["text"] if c.isdigit()), date(2020, 1, 13)
        )
        assert event.location == counterexample["location"], counterexample


def test_a_village_the_text_puts_in_a_region_is_the_location_at_the_regions_coordinates():
    event = event_of("قتل 5 مدنيين بقصف مدفعي على قرية أم التينة بريف حماة الشمالي.", "5", date(2020, 1, 13))
    assert (event.location, event.place_id, event.admin1, event.geo_precision) == (
        "أم التينة",
        "place:rif:hama:northern",
        "Hama",
        2,
    )


def test_a_village_near_a_town_is_precision_two_and_the_town_gives_the_district():
    event = event_of("قتل 3 مدنيين بغارة على قرية الغدير قرب كفرنبل.", "3", date(2020, 1, 13))
    assert (event.location, event.place_id, event.admin2, event.geo_precision) == (
        "الغدير",
        "place:geonames:168661",
        "Maarrat al-Nu'man",
        2,
    )


def test_a_neighbourhood_of_a_district_seat_has_its_district():
    event = event_of("قتل 4 مدنيين بقصف على حي القابون.", "4", date(2020, 1, 13))
    assert (event.location, event.admin1, event.admin2, event.geo_precision) == ("القابون", "Damascus", "Damascus", 1)


def test_a_place_naming_a_reporting_body_is_the_event_place_only_when_alone():
    sites = json.loads((Path(conflict_text.__file__).parent / "data" / "sites.json").read_text("utf-8"))
    for example in sites["source_examples"] + sites["source_counterexamples"]:
        assert event_of(example["text"], example["figure"], date(2020, 1, 13)).location == example["location"], example


def test_attacks_are_read_where_they_start_as_a_scan_of_the_whole_text_reads_them():
    # _attack_matches tries the pattern only after a prefix before an attack noun: the same matches as
    # finditer over the whole text, on several attacks in a row, glued prefixes, a nationality without an
    # attack before it, and a country name holding a nationality («تركيا»).
    from conflict_text.events import _attached_actors, _attack_matches
    from conflict_text.normalize import normalize

    rules = json.loads((Path(conflict_text.__file__).parent / "data" / "actors.json").read_text("utf-8"))[
        "attached_actors"
    ]
    texts = [e["text"] for e in rules["examples"] + rules["counterexamples"]] + [
        "قتل مدنيان بالقصف المدفعي التركي ثم غارات روسية وبغارة جوية إسرائيلية على المطار.",
        "أعلنت تركيا أن القصف التركي توقف، وقال مسؤول روسي إن الغارات الروسية مستمرة، فيما قصفت طائرة أمريكية",
        "غارة روسية",
        "وصل وفد روسي إلى المدينة",
    ]
    pattern = _attached_actors().pattern
    found = 0
    for text in map(lambda t: normalize(t).text, texts):
        expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
        assert [(m.span(), m.groupdict()) for m in _attack_matches(text)] == expected, text
        found += len(expected)
    assert found >= len(rules["examples"]) + 5
