"""Dates read from our own sentences and lines: event dates, relative words resolved against the publication
date; the publication dates of page furniture; the dates that give a figure its period."""

from datetime import date

import pytest

from conflict_text.dates import (
    DAY,
    MONTH,
    WEEK,
    event_date,
    month_number,
    period_patterns,
    publication_date,
    read_dates,
)
from conflict_text.normalize import fold

TUESDAY_14 = date(2020, 1, 14)


@pytest.mark.parametrize(
    "sentence, expected, precision",
    [
        ("قتل 14 مدنيا أمس الاثنين بغارة على السوق", date(2020, 1, 13), DAY),
        ("قتل 3 مدنيين اليوم بقصف مدفعي", date(2020, 1, 14), DAY),
        ("قتل طفلان فجر الاثنين في قصف على البلدة", date(2020, 1, 13), DAY),
        ("وقتل مدني مساء أمس برصاص قناص", date(2020, 1, 13), DAY),
        ("وكانت الغارة يوم السبت الماضي", date(2020, 1, 11), DAY),
        ("قتل ثلاثة عناصر أول أمس", date(2020, 1, 12), DAY),
        ("ووثق الناشطون مقتل 9 مدنيين بالأمس", date(2020, 1, 13), DAY),
        ("قتل 20 شخصا خلال الأسبوع الماضي", date(2020, 1, 7), WEEK),
        ("قتل 5 مدنيين في 11 من الشهر الجاري", date(2020, 1, 11), DAY),
        ("قتل 7 مدنيين في 28 كانون الأول", date(2019, 12, 28), DAY),
        ("قتل 7 مدنيين في 3 آذار/مارس 2019", date(2019, 3, 3), DAY),
        ("قتل 7 مدنيين بتاريخ 5/1/2020", date(2020, 1, 5), DAY),
        ("وثق المرصد مقتل 40 مدنيا في كانون الأول", date(2019, 12, 1), MONTH),
    ],
)
def test_the_sentence_dates_the_event(sentence, expected, precision):
    found = event_date(sentence, sentence.index(" "), "", TUESDAY_14)
    assert (found.day, found.precision) == (expected, precision)


def test_a_weekday_named_on_its_day_is_that_day():
    assert event_date("قتل 12 مدنيا اليوم الاثنين", 0, "", date(2020, 1, 13)).day == date(2020, 1, 13)


def test_a_bare_friday_is_not_read_as_a_day():
    # «الجمعة» alone is as often the prayers as the day; only «يوم الجمعة» dates.
    assert read_dates("خرج المصلون بعد صلاة الجمعة", TUESDAY_14) == []
    assert [d.day for d in read_dates("قتل مدنيان يوم الجمعة", TUESDAY_14)] == [date(2020, 1, 10)]


def test_the_expression_nearest_the_figure_wins():
    sentence = "قتل 4 مدنيين أمس، ليرتفع عدد القتلى منذ 3 كانون الثاني إلى 60"
    assert event_date(sentence, sentence.index("4"), "", TUESDAY_14).day == date(2020, 1, 13)
    assert event_date(sentence, sentence.index("60"), "", TUESDAY_14).day == date(2020, 1, 3)


def test_an_undated_sentence_takes_the_last_date_before_it_then_the_publication_week():
    before = "شنت الطائرات غارات فجر اليوم على البلدة. "
    assert event_date("وأسفرت إحداها عن مقتل 6 مدنيين", 0, before, TUESDAY_14).day == TUESDAY_14
    undated = event_date("وأسفرت إحداها عن مقتل 6 مدنيين", 0, "", TUESDAY_14)
    assert (undated.day, undated.precision, undated.cue) == (TUESDAY_14, WEEK, None)
    assert event_date("قتل 6 مدنيين", 0, "", None) is None


@pytest.mark.parametrize(
    "line, expected",
    [
        ("2020/01/05", date(2020, 1, 5)),
        ("نشر في 05-01-2020 الساعة 10:30", date(2020, 1, 5)),
        ("5/13/2020", date(2020, 5, 13)),  # month first: the day and month swap when the day is no month
        ("الأحد 5 كانون الثاني 2020", date(2020, 1, 5)),
        ("5 يناير/كانون الثاني، 2020", date(2020, 1, 5)),
        ("الاثنين، 13 إبريل 2020 - 10:15 م", date(2020, 4, 13)),
        ("May 5, 2020", date(2020, 5, 5)),
    ],
)
def test_a_furniture_line_gives_its_publication_date(line, expected):
    assert publication_date(line) == expected


@pytest.mark.parametrize("line", ["2018/13/45", "12 شخصاً 2018", "5 كانون الثاني 1850", "31 شباط 2020"])
def test_an_impossible_or_wordless_date_is_no_publication_date(line):
    assert publication_date(line) is None


def test_every_reader_takes_its_months_from_the_one_table():
    # a spelling in data/dates.json is read by the publication, period and event readers alike
    assert month_number("يونيه") == month_number("حزيران") == 6
    assert publication_date("3 يونيه 2020") == date(2020, 6, 3)
    assert [(d.day, d.precision) for d in read_dates("قتل مدني في 3 يونيه 2020", None)] == [(date(2020, 6, 3), DAY)]
    found = period_patterns().date_re.search(fold("منذ 3 يونيه 2020"))
    assert (found["d1"], month_number(found["m1"]), found["y1"]) == ("3", 6, "2020")


def test_a_period_range_reads_both_ends():
    found = period_patterns().range_re.search(fold("من 3 آذار حتى 5 نيسان 2020"))
    assert [found[g] for g in ("d1", "m1", "d2", "m2", "y2")] == ["3", "اذار", "5", "نيسان", "2020"]
