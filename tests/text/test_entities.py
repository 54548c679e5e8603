from conflict_text.entities import find_mentions


def _by_surface(body):
    ms = find_mentions(body)
    for m in ms:
        assert body[m.char_start : m.char_end] == m.surface
    return {m.surface: m for m in ms}


def test_clitics_are_excluded_from_the_surface():
    body = "سقطت قذائف بالغوطة الشرقية ووصلت وحرستا، وقال مصدر لجيش الإسلام إن والنظام صعّد."
    got = _by_surface(body)
    assert got["الغوطة الشرقية"].entity_id == "place:eastern_ghouta"
    assert got["حرستا"].entity_type == "location"
    assert got["جيش الإسلام"].entity_id == "group:jaysh_al_islam"
    assert got["النظام"].entity_type == "armed_group"


def test_lil_form_keeps_its_clitic_and_canonical_name():
    body = "وبحسب إحصائية للمرصد السوري لحقوق الإنسان فإن الحصيلة ارتفعت."
    ms = find_mentions(body)
    m = next(m for m in ms if m.entity_id == "org:sohr")
    assert m.surface == "للمرصد السوري لحقوق الإنسان" and m.name_ar == "المرصد السوري لحقوق الإنسان"


def test_longest_match_and_variants():
    body = "قصفت قوات النظام السوري بلدة كفر بطنا، وقالت الأممالمتحدة إن سورية تحتاج إلى مساعدات."
    got = _by_surface(body)
    assert got["قوات النظام السوري"].entity_id == "group:syrian_government_forces"
    assert "قوات النظام" not in got
    assert got["كفر بطنا"].entity_type == "location"
    assert got["الأممالمتحدة"].entity_id == "org:un"
    assert got["سورية"].entity_id == "place:country:syria"


def test_diacritics_and_hamza_variants():
    got = _by_surface("غارات على ادلب وحزّة ومعرة النعمان")
    assert {"ادلب", "حزّة", "معرة النعمان"} <= got.keys()


def test_ambiguous_place_needs_a_cue():
    assert not [m for m in find_mentions("نعيش في الحاضر أياماً صعبة.") if m.entity_type == "location"]
    got = _by_surface("تقدمت القوات نحو بلدة الحاضر جنوب حلب.")
    assert got["الحاضر"].entity_type == "location" and got["الحاضر"].match_source == "gazetteer"


def test_a_unit_named_unambiguously_anchors_its_force_s_ambiguous_name():
    quoted = 'ونفى مصدر مقرب من "الحرس الثوري" أي هجوم.'
    assert not [m for m in find_mentions(quoted) if m.entity_type == "armed_group"]
    got = _by_surface(quoted + " وقصف فيلق القدس الإيراني مواقع قرب الحدود.")
    assert got["الحرس الثوري"].entity_id == "group:irgc"
    assert got["فيلق القدس الإيراني"].entity_id == "group:quds_force"


def test_a_group_named_without_its_head_takes_the_head_written_before_it():
    got = _by_surface("وشنت جبهة تحرير الشام هجوماً على مواقع الجيش.")
    assert got["جبهة تحرير الشام"].entity_id == "group:hts"
    got = _by_surface("ودارت معارك على جبهة داعش في البادية.")  # a front, and «داعش» is a whole name
    assert got["داعش"].entity_id == "group:isis"


def test_ambiguous_media_needs_a_cue():
    assert not [m for m in find_mentions("تحدث باللغة العربية أمام الحضور.") if m.entity_type == "media"]
    got = _by_surface("وقال مصدر طبي لقناة العربية إن المشفى خرج عن الخدمة.")
    assert got["قناة العربية"].entity_id == "media:alarabiya"
    got = _by_surface('وأضاف لـ"العربية" أن المشفى خرج عن الخدمة.')
    assert got["العربية"].entity_id == "media:alarabiya"


def test_an_ambiguous_outlet_name_on_a_line_of_its_own_is_its_masthead():
    got = _by_surface("اليوم السابع\nسقطت قذيفة على سوق البلدة صباح اليوم.")
    assert got["اليوم السابع"].entity_id == "media:youm7"
    got = _by_surface("دمشق: «الشرق الأوسط»\nتواصل القصف لليوم الثالث.")
    assert got["الشرق الأوسط"].entity_id == "media:asharq_al_awsat"
    # the same words in running text are a day and a region
    body = "وفي اليوم السابع من الحصار نفد الخبز، وتحدث الوزير عن أمن الشرق الأوسط وعمل طوال النهار."
    assert not [m for m in find_mentions(body) if m.entity_type == "media"]


