"""Which rules made, typed or rejected each number and noun of a text: for `python -m pipelines explain` and
for the examples of the rule files (tests/text/test_figure_rules.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from conflict_text.figures import read_figures
from conflict_text.models import CasualtyFigure, EntityMention, Figures


@dataclass(frozen=True)
class Decision:
    surface: str
    char_start: int
    char_end: int
    verdict: str  # the figure read ("killed civilians 12", "munition mortar -"), or "rejected"
    rules: tuple[str, ...]


def describe_figure(figure) -> str:
    """A figure in the form of the rule examples: "killed civilians 12 of 0", "injured total 30 about",
    "munition mortar -"."""
    value = "-" if figure.value is None else str(figure.value)
    if figure.qualifier not in ("exact", "vague", "unspecified"):
        value += f" {figure.qualifier}"
    if not isinstance(figure, CasualtyFigure):
        return f"munition {figure.munition_type} {value}"
    flags = [f"of {figure.parent_index}"] if figure.parent_index is not None else []
    flags += [name for name in ("superseded", "disputed") if getattr(figure, name)]
    return " ".join([figure.outcome, figure.victim_group, value, *flags])


def describe(figures: Figures) -> list[str]:
    return [describe_figure(f) for f in figures.casualties + figures.munitions]


def explain(body: str, mentions: Sequence[EntityMention], published_date: date | None) -> list[Decision]:
    """Every figure of `body` with the rules that made it, and every number or noun a rule rejected, in text order."""
    rejections: list[tuple[int, int, str]] = []
    figures = read_figures(body, mentions, published_date, rejections)
    decisions = [
        Decision(f.surface, f.char_start, f.char_end, describe_figure(f), tuple(f.rules))
        for f in figures.casualties + figures.munitions
    ]
    decisions += [Decision(body[s:e], s, e, "rejected", (rule,)) for s, e, rule in rejections]
    return sorted(decisions, key=lambda d: (d.char_start, d.verdict == "rejected"))


def example_mentions(text: str, given: list[dict]) -> list[EntityMention]:
    """The entity mentions an example gives as [{"text", "type"}], at the first place each text occurs."""
    mentions = []
    for m in given:
        start = text.index(m["text"])
        mentions.append(
            EntityMention(
                entity_id=m["text"],
                entity_type=m["type"],
                surface=m["text"],
                name_ar=m["text"],
                name_en=None,
                char_start=start,
                char_end=start + len(m["text"]),
            )
        )
    return sorted(mentions, key=lambda m: m.char_start)


def run_example(example: dict) -> tuple[Figures, set[str]]:
    """The figures of a rule example's text, and the ids of every rule that fired on it."""
    text = example["text"]
    published = date.fromisoformat(example["published"]) if example.get("published") else None
    rejections: list[tuple[int, int, str]] = []
    figures = read_figures(text, example_mentions(text, example.get("mentions", [])), published, rejections)
    fired = {rule for f in figures.casualties + figures.munitions for rule in f.rules}
    return figures, fired | {rule for _, _, rule in rejections}
