"""Wall time and peak memory of `python -m pipelines run`: full, incremental and no-op runs.

For each corpus size N: a first run over N synthetic articles into an empty warehouse, a run after
20 new articles arrive (the same day), and a run with nothing new; plus the baseline the targets
compare against, a first run over an inbox of just 20 articles. Each run is a fresh process (as
`make run` is), measured with /usr/bin/time.

usage: python benchmarks/pipeline_runs.py [--sizes 1000 20000 100000] [--out benchmarks/out]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.generate import generate

NEW_ARTICLES = 20


def run_once(inbox: Path, workdir: Path) -> dict:
    """One `python -m pipelines run` in its own process: wall seconds, peak RSS in MB, its summary."""
    (workdir / "home").mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "INBOX_DIR": str(inbox),
        "WAREHOUSE_DIR": str(workdir / "warehouse"),
        "DAGSTER_HOME": str(workdir / "home"),
        "INBOX_SETTLE_SECONDS": "0",
        "GX_ANALYTICS_ENABLED": "False",
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }
    shutil.copy(Path(__file__).parent.parent / "dagster.yaml", workdir / "home" / "dagster.yaml")
    started = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "peak_rss_kb=%M", sys.executable, "-m", "pipelines", "run"],
        env=env,
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"run failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    rss_kb = int(proc.stderr.rsplit("peak_rss_kb=", 1)[1].split()[0])
    summary = [line for line in proc.stdout.splitlines() if line.startswith(("inbox:", "documents:", "published now:"))]
    return {"wall_s": round(wall, 2), "peak_rss_mb": round(rss_kb / 1024, 1), "summary": summary}


def measure(size: int, out: Path) -> dict:
    corpus = out / f"corpus-{size}"
    if not corpus.exists():
        generate(corpus, size)
    work = out / f"run-{size}"
    shutil.rmtree(work, ignore_errors=True)
    result = {"documents": size, "full": run_once(corpus, work)}
    extra = generate(corpus, NEW_ARTICLES, start=size)  # arrive after the first run, the same day
    try:
        result["incremental"] = run_once(corpus, work)
        result["noop"] = run_once(corpus, work)
    finally:
        for path in extra:
            path.unlink()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000, 100000])
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    baseline_inbox = args.out / f"corpus-{NEW_ARTICLES}"
    if not baseline_inbox.exists():
        generate(baseline_inbox, NEW_ARTICLES, seed=1)
    shutil.rmtree(args.out / "run-baseline", ignore_errors=True)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "first_run_20": run_once(baseline_inbox, args.out / "run-baseline"),
        "sizes": [],
    }
    base = report["first_run_20"]["wall_s"]
    for size in args.sizes:
        measured = measure(size, args.out)
        measured["incremental_ratio"] = round(measured["incremental"]["wall_s"] / base, 2)
        measured["noop_ratio"] = round(measured["noop"]["wall_s"] / base, 2)
        report["sizes"].append(measured)
        print(json.dumps(measured, ensure_ascii=False), flush=True)
    (args.out / "pipeline_runs.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"baseline first run over {NEW_ARTICLES}: {base} s")
    print("| documents | full run (s) | peak RSS (MB) | +20 new (s) | ratio | no-op (s) | ratio |")
    print("|---|---|---|---|---|---|---|")
    for m in report["sizes"]:
        print(
            f"| {m['documents']:,} | {m['full']['wall_s']} | {m['full']['peak_rss_mb']} | {m['incremental']['wall_s']} "
            f"| {m['incremental_ratio']} | {m['noop']['wall_s']} | {m['noop_ratio']} |"
        )


if __name__ == "__main__":
    main()