def test_an_outlet_named_like_a_town_is_the_outlet_after_an_outlet_s_or_reporter_s_noun():
    for body in ("وأفاد مراسل الميادين بأن الغارة استهدفت البلدة.", 'وقال مصدر لقناة "الميادين" إن الهجوم فشل.'):
        assert [(m.entity_id, m.surface) for m in find_mentions(body)] == [("media:al_mayadeen", "الميادين")], body
    # the town itself, and a town that names no outlet after a reporter
    got = _by_surface("وقصفت الطائرات مدينة الميادين، وأفاد مراسل حمص بأن القصف عنيف.")
    assert got["الميادين"].entity_type == "location" and got["حمص"].entity_type == "location"


def test_nested_city_inside_countryside_region():
    got = _by_surface("قتل مدنيان في قصف على ريف حماة الشمالي.")
    assert got["ريف حماة الشمالي"].entity_type == "location"
    assert got["حماة"].entity_type == "location"


def test_discovered_places_people_and_media():
    body = (
        "وقال الناطق باسم فصيل محلي سامر الحلبي لوكالة الأخبار المستقلة إن القصف طال قرية تل شعيب "
        "وحي الزيتونة، فيما نقلت صحيفة الصباح عن العقيد ياسر عبد الكريم أن بلدات المنصورية والقصيبة تضررت."
    )
    got = _by_surface(body)
    assert got["سامر الحلبي"].entity_type == "person" and got["سامر الحلبي"].match_source == "pattern"
    assert got["تل شعيب"].entity_type == "location"
    assert got["حي الزيتونة"].entity_id.startswith("pattern:location:")
    assert got["ياسر عبد الكريم"].entity_type == "person"
    assert got["الصباح"].entity_type == "media"
    assert {"المنصورية", "القصيبة"} <= got.keys()


def test_offsets_survive_normalisation_and_spacing():
    body = "ذكرت  وكالة\u00a0رويترز أن\u0640\u0640 قوات  النظام قصفت دوما."
    ms = find_mentions(body)
    assert ms and all(body[m.char_start : m.char_end] == m.surface for m in ms)
    assert any(m.entity_id == "media:reuters" for m in ms)
    assert any(m.entity_id == "group:syrian_government_forces" and m.surface == "قوات  النظام" for m in ms)


def test_empty_body():
    assert find_mentions("") == []


def test_offsets_when_folded_marks_sit_inside_squeezed_spaces():
    body = "قُتِلَ مدنيان في \u200f  قصفٍ على  بلدة\tكَفْرنبل،  \u00a0وقال  \u200f\u200f الناطق باسم قسد فرهاد  شامي."
    got = _by_surface(body)
    assert got["كَفْرنبل"].entity_type == "location"
    assert got["فرهاد  شامي"].entity_id == "person:farhad_shami"
    assert got["قسد"].entity_id == "group:sdf"


def test_actors_and_places_across_the_war():
    body = (
        "وأفاد مراسل روداو أن فرقة السلطان سليمان شاه بقيادة أبو عمشة انسحبت من معبر باب السلامة، "
        "فيما قال أحمد الشرع إن كتائب حزب الله وعصائب أهل الحق تنتشر قرب مخيم الركبان، "
        "وامتدت الاشتباكات إلى الفوعة وكفريا وبلدة حضر."
    )
    got = _by_surface(body)
    assert got["روداو"].entity_id == "media:rudaw"
    assert got["فرقة السلطان سليمان شاه"].entity_id == "group:sultan_suleiman_shah"
    assert got["أبو عمشة"].entity_id == "person:mohammad_al_jasim"
    assert got["معبر باب السلامة"].entity_id == "place:bab_al_salameh"
    assert got["أحمد الشرع"].entity_id == "person:abu_mohammad_al_julani"
    assert got["كتائب حزب الله"].entity_id == "group:kataib_hezbollah" and "حزب الله" not in got
    assert got["عصائب أهل الحق"].entity_type == "armed_group"
    assert got["مخيم الركبان"].entity_id == "place:rukban_camp"
    assert got["الفوعة"].entity_id == "place:foua" and got["كفريا"].entity_id == "place:kafriya"
    assert got["حضر"].entity_id == "place:hadar"


