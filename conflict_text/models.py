"""Plain records passed between the text functions and the assets.

Offsets are Python string indexes into the cleaned body: body[char_start:char_end] is the
record's own text. Evidence spans cover the sentence the figure was read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class CleanedDocument:
    body: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published_date: date | None = None
    # Only when no publication date is stated: the latest date on the page (embedded posts, date
    # lines), used to date yearless mentions in the text; never reported as the publication date.
    page_date: date | None = None
    # Lines of site furniture removed from the raw text (sidebars, tickers, share widgets ...).
    furniture_lines_removed: int = 0


@dataclass(slots=True)  # not frozen: a frozen dataclass pays object.__setattr__ per field, per mention
class EntityMention:
    entity_id: str
    entity_type: str  # vocabularies()["entity_type"]
    surface: str  # body[char_start:char_end], clitics excluded
    name_ar: str
    name_en: str | None
    char_start: int
    char_end: int
    match_source: str = "gazetteer"  # "pattern" when discovered from context, not from a gazetteer


@dataclass(slots=True)
class CasualtyFigure:
    outcome: str
    victim_group: str
    value: int | None  # None for vague quantities (عشرات، مئات ...)
    value_low: int | None
    value_high: int | None
    qualifier: str
    surface: str  # body[char_start:char_end]: the number expression as written
    char_start: int
    char_end: int
    evidence: str  # body[evidence_start:evidence_end]: the sentence
    evidence_start: int
    evidence_end: int
    parent_index: int | None = None  # index of the figure this one is a breakdown of
    location: str | None = None
    perpetrator: str | None = None
    claimant: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    disputed: bool = False
    superseded: bool = False
    rules: list[str] = field(
        default_factory=list
    )  # ids of the rules that made it, in the order they applied (figures.rules)


@dataclass(slots=True)
class MunitionFigure:
    munition_type: str
    value: int | None  # None when the weapon is named without a count
    value_low: int | None
    value_high: int | None
    qualifier: str  # vocabularies()["munition_qualifier"]
    surface: str
    char_start: int
    char_end: int
    evidence: str
    evidence_start: int
    evidence_end: int
    unit: str | None = None  # what was counted when it is the carrier, e.g. "rockets" of chlorine
    location: str | None = None
    perpetrator: str | None = None
    claimant: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    rules: list[str] = field(
        default_factory=list
    )  # ids of the rules that made it, in the order they applied (figures.rules)


@dataclass(slots=True)
class Figures:
    casualties: list[CasualtyFigure] = field(default_factory=list)
    munitions: list[MunitionFigure] = field(default_factory=list)
