"""Extraction accuracy on every annotated set at hand, through the real pipeline and the reference scorer.

usage: python -m benchmarks.accuracy [--sets seeds dev dev2 probe phenomena] [--workdir build/accuracy]

Sets: the seeds (gold in ../shared/eval/seeds), ../shared/eval/dev and dev2 (real articles: they
belong to their publishers, are read where they lie and never enter the project), and our own
tests/data/probe and tests/data/phenomena. A set whose folders are missing is skipped and said so.
Each set runs as `python -m pipelines eval` runs it (a scratch warehouse under --workdir), then
../shared/eval/score.py scores the published catalog; two sets run at once (the machines have 2
cores). Prints one markdown row per set: the lines docs/accuracy.md keeps for each stop.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SETS = {
    "seeds": (ROOT / "seeds", EVAL / "seeds" / "gold"),
    "dev": (EVAL / "dev" / "articles", EVAL / "dev" / "gold"),
    "dev2": (EVAL / "dev2" / "articles", EVAL / "dev2" / "gold"),
    "probe": (ROOT / "tests" / "data" / "probe" / "articles", ROOT / "tests" / "data" / "probe" / "gold"),
    "phenomena": (ROOT / "tests" / "data" / "phenomena" / "articles", ROOT / "tests" / "data" / "phenomena" / "gold"),
}
HEADER = (
    "| set | casualty F1 | strict | munitions F1 | entity recall | typed | places geocoded "
    "| location | claimant | perpetrator | not published |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def _geocoded(catalog: Path) -> tuple[int, int]:
    """Distinct places mentioned, and how many of them have coordinates."""
    with duckdb.connect(str(catalog), read_only=True) as con:
        return con.execute("SELECT count(latitude), count(*) FROM entities WHERE entity_type = 'location'").fetchone()


def score_set(name: str, workdir: Path) -> dict:
    articles, gold = SETS[name]
    scratch = workdir / name
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pipelines",
            "eval",
            "--articles",
            str(articles),
            "--gold",
            str(gold),
            "--workdir",
            str(scratch),
            "--show",
            "0",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{name}: the pipeline failed\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    catalog = scratch / "warehouse" / "conflict.duckdb"
    # The scorer exits 1 when a document is not in the catalog (quarantined, say); its scores still stand.
    scored = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), "--catalog", str(catalog), "--gold", str(gold), "--json"],
        capture_output=True,
        text=True,
    )
    result = json.loads(scored.stdout)
    result["geocoded"] = _geocoded(catalog)
    return result


def row(name: str, s: dict) -> str:
    attributes = s["attributes"]
    located, places = s["geocoded"]
    cells = [
        f"{s['cas']['f1']:.3f}",
        f"{s['cas_strict']['f1']:.3f}",
        f"{s['mun']['f1']:.3f}",
        f"{s['ent']['recall']:.3f}",
        f"{s['ent_typed']['recall']:.3f}",
        f"{located / places:.0%} ({located}/{places})" if places else "—",
        *(f"{a['right']}/{a['gold']}" for a in (attributes[k] for k in ("location", "claimant", "perpetrator"))),
        " ".join(s["missing_documents"] or []) or "—",
    ]
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=list(SETS), default=list(SETS))
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "accuracy")
    args = parser.parse_args()
    present = [s for s in args.sets if all(p.is_dir() for p in SETS[s])]
    for missing in sorted(set(args.sets) - set(present)):
        print(f"skipped {missing}: {SETS[missing][0]} or its gold is not here", file=sys.stderr)
    with ThreadPoolExecutor(max_workers=2) as pool:
        scores = dict(zip(present, pool.map(lambda s: score_set(s, args.workdir.resolve()), present)))
    print(HEADER)
    for name in present:
        print(row(name, scores[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
