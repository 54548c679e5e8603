"""End-to-end tests of conflict_text.figures.extract_figures on hand-written Arabic sentences, and of the phrase
matcher and memos. A test of one rule lives with the rule, as an example in conflict_text/data/figure_rules/."""

import json
import random
import re
import sys
from datetime import date
from pathlib import Path

import conflict_text
from conflict_text.entities import find_mentions
from conflict_text.figures import extract_figures
from conflict_text.figures.document import Document
from conflict_text.figures.lexicon import bare_forms, lexicon, noun_roles
from conflict_text.figures.phrases import JOINER_CHARS, TOKEN_CACHE_SIZE, phrase_key
from conflict_text.figures.qualifiers import search_qualifier_before
from conflict_text.figures.words import TOKEN_RE, TOKEN_SPLIT
from conflict_text.gazetteer import load_gazetteer
from conflict_text.models import EntityMention
from conflict_text.normalize import fold


def run(body, mentions=(), published=None):
    figs = extract_figures(body, list(mentions), published)
    for f in figs.casualties + figs.munitions:
        assert body[f.char_start : f.char_end] == f.surface
        assert body[f.evidence_start : f.evidence_end] == f.evidence
        assert f.char_start >= f.evidence_start and f.char_end <= f.evidence_end
    return figs


def cas(figs):
    return [(c.outcome, c.victim_group, c.value) for c in figs.casualties]


def mun(figs):
    return [(m.munition_type, m.value) for m in figs.munitions if m.value is not None]


def mention(body, text, etype, name=None):
    start = body.index(text)
    return EntityMention(
        entity_id=text,
        entity_type=etype,
        surface=text,
        name_ar=name or text,
        name_en=None,
        char_start=start,
        char_end=start + len(text),
    )


# --- counts, qualifiers, bounds


def test_breakdown_with_parent():
    figs = run("قتل 12 مدنياً بينهم 4 أطفال وامرأتان في غارات جوية على بلدة كفرنبودة.")
    assert cas(figs) == [("killed", "civilians", 12), ("killed", "children", 4), ("killed", "women", 2)]
    assert [c.parent_index for c in figs.casualties] == [None, 0, 0]
    assert figs.casualties[2].surface == "امرأتان"
    assert [(m.munition_type, m.qualifier) for m in figs.munitions] == [("airstrike", "unspecified")]


def test_injured_with_indic_digits_and_mortars():
    figs = run("أصيب ١٥ شخصاً بجروح جراء سقوط قذائف هاون على حي سكني.")
    assert cas(figs) == [("injured", "total", 15)]
    assert figs.casualties[0].surface == "١٥"
    assert [(m.munition_type, m.value) for m in figs.munitions] == [("mortar", None)]


def test_qualifiers_and_bounds():
    figs = run(
        "ارتفعت حصيلة القتلى إلى 45 شخصاً على الأقل. وقضى نحو ثلاثين مدنياً في المعارك. "
        "وقتل أكثر من 60 مقاتلاً. وقتل أقل من 10 جنود."
    )
    got = [(c.value, c.qualifier, c.value_low, c.value_high) for c in figs.casualties]
    assert got == [
        (45, "at_least", 45, None),
        (30, "about", None, None),
        (60, "more_than", 60, None),
        (10, "less_than", None, 9),
    ]
    assert figs.casualties[3].victim_group == "regime_forces"


def test_exact_bounds():
    c = run("استشهد 9 مدنيين في القصف.").casualties[0]
    assert (c.value, c.value_low, c.value_high, c.qualifier) == (9, 9, 9, "exact")


def test_at_least_before_number():
    c = run("وثقت الشبكة مقتل ما لا يقل عن 118 شخصاً تحت التعذيب.").casualties[0]
    assert (c.value, c.qualifier, c.value_low) == (118, "at_least", 118)


def test_number_words_and_compounds():
    figs = run("أسفر الهجوم عن مقتل مئة وخمسة وعشرين شخصاً وإصابة ثلاثة عشر آخرين.")
    assert cas(figs) == [("killed", "total", 125), ("injured", "total", 13)]