def test_new_ambiguous_names_need_a_cue():
    ms = find_mentions("حضر الاجتماع وزير الخارجية، وقال إن الركبان عادوا إلى المدن الكبرى بعد صلاة الخلفاء الراشدين.")
    assert ms == []


def test_known_given_and_family_names_are_a_person_without_a_cue():
    got = _by_surface("ونعى الأهالي محمود العلي وخالد بن سعيد الذين قضوا تحت الأنقاض.")
    assert got["محمود العلي"].entity_type == "person" and got["محمود العلي"].match_source == "pattern"
    assert got["خالد بن سعيد"].entity_type == "person"


def test_names_that_are_common_words_or_stand_alone_are_not_people():
    # «سعيد» is a known given name, but not followed by a name; «سلام» and «جميل» are common words
    # filtered out of the names list; «علي» (folded like «على») needs a cue.
    for body in (
        "وقال إنه سعيد بالاتفاق، وإن السلام دائم، وإن عملهم جميل جداً.",
        "وصلت المساعدات على شاحنات إلى المدينة.",
    ):
        assert not [m for m in find_mentions(body) if m.entity_type == "person"], body


def test_hashtag_words_joined_by_underscores_are_matched():
    body = "وتعمل فرق #الدفاع_المدني في #ريف_حمص_الشمالي منذ الصباح، #سوريا"
    got = _by_surface(body)
    assert got["الدفاع_المدني"].entity_id == "org:syria_civil_defence"
    assert got["ريف_حمص_الشمالي"].entity_type == "location" and got["سوريا"].entity_type == "location"
    # an underscore inside a word that is no name leaves nothing behind
    assert not find_mentions("رابط الصفحة: news_item_2019_final")


def test_facilities_are_named_with_their_noun():
    body = (
        "سقطت قذيفة قرب مسجد عبد الحميد الزهراوي، وأخرى على مدرسة نسيبة المازنية، ونقل الجرحى إلى "
        "مشفى الرحمة التخصصي ثم إلى مشفى كفرنبل الجراحي، فيما تضرر جامع «خالد بن الوليد» وحديقة التجارة."
    )
    got = _by_surface(body)
    for name in (
        "مسجد عبد الحميد الزهراوي",
        "مدرسة نسيبة المازنية",
        "مشفى الرحمة التخصصي",
        "مشفى كفرنبل الجراحي",
        "حديقة التجارة",
    ):
        assert got[name].entity_type == "location" and got[name].match_source == "pattern", name
    quoted = next(m for m in find_mentions(body) if m.surface.startswith("جامع"))
    assert quoted.name_ar == "جامع خالد بن الوليد"


def test_a_facility_noun_without_a_name_is_not_a_place():
    body = "افتتحت مدرسة ابتدائية ومسجد صغير، وقصف مشفى ميداني، وعملت معلمة مدرسة جراء الحصار دون أجر."
    assert not [m for m in find_mentions(body) if m.entity_type == "location"]


def test_places_in_brackets_quotes_and_comma_lists_after_a_cue():
    got = _by_surface(
        "قصفت المدفعية قرى (تل مرق، والعوينات، وخربة الشيح) وبلدات الصفيرة، الرويسة، والحمرات "
        "ومناطق (السهلة، أم الزيتون) وبلدة «الكرمة الشرقية» وأحياء «الجورة والخمس بيوت»."
    )
    for name in (
        "تل مرق",
        "العوينات",
        "خربة الشيح",
        "الصفيرة",
        "الرويسة",
        "الحمرات",
        "السهلة",
        "أم الزيتون",
        "الكرمة الشرقية",
        "الجورة",
        "الخمس بيوت",
    ):
        assert got[name].entity_type == "location", name


def test_a_comma_after_a_listed_place_does_not_make_the_next_words_places():
    # a bare comma continues a list only when an item with «و» or the closing bracket follows
    got = _by_surface("قصفت الطائرات قرى الصفيرة، أسفر القصف عن دمار واسع، وبلدة «الكرمة» في الريف.")
    assert "الصفيرة" in got and "أسفر" not in got and "أسفر القصف" not in got


