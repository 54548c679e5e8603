"""The date of the event a sentence reports: explicit dates, and relative ones resolved against the
publication date («أمس الاثنين» in a report of 14 January is the 13th).

The words live in data/dates.json. Text and words are folded alike (normalize.fold), so hamza and
ta marbuta spellings match. Precision follows ACLED's time_precision: 1 the day, 2 the week, 3 the
month or vaguer; the publication date stands in for an undated sentence only with precision 2.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from conflict_text.normalize import fold

_DATA = Path(__file__).resolve().parent / "data" / "dates.json"
DAY, WEEK, MONTH = 1, 2, 3


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


def _alternation(words) -> str:
    return "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True))


def _word(pattern: str) -> str:
    """A whole word, a conjunction or preposition clitic allowed before it («وأمس», «بالأمس»)."""
    return rf"(?<!\w)(?:[وفبل]|و?ب)?(?:{pattern})(?!\w)"


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]
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
def _lexicon() -> _Lexicon:
    raw = json.loads(_DATA.read_text("utf-8"))
    months = {fold(k): v for k, v in raw["months"].items()}
    weekdays = {fold(k): (v["weekday"], v["bare"]) for k, v in raw["weekdays"].items()}
    month, day_words = _alternation(months), _alternation(raw["day_words"])
    bare = _alternation(k for k, (_, b) in weekdays.items() if b)
    named = _alternation(weekdays)
    relative_days = {fold(k): v for k, v in raw["relative_days"].items()}
    spans = {fold(k): (v["days_back"], v["precision"]) for k, v in raw["relative_spans"].items()}
    return _Lexicon(
        months,
        weekdays,
        relative_days,
        spans,
        explicit=re.compile(
            rf"(?<!\d)(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?({month})(?:\s*/\s*(?:{month}))?"
            rf"(?:\s+(?:من\s+)?(?:عام\s+|سنه\s+)?(\d{{4}}))?"
        ),
        numeric=re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)"),
        in_current_month=re.compile(rf"(?<!\d)(\d{{1,2}})\s+من\s+(?:{_alternation(raw['current_month'])})"),
        month_only=re.compile(
            _word(rf"(?:{_alternation(raw['month_lead'])})\s+(?:شهر\s+)?({month})(?:\s+(?:عام\s+)?(\d{{4}}))?")
        ),
        relative_day=re.compile(_word(rf"(?:(?:{day_words})\s+)?({_alternation(relative_days)})(?:\s+(?:{named}))?")),
        weekday=re.compile(_word(rf"(?:(?:{day_words})\s+({named})|({bare}))")),
        relative_span=re.compile(_word(rf"(?:خلال\s+)?({_alternation(spans)})")),
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
    lex, found = _lexicon(), []

    def add(m: re.Match, day: date | None, precision: int) -> None:
        if day is not None:
            found.append(_Found(m.start(), m.end(), day, precision, m.group(0).strip()))

    for m in lex.explicit.finditer(text):
        day, month, year = int(m[1]), lex.months[m[2]], m[3]
        add(m, _day(int(year), month, day) if year else (_yearless(month, day, published) if published else None), DAY)
    for m in lex.numeric.finditer(text):
        add(m, _day(int(m[3]), int(m[2]), int(m[1])), DAY)
    for m in lex.month_only.finditer(text):
        year = int(m[2]) if m[2] else (published.year if published else None)
        if year and published and not m[2] and lex.months[m[1]] > published.month:
            year -= 1
        add(m, _day(year, lex.months[m[1]], 1) if year else None, MONTH)
    if published is None:
        return found
    for m in lex.in_current_month.finditer(text):
        add(m, _day(published.year, published.month, int(m[1])), DAY)
    for m in lex.relative_day.finditer(text):
        add(m, published - timedelta(days=lex.relative_days[m[1]]), DAY)
    for m in lex.weekday.finditer(text):
        weekday = lex.weekdays[m[1] or m[2]][0]
        add(m, published - timedelta(days=(published.weekday() - weekday) % 7), DAY)
    for m in lex.relative_span.finditer(text):
        back, precision = lex.relative_spans[m[1]]
        add(m, published - timedelta(days=back), precision)
    return found


def _outermost(found: list[_Found]) -> list[_Found]:
    """Drops expressions inside a longer one («الاثنين» of «أمس الاثنين», «13 من الشهر» of a full date)."""
    return [
        f
        for f in found
        if not any(
            g is not f and g.start <= f.start and f.end <= g.end and (g.end - g.start) > (f.end - f.start)
            for g in found
        )
    ]


def read_dates(text: str, published: date | None) -> list[EventDate]:
    """The dates `text` states, in text order."""
    found = sorted(_outermost(_expressions(fold(text), published)), key=lambda f: f.start)
    return [EventDate(f.day, f.precision, f.cue) for f in found]


def event_date(sentence: str, anchor: int, before: str, published: date | None) -> EventDate | None:
    """The date of the event a figure reports.

    The date expression of the figure's sentence nearest to `anchor` (the figure's offset in the
    sentence); else the last one of the text `before` it (the story's dateline or lead); else the
    publication date, which says only the week (precision 2). None without any of them.
    """
    folded = fold(sentence)
    in_sentence = _outermost(_expressions(folded, published))
    if in_sentence:
        # Folding deletes diacritics only, so the anchor moves by at most their count: a close estimate.
        near = min(in_sentence, key=lambda f: (min(abs(f.start - anchor), abs(f.end - anchor)), f.start))
        return EventDate(near.day, near.precision, near.cue)
    earlier = read_dates(before, published)
    if earlier:
        return earlier[-1]
    return EventDate(published, WEEK, None) if published else None
