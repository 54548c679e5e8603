"""Decoded page text -> CleanedDocument: the article body without site furniture, plus page metadata.

The engine is a small line classifier over data (conflict_text/data/furniture.json):

* A line is FURNITURE when, being short (limits.max_furniture_chars after folding), it matches a whole-line
  pattern: view counts, lone numbers, times and dates alone, font-size and share widgets, comment counters,
  icon ligature names (access_time, pictogram-avatar), English UI labels, emoji section headers, bare URLs,
  photo captions, embedded-tweet attributions; or when, at any length, it is a news ticker (several
  "- HH:MM" stamps). A short line without a single Arabic letter is UI chrome in an Arabic page.
* A BLOCK MARKER line (المزيد, اقرأ أيضاً, الأخبار العاجلة, الأكثر قراءة ...) is furniture and so are the
  headline-like lines that follow it, up to a blank line or a real paragraph.
* Repetition: photo captions are printed twice in a row; a pull-quote repeats a sentence of a longer
  paragraph; the related-article teaser at the end of a page repeats the opening paragraphs. All of
  these are dropped: a repeated number would otherwise be counted twice.
* Everything else is article text. Patterns only ever look at short lines, so a long line that mentions
  a marker in passing ("... شارك في الهجوم ...") is always kept.
* A page that lost its line breaks (pasted as one line, HTML flattened to text, blocks set apart only by runs
  of spaces) is first cut back into blocks, which are then classified like lines (furniture.json flattened).
  A long line of such a page is cut at runs of white space, tabs and item separators (| • ·), after ticker
  stamps, and around the widgets that furniture.json names by phrases no sentence uses (view and comment
  counters, share lines, «الأكثر قراءة», labelled dates, weather and currency tickers, footers), found in one
  Aho-Corasick pass over the folded line. A run of spaces that a number touches inside a sentence is no cut
  («قتل  7  مدنيين»); a date that ends a block is the page's dateline; short blocks in a row can be a menu;
  after a block marker, headlines glued by single spaces go as one block. A line none of whose blocks is
  furniture is kept whole, so article paragraphs that merely hold double spaces are read as before.

Title: the first substantial line (not furniture, not a byline/dateline/outlet credit) when it looks like a
headline (short, no final full stop) and more text follows; else the headline of the trailing teaser. The
headline is kept ONCE in the body, as its first paragraph (every further copy is furniture): it is part of
the article and often the only place an actor is named, and on the seeds and the dev set keeping it raised
entity recall without adding a single duplicate figure. A headline that only exists in a related-article
card (a teaser of this same page) is not put back into the body. KEEP_TITLE_IN_BODY = False drops it.

Metadata is never guessed from the story: published_date comes from a labelled date («تاريخ النشر:»,
«نشر في»), a line that is only a date, or the page URL's /YYYY/MM/DD/; outlet from the URL's domain, a
short credit line naming a known outlet (media.csv), or, last, the outlet the article quotes as its own
interviewer («قال لـ"سمارت"»).

Inline URLs are cut out of kept lines (their digits must not become figures). The body keeps paragraph
breaks as "\\n\\n" (lines that were adjacent in the source stay joined by "\\n", and so do the blocks of a
flattened line) and is stripped; all offsets refer to it. furniture_lines_removed counts removed lines and
removed blocks of flattened lines.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import ahocorasick

from conflict_text.dates import publication_date, publication_day
from conflict_text.models import CleanedDocument
from conflict_text.normalize import NormalizedText, fold, fold_char_table, normalize

__all__ = ["clean_document", "KEEP_TITLE_IN_BODY"]

# The headline's first copy stays in the body as its first paragraph (see the module docstring); False
# removes every copy (the title is then only in CleanedDocument.title).
KEEP_TITLE_IN_BODY = True

_DATA = Path(__file__).resolve().parent / "data"
_ARABIC_LETTER_RE = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc]")
_INLINE_URL_RE = re.compile(r"(?:[…\.]{1,3}\s*)?(?:https?://|www\.|pic\.twitter\.com/)[^\s<>\"«»]+", re.I)
_URL_LINE_RE = re.compile(r"[<(\[]?((?:https?://|www\.)[^\s<>\"«»]+?)[>)\]]?", re.I)
_LIST_ITEM_RE = re.compile(r"(?:\d{1,2}[.)\-]|[•·*▪►◄\-–])\s")
_SENTENCE_END = (".", "۔", "…")
_DIGIT_RE = re.compile(r"\d")
_EDGE_PUNCT = " :：.…»«\"'“”‘’-–—|•·*()[]،,؛;!؟?"
_URL_DATE_RE = re.compile(r"/((?:19|20)\d{2})[/\-_]([01]?\d)[/\-_]([0-3]?\d)(?:[/\-_.]|$)")
_SOCIAL_HOSTS = (
    "twitter.com",
    "x.com",
    "t.co",
    "facebook.com",
    "fb.com",
    "youtube.com",
    "youtu.be",
    "instagram.com",
    "t.me",
    "telegram.me",
    "whatsapp.com",
    "wa.me",
    "tiktok.com",
)

# ------------------------------------------------------------------------------------------ config


@dataclass(frozen=True)
class _Config:
    limits: dict
    furniture_re: re.Pattern
    group_kind: dict
    caption_re: re.Pattern
    date_only_re: re.Pattern
    ticker_sep_re: re.Pattern
    ticker_min: int
    ticker_chars: int
    block_markers: frozenset
    byline_re: re.Pattern
    pub_label_re: re.Pattern
    upd_label_re: re.Pattern
    self_ref_context: tuple
    self_ref_excluded_ids: frozenset
    credit_other_words: int
    item_sep_re: re.Pattern
    menu_min_items: int
    menu_item_max_words: int
    flat_page_chars_per_line: int
    flat_line_chars: int
    widget_keys: ahocorasick.Automaton  # folded key -> (its length, the _Widgets it may begin)
    date_tail_re: re.Pattern


@dataclass(frozen=True)
class _Widget:
    """One entry of furniture.json flattened.widgets/openers, for one of its keys."""

    before: re.Pattern | None  # must match right before the key (compiled with a final $)
    after: re.Pattern | None  # must match right after it
    opener: bool  # cut only before it: the widget runs to the next cut


def _fold_pattern(pattern: str) -> str:
    # Fold only the non-ASCII letters of a regex: ASCII is regex syntax (\d, \S ...).
    return pattern.translate(_PATTERN_TABLE)


_PATTERN_TABLE = {k: v for k, v in fold_char_table().items() if k >= 128}


def _key(line: str) -> str:
    """The folded, whitespace-collapsed form of a line that all patterns are matched against."""
    return " ".join(fold(line).split())


@lru_cache(maxsize=1)
def _config() -> _Config:
    raw = json.loads((_DATA / "furniture.json").read_text("utf-8"))
    groups, kinds = [], {}
    for kind, patterns in raw["line_patterns"].items():
        if kind == "caption":
            continue
        for pattern in patterns:
            name = f"g{len(groups)}"
            groups.append(f"(?P<{name}>{_fold_pattern(pattern)})")
            kinds[name] = kind
    label_alt = lambda labels: "|".join(sorted((re.escape(fold(label)) for label in labels), key=len, reverse=True))
    return _Config(
        limits=raw["limits"],
        furniture_re=re.compile("|".join(groups), re.I),
        group_kind=kinds,
        caption_re=re.compile("|".join(f"(?:{_fold_pattern(p)})" for p in raw["line_patterns"]["caption"]), re.I),
        date_only_re=re.compile(_fold_pattern(raw["date_only"]["pattern"]), re.I),
        ticker_sep_re=re.compile(_fold_pattern(raw["ticker"]["separator"])),
        ticker_min=int(raw["ticker"]["min_items"]),
        ticker_chars=int(raw["ticker"]["max_chars_per_item"]),
        block_markers=frozenset(_key(m) for m in raw["block_markers"]["headlines"]),
        byline_re=re.compile("|".join(f"(?:{_fold_pattern(p)})" for p in raw["byline_patterns"]["patterns"]), re.I),
        pub_label_re=re.compile(rf"(?:{label_alt(raw['publication_labels']['publication'])})\s*[:\-–]?\s*(.+)", re.I),
        upd_label_re=re.compile(rf"(?:{label_alt(raw['publication_labels']['update'])})\s*[:\-–]?\s*(.+)", re.I),
        self_ref_context=tuple(fold(w) for w in raw["outlet_self_reference"]["context_before"]),
        self_ref_excluded_ids=frozenset(raw["outlet_self_reference"]["excluded_ids"]),
        credit_other_words=int(raw["credit_line"]["max_other_words"]),
        item_sep_re=re.compile(raw["separated_items"]["separator"]),
        menu_min_items=int(raw["separated_items"]["menu_min_items"]),
        menu_item_max_words=int(raw["separated_items"]["menu_item_max_words"]),
        flat_page_chars_per_line=int(raw["flattened"]["page_chars_per_line"]),
        flat_line_chars=int(raw["flattened"]["line_chars"]),
        widget_keys=_widget_keys(raw),
        date_tail_re=re.compile(f"(?:{_fold_pattern(raw['date_only']['pattern'])})$", re.I),
    )


def _widget_keys(raw: dict) -> ahocorasick.Automaton:
    """The keys of furniture.json flattened.widgets and openers, each with the entries it may begin."""
    flat = raw["flattened"]
    parts = {
        name: sorted({fold(p) for p in phrases}, key=len, reverse=True)
        for name, phrases in flat["parts"].items()
        if not name.startswith("_")
    }
    alternations = {f"<{name}>": "|".join(map(re.escape, phrases)) for name, phrases in parts.items()}
    alternations["<date>"] = raw["date_only"]["pattern"]

    def regex(pattern: str) -> str:
        for name, alternation in alternations.items():
            pattern = pattern.replace(name, alternation)
        return _fold_pattern(pattern)

    by_key: dict[str, list[_Widget]] = {}
    for section, opener in (("widgets", False), ("openers", True)):
        for why, entry in flat[section].items():
            if why.startswith("_"):
                continue
            widget = _Widget(
                re.compile(f"(?:{regex(entry['before'])})$", re.I) if "before" in entry else None,
                re.compile(regex(entry["after"]), re.I) if "after" in entry else None,
                opener,
            )
            for key in entry["keys"]:
                for phrase in parts[key[1:-1]] if key.startswith("<") else [fold(key)]:
                    by_key.setdefault(phrase, []).append(widget)
    automaton = ahocorasick.Automaton()
    for phrase, widgets in by_key.items():
        automaton.add_word(phrase, (len(phrase), tuple(widgets)))
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True)
class _Outlet:
    id: str
    name_ar: str
    keys: tuple[str, ...]
    domains: tuple[str, ...]


@lru_cache(maxsize=1)
def _outlets() -> tuple[tuple[_Outlet, ...], re.Pattern | None, dict]:
    """Known outlets from gazetteer/media.csv (read-only here; another module owns the file)."""
    path = _DATA / "gazetteer" / "media.csv"
    outlets: list[_Outlet] = []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                names = [row.get("name_ar") or "", row.get("name_en") or ""]
                names += (row.get("aliases_ar") or "").split("|") + (row.get("aliases_en") or "").split("|")
                keys = tuple(dict.fromkeys(k for k in (_key(n) for n in names) if len(k) >= 3))
                domains = tuple(d.strip().lower() for d in (row.get("domains") or "").split("|") if d.strip())
                if row.get("name_ar") and (keys or domains):
                    outlets.append(_Outlet((row.get("id") or "").strip(), row["name_ar"].strip(), keys, domains))
    except OSError:
        return (), None, {}
    by_key = {k: o for o in outlets for k in o.keys}
    if not by_key:
        return tuple(outlets), None, {}
    alt = "|".join(re.escape(k) for k in sorted(by_key, key=len, reverse=True))
    name_re = re.compile(rf"(?<![^\W\d_])(?:{alt})(?![^\W\d_])", re.I)
    return tuple(outlets), name_re, by_key


# ------------------------------------------------------------------------------------------ lines

_ARTICLE, _FURNITURE, _BLANK = 0, 1, 2


class _Line:
    __slots__ = ("text", "kind", "why", "long", "recovered", "_key")

    def __init__(
        self, text: str, key: str | None, kind: int, why: str = "", long: bool = False, recovered: bool = False
    ) -> None:
        self.text = text  # stripped original
        self._key = key
        self.kind = kind
        self.why = why
        self.long = long
        self.recovered = recovered  # a block of a line that had lost its line breaks

    @property
    def key(self) -> str:
        """Folded, whitespace-collapsed text (computed on demand: folding costs per character)."""
        if self._key is None:
            self._key = self.text if self.long else _key(self.text)
        return self._key

    @property
    def raw_words(self) -> int:
        return self.text.count(" ") + 1

    @property
    def plain(self) -> str:
        """Whitespace-collapsed original: what repetition checks compare (copies are verbatim)."""
        return self.text if self.long else " ".join(self.text.split())


# Lines longer than this (in characters) are article text or a ticker: they are never folded, matched
# against furniture patterns or taken as a credit line (so a 2 MB line without spaces is never searched
# for outlet names). It is above every short-line limit of furniture.json.
_LONG_LINE = 300
# Short-line patterns only see lines of at most max_furniture_chars folded characters; folding never
# lengthens a line, so a raw line this much longer cannot match and is not folded for classification.
_RAW_SLACK = 40


def _words(key: str) -> int:
    return key.count(" ") + 1 if key else 0


def _is_ticker(text: str, cfg: _Config) -> bool:
    if ":" not in text:
        return False
    count = len(cfg.ticker_sep_re.findall(text))
    return count >= cfg.ticker_min and len(text) <= count * cfg.ticker_chars


@lru_cache(maxsize=8192)
def _short_line_kind(text: str) -> tuple[str, str]:
    """(key, furniture kind or "" for article text) of one stripped short line.

    Memoised: the same menus, share widgets, counters and sidebar headlines recur on every page of
    a site, and folding plus some forty patterns is most of the cost of a page.
    """
    key = _key(text)
    if not key:  # only marks/diacritics/invisible characters
        return key, "invisible"
    cfg = _config()
    return key, _classify(key, cfg) or _separated_kind(text, key, cfg) or ""


def _separated_kind(text: str, key: str, cfg: _Config) -> str | None:
    """The furniture kind of a short line of items set apart by separators (furniture.json separated_items):
    "date" or "widgets" when every item is furniture, "menu" for a menu; None for article text."""
    if len(key) > cfg.limits["max_furniture_chars"]:
        return None
    items = [item for item in cfg.item_sep_re.split(text) if item]
    if len(items) < 2:
        return None
    classified = [_short_line_kind(item) for item in items]  # (key, kind) of each item
    kinds = [kind for _, kind in classified]
    if all(kinds):
        return "date" if "date" in kinds else "widgets"
    return "menu" if _is_menu(classified, cfg) else None


def _is_menu(items: list[tuple[str, str]], cfg: _Config) -> bool:
    """Whether items, as (key, furniture kind or ""), make a menu: at least menu_min_items of them, each a menu
    item, one of them furniture on its own («الرئيسية | سياسة | رأي | ثقافة | الأكثر قراءة»)."""
    return (
        len(items) >= cfg.menu_min_items
        and any(kind for _, kind in items)
        and all(_menu_item(key, cfg) for key, _ in items)
    )


def _menu_item(key: str, cfg: _Config) -> bool:
    """At most menu_item_max_words words and no digit."""
    return _words(key) <= cfg.menu_item_max_words and not _DIGIT_RE.search(key)


def _classify(key: str, cfg: _Config) -> str | None:
    """The furniture kind of one short line (its key), or None for article text."""
    n = len(key)
    if _is_ticker(key, cfg):
        return "ticker"
    if n > cfg.limits["max_furniture_chars"]:
        return None
    if key.strip(_EDGE_PUNCT) in cfg.block_markers:
        return "block"
    m = cfg.furniture_re.fullmatch(key)
    if m:
        kind = cfg.group_kind.get(m.lastgroup or "", "furniture")
        # «الأربعاء 3 آذار 2021 - 14:20» ends like a ticker item, but it is the page's dateline.
        return "date" if kind == "ticker_item" and _is_date_line(key, cfg) else kind
    if _is_date_line(key, cfg):
        return "date"
    if not _ARABIC_LETTER_RE.search(key) and _words(key) <= cfg.limits["non_arabic_max_words"]:
        return "non_arabic"
    if (
        _words(key) <= cfg.limits["caption_max_words"]
        and not key.endswith(_SENTENCE_END)
        and cfg.caption_re.fullmatch(key)
    ):
        return "caption"
    return None


def _is_date_line(key: str, cfg: _Config) -> bool:
    return bool(cfg.date_only_re.fullmatch(key) and publication_date(key))


def _headline_like(line: _Line, cfg: _Config) -> bool:
    if line.kind == _BLANK or len(line.text) > cfg.limits["headline_max_chars"] + _RAW_SLACK:
        return False
    if len(line.key) > cfg.limits["headline_max_chars"]:
        return False
    return not (line.key.endswith(_SENTENCE_END) and _words(line.key) >= 12)


# A sentence ends inside a text: an end mark (not one of a «..» pair, which headlines use), a closing quote, a space.
_SENTENCE_INSIDE_RE = re.compile(r"(?<!\.)[.!?؟…](?!\.)[\"'”»)]?\s")


def _headline_run(line: _Line, cfg: _Config) -> bool:
    """A block recovered from a flattened page that is several headlines glued by single spaces (a sidebar's
    list): too long for one headline, but not a single sentence ends in it."""
    return (
        len(line.text) <= cfg.limits["max_block_lines"] * cfg.limits["headline_max_chars"]
        and not line.text.endswith(_SENTENCE_END)
        and not _SENTENCE_INSIDE_RE.search(line.text)
    )


def _next_nonblank(lines: list[_Line], i: int) -> int:
    while i < len(lines) and lines[i].kind == _BLANK:
        i += 1
    return i


def _drop_block(lines: list[_Line], start: int, cfg: _Config) -> None:
    """Marks the headline list that follows a block marker at `start` as furniture."""
    limit = cfg.limits["max_block_lines"]
    i = _next_nonblank(lines, start + 1)
    taken = 0
    passed_ticker = False
    while i < len(lines) and taken < limit:
        line = lines[i]
        if line.kind == _BLANK:
            j = _next_nonblank(lines, i)
            if j < len(lines) and _LIST_ITEM_RE.match(lines[j].text) and _headline_like(lines[j], cfg):
                i = j
                continue
            return
        if line.kind == _FURNITURE:
            if line.why == "block":
                return  # the next marker handles its own block
            passed_ticker = passed_ticker or line.why in ("ticker", "ticker_item")
            i += 1
            continue
        if passed_ticker and not taken:
            return  # the marker's block was its ticker («الأخبار العاجلة» and its stamped items)
        if not (_headline_like(line, cfg) or (line.recovered and _headline_run(line, cfg))):
            return
        line.kind, line.why = _FURNITURE, "block item"
        taken += 1
        i += 1


def _classified_line(text: str, cfg: _Config, recovered: bool = False) -> _Line:
    """A stripped line (or a block recovered from one), classified: short ones by the patterns, long ones as
    article text unless they are a ticker."""
    if len(text) > cfg.limits["max_furniture_chars"] + _RAW_SLACK:
        ticker = _is_ticker(text, cfg)
        return _Line(
            text,
            None,
            _FURNITURE if ticker else _ARTICLE,
            "ticker" if ticker else "",
            len(text) > _LONG_LINE,
            recovered,
        )
    key, why = _short_line_kind(text)
    return _Line(text, key, _FURNITURE if why else _ARTICLE, why, False, recovered)


# ------------------------------------------------------------------------------------------ flattened pages

# White space other than " " and tabs that flattened HTML leaves between blocks (nbsp and the typographic
# spaces); each is made a space to find the runs.
_OTHER_SPACES = "\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_SPACE_RUN_RE = re.compile(" {2,}")
_TAB_RE = re.compile("\t")
_ITEM_SEPARATOR_RE = re.compile("[|•·]")
# A run of spaces after these (folded) marks is inside a sentence: the clause goes on.
_CLAUSE_GOES_ON = ",;؛"
# A dateline ending a block is at most this long (weekday, day, month in two calendars, year, time).
_DATE_TAIL_CHARS = 80
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
# How far before its key a widget's 'before' part is looked for (a count: «12,345 مشاهدة»).
_BEFORE_KEY_CHARS = 64


def _recovered_blocks(line: str, cfg: _Config) -> list[_Line] | None:
    """The blocks of a line that lost its line breaks (furniture.json flattened), each classified like a line.

    None when no block is furniture (the line is read whole, as it would have been), and when the line is a
    ticker whose stamps cut it into headlines only (it stays one ticker line).
    """
    nt = normalize(line)
    cuts, space_runs = _cut_points(nt.text, cfg)
    blocks: list[tuple[_Line, int, int]] = []  # (block, start, end in the folded line)
    for a, b in zip(cuts, cuts[1:]):
        text = _block_text(line, nt, a, b)
        if not text:
            continue
        block = _classified_line(text, cfg, True)
        if a in space_runs and blocks and blocks[-1][2] == a and _number_across(blocks[-1][0], block):
            a = blocks.pop()[1]
            block = _classified_line(_block_text(line, nt, a, b), cfg, True)
        blocks.append((block, a, b))
    if not any(block.kind == _FURNITURE for block, _, _ in blocks):
        return None
    out: list[_Line] = []
    for n, (block, a, b) in enumerate(blocks):
        # Only before a cut: a date that ends the line may end an article sentence.
        if block.why != "date" and n + 1 < len(blocks):
            out += _split_date_tail(block, line, nt, a, b, cfg) or [block]
        else:
            out.append(block)
    if _is_ticker(line, cfg) and all(block.kind == _FURNITURE or _headline_like(block, cfg) for block in out):
        return None
    _drop_menus(out, cfg)
    return out


def _drop_menus(blocks: list[_Line], cfg: _Config) -> None:
    """Runs of blocks that make a menu (_is_menu: the items of a menu set apart by runs of spaces)."""
    run: list[_Line] = []
    for block in [*blocks, None]:
        if block is not None and not block.long and _menu_item(block.key, cfg):
            run.append(block)
            continue
        if len(run) >= cfg.menu_min_items and _is_menu([(item.key, item.why) for item in run], cfg):
            for item in run:
                item.kind, item.why = _FURNITURE, "menu"
        run = []


def _number_across(left: _Line, right: _Line) -> bool:
    """Whether the run of spaces between two blocks cuts a number off its sentence («قتل  7  مدنيين»): neither
    is furniture, unless a lone number, the left one ends no sentence, and a digit touches the run."""
    return (
        all(block.kind == _ARTICLE or block.why == "lone_number" for block in (left, right))
        and not left.text.endswith(_SENTENCE_END)
        and (left.text[-1].isdigit() or right.text[0].isdigit())
    )


def _block_text(line: str, nt: NormalizedText, a: int, b: int) -> str:
    """The original text of the folded span [a, b), without the white space and item separators around it."""
    oa, ob = nt.to_original(a, b)
    return line[oa:ob].strip().strip("|•·").strip()


def _has_block_gap(line: str) -> bool:
    """Whether a line holds what sets blocks apart in flattened pages: a run of spaces, a nbsp, a tab, an item
    separator. (Written as `in` tests: they run at memchr speed, several times faster than a regex.)"""
    return "  " in line or "\xa0" in line or "\t" in line or "|" in line or "•" in line or "·" in line


def _cut_points(folded: str, cfg: _Config) -> tuple[list[int], set[int]]:
    """Where the blocks of a flattened line begin and end (indexes into its folded text), in order, and which
    of them are only a run of spaces."""
    # Each search runs only when an `in` test (memchr speed) finds what it looks for: most lines of a flat page
    # are article text that holds none of it.
    spaced = folded
    for space in _OTHER_SPACES:
        if space in spaced:
            spaced = spaced.replace(space, " ")
    space_runs = (
        {
            m.start()
            for m in _SPACE_RUN_RE.finditer(spaced)
            if m.start() and spaced[m.start() - 1] not in _CLAUSE_GOES_ON
        }
        if "  " in spaced
        else set()
    )
    cuts = {0, len(folded)}
    if "\t" in folded:
        cuts.update(m.start() for m in _TAB_RE.finditer(folded))  # a sentence never holds a tab: it sets blocks apart
    stamps = [m.span() for m in cfg.ticker_sep_re.finditer(folded)] if ":" in folded else []
    cuts.update(end for _, end in stamps)
    if "|" in folded or "•" in folded or "·" in folded:
        # Items set apart by |, • or ·; a "| 09:33" stamp stays with the ticker item it ends.
        stamp_starts = {start for start, _ in stamps}
        cuts.update(m.start() for m in _ITEM_SEPARATOR_RE.finditer(folded) if m.start() not in stamp_starts)
    end = 0  # of overlapping widgets only the leftmost (then the longest) is cut out: the others would cut it apart
    for start, stop, opener in sorted(_widgets(folded, cfg), key=lambda w: (w[0], -w[1])):
        if opener:
            cuts.add(start)
        elif start >= end:
            cuts.update((start, stop))
            end = stop
    return sorted(cuts | space_runs), space_runs - cuts


def _widgets(folded: str, cfg: _Config) -> Iterator[tuple[int, int, bool]]:
    """(start, end, opener) of every furniture.json flattened widget and opener in a folded line."""
    for last, (length, widgets) in cfg.widget_keys.iter(folded):
        key_start, key_end = last + 1 - length, last + 1
        for widget in widgets:
            start, end = key_start, key_end
            if widget.before:
                m = widget.before.search(folded, max(0, key_start - _BEFORE_KEY_CHARS), key_start)
                if not m:
                    continue
                start = m.start()
            if widget.after:
                m = widget.after.match(folded, key_end)
                if not m:
                    continue
                end = m.end()
            if _word_edge(folded, start) and _word_edge(folded, end):
                yield start, end, widget.opener


def _word_edge(text: str, i: int) -> bool:
    return i <= 0 or i >= len(text) or not (text[i - 1].isalnum() and text[i].isalnum())


def _split_date_tail(block: _Line, line: str, nt: NormalizedText, a: int, b: int, cfg: _Config) -> list[_Line] | None:
    """A block (the folded span [a, b) of `line`) that ends with a date («... بحث الأربعاء 3 آذار 2021 - 14:20»):
    the date is the page's dateline, a block of its own. None when the block does not end with a date, or is a
    labelled date («تاريخ النشر: 14 آذار 2017», which _find_date reads whole)."""
    start = max(a, b - _DATE_TAIL_CHARS)
    # Every date has a year: most blocks are turned down by this quick look, not by the date pattern.
    m = _YEAR_RE.search(nt.text, start, b) and cfg.date_tail_re.search(nt.text, start, b)
    if not m:
        return None
    date_start = b - len(nt.text[m.start() : b].lstrip())
    head = _block_text(line, nt, a, date_start)
    if (
        not head
        or not _word_edge(nt.text, date_start)
        or any(_labelled_date(label_re, block.key, cfg) for label_re in (cfg.pub_label_re, cfg.upd_label_re))
    ):
        return None
    dateline = _classified_line(_block_text(line, nt, date_start, b), cfg, True)
    return [_classified_line(head, cfg, True), dateline] if dateline.why == "date" else None


# ------------------------------------------------------------------------------------------ main


def clean_document(text: str) -> CleanedDocument:
    """Removes site furniture from decoded page text and reads title, outlet, url and date."""
    cfg = _config()
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[_Line] = []
    short = cfg.limits["max_furniture_chars"] + _RAW_SLACK
    flat_page = len(text) > cfg.flat_page_chars_per_line * (text.count("\n") + 1)
    for raw in text.split("\n"):
        s = raw.strip()
        if not s:
            # A run of blank lines separates exactly like one: keep one (a page of blank lines stays cheap).
            if not lines or lines[-1].kind != _BLANK:
                lines.append(_Line("", "", _BLANK))
            continue
        if len(s) > short and (flat_page or len(s) >= cfg.flat_line_chars or _has_block_gap(s)):
            blocks = _recovered_blocks(s, cfg)
            if blocks:
                lines += blocks
                continue
        lines.append(_classified_line(s, cfg))

    for i, line in enumerate(lines):
        if line.why == "block":
            _drop_block(lines, i, cfg)

    url = _find_url(lines)
    published = _find_date(lines, url, cfg)
    title = _find_title(lines, cfg)
    if title:
        tkey = _key(title)
        kept = not KEEP_TITLE_IN_BODY
        for line in lines:
            if line.kind == _ARTICLE and abs(len(line.text) - len(title)) <= _RAW_SLACK and line.key == tkey:
                if not kept:
                    kept, line.why = True, "title (kept)"
                    continue
                line.kind, line.why = _FURNITURE, "title"
    _drop_captions_and_repeats(lines, cfg)
    teaser_title = _drop_trailing_teaser(lines, cfg)
    if title is None and teaser_title:
        title = teaser_title
    outlet = _find_outlet(lines, url, cfg)
    body = _assemble(lines)
    removed = sum(1 for line in lines if line.kind == _FURNITURE)
    return CleanedDocument(
        body=body,
        title=title,
        outlet=outlet,
        url=url,
        published_date=published,
        page_date=None if published else _latest_page_date(lines),
        furniture_lines_removed=removed,
    )


def _latest_page_date(lines: list[_Line]) -> date | None:
    """The latest date of the page's embedded posts and date-only lines.

    Posts embedded in a story are older than it, so this bounds the story's date from below and
    gives its yearless dates («23 مارس الجاري») a year when the page states no publication date.
    """
    dates = [publication_date(line.key) for line in lines if line.why in ("tweet_attribution", "date")]
    return max((d for d in dates if d), default=None)


def _assemble(lines: list[_Line]) -> str:
    out: list[str] = []
    gap = False
    for line in lines:
        if line.kind != _ARTICLE:
            gap = gap or bool(out)
            continue
        s = line.text
        if "://" in s or "www." in s or "pic.twitter" in s:
            s = _INLINE_URL_RE.sub("", s).strip()
            if not s or not _ARABIC_LETTER_RE.search(s):
                gap = gap or bool(out)
                continue
        if out:
            out.append("\n\n" if gap else "\n")
        out.append(s)
        gap = False
    return "".join(out).strip()


def _find_url(lines: list[_Line]) -> str | None:
    for line in lines:
        if line.why == "url":
            m = _URL_LINE_RE.fullmatch(line.text)
            if not m:
                continue
            candidate = m.group(1).rstrip(".,;")
            host = _host(candidate)
            if host and not any(host == h or host.endswith("." + h) for h in _SOCIAL_HOSTS):
                return candidate
    return None


def _host(url: str) -> str:
    try:
        parts = urlsplit(url if "://" in url else "http://" + url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _find_date(lines: list[_Line], url: str | None, cfg: _Config) -> date | None:
    """Labelled publication date > a line that is only a date > the URL's date > a labelled update."""
    labelled_dates: dict[str, date] = {}
    labels = (("publication date", cfg.pub_label_re), ("update date", cfg.upd_label_re))
    date_line = None
    max_words = cfg.limits["credit_max_words"] + 12
    for line in lines:
        if line.kind == _BLANK or line.long or line.raw_words > max_words + 5 or _words(line.key) > max_words:
            continue
        for why, label_re in labels:  # the first line carrying each label gives that date
            if why not in labelled_dates and (d := _labelled_date(label_re, line.key, cfg)):
                labelled_dates[why] = d
                line.kind, line.why = _FURNITURE, why
                break
        else:
            if date_line is None and line.why == "date":
                date_line = publication_date(line.key)
    labelled, updated = labelled_dates.get("publication date"), labelled_dates.get("update date")
    if labelled or date_line:
        return labelled or date_line
    if url:
        m = _URL_DATE_RE.search(urlsplit(url).path if "://" in url else url)
        if m and (d := publication_day(int(m[1]), int(m[2]), int(m[3]))):
            return d
    return updated