def test_glued_digits():
    figs = run("وسجل ناشطون إصابة 7جرحى مدنيين ومقتل3 أطفال.")
    assert cas(figs) == [("injured", "civilians", 7), ("killed", "children", 3)]


def test_thousands_displaced():
    c = run("نزح أكثر من 50 ألف شخص من ريف حماة الشمالي خلال أسبوع.").casualties[0]
    assert (c.outcome, c.value, c.qualifier) == ("displaced", 50000, "more_than")


def test_detained_and_killed_or_injured():
    figs = run("اعتقلت قوات النظام 30 شاباً في حملة مداهمات. وسقط 11 قتيلاً وجريحاً في الانفجار.")
    assert cas(figs) == [("detained", "civilians", 30), ("killed_or_injured", "total", 11)]


def test_regime_and_fighter_groups():
    figs = run("قتل 15 عنصراً من قوات النظام و9 مقاتلين من فصائل المعارضة في الاشتباكات.")
    assert cas(figs) == [("killed", "regime_forces", 15), ("killed", "fighters", 9)]


def test_a_count_of_the_noun_after_adad():
    figs = run(
        "وبذلك يرتفع إلى 16 عدد المدنيين الذين استشهدوا اليوم. كما يرتفع إلى ٣٩٧ تعداد المدنيين الذين "
        "وثق المرصد استشهادهم منذ بدء التصعيد، بينهم 94 طفلاً و73 مواطنة."
    )
    assert cas(figs) == [
        ("killed", "civilians", 16),
        ("killed", "civilians", 397),
        ("killed", "children", 94),
        ("killed", "women", 73),
    ]
    assert [c.parent_index for c in figs.casualties] == [None, None, 1, 1]


def test_foreign_soldiers_own_fighters_and_cadres():
    figs = run(
        "قتل جنديان تركيان وأصيب 3 جنود أتراك. وقتل فيها 6 من عناصرها. "
        "ومن بين الضحايا 8 من الكوادر الطبية و3 من كوادر الدفاع المدني."
    )
    assert cas(figs) == [
        ("killed", "fighters", 2),
        ("injured", "fighters", 3),
        ("killed", "fighters", 6),
        ("killed", "medical_staff", 8),
        ("killed", "civil_defence", 3),
    ]


def test_strikes_carried_out_and_a_population_in_another_clause():
    figs = run(
        "وقال التحالف إنه نفذ 19 ضربة قرب الرقة. وقالت الأمم المتحدة إن المعارك أدت إلى نزوح 750 ألف شخص، "
        "في وقت يعيش فيه قرابة مليون شخص في المحافظة."
    )
    assert mun(figs) == [("airstrike", 19)]
    assert cas(figs) == [("displaced", "total", 750000)]


def test_attacks_typed_by_the_weapon_they_use():
    figs = run("وسجلت الشبكة 12 هجوماً بذخائر عنقودية و26 هجوماً بالقنابل العنقودية، و8 غارات بالبراميل المتفجرة.")
    assert mun(figs) == [("cluster_munition", 12), ("cluster_munition", 26), ("airstrike", 8)]
    assert [m.munition_type for m in figs.munitions if m.value is None] == ["barrel_bomb"]


def test_members_of_a_named_group_and_forces():
    body = "قتل 29 من مقاتلي الفصائل، بينهم 11 من هيئة تحرير الشام. وقتل 5 من قوات النظام و6 من المهاجمين."
    figs = run(body, [mention(body, "هيئة تحرير الشام", "armed_group"), mention(body, "قوات النظام", "armed_group")])
    assert cas(figs) == [
        ("killed", "fighters", 29),
        ("killed", "fighters", 11),
        ("killed", "regime_forces", 5),
        ("killed", "fighters", 6),
    ]
    assert figs.casualties[1].parent_index == 0


def test_more_outcome_words():
    figs = run(
        "ارتفع عدد الذين فارقوا الحياة بسبب الجوع إلى 31 شخصاً. وأعلن التنظيم هلاك 40 عنصراً. "
        "وأسروا 4 عناصر. ونفذت الطائرات 64 طلعة جوية وقصفت الحي بصاروخين فراغيين."
    )
    assert cas(figs) == [("killed", "total", 31), ("killed", "fighters", 40), ("detained", "fighters", 4)]
    assert mun(figs) == [("airstrike", 64), ("vacuum_missile", 2)]


