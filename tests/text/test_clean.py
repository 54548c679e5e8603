"""clean_document: furniture goes, article text stays, metadata is read only where the page states it."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from pathlib import Path

import pytest

from conflict_text.clean import clean_document
from conflict_text.models import CleanedDocument
from conflict_text.normalize import fold

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
FURNITURE = Path(__file__).resolve().parents[2] / "conflict_text" / "data" / "furniture.json"

P1 = "قتل 7 مدنيين بينهم ثلاثة أطفال في قصف جوي استهدف بلدة كفرنبل جنوب إدلب صباح اليوم، بحسب الدفاع المدني."
P2 = "وأضاف الدفاع المدني أن فرقه انتشلت الجثث من تحت الأنقاض، وأن 15 شخصاً أصيبوا بجروح متفاوتة الخطورة."
P3 = "وتشهد المنطقة تصعيداً عسكرياً منذ مطلع الشهر، إذ ألقت المروحيات 20 برميلاً متفجراً على القرى المحيطة."
TITLE = "مقتل سبعة مدنيين في قصف جوي على كفرنبل"


def page(*lines: str) -> str:
    return "\n".join(lines)


def clean(text: str) -> CleanedDocument:
    doc = clean_document(text)
    assert isinstance(doc, CleanedDocument)
    assert doc.body == doc.body.strip()
    return doc


def assert_article_intact(doc: CleanedDocument, *paragraphs: str) -> None:
    for p in paragraphs:
        assert p in doc.body, p


def digits(text: str) -> set[str]:
    return set(re.findall(r"\d+", text))


# ----------------------------------------------------------------------------------------- furniture


def test_related_headlines_block_after_marker():
    doc = clean(
        page(
            "المزيد",
            "وفد أممي يزور دمشق لبحث ملف المعتقلين",
            "ارتفاع أسعار الخبز 300 بالمئة في مناطق النظام",
            "تسجيل 45 إصابة جديدة بفيروس كورونا في الشمال السوري",
            "",
            TITLE,
            "",
            P1,
            "",
            P2,
        )
    )
    assert "300" not in doc.body and "45" not in doc.body and "المزيد" not in doc.body
    assert_article_intact(doc, P1, P2)
    assert doc.title == TITLE
    assert doc.furniture_lines_removed >= 4


def test_numbered_related_list_at_the_end():
    doc = clean(
        page(
            TITLE,
            "",
            P1,
            "",
            P2,
            "",
            "مقالات متعلقة",
            "",
            "1. مقتل 4 عناصر من قوات النظام بريف حماة",
            "",
            "2. نزوح 900 عائلة من ريف إدلب الجنوبي",
        )
    )
    assert digits(doc.body) == {"7", "15"}
    assert doc.body.endswith(P2)


def test_read_also_inline_line():
    doc = clean(page(P1, "اقرأ أيضاً: مقتل 12 عنصراً في كمين شرق حمص", P2))
    assert "12" not in doc.body
    assert_article_intact(doc, P1, P2)


def test_breaking_news_ticker():
    ticker = (
        "تسجيل 9 إصابات جديدة بكورونا في حلب - 09:33 مقتل شاب برصاص مجهولين في درعا - 21:08 "
        "سقوط 4 قذائف على أحياء دمشق (مصادر محلية) - 08:50 اعتقال 30 شاباً في دير الزور - 11:52"
    )
    doc = clean(page("الأخبار العاجلة", ticker, "", TITLE, "", P1, "", P2))
    assert digits(doc.body) == {"7", "15"}
    assert doc.title == TITLE


def test_ticker_without_marker_is_still_a_ticker():
    ticker = "غارات على ريف إدلب - 10:15 قصف مدفعي على جبل الزاوية - 10:40 مقتل 3 مدنيين في أريحا - 11:05"
    doc = clean(page(P1, "", ticker, "", P2))
    assert "11" not in doc.body and "3 مدنيين" not in doc.body


def test_view_count_time_url_font_size_and_avatar_widgets():
    doc = clean(
        page(
            TITLE,
            "",
            "11:07",
            "",
            "https://example-news.net/a/123456789",
            "1210",
            "مشاهدة",
            "2500 مشاهدة",
            "pictogram-avatar",
            "Editing: محرر الموقع |",
            "access_time",
            "حجم الخط:",
            "A A A",
            "",
            P1,
            "",
            P2,
        )
    )
    assert digits(doc.body) == {"7", "15"}
    assert doc.url == "https://example-news.net/a/123456789"
    assert "Editing" not in doc.body and "حجم الخط" not in doc.body


def test_share_line_and_trailing_teaser_that_repeats_the_opening():
    teaser_title = "سبعة قتلى بقصف جوي على ريف إدلب الجنوبي"
    doc = clean(
        page(
            "شبكة الأخبار",
            "",
            P1,
            "",
            P2,
            "",
            P3,
            "",
            "شارك المقال مع أصدقائك على مواقع التواصل الاجتماعي",
            "",
            teaser_title,
            "",
            "شبكة الأخبار " + P1 + " " + P2[:60],
            "",
            "Send this to a friend",
        )
    )
    assert doc.body.count("قتل 7 مدنيين") == 1
    assert doc.body.endswith(P3)
    assert "شارك المقال" not in doc.body and "Send this" not in doc.body
    assert doc.title == teaser_title  # the page had no headline at the top; the card carries it


@pytest.mark.parametrize(
    "share_line",
    ["شارك: فيسبوك | تويتر | واتساب  |  التعليقات (4)", "مشاركة: فيسبوك  تويتر", "شارك: فيسبوك تويتر يوتيوب"],
)
def test_a_share_label_with_a_colon_and_its_networks_is_furniture(share_line):
    doc = clean(page(TITLE, "", P1, "", P2, "", share_line))
    assert doc.body.endswith(P2) and "فيسبوك" not in doc.body


def test_comment_counters_most_read_and_emoji_headers():
    doc = clean(
        page(
            TITLE,
            "",
            P1,
            "",
            P2,
            "",
            "التعليقات (0)",
            "",
            "    0",
            "",
            "    الأكثر قراءة",
            "",
            "    💡 أهم المواضيع",
            "",
            "    ✨ أهم التصنيفات",
            "تعليقات 3",
        )
    )
    assert doc.body.endswith(P2)
    assert digits(doc.body) == {"7", "15"}
    assert doc.furniture_lines_removed == 6


def test_menus_and_lines_of_separated_widgets():
    doc = clean(
        page(
            "الرئيسية | العالم العربي | دوليات | اقتصاد | رأي | الأكثر قراءة",
            "الرئيسية  سياسة  رأي  ثقافة  رياضة  تلفزيون",
            "",
            TITLE,
            "",
            "منذ 6 ساعات | 27 - مايو - 2019 | 2,071 مشاهدة",
            "",
            P1,
            "",
            P2,
            "",
            "التعليقات (3) | طباعة | مشاركة",
        )
    )
    assert doc.title == TITLE
    assert doc.published_date == date(2019, 5, 27)  # the date of a dateline of widgets
    assert doc.body == page(TITLE, "", P1, "", P2)
    assert doc.furniture_lines_removed == 4


def test_weather_and_currency_quotes_view_counters_and_footers():
    doc = clean(
        page(
            "الطقس: دمشق 24° حلب 21° إدلب 22°",
            "الدولار: 13,250 ليرة | اليورو: 14,400 ليرة",
            "حلب 18° | إدلب 19°",
            "",
            TITLE,
            "مشاهدة 12,345",
            "",
            P1,
            "",
            P2,
            "",
            "من نحن | اتصل بنا | سياسة الخصوصية",
            "جميع الحقوق محفوظة © 2017 شبكة الأخبار",
            "© 2019 موقع الأخبار. جميع الحقوق محفوظة",
            "شبكة الأخبار 2020 - جميع الحقوق محفوظة",
        )
    )
    assert doc.title == TITLE
    assert doc.body == TITLE + "\n\n" + P1 + "\n\n" + P2
    assert doc.furniture_lines_removed == 8


def test_a_list_of_places_set_apart_by_spaces_is_article_text():
    places = "حلب  إدلب  حماة  حمص  دير الزور"
    assert clean(page(TITLE, "", places, "", P1)).body == page(TITLE, "", places, "", P1)


def test_photo_captions():
    doc = clean(
        page(
            TITLE,
            "صورة أرشيفية لمقاتلين في ريف حلب",
            "دمار في حي سكني بعد غارة - أرشيف",
            "آثار القصف على السوق الشعبي (رويترز)",
            "الصورة: عناصر الدفاع المدني 2019",
            "",
            P1,
            "",
            P2,
        )
    )
    assert doc.body == TITLE + "\n\n" + P1 + "\n\n" + P2


def test_caption_printed_twice_in_a_row_is_dropped():
    caption = "دمار خلفه القصف على حي الفردوس - الأربعاء 12 تشرين الأول (ناشطون)"
    doc = clean(page(TITLE, "", caption, "", caption, "", P1, "", P2))
    assert "12" not in doc.body and "الفردوس" not in doc.body
    assert_article_intact(doc, P1, P2)


def test_embedded_tweet_attribution():
    tweet = "لا صحة للأنباء عن انسحاب مقاتلينا من المدينة، ومواقفنا ثابتة #سوريا"
    doc = clean(
        page(P1, "", tweet, "", "— أبو محمد الناطق (@spokesman_01) ٣٠ مارس، ٢٠١٨", "", P2, "pic.twitter.com/AbC123xyz")
    )
    assert "@spokesman_01" not in doc.body and "٣٠" not in doc.body and "pic.twitter" not in doc.body
    assert_article_intact(doc, P1, tweet, P2)


def test_title_repeated_at_the_top_is_kept_once():
    doc = clean(page(TITLE, "", TITLE, P1, "", P2, "", TITLE))
    assert doc.title == TITLE
    assert doc.body.count(TITLE) == 1
    assert doc.body == TITLE + "\n\n" + P1 + "\n\n" + P2
    assert doc.furniture_lines_removed == 2


def test_pull_quote_repeating_body_text_is_dropped():
    quote = "فرقه انتشلت الجثث من تحت الأنقاض"
    doc = clean(page(TITLE, "", P1, "", " " + quote, "", P2))
    assert doc.body == TITLE + "\n\n" + P1 + "\n\n" + P2


def test_inline_url_is_cut_but_the_sentence_stays():
    doc = clean(page(P1, "وذكرت الشبكة أنها وثقت 100 حالة قتل … https://example.org/2375-report"))
    assert "2375" not in doc.body
    assert "وذكرت الشبكة أنها وثقت 100 حالة قتل" in doc.body


def test_long_lines_mentioning_markers_are_article_text():
    sentences = [
        "شارك في الهجوم على مواقع قوات النظام أكثر من 200 مقاتل من الفصائل، وأسفر عن مقتل 14 عنصراً.",
        "وقال مصدر طبي إن المزيد من الجرحى وصلوا إلى المستشفى، وإن عدد القتلى ارتفع إلى 22 مدنياً، وفق صورة أرشيفية نشرها ناشطون.",
        "وأعلنت الأمم المتحدة أن التعليقات الرسمية لم تصدر بعد، في حين نزح 5000 شخص خلال 24 ساعة من ريف حلب الغربي.",
    ]
    doc = clean(page(TITLE, "", *sentences))
    assert_article_intact(doc, *sentences)
    assert doc.furniture_lines_removed == 0


def test_short_article_lines_that_start_like_widgets_survive():
    lines = ["شارك في المعارك 300 مقاتل.", "تابعوا تقدمهم نحو البلدة.", "قتل 4 مدنيين بقصف على سراقب."]
    doc = clean(page(P1, *lines))
    assert_article_intact(doc, P1, *lines)


def test_breadcrumb_and_byline_are_not_the_title():
    doc = clean(page("أخبار سوريا", "", TITLE, "", "تقرير: أحمد الحلبي", P1, "", P2))
    assert doc.title == TITLE
    assert "تقرير: أحمد الحلبي" in doc.body  # bylines carry names, never figures


def test_no_title_when_the_page_starts_with_a_paragraph():
    doc = clean(page(P1, "", P2))
    assert doc.title is None
    assert doc.body == P1 + "\n\n" + P2
    assert doc.furniture_lines_removed == 0


def test_paragraph_structure_is_kept():
    doc = clean(page(TITLE, "", "", P1, P2, "", "", "", P3, "   "))
    assert doc.body == TITLE + "\n\n" + P1 + "\n" + P2 + "\n\n" + P3


def test_empty_and_furniture_only_input():
    assert clean("").body == ""
    doc = clean(page("المزيد", "1210", "مشاهدة", "11:07"))
    assert doc.body == "" and doc.furniture_lines_removed == 4


# ----------------------------------------------------------------------------------------- metadata


@pytest.mark.parametrize(
    "line,expected",
    [
        ("تاريخ النشر: 2018/05/12 11:47", date(2018, 5, 12)),
        ("نشر في 3 آذار 2019", date(2019, 3, 3)),
        ("نُشر بتاريخ: 19 شباط (فبراير) 2018", date(2018, 2, 19)),
        ("2016-10-13T10:42:00+03:00", date(2016, 10, 13)),
        ("  • 2016/10/13", date(2016, 10, 13)),
        ("الخميس 22 مارس/آذار 2018", date(2018, 3, 22)),
        ("12 تشرين الأول 2016", date(2016, 10, 12)),
        ("05-11-2017", date(2017, 11, 5)),
        ("27 - مايو - 2019", date(2019, 5, 27)),
        ("الأربعاء 3 آذار 2021 - 14:20", date(2021, 3, 3)),  # a dateline, though it ends like a ticker item
    ],
)
def test_published_date_forms(line, expected):
    doc = clean(page(TITLE, line, "", P1, "", P2))
    assert doc.published_date == expected
    assert line.strip() not in doc.body


def test_date_is_never_guessed_from_the_story():
    story = "وكان الهجوم قد وقع في 23 مارس 2018 على أطراف مدينة دوما، وأسفر عن مقتل 11 مدنياً."
    doc = clean(page(TITLE, "", story, "", P2))
    assert doc.published_date is None
    assert story in doc.body


def test_a_sentence_starting_with_a_label_word_is_not_a_date_line():
    sentence = "نشر الجيش 12 دبابة على أطراف المدينة في 3 آذار 2019"
    doc = clean(page(TITLE, "", P1, sentence, P2))
    assert sentence in doc.body
    assert doc.published_date is None


def test_date_from_the_page_url():
    doc = clean(page("https://www.example-news.net/2016/10/07/123456/", TITLE, "", P1, "", P2))
    assert doc.published_date == date(2016, 10, 7)


def test_update_label_is_a_fallback_only():
    doc = clean(page(TITLE, "آخر تحديث: 2020/01/05", "تاريخ النشر: 2020/01/03", "", P1, "", P2))
    assert doc.published_date == date(2020, 1, 3)


def test_outlet_from_the_url_domain():
    doc = clean(page("http://anapress.net/a/1", TITLE, "", P1, "", P2))
    assert doc.outlet == "أنا برس"


def test_outlet_from_a_credit_line():
    doc = clean(page(TITLE, "", "سمارت - حلب", "", P1, "", P2))
    assert doc.outlet == "سمارت"
    assert "سمارت - حلب" in doc.body
    assert doc.title == TITLE


def test_outlet_from_a_first_line_naming_it():
    doc = clean(page("هيومن فويس", "", P1, "", P2))
    assert doc.outlet == "هيومن فويس"
    assert doc.title is None


def test_outlet_is_not_a_quoted_wire_agency():
    doc = clean(page(P1, "وقال مسؤول محلي في تصريح لرويترز إن القصف مستمر.", P2))
    assert doc.outlet is None


def test_outlet_from_self_reference_in_an_interview():
    doc = clean(page(P1, "وقال القيادي في تصريح لأورينت نت إن المعارك مستمرة.", P2))
    assert doc.outlet == "أورينت نت"


def test_furniture_patterns_compile_and_are_data():
    data = json.loads(FURNITURE.read_text("utf-8"))
    for patterns in data["line_patterns"].values():
        for p in patterns:
            re.compile(p)
    assert "المزيد" in data["block_markers"]["headlines"]


# ----------------------------------------------------------------------------------------- seeds


def seed(prefix: str) -> str:
    return next(SEEDS.glob(prefix + "_*.txt")).read_text("utf-8")


def test_seed_000_sidebar_view_count_and_metadata():
    doc = clean(seed("000"))
    for gone in (
        "المزيد",
        "واشنطن تؤكد استعدادها",
        "150 ألف",
        "3 حالات",
        "1210",
        "مشاهدة",
        "11:07",
        "حجم الخط",
        "anapress.net",
        "صورة أرشيفية",
    ):
        assert gone not in doc.body, gone
    assert doc.title == "فيلق الرحمن يعلن عن بدء مفاوضاته مع روسيا.. وهذا موقف جيش الإسلام"
    assert doc.outlet == "أنا برس" and doc.url == "http://anapress.net/a/140899722156014"
    assert doc.published_date is None
    assert "تجاوزت 250 قتيلا" in doc.body
    assert doc.body.startswith(doc.title + "\n\nأعلنت القيادة العامة لفصيل")
    assert doc.body.count(doc.title) == 1


def test_seed_001_share_line_and_teaser():
    doc = clean(seed("001"))
    assert "شارك المقال" not in doc.body and "Send this" not in doc.body
    assert doc.body.count("نقلت وكالة الإعلام الروسية") == 1
    assert doc.title == "روسيا: العمليات العسكرية في الغوطة انتهت تقريباً"
    assert doc.outlet == "هيومن فويس"
    assert doc.body.endswith("الذي شاهدنه بأعيننا”.")


def test_seed_002_keeps_figures_and_drops_tweet_attributions():
    doc = clean(seed("002"))
    assert "1327" not in doc.body and "(@HA_alshami05)" not in doc.body
    assert "سقوط 1945 شخصاً، يصل عدد السيدات منهم إلى 285 امرأة" in doc.body
    assert "و11 هجوم بغاز الكلور السام" in doc.body
    assert "حمزة بيرقدار (@" not in doc.body
    assert doc.outlet == "أنا برس"


def test_seed_003_ticker_and_publication_date():
    doc = clean(seed("003"))
    for gone in ("الأخبار العاجلة", "1125", "09:33", "pictogram-avatar", "access_time", "Editing"):
        assert gone not in doc.body, gone
    assert doc.published_date == date(2018, 5, 12)
    assert doc.outlet == "سمارت"
    assert doc.title.startswith('"فيلق الرحمن": اجتماعنا')


def test_seed_004_repeated_title_and_footer_widgets():
    doc = clean(seed("004"))
    assert doc.title == 'هكذا رد "جيش الإسلام" على شائعات خروجه من الغوطة'
    assert doc.body.count(doc.title) == 1 and doc.body.startswith(doc.title + "\n")
    for gone in ("التعليقات", "الأكثر قراءة", "أهم المواضيع", "أهم التصنيفات"):
        assert gone not in doc.body
    assert doc.body.endswith("رغم صدور قرار بمجلس الأمن حول بدء هدنة في سوريا وخاصة في الغوطة.")
    assert doc.outlet == "أورينت نت"


def test_seed_paragraphs_all_survive():
    for path in sorted(SEEDS.glob("*.txt")):
        doc = clean(path.read_text("utf-8"))
        for line in path.read_text("utf-8").split("\n"):
            s = line.strip()
            # Every long paragraph of the page, except the trailing teaser of 001 and the ticker of 003.
            ticker = len(re.findall(r"- \d\d:\d\d", s)) >= 2
            if len(s) > 200 and not s.startswith("هيومن فويس نقلت") and not ticker:
                assert s in doc.body, (path.name, s[:60])


# ----------------------------------------------------------------------------------------- speed


def test_two_megabyte_single_line_in_bounded_time():
    line = ("قصف على حلب - 09:33 " + "و" * 50 + " ") * 30000
    start = time.perf_counter()
    doc = clean(line[: 2 * 1024 * 1024])
    assert time.perf_counter() - start < 5
    assert doc.body == ""  # one giant ticker


def test_two_megabyte_single_article_line_is_kept_in_bounded_time():
    text = (P1 + " ") * 12000
    start = time.perf_counter()
    doc = clean(text)
    assert time.perf_counter() - start < 5
    assert doc.body == text.strip()


def test_throughput_of_typical_documents():
    text = seed("002")
    start = time.perf_counter()
    for _ in range(200):
        clean_document(text)
    per_doc = (time.perf_counter() - start) / 200
    assert per_doc < 0.01, per_doc


# ----------------------------------------------------------------------------------------- decode -> clean


def test_html_page_through_decode_and_clean():
    from conflict_text.decode import decode_document

    html = f"""<!doctype html><html><head><meta charset="utf-8"><title>{TITLE} | موقع أخبار</title>
