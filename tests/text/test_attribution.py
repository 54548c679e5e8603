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
        # the town people fled to is not where they were displaced from
        ("نزح 3000 شخص إلى مدينة إدلب.", ("إدلب",), [(3000, None)]),
        ("نزح 3000 شخص من بلدة الهبيط إلى مدينة إدلب.", ("الهبيط", "إدلب"), [(3000, "الهبيط")]),
        # the camp the attackers fire from is not where the victims were
        (
            "قتل مدنيان بقصف صاروخي لقوات النظام المتمركزة في معسكر جورين على بلدة الهبيط.",
            ("معسكر جورين", "الهبيط"),
            [(2, "الهبيط")],
        ),
        # the city of a press conference is where the toll was announced
        (
            "قصفت قوات النظام بلدة تلدو. وقال المتحدث في مؤتمر صحفي في جنيف إن 49 طفلا قتلوا.",
            ("تلدو", "جنيف"),
            [(49, "تلدو")],
        ),
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


def _claimants(text: str, *mentions: tuple[str, str]) -> list[tuple[int, str | None]]:
    return [(f.value, f.claimant) for f in _figures(text, list(mentions))]


OBSERVATORY = ("المرصد السوري لحقوق الإنسان", "organisation")
CIVIL_DEFENCE = ("الدفاع المدني السوري", "organisation")


@pytest.mark.parametrize(
    "text, mentions, expected",
    [
        # «وأضاف» without a name, and a sentence without a cue, continue the report named before
        (
            "قال المرصد السوري لحقوق الإنسان إن 7 مدنيين قتلوا في كفرنبل. وأضاف أن 3 آخرين قتلوا في حاس.",
            (OBSERVATORY,),
            [(7, OBSERVATORY[0]), (3, OBSERVATORY[0])],
        ),
        (
            "وثق المرصد السوري لحقوق الإنسان مقتل 7 مدنيين في كفرنبل.\nوفي بلدة حاس، قتل 3 مدنيين بغارة.",
            (OBSERVATORY,),
            [(7, OBSERVATORY[0]), (3, OBSERVATORY[0])],
        ),
        # «وأشار» without a name continues any speaker, a group too; a sentence without a cue does not
        (
            "وقال جيش الإسلام في بيان إن مقاتليه صدوا هجوما. وأشار إلى مقتل 25 عنصرا من المهاجمين.",
            (("جيش الإسلام", "armed_group"),),
            [(25, "جيش الإسلام")],
        ),
        (
            "وقال جيش الإسلام في بيان إن مقاتليه صدوا هجوما. وقتل 25 مدنيا بقصف على دوما.",
            (("جيش الإسلام", "armed_group"),),
            [(25, None)],
        ),
        # the subject before its verb
        ("ويذكر أن المرصد السوري لحقوق الإنسان وثق مقتل 120 مدنيا.", (OBSERVATORY,), [(120, OBSERVATORY[0])]),
        # each reporter claims what follows its cue
        (
            "قال الدفاع المدني السوري إن 9 مدنيين قتلوا، فيما وثق المرصد السوري لحقوق الإنسان مقتل 11.",
            (CIVIL_DEFENCE, OBSERVATORY),
            [(9, CIVIL_DEFENCE[0]), (11, OBSERVATORY[0])],
        ),
        # a headline: the reporter before its colon, else the story's first reporter
        ("الدفاع المدني السوري: مقتل 4 مدنيين بقصف على أريحا", (CIVIL_DEFENCE,), [(4, CIVIL_DEFENCE[0])]),
        (
            "مقتل 12 مدنيا بغارات على معرة النعمان\nأفاد الدفاع المدني السوري بمقتل 12 مدنيا بغارات روسية.",
            (CIVIL_DEFENCE,),
            [(12, CIVIL_DEFENCE[0])],
        ),
        # a group's own statement claims its toll; a group named after «أن» is what is reported
        (
            "وأعلنت هيئة تحرير الشام مقتل 12 عنصرا من قوات النظام.",
            (("هيئة تحرير الشام", "armed_group"), ("قوات النظام", "armed_group")),
            [(12, "هيئة تحرير الشام")],
        ),
        ("وأشار التقرير إلى أن قوات النظام قتلت 40 مدنيا.", (("قوات النظام", "armed_group"),), [(40, None)]),
        # a reporter the text does not name, as it words it; the outlet it spoke to reports what follows
        ("وقال ناشطون محليون إن 6 مدنيين قتلوا بقصف على بلدة بنش.", (), [(6, "ناشطون محليون")]),
        (
            'قتل مدنيان، وفق ما أفادت به مصادر محلية لـ"شبكة شام".',
            (("شبكة شام", "media"),),
            [(2, "مصادر محلية")],
        ),
        (
            "وقال مصدر عسكري لمراسل سانا إن 3 جنود قتلوا بانفجار عبوة. وأصيب 4 آخرون بجروح.",
            (("سانا", "media"),),
            [(3, "مصدر عسكري"), (4, "سانا")],
        ),
        # «نقلت X عن Y»: Y is the source, X reports what follows
        (
            "ونقلت وكالة سانا عن مصدر عسكري أن 3 جنود قتلوا بانفجار عبوة. وأصيب 4 آخرون بجروح.",
            (("سانا", "media"),),
            [(3, "مصدر عسكري"), (4, "سانا")],
        ),
        # an attacker some words after a cue is what is reported
        ("وبحسب التقرير فقد قتلت قوات النظام 127 مدنيا.", (("قوات النظام", "armed_group"),), [(127, None)]),
        # nobody named anywhere: no claimant
        ("قتل 3 مدنيين بغارة على بلدة حاس.", (), [(3, None)]),
    ],
)
def test_claimant(text, mentions, expected):
    assert _claimants(text, *mentions) == expected