def test_died_of_wounds_and_kidnapped():
    figs = run("توفي 3 مدنيين متأثرين بجراحهم. وتوفي طفل متأثراً بجراحه. واختطف مسلحون 30 مدنياً على الطريق.")
    assert cas(figs) == [("killed", "civilians", 3), ("killed", "children", 1), ("detained", "civilians", 30)]


def test_a_marker_after_a_count_makes_it_part_of_the_count_before():
    figs = run("قتل 14 مدنياً، ستة منهم أطفال. وأحصت مصادر طبية 75 قتيلاً، 40 منهم من المدنيين.")
    assert cas(figs) == [
        ("killed", "civilians", 14),
        ("killed", "children", 6),
        ("killed", "total", 75),
        ("killed", "civilians", 40),
    ]
    assert [c.parent_index for c in figs.casualties] == [None, 0, None, 2]


def test_a_count_after_its_own_outcome_is_no_part_of_the_count_before():
    figs = run("اعتقلت قوات النظام 20 شخصاً، وقتل 3 منهم تحت التعذيب.")
    assert cas(figs) == [("detained", "total", 20), ("killed", "total", 3)]
    assert [c.parent_index for c in figs.casualties] == [None, None]


def test_a_group_named_after_the_next_count_refines_that_count_only():
    figs = run("قتل 30 مقاتلاً من الفصائل و22 عنصراً من قوات النظام خلال المعارك.")
    assert cas(figs) == [("killed", "fighters", 30), ("killed", "regime_forces", 22)]


# --- duals and singular nouns


def test_duals():
    figs = run("قتل طفلان وأصيبت امرأتين في القصف. ومقتل مسعفين اثنين.")
    assert cas(figs) == [("killed", "children", 2), ("injured", "women", 2), ("killed", "medical_staff", 2)]
    assert figs.casualties[0].surface == "طفلان"


def test_singular_noun_is_one():
    figs = run("قتل رجل وأصيب طفل بجروح خطيرة في قصف مدفعي.")
    assert cas(figs) == [("killed", "total", 1), ("injured", "children", 1)]
    assert figs.casualties[0].surface == "رجل"


def test_one_of_them():
    figs = run("قتل أربعة مدنيين، أحدهم طفل، بقصف صاروخي على بلدة التح.")
    assert cas(figs) == [("killed", "civilians", 4), ("killed", "children", 1)]
    assert figs.casualties[1].parent_index == 0
    assert figs.casualties[1].surface == "أحدهم طفل"


def test_per_town_list():
    figs = run("وتوزع القتلى على 6 مدنيين في بلدة الهبيط بينهم طفلان، و4 مدنيين في كفرسجنة، ورجل استشهد في معرة حرمة.")
    assert cas(figs) == [
        ("killed", "civilians", 6),
        ("killed", "children", 2),
        ("killed", "civilians", 4),
        ("killed", "total", 1),
    ]
    assert [c.parent_index for c in figs.casualties] == [None, 0, None, None]


# --- structure across sentences


def test_competing_sources_with_claimants():
    body = "قال المرصد السوري إن 40 شخصاً قتلوا في المدينة، بينما قالت وكالة سانا إن 25 شخصاً قتلوا."
    ms = [mention(body, "المرصد السوري", "organisation"), mention(body, "سانا", "media")]
    figs = run(body, ms)
    assert [(c.value, c.claimant) for c in figs.casualties] == [(40, "المرصد السوري"), (25, "سانا")]


def test_location_and_perpetrator():
    body = "قتل 6 مدنيين في قصف لقوات النظام على بلدة سرمين."
    ms = [mention(body, "قوات النظام", "armed_group"), mention(body, "سرمين", "location")]
    c = run(body, ms).casualties[0]
    assert (c.location, c.perpetrator) == ("سرمين", "قوات النظام")


