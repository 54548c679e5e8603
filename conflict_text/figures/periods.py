"""The period a figure covers, from the dates stated near it."""

from __future__ import annotations

from collections import Counter
from datetime import date

from conflict_text.dates import month_number, period_patterns
from conflict_text.figures.document import Document
from conflict_text.figures.sentence import Candidate


class Periods:
    """The period of a figure from the dates stated in its sentence and the three before it.

    Many figures share a sentence, so each sentence's dates are read once. A date without a year takes
    the publication year, else the year the text mentions most (counted only when needed).
    """

    def __init__(self, doc: Document, published_date: date | None):
        self.doc = doc
        self.patterns = period_patterns()
        self.published_year = published_date.year if published_date else None
        self._text_year: int | None = None
        self._text_year_read = False
        self._ranges: dict[int, tuple[date, date] | None] = {}
        self._dates: dict[int, list[tuple[int, int, date | None]]] = {}

    def _names_month(self, start: int, end: int) -> bool:
        """Whether the first word of a month name lies in [start, end), anywhere (as date_re reads them): else
        date_re and range_re match nothing there. The automaton reads only that span and stops at the first
        one: listing every month word of the whole text cost more (short names occur inside other words)."""
        return next(self.patterns.month_first_words.iter(self.doc.text, start, end), None) is not None

    def default_year(self) -> int | None:
        if self.published_year:
            return self.published_year
        if not self._text_year_read:
            years = (
                Counter(int(m.group("y1")) for m in self.patterns.date_re.finditer(self.doc.text) if m.group("y1"))
                if self._names_month(0, len(self.doc.text))
                else None
            )
            self._text_year = years.most_common(1)[0][0] if years else None
            self._text_year_read = True
        return self._text_year

    def _date(self, day: str, month: str, year: str | None) -> date | None:
        y = int(year) if year else self.default_year()
        if y is None:
            return None
        try:
            return date(y, month_number(month), int(day))
        except ValueError:
            return None

    def _range(self, si: int) -> tuple[date, date] | None:
        """The first «من 3 آذار حتى 5 آذار» of the sentence, when it reads as a valid range."""
        if si not in self._ranges:
            s = self.doc.sents[si]
            m = (
                self.patterns.range_re.search(self.doc.text, s.start, s.end)
                if self._names_month(s.start, s.end)
                else None
            )
            found = None
            if m:
                y2 = m.group("y2")
                d1 = self._date(m.group("d1"), m.group("m1"), m.group("y1") or y2)
                d2 = self._date(m.group("d2"), m.group("m2"), y2)
                if d1 and d2 and d1 <= d2:
                    found = d1, d2
            self._ranges[si] = found
        return self._ranges[si]

    def _single_dates(self, si: int) -> list[tuple[int, int, date | None]]:
        if si not in self._dates:
            s = self.doc.sents[si]
            self._dates[si] = (
                [
                    (m.start(), m.end(), self._date(m.group("d1"), m.group("m1"), m.group("y1")))
                    for m in self.patterns.date_re.finditer(self.doc.text, s.start, s.end)
                ]
                if self._names_month(s.start, s.end)
                else []
            )
        return self._dates[si]

    def of(self, c: Candidate) -> tuple[date | None, date | None]:
        for back in range(0, 4):
            si = c.sent - back
            if si < 0:
                break
            if not self.doc.sents[si].has_digits:
                continue
            found = self._range(si)
            if found:
                return found
            if back == 0:
                for start, end, d1 in self._single_dates(si):
                    if start <= c.start < end:
                        continue
                    if d1:
                        return d1, d1
        return None, None
