"""The report's words: each code and phrase in Arabic with its English (analysis/data/labels.json).

Chart labels are written in logical order, like the HTML: the browser joins the Arabic letters and
lays the Arabic out right to left, in the charts' SVG text as in the page.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _labels() -> dict[str, dict[str, list[str]]]:
    raw = json.loads(resources.files("analysis").joinpath("data/labels.json").read_text("utf-8"))
    return {name: values for name, values in raw.items() if not name.startswith("_")}


def vocabulary_labels() -> dict[str, dict[str, list[str]]]:
    """For each vocabulary the report shows, each code's [Arabic, English] names."""
    return {name: values for name, values in _labels().items() if name != "phrase"}


def label(vocabulary: str, code: str | None) -> tuple[str, str]:
    """A code's Arabic and English names; a code the file lacks is shown as itself in both."""
    if code is None:
        return phrase("unknown")
    ar, en = _labels()[vocabulary].get(code, (code, code))
    return ar, en


def phrase(name: str) -> tuple[str, str]:
    """One of the report's phrases (titles, headings, column names) in Arabic and English."""
    ar, en = _labels()["phrase"][name]
    return ar, en


def two_lines(ar: str, en: str) -> list[str]:
    """A chart label's lines: the Arabic above the English."""
    return [ar, en] if ar != en else [en]