def test_a_place_naming_a_reporting_body_is_the_figures_location_only_when_alone():
    sites = json.loads((Path(conflict_text.__file__).parent / "data" / "sites.json").read_text("utf-8"))
    for example in sites["source_examples"] + sites["source_counterexamples"]:
        [figure] = run(example["text"], find_mentions(example["text"], load_gazetteer())).casualties
        assert figure.location == example["location"], example


def test_period_range_with_year_from_published_date():
    figs = run("ووثقت الشبكة مقتل 300 مدني في الفترة من 1 آذار وحتى 15 نيسان.", published=date(2019, 5, 2))
    c = figs.casualties[0]
    assert (c.period_start, c.period_end) == (date(2019, 3, 1), date(2019, 4, 15))


# --- munitions


def test_munition_list():
    figs = run(
        "ألقى الطيران المروحي 12 برميلاً متفجراً و4 صواريخ أرض أرض على مدينة داريا، "
        "وسقطت 3 قذائف هاون وقذيفتا مدفعية. وشنت الطائرات الحربية 20 غارة جوية."
    )
    assert mun(figs) == [
        ("barrel_bomb", 12),
        ("surface_to_surface_missile", 4),
        ("mortar", 3),
        ("artillery_shell", 2),
        ("airstrike", 20),
    ]
    assert figs.casualties == []


def test_munition_count_is_not_a_casualty():
    figs = run("أدى سقوط 15 صاروخاً على المدينة إلى مقتل 3 أشخاص.")
    assert mun(figs) == [("missile", 15)]
    assert cas(figs) == [("killed", "total", 3)]


def test_chlorine_carried_by_rockets():
    figs = run("قصفت قوات النظام الحي بخمسة صواريخ محملة بغاز الكلور.")
    assert [(m.munition_type, m.value, m.unit) for m in figs.munitions] == [("chlorine_attack", 5, "rockets")]


def test_single_weapons_and_duals():
    figs = run(
        "استهدفت طائرة مسيرة سيارة عسكرية. وانفجرت سيارة مفخخة في السوق. وسقطت قذيفتي هاون على الحي. "
        "وأغارت الطائرات أربع مرات على المطار."
    )
    assert mun(figs) == [("drone", 1), ("car_bomb", 1), ("mortar", 2), ("airstrike", 4)]


def test_weapons_named_without_count():
    figs = run("قصفت الطائرات الروسية البلدة بالقنابل العنقودية والنابالم والفوسفور الأبيض.")
    got = {(m.munition_type, m.value, m.qualifier) for m in figs.munitions}
    assert got == {
        ("cluster_munition", None, "unspecified"),
        ("napalm", None, "unspecified"),
        ("white_phosphorus", None, "unspecified"),
    }


def test_vague_munitions():
    m = run("ألقى الطيران عشرات البراميل المتفجرة على المنطقة.").munitions[0]
    assert (m.munition_type, m.value, m.qualifier) == ("barrel_bomb", None, "vague")


# --- vague and unquantified


def test_unquantified_mentions_are_not_figures():
    figs = run("سقط عدد من الجرحى وأصيب آخرون، وارتكبت قوات النظام مجازر بحق المدنيين.")
    assert figs.casualties == []


# --- not figures


def test_labels_dates_ages_distances_are_not_figures():
    body = (
        "قتل طفل يبلغ من العمر 12 عاماً في قصف لقوات اللواء 155 على حي المزة 86، يوم 15 آذار 2016، "
        "عند الساعة 10:30، على بعد 5 كم من المدينة."
    )
    figs = run(body)
    assert cas(figs) == [("killed", "children", 1)]


def test_targets_percentages_money_population_troops():
    body = (
        "قصف الجيش أكثر من 200 هدف. وبلغت نسبة الأطفال بين الضحايا 40%. وقدرت الخسائر بـ5 ملايين دولار. "
        "ويعيش في المدينة نحو 300 ألف نسمة. ويشارك 4 آلاف جندي في العملية."
    )
    assert run(body).casualties == []
    assert mun(run(body)) == []