<link rel="canonical" href="https://example-news.net/2019/04/02/55501/">
<meta property="article:published_time" content="2019-04-02T10:00:00+03:00">
<script>window.stats = {{views: 8812, shares: 431}}; var related = [90210, 77001];</script></head>
<body><nav>الرئيسية | أخبار | تقارير</nav>
<h1>{TITLE}</h1><div class="meta"><span>1210</span> مشاهدة</div>
<p>{P1}</p><p>{P2}</p>
<div class="share">شارك المقال</div>
<aside><h3>الأكثر قراءة</h3><ul><li>مقتل 66 عنصراً في البادية</li></ul></aside>
<footer>© 2019</footer></body></html>"""
    decoded = decode_document(
        html.encode("cp1256", errors="ignore").replace(b'charset="utf-8"', b'charset="windows-1256"'), "p.html"
    )
    assert decoded.ok, decoded.reason
    doc = clean(decoded.text)
    assert doc.title == TITLE
    assert doc.published_date == date(2019, 4, 2)
    assert doc.url == "https://example-news.net/2019/04/02/55501/"
    assert doc.body == TITLE + "\n\n" + P1 + "\n\n" + P2


# ----------------------------------------------------------------------------------------- hostile pages
# Each of these took minutes, or seconds, before: the timeout only guards against a return of that.


@pytest.mark.timeout(20)
def test_page_of_many_distinct_short_lines_is_not_quadratic():
    lines = [f"سطر رقم {i} عن قصف المدينة اليوم" for i in range(20000)]  # pull-quote candidates, all of them
    doc = clean("\n".join(lines))
    assert doc.body.split("\n") == lines


@pytest.mark.timeout(20)
def test_page_of_many_short_lines_still_drops_an_early_pull_quote():
    quote = "فرقه انتشلت الجثث من تحت الأنقاض"
    lines = [P1, "", P2, "", quote] + [f"سطر رقم {i} عن قصف المدينة اليوم" for i in range(20000)]
    doc = clean("\n".join(lines))
    assert quote not in doc.body.replace(P2, "")
    assert doc.body.count("سطر رقم") == 20000


@pytest.mark.timeout(20)
def test_page_of_blank_lines():
    doc = clean(P1 + "\n" * 1_000_000 + P2)
    assert doc.body == P1 + "\n\n" + P2


@pytest.mark.timeout(20)
def test_page_of_block_markers():
    doc = clean("المزيد\n" * 100_000 + "\n" + P1)
    assert doc.body == P1
    assert doc.furniture_lines_removed == 100_000


@pytest.mark.timeout(20)
def test_two_megabyte_line_without_spaces_is_not_searched_as_a_credit_line():
    # Two "words", one of them a known outlet: a credit line would give the outlet, but a line this long
    # is article text, never a credit.
    text = "ب" * (2 * 1024 * 1024) + " سانا"
    doc = clean(text)
    assert doc.body == text and doc.outlet is None and doc.title is None


@pytest.mark.timeout(20)
def test_two_megabyte_single_line_of_arabic_through_decode_and_clean():
    from conflict_text.decode import decode_document

    text = ((P1 + " ") * 12000)[: 1024 * 1024].strip()  # about 2 MB of UTF-8
    decoded = decode_document(text.encode("utf-8"), "one-line.txt")
    assert decoded.ok and decoded.text == text
    assert clean(decoded.text).body == text


# ----------------------------------------------------------------------------------------- flattened pages
# tests/data/flattened: three pages of our own, each as a multi-line control and as three forms that lost
# their line breaks. Every form must lose the furniture the control loses, and give the control's figures.

FLATTENED = Path(__file__).resolve().parents[1] / "data" / "flattened"
EXPECTED = {
    name: page
    for name, page in json.loads((FLATTENED / "expected.json").read_text("utf-8")).items()
    if not name.startswith("_")
}
FLAT_FORMS = ("one_line", "space_runs", "html_text")
DOCUMENTS_SUITE = Path(__file__).resolve().parents[2] / "expectations" / "documents.json"


def flattened(name: str, form: str) -> CleanedDocument:
    return clean((FLATTENED / f"{name}_{form}.txt").read_text("utf-8"))


def furniture_regexes() -> list[str]:
    """The documents suite's furniture markers (expect_column_values_to_not_match_regex_list on body)."""
    suite = json.loads(DOCUMENTS_SUITE.read_text("utf-8"))
    return next(
        e["kwargs"]["regex_list"]
        for e in suite["expectations"]
        if e["type"] == "expect_column_values_to_not_match_regex_list" and e["kwargs"]["column"] == "body"
    )


