"""Unit tests of conflict_text.numbers: digits, number words, multipliers, vague and non-count numbers."""

import pytest

from conflict_text.numbers import find_numbers, parse_number


def values(text, kinds=("digits", "words", "mixed")):
    return [s.value for s in find_numbers(text) if s.kind in kinds]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("سقط 23 قتيلا", 23),
        ("سقط ٢٣ قتيلا", 23),
        ("سقط ۲۳ قتيلا", 23),
        ("بلغ العدد 1,250 شخصا", 1250),
        ("بلغ العدد ١٬٢٥٠ شخصا", 1250),
        ("بلغ العدد 1.250 شخصا", 1250),
        ("واحد", 1),
        ("اثنتان", 2),
        ("ثلاث نساء", 3),
        ("ثمانية رجال", 8),
        ("أحد عشر طفلا", 11),
        ("اثنتي عشرة امرأة", 12),
        ("خمسة عشر مدنيا", 15),
        ("تسعة عشر", 19),
        ("عشرون", 20),
        ("سبعة وعشرين", 27),
        ("مئة", 100),
        ("مائتي شخص", 200),
        ("ثلاثمئة", 300),
        ("ثلاث مئة", 300),
        ("مئة وخمسة وعشرون", 125),
        ("المئة والعشرين", 120),
        ("ألف", 1000),
        ("ألفين", 2000),
        ("ثلاثة آلاف", 3000),
        ("143 ألف", 143000),
        ("1.3 مليون", 1300000),
        ("مليونين", 2000000),
        ("نصف مليون", 500000),
        ("6 آلاف و400", 6400),
        ("مليون و300 ألف", 1300000),
        ("3 ملايين و700 ألف", 3700000),
        ("خمسة وعشرون ألفا", 25000),
    ],
)
def test_values(text, expected):
    assert values(text) == [expected]


def test_digits_glued_to_words():
    spans = find_numbers("إصابة 5جرحى و مقتل10مدنيين ولـ34 برميلا")
    assert [(s.value, s.text) for s in spans] == [(5, "5"), (10, "10"), (34, "34")]


def test_offsets_point_into_the_raw_text():
    text = "قُتِلَ خمسـةَ عشرَ مدنياً و٣ أطفال"
    spans = find_numbers(text)
    assert [s.value for s in spans] == [15, 3]
    for s in spans:
        assert text[s.start : s.end] == s.text
    assert spans[0].text == "خمسـةَ عشرَ"
    assert spans[1].text == "٣"


def test_separate_numbers_stay_apart():
    assert values("قتل 8 أطفال و8 نساء") == [8, 8]
    assert values("في 2018 قتل 5") == [2018, 5]


def test_vague_quantities():
    spans = find_numbers("عشرات القتلى ومئات الجرحى وآلاف النازحين وعشرات الآلاف من السكان وعدة مدنيين والعديد")
    assert [s.kind for s in spans] == ["vague"] * 6
    assert all(s.value is None for s in spans)


def test_thousand_after_a_number_is_a_multiplier_not_vague():
    spans = find_numbers("نزوح 10 آلاف شخص")
    assert [(s.value, s.kind) for s in spans] == [(10000, "mixed")]


def test_ordinals_dates_times_percent():
    spans = find_numbers("في الثاني والعشرين من آذار، الساعة 10:45 يوم 2016/10/13 بنسبة 27% والثامن عشر")
    kinds = [s.kind for s in spans]
    assert kinds == ["ordinal", "time", "date", "percent", "ordinal"]
    assert spans[3].value == 27


def test_percent_written_in_words():
    spans = find_numbers("تراجع الإنتاج 40 في المئة وارتفعت الأسعار 15 بالمائة")
    assert [(s.value, s.kind, s.text) for s in spans] == [(40, "percent", "40 في المئة"), (15, "percent", "15 بالمائة")]


def test_urls_and_handles_are_not_numbers():
    assert find_numbers("https://example.com/2375-abc و @user_05 و #tag12") == []


def test_lone_teen_prefix_and_half_are_not_numbers():
    assert find_numbers("أحد الأحياء في نصف المدينة") == []


def test_definite_numbers_are_flagged():
    spans = find_numbers("أن الـ13 مدنياً بينهم سبعة، أما الستة الآخرون")
    assert [(s.value, s.definite) for s in spans] == [(13, True), (7, False), (6, True)]


def test_parse_number():
    assert parse_number("مئة وخمسة وعشرون") == 125
    assert parse_number("١٤٣ ألف") == 143000
    assert parse_number("لا شيء") is None
