"""The clustering rules of ledger/incidents.py as pure functions, without Dagster or a warehouse: which
figures are one event, and how an incident's best, low, high and grade are summed up."""

from datetime import date

from ledger.incidents import Incident, Member, assign, summarise

MONDAY = date(2020, 1, 13)
# A town, a market in it, its neighbour, the region and governorate around them (gazetteer-style ids).
TOWN = {
    "location_id": "town:maarat",
    "place_id": "town:maarat",
    "within_ids": ["gov:idlib"],
    "geo_precision": 1,
    "anchor_type": "town",
}
MARKET = {
    "location_id": "site:market",
    "place_id": "town:maarat",
    "within_ids": ["town:maarat", "gov:idlib"],
    "geo_precision": 1,
    "anchor_type": "town",
}
NEIGHBOUR = {
    "location_id": "town:kafranbel",
    "place_id": "town:kafranbel",
    "within_ids": ["gov:idlib"],
    "geo_precision": 1,
    "anchor_type": "town",
}
REGION = {
    "location_id": "rif:idlib:south",
    "place_id": "rif:idlib:south",
    "within_ids": ["gov:idlib"],
    "geo_precision": 2,
    "anchor_type": "region",
}
ELSEWHERE = {
    "location_id": "town:douma",
    "place_id": "town:douma",
    "within_ids": ["gov:rif_dimashq"],
    "geo_precision": 1,
    "anchor_type": "town",
}


def figure(figure_id: str, value: int | None, outlet: str, **fields) -> Member:
    """A killed-civilians toll of its own article, on Monday in the town, published that day."""
    row = {
        "figure_id": figure_id,
        "doc_id": f"doc:{figure_id}",
        "outcome": "killed",
        "victim_group": "civilians",
        "value": value,
        "parent_figure_id": None,
        "disputed": False,
        "superseded": False,
        "claimant": None,
        "evidence": f"sentence of {figure_id}",
        "event_date": MONDAY,
        "time_precision": 1,
        "location": figure_id,
        "admin1": "Idlib",
        "admin2": None,
        "latitude": 35.6,
        "longitude": 36.6,
        "actor1": None,
        "actor1_category": None,
        "actor2": "Civilians (Syria)",
        "actor2_category": "Civilians",
        "outlet": outlet,
        "published_date": MONDAY,
        "munitions": [],
        "article_munitions": [],
        "batch": "b1",
        **TOWN,
    }
    row.update(fields)
    if row["location_id"] == ELSEWHERE["location_id"]:
        row["admin1"] = "Rif Dimashq"
    return Member(row)


def clusters(*figures: Member, incidents: dict[str, Incident] | None = None) -> list[set[str]]:
    incidents = {} if incidents is None else incidents
    assign(list(figures), incidents)
    return sorted(({m.figure_id for m in i.members} for i in incidents.values()), key=sorted)


# Joining: outcome and victims compatible, places nest, dates within a day, weapons agree.


def test_reports_of_one_strike_by_several_outlets_are_one_incident():
    assert clusters(figure("a", 12, "enab"), figure("b", 14, "smart"), figure("c", 13, "orient")) == [{"a", "b", "c"}]


def test_victims_join_when_equal_or_one_is_the_total():
    assert clusters(figure("a", 12, "enab"), figure("b", 15, "smart", victim_group="total")) == [{"a", "b"}]
    assert clusters(figure("a", 12, "enab"), figure("b", 5, "smart", victim_group="fighters")) == [{"a"}, {"b"}]


def test_another_outcome_is_another_incident():
    assert clusters(figure("a", 12, "enab"), figure("b", 30, "smart", outcome="injured")) == [{"a"}, {"b"}]


def test_places_nest_a_market_in_its_town_and_a_region_around_it():
    assert clusters(figure("a", 12, "enab", **MARKET), figure("b", 14, "smart", **TOWN)) == [{"a", "b"}]
    assert clusters(figure("a", 12, "enab", **MARKET), figure("b", 13, "orient", **REGION)) == [{"a", "b"}]


def test_neighbouring_towns_and_other_governorates_do_not_nest():
    assert clusters(figure("a", 12, "enab"), figure("b", 3, "smart", **NEIGHBOUR)) == [{"a"}, {"b"}]
    assert clusters(figure("a", 12, "enab"), figure("b", 12, "smart", **ELSEWHERE)) == [{"a"}, {"b"}]


def test_a_toll_without_a_place_or_a_date_stays_alone():
    unplaced = {"location_id": None, "place_id": None, "within_ids": [], "geo_precision": None, "anchor_type": None}
    assert clusters(figure("a", 12, "enab"), figure("b", 12, "smart", **unplaced)) == [{"a"}, {"b"}]
    assert clusters(figure("a", 12, "enab"), figure("b", 12, "smart", event_date=None)) == [{"a"}, {"b"}]


def test_dates_join_within_a_day_at_day_precision_and_within_a_week_at_week_precision():
    tuesday, wednesday, next_monday = (date(2020, 1, d) for d in (14, 15, 20))
    assert clusters(figure("a", 12, "enab"), figure("b", 14, "smart", event_date=tuesday)) == [{"a", "b"}]
    assert clusters(figure("a", 12, "enab"), figure("b", 14, "smart", event_date=wednesday)) == [{"a"}, {"b"}]
    assert clusters(figure("a", 12, "enab"), figure("b", 5, "enab2", event_date=next_monday)) == [{"a"}, {"b"}]
    # A report dated only by its publication week may be any day of it.
    assert clusters(figure("a", 12, "enab"), figure("b", 12, "smart", event_date=wednesday, time_precision=2)) == [
        {"a", "b"}
    ]