REGIME = ("قوات النظام", "armed_group")
RUSSIA = ("القوات الروسية", "armed_group")


@pytest.mark.parametrize(
    "text, mentions, expected",
    [
        # the attacker nearest the toll, and a breakdown's is its parent's
        (
            "قتلت قوات النظام 40 مدنيا، بينهم 9 أطفال، فيما قتلت القوات الروسية 25 آخرين.",
            (REGIME, RUSSIA),
            [(40, REGIME[0]), (9, REGIME[0]), (25, RUSSIA[0])],
        ),
        # the consequence of an attack told in the sentence before, in its paragraph only
        ("قصفت قوات النظام بلدة كفرنبل بالمدفعية. وأسفر القصف عن مقتل 3 مدنيين.", (REGIME,), [(3, REGIME[0])]),
        ("قصفت قوات النظام بلدة كفرنبل بالمدفعية.\nوفي سياق آخر، قتل 3 مدنيين.", (REGIME,), [(3, None)]),
        # an attacker the text does not name, after the verb of the attack; a count of fighters is no attacker
        ("أصيب 5 مواطنين بقذائف هاون أطلقها إرهابيون على حي القصاع.", (), [(5, "إرهابيون")]),
        ("قتل 10 مسلحين بغارة على مواقعهم.", (), [(10, None)]),
        ("ألقى الطيران المروحي برميلين على بلدة كفرزيتا، ما أدى لمقتل 3 مدنيين.", (), [(3, "الطيران المروحي")]),
        # a group after «عناصر» is the victims
        ("قتل 5 عناصر من قوات النظام بقصف.", (REGIME,), [(5, None)]),
        # in quotes too, and a group joined to the victims by «و»
        ("قتل 14 مقاتلا من «قسد» بقصف مدفعي.", (("قسد", "armed_group"),), [(14, None)]),
        (
            "أسفر الهجوم عن مقتل 19 عنصرا من قوات النظام و«اللواء 137».",
            (REGIME, ("اللواء 137", "armed_group")),
            [(19, None)],
        ),
    ],
)
def test_perpetrator(text, mentions, expected):
    assert [(f.value, f.perpetrator) for f in _figures(text, list(mentions))] == expected


def test_a_groups_own_statement_claims_its_toll_and_did_it():
    text = "أما «حركة أحرار الشام» فأكدت في بيان أن مقاتليها قتلوا 40 عنصرا من قوات النظام."
    figures = _figures(text, [("حركة أحرار الشام", "armed_group"), REGIME])
    assert [(f.value, f.claimant, f.perpetrator) for f in figures] == [(40, "حركة أحرار الشام", "حركة أحرار الشام")]