def test_a_covid_ticker_elsewhere_on_the_page_does_not_silence_a_toll():
    body = (
        "كورونا في شمال غرب سوريا: 21,436 إصابة | 647 وفاة\n\nمجزرة في سرمين\n\n"
        "قتل 9 مدنيين بينهم 3 أطفال، وأصيب العشرات بينهم حالات حرجة.\n\n"
        "وأعلنت الصحة تسجيل 30 إصابة بفيروس كورونا. وسجلت 5 حالات وفاة جديدة."
    )
    assert cas(run(body)) == [("killed", "civilians", 9), ("killed", "children", 3), ("injured", "total", None)]


def test_workers_and_volunteers_are_plurals_and_lil_is_definite():
    figs = run("في استهداف متعمد للعاملين في المجال الإنساني. وقتل متطوعين في القصف.")
    assert cas(figs) == []


def test_view_counts_and_times():
    body = "1520\nمشاهدة\n09:41\nقتل 4 مدنيين في غارة على القرية."
    figs = run(body)
    assert cas(figs) == [("killed", "civilians", 4)]
    assert mun(figs) == [("airstrike", 1)]


def test_empty_body():
    figs = run("")
    assert figs.casualties == [] and figs.munitions == []


# --- more language, fewer false positives


def test_weapon_after_a_preposition_is_not_what_is_counted():
    figs = run("قتل 5 مدنيين بغارة روسية على السوق.")
    assert cas(figs) == [("killed", "civilians", 5)]
    assert mun(figs) == [("airstrike", 1)]


def test_double_bombing_and_families_displaced():
    figs = run("خلف التفجير المزدوج 20 قتيلاً. ونزحت 300 عائلة من المخيم.")
    assert mun(figs) == [("bombing", 2)]
    assert cas(figs) == [("killed", "total", 20), ("displaced", "total", 300)]


def test_cues_numbers_and_weapons_inside_names_are_part_of_the_names():
    body = (
        "وقال أحد سكان كفر زيتا إن 40 عائلة عادت إلى منازلها. قتلى وجرحى بقصف على ناحية السبع بيار. "
        "وأكدت منظمة حظر الأسلحة الكيميائية وصول بعثتها إلى حي الشهداء."
    )
    names = [
        mention(body, "كفر زيتا", "location"),
        mention(body, "ناحية السبع بيار", "location"),
        mention(body, "منظمة حظر الأسلحة الكيميائية", "organisation"),
        mention(body, "حي الشهداء", "location"),
    ]
    figs = run(body, names)
    assert figs.casualties == [] and figs.munitions == []
    # the same words outside a name still count
    figs = run("وفر خمسة آلاف مدني من القصف بالأسلحة الكيميائية.")
    assert cas(figs) == [("displaced", "civilians", 5000)]
    assert [m.munition_type for m in figs.munitions] == ["chemical_attack"]


# --- the phrase automaton reads the cue lists as the regexes it replaced did


