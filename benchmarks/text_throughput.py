"""Throughput of each text stage on one core: documents per second over a folder of articles.

usage: python benchmarks/text_throughput.py ARTICLES_DIR [--limit N] [--repeat R] [--profile STAGE]
Stages run in pipeline order on the previous stage's output, timed separately; the gazetteer and
lexicons are loaded (and their automata built) before timing, as a long run amortises them.
A small folder (the seed articles) is timed over --repeat passes, each stage's best pass kept.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

from conflict_text.clean import clean_document
from conflict_text.decode import decode_document
from conflict_text.entities import find_mentions
from conflict_text.figures import extract_figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=1, help="passes over the folder per stage; the best counts")
    parser.add_argument("--profile", choices=["decode", "clean", "entities", "figures"])
    args = parser.parse_args()
    raw = [(p.name, p.read_bytes()) for p in sorted(args.articles.rglob("*.txt"))[: args.limit]]
    # Warm-up: load data files and build automata outside the timed region.
    warm = clean_document(decode_document(raw[0][1], raw[0][0]).text)
    extract_figures(warm.body, find_mentions(warm.body), warm.published_date)

    stages = {
        "decode": lambda items: [decode_document(data, name).text for name, data in items],
        "clean": lambda texts: [clean_document(t) for t in texts],
        "entities": lambda docs: [(d, find_mentions(d.body)) for d in docs],
        "figures": lambda pairs: [extract_figures(d.body, m, d.published_date) for d, m in pairs],
    }
    data, size = raw, sum(len(b) for _, b in raw)
    print(f"{len(raw)} documents, {size / len(raw) / 1024:.1f} KB on average")
    for name, stage in stages.items():
        profiler = cProfile.Profile() if args.profile == name else None
        elapsed = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            out = stage(data)
            if profiler:
                profiler.disable()
            elapsed = min(elapsed, time.perf_counter() - started)
        print(f"{name:9s} {len(raw) / elapsed:8.0f} docs/s  ({elapsed * 1000 / len(raw):.3f} ms/doc)")
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        if name == "figures":  # how dense the corpus is in what the slowest stage works on
            body_kb = sum(len(d.body.encode()) for d, _ in data) / 1024
            found = sum(len(f.casualties) + len(f.munitions) for f in out)
            print(f"          {found / len(raw):.1f} figures per document, {found / body_kb:.2f} per KB of body")
        data = out


if __name__ == "__main__":
    main()
