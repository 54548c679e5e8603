"""Dates in Arabic news text: the one date reader, with one month table (data/dates.json), for three uses.

- publication_date(text): the first date written in a line of page furniture (clean.py): numeric Y/M/D or
  D/M/Y, a day, month name and year, or an English «May 5, 2020»;
- period_patterns(): the dates and date ranges («من 3 آذار حتى 5 آذار») that give a figure the period it
  covers (figures/periods.py);
- read_dates / event_date: the date of the event a sentence reports, explicit or relative to the
  publication date («أمس الاثنين» in a report of 14 January is the 13th) (events.py).

Text and words are folded alike (normalize.fold), so hamza and ta marbuta spellings match. Precision follows
ACLED's time_precision: 1 the day, 2 the week, 3 the month or vaguer; the publication date stands in for an
undated sentence only with precision 2.

dateparser is not used: it reads none of the Syriac month names the Levantine press writes («كانون
الثاني»), finds dates in running text poorly (search_dates), and costs about 50 ms to import and 65 ms
more on its first call, where this reader costs nothing to load and microseconds per line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path

import ahocorasick

from conflict_text.arabic import PROCLITICS
from conflict_text.normalize import fold, match_key

_DATA = Path(__file__).resolve().parent / "data" / "dates.json"
_DIGIT = re.compile(r"\d")
DAY, WEEK, MONTH = 1, 2, 3


@cache
def _data() -> dict:
    return json.loads(_DATA.read_text("utf-8"))


@cache
def months() -> dict[str, int]:
    """The month table: each name, folded with single spaces between its words, -> its number."""
    return {match_key(name): number for name, number in _data()["months"].items()}


def month_number(name: str) -> int | None:
    """The number of the month written `name` (folded or not, any white space between its words)."""
    return months().get(match_key(name))


def _alternation(words) -> str:
    """A regex alternation of folded words, longest first; the words of a phrase are apart by any white space."""
    keys = sorted({match_key(w) for w in words}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, k.split())) for k in keys)


def _words(key: str) -> str:
    """The alternation of an entry of dates.json, a word or a list of words."""
    value = _data()[key]
    return _alternation([value] if isinstance(value, str) else value)


def _day_month_year(day: str, month: str, year: str) -> str:
    """«13 آذار 2020», «13 من شهر آذار من عام 2020», «13 كانون الثاني (يناير) 2020»: the groups named so."""
    of, names = _words("of"), _alternation(months())
    return (
        rf"(?P<{day}>\d{{1,2}})\s*(?:(?:{of})\s+)?(?:(?:{_words('month_word')})\s+)?(?P<{month}>{names})"
        rf"(?:\s*[/(]?\s*(?:{names})\s*\)?)?"
        rf"(?:\s*[,،]?\s*(?:(?:{of})\s+)?(?:(?:{_words('year_words')})\s+)?(?P<{year}>(?:19|20)\d\d))?"
    )


# ------------------------------------------------------------------------------------ publication dates

_NUM_YMD_RE = re.compile(r"((?:19|20)\d{2})[/\-.]([01]?\d)[/\-.]([0-3]?\d)(?!\d)")
_NUM_DMY_RE = re.compile(r"(?<!\d)([0-3]?\d)[/\-.]([01]?\d)[/\-.]((?:19|20)\d{2})(?!\d)")
_WORD_DATE_RE = re.compile(r"(?<!\d)([0-3]?\d)\s*([^\d]{2,40}?)\s*((?:19|20)\d{2})(?!\d)")
_MONTH_FIRST_RE = re.compile(r"([a-z]{3,9})\.?\s+([0-3]?\d),?\s+((?:19|20)\d{2})(?!\d)")
_MONTH_SPLIT_RE = re.compile(r"[\s/()\-–,]+")


def publication_day(y: int, m: int, d: int) -> date | None:
    """The date of a publication: within 1990..2100, and a real day."""
    if not 1990 <= y <= 2100:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


@cache
def _longest_month_name() -> int:
    return max(len(k.split()) for k in months())


def _month_in(words: list[str]) -> int | None:
    """The month of the longest run of `words` that names one, the first such run of that length."""
    for size in range(min(_longest_month_name(), len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            found = months().get(" ".join(words[start : start + size]))
            if found:
                return found
    return None


def publication_date(text: str) -> date | None:
    """The first date written in `text` (numeric Y/M/D, D/M/Y, ISO, or day + Arabic/English month + year)."""
    key = match_key(text)
    m = _NUM_YMD_RE.search(key)
    if m:
        return publication_day(int(m[1]), int(m[2]), int(m[3]))
    m = _NUM_DMY_RE.search(key)
    if m:
        d, mo, y = int(m[1]), int(m[2]), int(m[3])
        return publication_day(y, mo, d) or publication_day(y, d, mo)
    m = _WORD_DATE_RE.search(key)
    if m:
        words = [w for w in _MONTH_SPLIT_RE.split(m[2]) if w]
        if len(words) <= 4:
            month = _month_in(words)
            if month:
                return publication_day(int(m[3]), month, int(m[1]))
    m = _MONTH_FIRST_RE.search(key)
    if m and m[1] in months():
        return publication_day(int(m[3]), months()[m[1]], int(m[2]))
    return None


# ------------------------------------------------------------------------------------ periods of figures


@dataclass(frozen=True)
class PeriodPatterns:
    """What figures/periods.py reads a figure's period with, over normalised (folded) text."""

    date_re: re.Pattern  # a date: groups d1, m1, y1
    range_re: re.Pattern  # a range of two: groups d1, m1, y1 and d2, m2, y2
    # the first word of every month name: where none is written, neither pattern can match
    month_first_words: ahocorasick.Automaton  # word -> its length