def figures_of(doc: CleanedDocument):
    from conflict_text.entities import find_mentions
    from conflict_text.figures import extract_figures

    return extract_figures(doc.body, find_mentions(doc.body), doc.published_date)


def figure_signature(figs) -> list[tuple]:
    return sorted(
        [(c.value, c.outcome, c.victim_group) for c in figs.casualties]
        + [(m.value, m.munition_type, m.unit) for m in figs.munitions],
        key=repr,
    )


@pytest.mark.parametrize("form", ("multiline", *FLAT_FORMS))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_flattened_page_keeps_its_article_and_loses_its_furniture(name, form):
    page, doc = EXPECTED[name], flattened(name, form)
    assert_article_intact(doc, page["title"], *page["article"])
    assert [f for f in page["furniture"] if f in doc.body] == []


@pytest.mark.parametrize("form", ("multiline", *FLAT_FORMS))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_flattened_page_body_passes_the_documents_suite_furniture_markers(name, form):
    body = flattened(name, form).body
    # As GX applies the list: re.search over the whole body, so the (?m) markers are matched line by line.
    assert [r for r in furniture_regexes() if re.search(r, body)] == []


@pytest.mark.parametrize("form", ("multiline", *FLAT_FORMS))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_figure_of_a_flattened_page_comes_from_its_furniture(name, form):
    page = EXPECTED[name]
    figs = figures_of(flattened(name, form))
    article = " ".join([page["title"], *page["article"]])
    for figure in figs.casualties + figs.munitions:
        assert figure.evidence in article, figure.evidence
        assert figure.value not in page["furniture_numbers"], (figure.value, figure.evidence)
    assert figure_signature(figs) == figure_signature(figures_of(flattened(name, "multiline")))