_DATE_PREFIX_RE = re.compile(r"(?:في|يوم|بتاريخ|on)\s+")


def _labelled_date(label_re: re.Pattern, key: str, cfg: _Config) -> date | None:
    """The date of a «label: date» line; the rest of the line must be only a date (and time)."""
    m = label_re.fullmatch(key)
    if not m:
        return None
    rest = (
        _DATE_PREFIX_RE.sub("", m.group(1), count=1)
        if m.group(1).startswith(("في", "يوم", "بتاريخ", "on"))
        else m.group(1)
    )
    if not cfg.date_only_re.fullmatch(rest):
        return None
    return publication_date(rest)


def _is_credit(line: _Line, cfg: _Config) -> bool:
    if (
        line.long
        or line.raw_words > cfg.limits["credit_max_words"] + 4
        or _words(line.key) > cfg.limits["credit_max_words"] + 1
    ):
        return False
    if cfg.byline_re.fullmatch(line.key):
        return True
    _, name_re, _ = _outlets()
    return bool(name_re and _words(line.key) <= cfg.limits["credit_max_words"] and name_re.search(line.key))


def _title_like(line: _Line, cfg: _Config) -> bool:
    lim = cfg.limits
    key = line.key
    return (
        len(key) <= lim["title_max_chars"]
        and lim["title_min_words"] <= _words(key) <= lim["title_max_words"]
        and not key.endswith((*_SENTENCE_END, "،", ",", ":", "؛"))
    )