def test_rivers_and_their_regions():
    got = _by_surface(
        "تقدمت القوات على الضفة الشرقية لنهر الفرات، وتراجعت فصائل درع الفرات شرق الفرات، "
        "وفاض نهر العاصي قرب جسر الشغور."
    )
    assert got["نهر الفرات"].entity_id == "place:river:euphrates"
    assert got["فصائل درع الفرات"].entity_type == "armed_group" and got["شرق الفرات"].entity_type == "location"
    assert got["نهر العاصي"].entity_id == "place:river:orontes"
    # «العاصي» alone is also a family name: it needs the river's noun
    ms = find_mentions("وقال المهندس سامر العاصي إن الجسر تضرر.")
    assert not [m for m in ms if m.entity_type == "location"]


def test_an_area_cue_names_a_place_only_with_a_definite_name():
    got = _by_surface("سقطت قذيفتان في منطقة المعامل الجديدة وأخرى في منطقة الكراجات، وهي منطقة مكتظة بالسكان.")
    # the surface keeps the cue, the canonical name is the bare name
    assert got["منطقة المعامل الجديدة"].name_ar == "المعامل الجديدة"
    assert got["منطقة الكراجات"].entity_id == "pattern:location:الكراجات"
    assert not [
        m for m in find_mentions("نزحت العائلات من منطقة مكتظة إلى منطقة آمنة نسبياً.") if m.entity_type == "location"
    ]


def test_armed_groups_from_their_heads():
    body = (
        'قصفت مدفعية الفوج 46 مواقع «كتائب أنصار الحق»، وقال الناطق باسم "تجمع أحرار الجبل" إن '
        'الجيش العراقي أغلق الحدود، فيما انسحبت وحدات "حماية الشعب الكردية" من القرية.'
    )
    got = _by_surface(body)
    for name in ("الفوج 46", "كتائب أنصار الحق", "تجمع أحرار الجبل", "الجيش العراقي"):
        assert got[name].entity_type == "armed_group", name
    ypg = next(m for m in find_mentions(body) if m.surface.startswith("وحدات"))
    assert ypg.entity_id == "group:ypg"


def test_a_rank_a_long_quote_or_an_adjective_after_a_head_is_no_group():
    body = (
        'وقال اللواء سمير الحداد إن "قوات الحكومة لن تنسحب من المدينة مهما كلف الأمر"، وإن الجيش الكبير يحتاج إلى وقت.'
    )
    assert not [m for m in find_mentions(body) if m.entity_type == "armed_group" and m.match_source == "pattern"]


def test_a_crew_word_before_the_civil_defence_is_not_part_of_its_name():
    got = _by_surface("وعملت فرق الدفاع المدني على انتشال الضحايا، وأصيب اثنان من متطوعي الدفاع المدني.")
    assert got["الدفاع المدني"].entity_id == "org:syria_civil_defence"
    assert not [s for s in got if s.startswith(("فرق", "متطوعي"))]


def test_organisation_names_may_hold_a_place_and_names_run_on_over_their_tails():
    body = (
        "وقالت مديرية صحة حمص الحرة إن المصابين نقلوا، بحسب مديرية صحة إدلب الحرة، وانسحبت "
        "وحدات حماية المرأة الكردية من القرية."
    )
    got = _by_surface(body)
    assert got["مديرية صحة حمص الحرة"].entity_type == "organisation" and got["حمص"].entity_type == "location"
    assert got["مديرية صحة إدلب الحرة"].entity_id == "org:health_directorate_idlib"
    assert got["وحدات حماية المرأة الكردية"].entity_id == "group:ypg"
    # a tail word is no part of a name that is not followed by it directly
    got = _by_surface("قصفت قوات النظام مواقع المعارضة السورية المسلحة.")
    assert "قوات النظام" in got and not [s for s in got if s.endswith("السورية")]


def test_people_from_family_names_bylines_and_titles():
    body = (
        "حماة ــ سامر القطيفاني\n\nأصيب ثلاثة متطوعين هم: محمود الزعتري، وخالد العكيدي. "
        "وقال الكولونيل بيتر ماكنزي إن الطائرات انسحبت، وأكد اللواء إيغور كوناشينكوف ذلك."
    )
    got = _by_surface(body)
    for name in ("سامر القطيفاني", "محمود الزعتري", "خالد العكيدي", "بيتر ماكنزي", "إيغور كوناشينكوف"):
        assert got[name].entity_type == "person", name