@pytest.mark.parametrize("form", FLAT_FORMS)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_flattened_page_has_the_title_and_date_of_its_control(name, form):
    control, doc = flattened(name, "multiline"), flattened(name, form)
    assert (control.title, str(control.published_date)) == (EXPECTED[name]["title"], EXPECTED[name]["published_date"])
    assert (doc.title, doc.published_date) == (control.title, control.published_date)


def test_flattened_page_keeps_the_paragraphs_its_blocks_were():
    # Blocks set apart by wide white space become lines; single-spaced text stays one paragraph.
    page = EXPECTED["p1"]
    assert flattened("p1", "space_runs").body == page["title"] + "\n\n" + "\n".join(page["article"])
    assert flattened("p1", "one_line").body == page["title"] + "\n\n" + " ".join(page["article"])


def test_a_long_line_without_furniture_is_read_whole_whatever_its_spacing():
    # Wide spaces and separators inside article text (typing slips, a list of places) cut nothing when no
    # block is furniture; after a comma a run of spaces does not even cut.
    line = P1 + "  " + P2.replace("، ", "،   ") + " | " + P3 + "\t" + P1.replace(" ", "\u00a0 ", 3)
    assert clean(page(TITLE, "", line)).body == page(TITLE, "", line)
    assert clean(line * 3).body == (line * 3).strip()