def _reference_phrase_re(phrases, clitics):
    """The regex each cue list was matched with before the automaton: a phrase trie (children in code point
    order, a phrase before its prefixes), words joined by any run of [\\s\\-–/], optional clitics, word edges."""
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node):
        alts = [
            (r"[\s\-–/]*" if ch == " " else re.escape(ch)) + emit(child) for ch, child in sorted(node.items()) if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    clitic_alt = "|".join(re.escape(c) for c in sorted(clitics, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{clitic_alt})?(?P<w>{emit(trie)})(?![^\W\d_])")


def _phrase_lists():
    matcher = lexicon().phrases
    return {
        name: ({" ".join(part for part in re.split(r"[\s\-–/]+", p) if part) for p in phrases if p}, clitics)
        for name, (phrases, clitics) in matcher.lists.items()
    }


def _tricky_texts(seed: int = 7, count: int = 150) -> list[str]:
    """Phrases of every list with clitics, glued or odd joiners, marks and digits around them, and noise."""
    rng = random.Random(seed)
    lists = _phrase_lists()
    words = sorted({p for phrases, _ in lists.values() for p in phrases})  # the same texts in every run
    clitics = sorted({c for _, cl in lists.values() for c in cl})
    glue = [" ", "  ", "-", " - ", "/", "\n", "", " – ", "\t"]
    around = [" ", "  ", "، ", ". ", "«", "»", "(", "5", "ال", "و", "x", "_", "\n"]
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(3, 12)):
            phrase = rng.choice(words)
            if " " in phrase and rng.random() < 0.5:
                phrase = rng.choice(glue).join(phrase.split(" "))
            if rng.random() < 0.4:
                phrase = rng.choice(clitics) + phrase
            if rng.random() < 0.2:
                phrase = phrase[: rng.randint(1, len(phrase))]  # a word cut short
            parts.append(phrase + rng.choice(around))
        texts.append(fold("".join(parts)))
    return texts


def test_joiner_characters_are_those_of_the_regex_class():
    assert {c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() or c in "-–/"} == JOINER_CHARS


def test_phrase_matches_equal_the_regexes_they_replace():
    lists = _phrase_lists()
    regexes = {name: _reference_phrase_re(phrases, clitics) for name, (phrases, clitics) in lists.items()}
    rng = random.Random(11)
    for text in _tricky_texts():
        doc = Document(text, [])
        spans = [(0, len(text))] + doc.spans + [tuple(sorted(rng.sample(range(len(text) + 1), 2))) for _ in range(6)]
        for name, rx in regexes.items():
            for lo, hi in spans:
                # finditer(text, lo, hi): what Document.phrases returns, with the start of the phrase after its clitic
                want = [(m.start(), m.start("w"), m.end()) for m in rx.finditer(text, lo, hi)]
                got = [(s, s - clitic, e) for s, clitic, _, e in doc.phrases(name, lo, hi)]
                assert got == want, (name, text[lo:hi])
                assert doc.has_phrase(name, lo, hi) == bool(want)
                # search(text[lo:hi]): a window cut out of the text, whose edges are word edges
                assert doc.has_phrase(name, lo, hi, substring=True) == bool(rx.search(text[lo:hi])), (name, text[lo:hi])
            for sent in doc.sents:
                assert doc.sentence_phrases(name, sent) == doc.phrases(name, sent.start, sent.end)
            for pos in range(0, len(text), 3):
                m = rx.match(text, pos)
                found = doc.phrase_at(name, pos)
                want = (m.start(), m.start("w"), m.end()) if m else None
                assert ((found[0], found[0] - found[1], found[3]) if found else None) == want, (
                    name,
                    text[pos : pos + 30],
                )


def test_sentence_tokens_split_as_the_token_regex_reads_them():
    for text in _tricky_texts(count=40) + ["abcعربيdef عربيabc 12,5.3 ²³ x_y «قال»: ١٢ ـمقتل"]:
        assert TOKEN_SPLIT.split(text)[1::2] == TOKEN_RE.findall(text)


def test_qualifier_before_is_searched_only_where_it_can_match():
    lex = lexicon()
    windows = [t[i : i + 34] for t in _tricky_texts(count=20) for i in range(0, len(t), 7)]
    windows += [
        "قتل " + clitic + phrase + tail
        for phrase in lex.qual_before
        for clitic in ("", "و", "ب")
        for tail in ("", " ", ' "', " «", "\n", " \n", "x", " 5", "ال")
    ]
    for window in windows:
        want = lex.qual_before_re.search(window)
        got = search_qualifier_before(window)
        assert (got.span("q") if got else None) == (want.span("q") if want else None), window


def test_token_memos_are_bounded_and_used():
    """A run over a million articles meets millions of distinct tokens: the per-token memos keep a bounded
    number of them (an unbounded @cache here grew with every article read)."""
    memos = (phrase_key, noun_roles, bare_forms)
    assert all(memo.cache_info().maxsize == TOKEN_CACHE_SIZE for memo in memos)
    before = [memo.cache_info().currsize for memo in memos]
    rng = random.Random(5)
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    fresh = ["".join(rng.choice(letters) for _ in range(7)) for _ in range(50)]
    run(" ".join(f"قتل {i + 3} {word} وأصيب {i + 60} {word}ين." for i, word in enumerate(fresh)))
    after = [memo.cache_info().currsize for memo in memos]
    assert after[1] > before[1] or before[1] == TOKEN_CACHE_SIZE  # the roles memo saw the new words