def test_weapons_must_not_contradict():
    air, shells = {"munitions": ["airstrike"]}, {"munitions": ["artillery_shell"]}
    assert clusters(figure("a", 12, "enab", **air), figure("b", 3, "smart", **shells)) == [{"a"}, {"b"}]
    # A barrel bomb is an air strike too; a report naming no weapon contradicts none.
    assert clusters(figure("a", 12, "enab", **air), figure("b", 14, "smart", munitions=["barrel_bomb"])) == [{"a", "b"}]
    assert clusters(figure("a", 12, "enab", **air), figure("b", 14, "smart")) == [{"a", "b"}]
    # A sentence naming no weapon takes its article's, when the article names one kind.
    from_article = {"article_munitions": ["artillery_shell"]}
    assert clusters(figure("a", 12, "enab", **air), figure("b", 14, "smart", **from_article)) == [{"a"}, {"b"}]


def test_two_headline_tolls_of_one_article_are_two_incidents():
    assert clusters(figure("a", 12, "enab"), figure("b", 3, "enab", doc_id="doc:a")) == [{"a"}, {"b"}]


def test_incidents_do_not_chain():
    """Monday's and Tuesday's reports fit, Tuesday's and Wednesday's fit, Monday's and Wednesday's do not."""
    tuesday, wednesday = date(2020, 1, 14), date(2020, 1, 15)
    found = clusters(
        figure("a", 12, "enab"),
        figure("b", 12, "smart", event_date=tuesday),
        figure("c", 12, "orient", event_date=wednesday),
    )
    assert found == [{"a", "b"}, {"c"}]


# Breakdowns and superseded tolls are members, never incidents of their own.


def test_a_breakdown_joins_its_total_and_a_superseded_toll_the_toll_that_replaced_it():
    total = figure("a", 12, "enab")
    children = figure("k", 4, "enab", doc_id="doc:a", victim_group="children", parent_figure_id="a")
    earlier = figure("e", 9, "enab", doc_id="doc:a", superseded=True)
    incidents: dict[str, Incident] = {}
    assert clusters(children, earlier, total, figure("b", 13, "smart"), incidents=incidents) == [{"a", "b", "e", "k"}]
    [incident] = incidents.values()
    assert {m.figure_id for m in incident.heads()} == {"a", "b"}
    row = summarise(incident)
    # The breakdown is never added, the superseded toll is the low, the best is no sum.
    assert (row["best"], row["low"], row["high"], row["figures"], row["documents"]) == (13, 9, 13, 4, 2)


# Stable ids: an incident keeps the id of the figure that founded it.


def test_a_later_report_joins_an_existing_incident_under_its_id():
    incidents: dict[str, Incident] = {}
    assign([figure("b", 14, "smart"), figure("a", 12, "enab")], incidents)
    assert list(incidents) == ["a"]  # the earliest published, then the smallest id, founds it
    later = figure("z", 16, "smart", published_date=date(2020, 1, 15), event_date=MONDAY)
    placed = assign([later], incidents)
    assert [m.figure_id for m in placed] == ["z"] and list(incidents) == ["a"]
    assert {m.figure_id for m in incidents["a"].members} == {"a", "b", "z"}


# best, low, high.


def _summary(*figures: Member) -> dict:
    incidents: dict[str, Incident] = {}
    assign(list(figures), incidents)
    [incident] = incidents.values()
    return summarise(incident)


def test_best_is_the_latest_undisputed_report_and_low_high_the_stated_extremes():
    row = _summary(
        figure("a", 12, "enab"),
        figure("b", 14, "smart", published_date=date(2020, 1, 14)),
        figure("d", 20, "sana", published_date=date(2020, 1, 15), disputed=True),
    )
    assert (row["best"], row["best_figure_id"], row["low"], row["high"]) == (14, "b", 12, 20)


def test_among_reports_of_one_day_the_most_specific_place_gives_the_best_then_the_higher_toll():
    row = _summary(figure("a", 15, "orient", **REGION), figure("b", 12, "enab", **MARKET))
    assert (row["best"], row["location_id"], row["geo_precision"]) == (12, "site:market", 1)
    assert _summary(figure("a", 12, "enab"), figure("b", 14, "smart"))["best"] == 14


# Grades.


def test_one_outlet_is_a_single_source_even_with_several_reports():
    row = _summary(figure("a", 12, "smart"), figure("b", 16, "smart", published_date=date(2020, 1, 14)))
    assert (row["grade"], row["best"], row["documents"]) == ("single_source", 16, 2)


def test_two_outlets_within_twenty_percent_corroborate():
    assert _summary(figure("a", 12, "enab"), figure("b", 14, "smart"))["grade"] == "corroborated"
    assert _summary(figure("a", 10, "enab"), figure("b", 8, "smart"))["grade"] == "corroborated"  # 20 % exactly


def test_tolls_further_apart_or_a_denial_make_an_incident_contested():
    assert _summary(figure("a", 10, "enab"), figure("b", 7, "smart"))["grade"] == "contested"
    denied = _summary(figure("a", 12, "enab"), figure("b", 12, "sana", disputed=True))
    assert (denied["grade"], denied["disputed"], denied["best"]) == ("contested", True, 12)


def test_an_outlet_counts_with_its_latest_toll():
    """SMART's first 8 is far from Enab's 14, but SMART raised it to 13 since: the outlets agree now."""
    row = _summary(
        figure("a", 14, "enab"),
        figure("b", 8, "smart"),
        figure("c", 13, "smart", published_date=date(2020, 1, 14)),
    )
    assert (row["grade"], row["low"], row["high"], row["best"]) == ("corroborated", 8, 14, 13)