def test_widget_words_inside_article_words_cut_nothing():
    # «والأكثر قراءة» and «مشاهدتها» only contain a widget's key; «المزيد» is no inline marker at all.
    line = (
        "وقال إن الصحيفة الأقدم والأكثر قراءة في المدينة نشرت صوراً يصعب مشاهدتها 12 مرة، وإن المزيد من "
        "الضحايا سقطوا في القصف الذي استهدف 3 أحياء.  "
    ) * 12
    assert clean(line).body == line.strip()


def test_a_flattened_sidebar_glued_by_single_spaces_goes_with_its_marker():
    line = (
        P1 + " " + P2 + " الأكثر قراءة مقتل 14 عنصراً في كمين بالبادية غارات على 11 قرية في جبل الزاوية "
        "ارتفاع الحصيلة إلى 23 قتيلاً في الباب التعليقات (3)"
    )
    doc = clean(line)
    assert doc.body == P1 + " " + P2
    assert doc.furniture_lines_removed == 3


def test_a_ticker_after_its_marker_ends_where_the_page_goes_on():
    ticker = "اعتقال 30 شاباً في دير الزور - 11:52 سقوط 4 قذائف على أحياء دمشق - 08:50"
    doc = clean(" ".join(["الأخبار العاجلة", ticker, TITLE, "مشاهدة 1,210", P1, P2]))
    assert doc.title == TITLE
    assert doc.body == TITLE + "\n\n" + P1 + " " + P2


def test_flattened_widget_phrases_are_data():
    data = json.loads(FURNITURE.read_text("utf-8"))
    flat = data["flattened"]
    folded_markers = {fold(m) for m in data["block_markers"]["headlines"]}
    # An inline block marker starts a block of headlines only if the line classifier knows it as one.
    assert {fold(m) for m in flat["parts"]["block_markers"]} <= folded_markers
    for section in ("widgets", "openers"):
        for why, entry in flat[section].items():
            if not why.startswith("_"):
                assert entry["keys"], why