def test_no_person_from_a_title_before_numbers_or_an_adjective_after_a_name():
    for body in (
        "تقدم اللواء 155 نحو التلال، وقال السيد وزير الخارجية إن الطريق مفتوح.",
        "ووصل سامر متأخراً، وكان حسن السوري في المدينة.",
        "قصف محمد الأمين المشفى أمس في المدينة\nوانقطعت الكهرباء",
    ):
        assert not [m for m in find_mentions(body) if m.entity_type == "person"], body


def test_a_countryside_cue_leaves_the_bare_name_and_lists_take_short_prefixes():
    got = _by_surface("سقطت قذائف على قرى الزيادية وأم الشرايط وتل الكرامة في ريف أبو حمام.")
    for name in ("الزيادية", "أم الشرايط", "تل الكرامة", "أبو حمام"):
        assert got[name].entity_type == "location", name
    assert not [s for s in got if s.startswith("ريف")]


def test_a_place_after_an_organisation_is_its_own_mention():
    got = _by_surface("وقال مركز المصالحة الروسي في حميميم إن فرق الدفاع المدني في إدلب وفصائل الجيش الحر انسحبت.")
    assert got["مركز المصالحة الروسي"].entity_type == "organisation" and got["حميميم"].entity_type == "location"
    assert got["الدفاع المدني"].entity_type == "organisation" and got["إدلب"].entity_type == "location"
    assert got["الجيش الحر"].entity_id == "group:fsa"


def test_facility_names_may_open_with_a_joiner_or_a_title_and_end_with_an_adjective():
    got = _by_surface(
        "سقطت قذيفة قرب جامع أبو عبيدة الجراح، وأخرى على مدرسة الشهيد خالد العمر، "
        "وخرج مشفى معرة النعمان الميداني عن الخدمة."
    )
    for name in ("جامع أبو عبيدة الجراح", "مدرسة الشهيد خالد العمر", "مشفى معرة النعمان الميداني"):
        assert got[name].entity_type == "location", name


def test_a_discovered_place_or_outlet_replaces_the_known_places_inside_it():
    body = "قصفت المدفعية قرى (معرة الصين، وكفرسجنة) بحسب مراسلي «درعا اليوم»، وقال مراسل «حمص نيوز» ذلك."
    got = _by_surface(body)
    assert got["معرة الصين"].entity_type == "location" and got["درعا اليوم"].entity_type == "media"
    assert "الصين" not in got and "درعا" not in got
    assert got["حمص نيوز"].entity_type == "media" and "حمص" not in got


def test_a_media_centre_is_an_outlet():
    got = _by_surface('وقال "مركز حماة الإعلامي" إن القصف طال مركز الدفاع المدني ومركز المدينة.')
    assert got["مركز حماة الإعلامي"].entity_type == "media" and "حماة" not in got
    assert not [
        m for m in find_mentions("أصيب متطوع في مركز الدفاع المدني في مركز المدينة.") if m.entity_type == "media"
    ]


def test_the_forces_of_a_known_actor():
    got = _by_surface("وانتشر جيش نظام الأسد في المدينة بينما انسحبت قوات الإدارة الذاتية منها.")
    assert got["جيش نظام الأسد"].entity_id == "group:syrian_regime"
    assert got["قوات الإدارة الذاتية"].entity_type == "armed_group"
    assert "الإدارة الذاتية" not in got


def test_a_title_opening_a_place_name_is_part_of_it():
    got = _by_surface("ألقت المروحيات براميل على قرى كفرومة والشيخ إدريس، وسقطت قذيفة قرب جامع الشيخ عيسى.")
    assert got["الشيخ إدريس"].entity_type == "location" and got["جامع الشيخ عيسى"].entity_type == "location"


def test_civil_defence_variants():
    got = _by_surface("وذكرت هيئة الدفاع المدني أن متطوعي الخوذ البيض انتشلوا الجثث.")
    assert got["هيئة الدفاع المدني"].entity_id == "org:syria_civil_defence"
    assert got["الخوذ البيض"].entity_id == "org:syria_civil_defence"


def test_each_red_crescent_is_its_own_organisation():
    for body, entity_id in (
        ("ووزع الهلال الأحمر الكردي سلالاً غذائية في المخيم.", "org:kurdish_red_crescent"),
        ("وأرسل الهلال الأحمر التركي قافلة عبر المعبر.", "org:turkish_red_crescent"),
        ("وأجلى الهلال الأحمر العربي السوري الجرحى.", "org:sarc"),
    ):
        assert [m.entity_id for m in find_mentions(body) if m.entity_type == "organisation"] == [entity_id], body
