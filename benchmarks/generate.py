"""Writes N synthetic Arabic articles (2-5 KB, with site furniture) for benchmarks.

Sentences come from benchmarks/templates.json, slots from the project's own gazetteers, so the
corpus exercises every text stage without any publisher's text. Body sentences mix figure templates
("paragraphs") with narrative ones that state no casualty or munition figure, in the share FIGURE_SHARE.
Deterministic for a given seed (and share).

usage: python benchmarks/generate.py OUT_DIR N [--seed S] [--start K] [--figure-share F]
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from conflict_text.gazetteer import load_gazetteer

TEMPLATES = json.loads((Path(__file__).parent / "templates.json").read_text("utf-8"))

# Share of body sentences drawn from the figure templates; the rest are narrative. Real full articles
# carry about 0.8 casualty/munition figures per KB of body (the seeds: 0.78); 0.23 gives about 1.5
# (measured with conflict_text.figures on 1000 articles), deliberately on the dense side of real
# reporting, where an all-figure body gave about 7.
FIGURE_SHARE = 0.23

# Raw file size in bytes at which an article stops growing. It ends with the sentence that reaches the
# size, and no filled sentence is longer than about 460 bytes, so every file is within 2-5 KB (~3.5 KB).
SIZE_TARGET = (2300, 4660)


def _names(entity_type: str) -> list[str]:
    return [e["name_ar"] for e in load_gazetteer().entities() if e["entity_type"] == entity_type]


def article(rng: random.Random, names: dict[str, list[str]], figure_share: float = FIGURE_SHARE) -> str:
    def fill(template: str) -> str:
        return template.format(
            place=rng.choice(names["location"]),
            place2=rng.choice(names["location"]),
            group=rng.choice(names["armed_group"]),
            org=rng.choice(names["organisation"]),
            outlet=rng.choice(names["media"]),
            person=rng.choice(names["person"]),
            n=rng.randint(3, 900),
            n2=rng.randint(2, 40),
            n3=rng.randint(5, 120),
            nw=rng.choice(TEMPLATES["number_words"]),
            munition="",
            day=rng.randint(1, 28),
            days=rng.randint(11, 99),
            km=rng.randint(11, 99),
            percent=rng.randint(10, 90),
            month=rng.choice(TEMPLATES["months"]),
            year=rng.randint(2012, 2020),
            views=rng.randint(100, 9000),
            time=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        )

    header = ["المزيد", *(fill(rng.choice(TEMPLATES["sidebar"])) for _ in range(rng.randint(2, 6))), ""]
    title = fill(rng.choice(TEMPLATES["titles"]))
    header += [title, "", fill(rng.choice(TEMPLATES["furniture"])), "", title, ""]
    footer = ["", fill(rng.choice(TEMPLATES["furniture"])), "التعليقات (0)"]
    body_size = rng.randint(*SIZE_TARGET) - len("\n".join([*header, "", *footer]).encode())

    # Paragraphs of 1-3 sentences; the last one may be cut short by the size.
    body = ""
    sentences_left = 0  # in the current paragraph, after the one being added
    while len(body.encode()) < body_size:
        if sentences_left:
            body += " "
            sentences_left -= 1
        else:
            body += "\n\n" if body else ""
            sentences_left = rng.randint(0, 2)
        kind = "paragraphs" if rng.random() < figure_share else "narrative"
        body += fill(rng.choice(TEMPLATES[kind]))
    return "\n".join([*header, body, *footer])


def generate(out: Path, count: int, seed: int = 0, start: int = 0, figure_share: float = FIGURE_SHARE) -> list[Path]:
    names = {t: _names(t) for t in ("location", "armed_group", "organisation", "media", "person")}
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        rng = random.Random(f"{seed}:{i}")
        path = out / f"{i // 1000:04d}" / f"article_{i:07d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(article(rng, names, figure_share), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="index of the first article (to add more later)")
    parser.add_argument(
        "--figure-share",
        type=float,
        default=FIGURE_SHARE,
        help=f"share of body sentences drawn from the figure templates (default {FIGURE_SHARE})",
    )
    args = parser.parse_args()
    generate(args.out, args.count, args.seed, args.start, args.figure_share)


if __name__ == "__main__":
    main()