def _find_title(lines: list[_Line], cfg: _Config) -> str | None:
    article = [i for i, line in enumerate(lines) if line.kind == _ARTICLE]
    skipped_short = 0
    for pos, i in enumerate(article):
        line = lines[i]
        if _is_credit(line, cfg):
            continue
        if _words(line.key) < cfg.limits["title_min_words"] and skipped_short < 3:
            skipped_short += 1  # section labels and breadcrumbs above the headline
            continue
        if _title_like(line, cfg) and pos + 1 < len(article):
            return line.text
        return None
    return None


def _drop_captions_and_repeats(lines: list[_Line], cfg: _Config) -> None:
    """Captions printed twice in a row; pull-quotes and other copies of text found in a longer paragraph."""
    lim = cfg.limits
    article = [line for line in lines if line.kind == _ARTICLE]
    # A caption printed twice in a row (the image's alt text and its visible caption).
    prev: _Line | None = None
    for line in article:
        if (
            prev is not None
            and not line.long
            and line.text == prev.text
            and _words(line.key) <= lim["caption_max_words"]
            and not line.key.endswith(_SENTENCE_END)
        ):
            prev.kind = line.kind = _FURNITURE
            prev.why = line.why = "caption"
        prev = line
    article = [line for line in lines if line.kind == _ARTICLE]
    # Pull-quotes: a short line whose text is inside a longer paragraph; exact repeats of a paragraph.
    plains = [(line, line.plain) for line in article]
    # Comparing every short line with every line is quadratic: on a hostile page of thousands of lines
    # the search stops once it has gone over this many characters (no real page comes near).
    budget = lim["pull_quote_max_chars_compared"]
    seen: set[str] = set()
    for line, plain in plains:
        n = plain.count(" ") + 1
        if n < lim["pull_quote_min_words"]:
            continue
        core = plain.strip(_EDGE_PUNCT)
        if core in seen:
            line.kind, line.why = _FURNITURE, "repeat"
            continue
        seen.add(core)
        if n > 40 or plain.endswith(_SENTENCE_END) or budget <= 0:
            continue
        for other, other_plain in plains:
            budget -= len(other_plain)
            if (
                other is not line
                and other.kind == _ARTICLE
                and len(other_plain) >= 1.5 * len(core)
                and core in other_plain
            ):
                line.kind, line.why = _FURNITURE, "pull-quote"
                break


