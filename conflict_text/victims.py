"""Named victims: the people an article lists as killed or injured, with sex and age class where stated.

Two ways articles name them (words in data/victims.json):
- a list after a marker, items separated by commas, the last one by «و»:
  «قتل 3 مدنيين، وهم: أحمد العلي (35 عاما)، والطفلة سارة العلي، ومحمود الحسن»;
- a name after a title word that says who the person was: «قتل الطفل عمر الخطيب (7 سنوات)».
Each name belongs to the casualty figure of its sentence, or of the sentence before it (the list often
follows the toll), and takes that figure's outcome; a list after a sentence without a figure belongs to the
latest figure before it (the toll before the list was merged into an earlier restatement, the headline's). A name is at most a few words, and ends at
punctuation, a parenthesis or a word that reports rather than names («جراء», «برصاص»), and has
two words at least.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from conflict_text.arabic import AND, WITH
from conflict_text.normalize import fold
from conflict_text.sentences import split_sentences

_DATA = Path(__file__).resolve().parent / "data" / "victims.json"
_CHILD_UNDER, _ELDERLY_FROM = 18, 60


@dataclass(frozen=True, slots=True)
class NamedVictim:
    name: str  # as written: body[char_start:char_end]
    char_start: int
    char_end: int
    sex: str | None  # male | female, where a title word says
    age: int | None  # years, where stated
    age_class: str | None  # child | adult | elderly, from the title word or the age
    figure_index: int  # the casualty figure (index into the figures given) the victim is counted in


@dataclass(frozen=True, slots=True)
class FigureSentence:
    """What victims.py needs of a casualty figure: its sentence."""

    evidence_start: int
    evidence_end: int


@dataclass(frozen=True)
class _Words:
    titles: dict[str, dict]
    list_marker: re.Pattern
    item_split: re.Pattern
    age: re.Pattern
    stops: frozenset[str]
    max_words: int
    titled: re.Pattern


@cache
def _words() -> _Words:
    raw = json.loads(_DATA.read_text("utf-8"))
    markers = "|".join(re.escape(m) for m in sorted(raw["list_markers"], key=len, reverse=True))
    titles = {fold(k): v for k, v in raw["titles"].items()}
    title_words = "|".join(re.escape(t) for t in sorted(raw["titles"], key=len, reverse=True))
    units = "|".join(re.escape(u) for u in sorted(raw["age_units"], key=len, reverse=True))
    return _Words(
        titles=titles,
        list_marker=re.compile(rf"(?<!\w)(?:{markers})\s*:\s*"),
        item_split=re.compile(r"\s*[،,]\s*"),
        age=re.compile(rf"\s*\(?\s*(\d{{1,3}})\s*(?:{units})\s*\)?"),
        stops=frozenset(fold(w) for w in raw["name_stops"]),
        max_words=raw["max_name_words"],
        titled=re.compile(rf"(?<!\w)[{AND}{WITH}]?(?:{title_words})\s+"),
    )


def _name_at(body: str, start: int, end: int) -> tuple[int, int] | None:
    """The span of the name starting at `start` (not past `end`): Arabic words up to a stop."""
    words = _words()
    pos, last = start, None
    for count, m in enumerate(re.finditer(r"[\u0621-\u064A\u0671-\u06D3]+", body[start:end])):
        gap = body[pos : start + m.start()]
        if (count and gap.strip()) or count >= words.max_words or fold(m.group()) in words.stops:
            break  # punctuation or a parenthesis between words, too long, or not a name any more
        pos, last = start + m.end(), start + m.end()
    # A name is two words or more («عمر الخطيب»): one word after a title is as often not a name («الطفل بجروح»).
    if last is None or len(body[start:last].split()) < 2:
        return None
    return start, last


def _victim(body: str, start: int, end: int, figure_index: int) -> NamedVictim | None:
    """The victim whose item of a list, or titled mention, starts at `start`."""
    words = _words()
    title = words.titled.match(body, start)
    sex = age_class = None
    if title:
        stated = words.titles[fold(body[title.start() : title.end()].strip().lstrip(AND + WITH))]
        sex, age_class = stated["sex"], stated["age_class"]
        start = title.end()
    span = _name_at(body, start, end)
    if span is None:
        return None
    age_match = words.age.match(body, span[1], end)
    age = int(age_match[1]) if age_match else None
    if age is not None:
        age_class = "child" if age < _CHILD_UNDER else "elderly" if age >= _ELDERLY_FROM else "adult"
    return NamedVictim(body[span[0] : span[1]], span[0], span[1], sex, age, age_class, figure_index)


def find_victims(body: str, figures: list[FigureSentence]) -> list[NamedVictim]:
    """The named victims of a document, given the sentences of its casualty figures."""
    words, found = _words(), []
    # The first figure of each sentence, by the sentence's start: one lookup per sentence, not a scan of the figures.
    figure_at: dict[int, int] = {}
    for i, f in enumerate(figures):
        figure_at.setdefault(f.evidence_start, i)
    previous = None  # the start of the sentence before
    latest = None  # the figure of the latest sentence that has one
    for start, end in split_sentences(body):
        # the figure of the sentence, or of the sentence just before it
        figure = figure_at.get(start)
        if figure is not None:
            latest = figure
        else:
            figure = figure_at.get(previous)
        previous = start
        # A marker ends with a colon: a sentence without one (most) is not searched.
        marker = words.list_marker.search(body, start, end) if body.find(":", start, end) >= 0 else None
        if figure is None and marker:
            # A list names the victims of a toll: when the toll before it was merged into the headline's
            # restatement of it, the sentence before holds no figure of its own, and the latest one stands.
            figure = latest
        if figure is None:
            continue
        if marker:
            items, pos = [], marker.end()
            for part in words.item_split.finditer(body, marker.end(), end):
                items.append((pos, part.start()))
                pos = part.end()
            items.append((pos, end))
            for i, (a, b) in enumerate(items):
                if (
                    i
                    and body.startswith(AND, a)
                    and not body.startswith(AND + AND, a)
                    and not words.titled.match(body, a)
                ):
                    a += 1  # «، ومحمود الحسن»: the conjunction, not the name
                victim = _victim(body, a, b, figure)
                if victim:
                    found.append(victim)
            continue
        for title in words.titled.finditer(body, start, end):
            victim = _victim(body, title.start(), end, figure)
            if victim:
                found.append(victim)
    return found
