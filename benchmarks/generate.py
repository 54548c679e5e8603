"""Writes N synthetic Arabic articles (2-5 KB, with site furniture) for benchmarks.

Sentences come from benchmarks/templates.json, slots from the project's own gazetteers, so the
corpus exercises every text stage without any publisher's text. Deterministic for a given seed.

usage: python benchmarks/generate.py OUT_DIR N [--seed S] [--start K]
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from conflict_text.gazetteer import load_gazetteer

TEMPLATES = json.loads((Path(__file__).parent / "templates.json").read_text("utf-8"))


def _names(entity_type: str) -> list[str]:
    return [e["name_ar"] for e in load_gazetteer().entities() if e["entity_type"] == entity_type]


def article(rng: random.Random, names: dict[str, list[str]]) -> str:
    def fill(template: str) -> str:
        return template.format(
            place=rng.choice(names["location"]), place2=rng.choice(names["location"]),
            group=rng.choice(names["armed_group"]), org=rng.choice(names["organisation"]),
            outlet=rng.choice(names["media"]), person=rng.choice(names["person"]),
            n=rng.randint(3, 900), n2=rng.randint(2, 40), n3=rng.randint(5, 120),
            nw=rng.choice(TEMPLATES["number_words"]), munition="", day=rng.randint(1, 28),
            month=rng.choice(TEMPLATES["months"]), year=rng.randint(2012, 2020),
            views=rng.randint(100, 9000), time=f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}")

    lines = ["المزيد", *(fill(rng.choice(TEMPLATES["sidebar"])) for _ in range(rng.randint(2, 6))), ""]
    title = fill(rng.choice(TEMPLATES["titles"]))
    lines += [title, "", fill(rng.choice(TEMPLATES["furniture"])), "", title, ""]
    target = rng.randint(1500, 3800)
    body: list[str] = []
    while len("\n\n".join(body).encode()) < target:
        body.append(" ".join(fill(rng.choice(TEMPLATES["paragraphs"])) for _ in range(rng.randint(1, 3))))
    lines += ["\n\n".join(body), "", fill(rng.choice(TEMPLATES["furniture"])), "التعليقات (0)"]
    return "\n".join(lines)


def generate(out: Path, count: int, seed: int = 0, start: int = 0) -> list[Path]:
    names = {t: _names(t) for t in ("location", "armed_group", "organisation", "media", "person")}
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        rng = random.Random(f"{seed}:{i}")
        path = out / f"{i // 1000:04d}" / f"article_{i:07d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(article(rng, names), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", type=int, default=0, help="index of the first article (to add more later)")
    args = parser.parse_args()
    generate(args.out, args.count, args.seed, args.start)


if __name__ == "__main__":
    main()