def _four_grams(words: list[str]):
    return zip(words, words[1:], words[2:], words[3:])


def _drop_trailing_teaser(lines: list[_Line], cfg: _Config) -> str | None:
    """Drops trailing paragraphs that mostly repeat earlier body text (a related-article card).

    Returns the card's headline (the short line above it), which is this page's own title when the
    card teases the same article.
    """
    lim = cfg.limits
    paragraphs: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.kind == _ARTICLE:
            current.append(line)
        elif current:
            paragraphs.append(current)
            current = []
    if current:
        paragraphs.append(current)
    headline = None
    for _ in range(3):
        if len(paragraphs) < 2:
            break
        words = " ".join(line.text for line in paragraphs[-1]).split()
        if len(words) < lim["teaser_min_words"]:
            break
        earlier_words = " ".join(line.text for para in paragraphs[:-1] for line in para).split()
        grams = list(_four_grams(words))
        # Cheap probe first (most pages have no teaser): a few 4-grams looked up as " w1 w2 w3 w4 " in
        # the earlier text; only then the full count against the set of earlier 4-grams.
        probe = grams[:: max(1, len(grams) // 5)][:6]
        earlier = f" {' '.join(earlier_words)} "
        if sum(f" {' '.join(g)} " in earlier for g in probe) * 2 < len(probe):
            break
        earlier_grams = set(_four_grams(earlier_words))
        if sum(g in earlier_grams for g in grams) < lim["teaser_overlap"] * len(grams):
            break
        for line in paragraphs[-1]:
            line.kind, line.why = _FURNITURE, "teaser"
        paragraphs.pop()
        above = paragraphs[-1]
        if len(above) == 1 and len(paragraphs) >= 2 and not above[0].long and _title_like(above[0], cfg):
            headline = above[0].text
            above[0].kind, above[0].why = _FURNITURE, "teaser headline"
            paragraphs.pop()
    return headline


def _find_outlet(lines: list[_Line], url: str | None, cfg: _Config) -> str | None:
    outlets, name_re, by_key = _outlets()
    if not outlets:
        return None
    if url:
        host = _host(url)
        for outlet in outlets:
            if any(host == d or host.endswith("." + d) for d in outlet.domains):
                return outlet.name_ar
    if name_re is None:
        return None
    short = cfg.limits["credit_max_words"]
    for line in lines:
        if (
            line.kind == _BLANK
            or line.long
            or line.raw_words > short + 4
            or line.why not in _CREDIT_KINDS
            or _words(line.key) > short
        ):
            continue
        m = name_re.search(line.key)
        if m and _words(line.key.replace(m.group(0), " ").strip(_EDGE_PUNCT)) <= cfg.credit_other_words:
            return by_key[m.group(0)].name_ar
    # Last resort: the outlet the article names as its own interviewer («في تصريح لأورينت نت»).
    counts: dict[str, int] = {}
    context_re, after_re = _context_re(), _self_ref_re()
    for line in lines:
        if line.kind != _ARTICLE:
            continue
        for ctx in context_re.finditer(line.text):
            m = after_re.match(_key(line.text[ctx.end() : ctx.end() + 80]))
            outlet = by_key.get(m.group(1)) if m else None
            if outlet and outlet.id not in cfg.self_ref_excluded_ids:
                counts[outlet.name_ar] = counts.get(outlet.name_ar, 0) + 1
    if counts:
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            return ranked[0][0]
    return None


# Lines that may be an outlet credit: article lines and English labels («SANA»), never dates or captions.
_CREDIT_KINDS = frozenset({"", "non_arabic"})


@lru_cache(maxsize=1)
def _context_re() -> re.Pattern:
    """The interview words of furniture.json, matching the unfolded text (any hamza/ta marbuta form)."""
    variants: dict[str, set[str]] = {}
    for src, dst in fold_char_table().items():
        if isinstance(dst, str) and len(dst) == 1:
            variants.setdefault(dst, {dst}).add(chr(src))

    def tolerant(word: str) -> str:
        return "".join(f"[{''.join(sorted(variants[c]))}]" if c in variants else re.escape(c) for c in word)

    # One alternative per variant of the first letter: when every alternative starts with a plain letter
    # the regex engine skips ahead to candidate positions instead of trying each one (a leading class
    # such as [اأإآ] disables that). The variants of one letter exclude each other, so the leftmost match
    # and the alternative chosen are the same as with the class.
    return re.compile(
        "|".join(
            re.escape(first) + tolerant(w[1:])
            for w in _config().self_ref_context
            for first in sorted(variants.get(w[0], w[0]))
        )
    )


@lru_cache(maxsize=1)
def _self_ref_re() -> re.Pattern:
    """What follows an interview word: at most two words («خاصة», «هاتفي مع»), then لـ/مع and the outlet."""
    _, _, by_key = _outlets()
    alt = "|".join(re.escape(k) for k in sorted(by_key, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"(?:\S+\s+){{0,2}}?(?:لـ?|مع)\s?[\"«“'(]?\s?({alt})(?![^\W\d_])", re.I)
