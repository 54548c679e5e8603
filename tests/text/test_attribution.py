"""Which place, reporter and perpetrator a figure is given (conflict_text/figures/attribution.py), on sentences
of our own writing; the rules and their examples are in conflict_text/data/figure_rules/attribution.json."""

import pytest

from conflict_text.figures import extract_figures
from conflict_text.figures.explain import example_mentions


def _figures(text: str, mentions: list[tuple[str, str]]):
    given = [{"text": name, "type": kind} for name, kind in mentions]
    return extract_figures(text, example_mentions(text, given), None).casualties


def _locations(text: str, *places: str) -> list[tuple[int, str | None]]:
    return [(f.value, f.location) for f in _figures(text, [(p, "location") for p in places])]


@pytest.mark.parametrize(
    "text, places, expected",
    [
        # each toll of a list is where its own item says
        (
            "قتل 18 مدنيا في مدينة حمورية، و17 بينهم 5 نساء جراء قصف على مدينة سقبا، و10 في غارات على بلدة حزة.",
            ("حمورية", "سقبا", "حزة"),
            [(18, "حمورية"), (17, "سقبا"), (5, "سقبا"), (10, "حزة")],
        ),
        # the town a sentence opens with, not the site of another shell of the list
        (
            "في مدينة تلبيسة، سقطت قذيفتان على سوق الهال، والثالثة قرب جامع الفاروق، ما أدى لمقتل امرأة.",
            ("تلبيسة", "جامع الفاروق"),
            [(1, "تلبيسة")],
        ),
        # a clause after the toll telling its cause places it; a region before it does not
        (
            "تواصل القصف على ريف إدلب الجنوبي، حيث قتل 9 مدنيين، جراء غارات على بلدة معرة حرمة.",
            ("ريف إدلب الجنوبي", "معرة حرمة"),
            [(9, "معرة حرمة")],
        ),
        # another event joined by «فيما» is another scene
        (
            "قتل 6 مدنيين بقصف على حي الشعار، فيما قتل مدنيان في بلدة الأتارب.",
            ("حي الشعار", "الأتارب"),
            [(6, "حي الشعار"), (2, "الأتارب")],
        ),
        # the hospital the wounded were taken to is not the place of the strike
        (
            "أصيب 12 مدنيا بغارة على بلدة بنش، ونقلتهم فرق الإسعاف إلى مشفى إدلب الوطني.",
            ("بنش", "مشفى إدلب الوطني"),
            [(12, "بنش")],
        ),
        ("أصيب 3 عمال بغارة على مشفى إدلب الوطني.", ("مشفى إدلب الوطني",), [(3, "مشفى إدلب الوطني")]),
        # a capital leading a coalition is an actor
        (
            "قتل 11 مدنيا بغارات للتحالف الدولي بقيادة واشنطن على بلدة هجين.",
            ("واشنطن", "هجين"),
            [(11, "هجين")],
        ),
        # the most specific place of a phrase
        ("قتل 4 مدنيين بقصف على حي الصاخور في مدينة حلب.", ("حي الصاخور", "حلب"), [(4, "حي الصاخور")]),
        ("قتل 4 مدنيين بقصف على بلدة حيان بريف حلب الشمالي.", ("حيان", "ريف حلب الشمالي"), [(4, "حيان")]),
        # a sentence without a place continues the report before it; a dateline reports nothing
        (
            "ألقت مروحيات برميلين على بلدة كفرزيتا. وأسفر القصف عن مقتل 3 مدنيين.",
            ("كفرزيتا",),
            [(3, "كفرزيتا")],
        ),
        ("حمص - 3 آذار\nقتل 3 مدنيين بقصف مدفعي.", ("حمص",), [(3, None)]),
        # a headline takes the place its story gives the same toll
        (
            "مقتل 5 مدنيين بقصف مدفعي\nقتل 5 مدنيين اليوم بقصف مدفعي على قرية الحواش.",
            ("الحواش",),
            [(5, "الحواش")],
        ),
    ],
)
def test_location(text, places, expected):
    assert _locations(text, *places) == expected