@cache
def period_patterns() -> PeriodPatterns:
    prefixes = _data()["day_prefixes"]
    date1, date2 = _day_month_year("d1", "m1", "y1"), _day_month_year("d2", "m2", "y2")
    day_word, and_, to = _words("day_word"), _words("and"), _words("range_to")
    first_words = ahocorasick.Automaton()
    for first in {k.split()[0] for k in months()}:
        first_words.add_word(first, len(first))
    first_words.make_automaton()
    # a date starts with a day prefix's letter or a digit: the look-ahead saves trying the look-behind everywhere
    starts = "".join(sorted({fold(p)[0] for p in prefixes}))
    return PeriodPatterns(
        date_re=re.compile(rf"(?=[{starts}\d])(?<![^\W\d_])(?:{_alternation(prefixes)})?{date1}"),
        range_re=re.compile(
            rf"(?:{_words('range_from')})\s+(?:(?:{day_word})\s+)?(?:\w+\s+)?{date1}[\s)]*"
            rf"(?:(?:{and_})?\s*(?:{to})|(?:{and_}))\s+(?:(?:{day_word})\s+)?(?:\w+\s+)?{date2}"
        ),
        month_first_words=first_words,
    )


# ------------------------------------------------------------------------------------ event dates


@dataclass(frozen=True, slots=True)
class EventDate:
    day: date
    precision: int  # 1 the day, 2 the week, 3 the month or vaguer
    cue: str | None  # the (folded) words it was read from; None when the publication date stands in


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    day: date
    precision: int
    cue: str


def _word(pattern: str) -> str:
    """A whole word, a conjunction or preposition clitic allowed before it («وأمس», «بالأمس»)."""
    return rf"(?<!\w)(?:{_alternation(PROCLITICS - {''})})?(?:{pattern})(?!\w)"


@dataclass(frozen=True)
class _EventPatterns:
    weekdays: dict[str, tuple[int, bool]]
    relative_days: dict[str, int]
    relative_spans: dict[str, tuple[int, int]]
    explicit: re.Pattern  # 13 يناير 2020, 13 من شهر كانون الثاني
    numeric: re.Pattern  # 13/1/2020
    in_current_month: re.Pattern  # 13 من الشهر الجاري
    month_only: re.Pattern  # في يناير 2020
    relative_day: re.Pattern  # (فجر) أمس (الاثنين)
    weekday: re.Pattern  # (فجر) الاثنين
    relative_span: re.Pattern  # الأسبوع الماضي


@cache
def _event_patterns() -> _EventPatterns:
    raw = _data()
    weekdays = {match_key(k): (v["weekday"], v["bare"]) for k, v in raw["weekdays"].items()}
    day_words = _words("day_words")
    bare = _alternation(k for k, (_, b) in weekdays.items() if b)
    named = _alternation(weekdays)
    relative_days = {match_key(k): v for k, v in raw["relative_days"].items()}
    spans = {match_key(k): (v["days_back"], v["precision"]) for k, v in raw["relative_spans"].items()}
    of, month_word, years = _words("of"), _words("month_word"), _words("year_words")
    return _EventPatterns(
        weekdays,
        relative_days,
        spans,
        # These three start with a digit: the look-ahead saves trying the look-behind at every other position.
        explicit=re.compile(r"(?=\d)(?<!\d)" + _day_month_year("day", "month", "year")),
        numeric=re.compile(r"(?=\d)(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"),
        in_current_month=re.compile(rf"(?=\d)(?<!\d)(\d{{1,2}})\s+(?:{of})\s+(?:{_words('current_month')})"),
        month_only=re.compile(
            _word(
                rf"(?:{_words('month_lead')})\s+(?:(?:{month_word})\s+)?({_alternation(months())})"
                rf"(?:\s+(?:(?:{years})\s+)?(\d{{4}}))?"
            )
        ),
        relative_day=re.compile(_word(rf"(?:(?:{day_words})\s+)?({_alternation(relative_days)})(?:\s+(?:{named}))?")),
        weekday=re.compile(_word(rf"(?:(?:{day_words})\s+({named})|({bare}))")),
        relative_span=re.compile(_word(rf"(?:(?:{_words('over')})\s+)?({_alternation(spans)})")),
    )


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _yearless(month: int, day: int, published: date) -> date | None:
    """A day without its year: the latest such day not after the publication (news reports the past)."""
    found = _day(published.year, month, day)
    if found and found > published + timedelta(days=1):
        found = _day(published.year - 1, month, day)
    return found


def _expressions(text: str, published: date | None) -> list[_Found]:
    """Every date expression in folded `text`, resolved when it needs the publication date and has it."""
    patterns, found = _event_patterns(), []

    def add(m: re.Match, day: date | None, precision: int) -> None:
        if day is not None:
            found.append(_Found(m.start(), m.end(), day, precision, m.group(0).strip()))

    # Most sentences hold no digit, which three of the patterns start with: those are not tried on them.
    digits = _DIGIT.search(text) is not None
    for m in patterns.explicit.finditer(text) if digits else ():
        day, month, year = int(m["day"]), month_number(m["month"]), m["year"]
        add(m, _day(int(year), month, day) if year else (_yearless(month, day, published) if published else None), DAY)
    for m in patterns.numeric.finditer(text) if digits else ():
        add(m, _day(int(m[3]), int(m[2]), int(m[1])), DAY)
    for m in patterns.month_only.finditer(text):
        year, month = int(m[2]) if m[2] else (published.year if published else None), month_number(m[1])
        if year and published and not m[2] and month > published.month:
            year -= 1
        add(m, _day(year, month, 1) if year else None, MONTH)
    if published is None:
        return found
    for m in patterns.in_current_month.finditer(text) if digits else ():
        add(m, _day(published.year, published.month, int(m[1])), DAY)
    for m in patterns.relative_day.finditer(text):
        add(m, published - timedelta(days=patterns.relative_days[match_key(m[1])]), DAY)
    for m in patterns.weekday.finditer(text):
        weekday = patterns.weekdays[match_key(m[1] or m[2])][0]
        add(m, published - timedelta(days=(published.weekday() - weekday) % 7), DAY)
    for m in patterns.relative_span.finditer(text):
        back, precision = patterns.relative_spans[match_key(m[1])]
        add(m, published - timedelta(days=back), precision)
    return found


def _outermost(found: list[_Found]) -> list[_Found]:
    """Drops expressions inside a longer one («الاثنين» of «أمس الاثنين», «13 من الشهر» of a full date)."""
    if len(found) < 2:  # most texts state one date or none: nothing to compare
        return found
    return [
        f
        for f in found
        if not any(
            g is not f and g.start <= f.start and f.end <= g.end and (g.end - g.start) > (f.end - f.start)
            for g in found
        )
    ]


# A document's figures share sentences and paragraphs, which the events stage would read once per figure.
@lru_cache(maxsize=512)
def _dates_in(text: str, published: date | None) -> tuple[_Found, ...]:
    """The outermost date expressions of `text` (folded here), in the order _expressions finds them."""
    return tuple(_outermost(_expressions(fold(text), published)))


def read_dates(text: str, published: date | None) -> list[EventDate]:
    """The dates `text` states, in text order."""
    found = sorted(_dates_in(text, published), key=lambda f: f.start)
    return [EventDate(f.day, f.precision, f.cue) for f in found]


def event_date(sentence: str, anchor: int, before: str, published: date | None) -> EventDate | None:
    """The date of the event a figure reports.

    The date expression of the figure's sentence nearest to `anchor` (the figure's offset in the
    sentence); else the last one of the text `before` it (the story's dateline or lead); else the
    publication date, which says only the week (precision 2). None without any of them.
    """
    in_sentence = _dates_in(sentence, published)
    if in_sentence:
        # Folding deletes diacritics only, so the anchor moves by at most their count: a close estimate.
        near = min(in_sentence, key=lambda f: (min(abs(f.start - anchor), abs(f.end - anchor)), f.start))
        return EventDate(near.day, near.precision, near.cue)
    earlier = read_dates(before, published)
    if earlier:
        return earlier[-1]
    return EventDate(published, WEEK, None) if published else None
