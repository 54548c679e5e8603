"""Wall time and peak memory of `python -m pipelines run`: full, incremental and no-op runs.

For each corpus size N: a first run over N synthetic articles into an empty warehouse, a run after
20 new articles arrive (the same day), and a run with nothing new; plus the baseline the targets
compare against, a first run over an inbox of just 20 articles. Each run is a fresh process (as
`make run` is). Peak memory is the largest sum, over the run's process and its children (the text
stages' workers, the suites' process), of their proportional set sizes (PSS: a page shared by forked
processes counts once in all), sampled every 0.1 s. CPU seconds (user and system, the run's
children included) say what a run costs when the machine is shared and its wall time is not.

With --rev, every run is made twice, one after the other: by the working tree and by an export of
that git revision (same interpreter, same corpus), so each figure stands beside the older code's,
measured under the same load.

usage: python -m benchmarks.pipeline_runs [--sizes 1000 20000 100000] [--out benchmarks/out] [--rev main]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.generate import generate

NEW_ARTICLES = 20
WORKING_TREE = Path(__file__).resolve().parent.parent
_SAMPLE_SECONDS = 0.1


def _tree_pss_kb(root: int) -> int:
    """The summed PSS of a process and all its descendants (0 for those already gone)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)
    return total


def _children_cpu_s() -> float:
    """User and system seconds of every finished child process so far (the run's workers included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(inbox: Path, workdir: Path, tree: Path = WORKING_TREE) -> dict:
    """One `python -m pipelines run` of `tree`'s code in its own process: wall seconds, peak memory, its summary."""
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
    env.pop("PYTHONSAFEPATH", None)  # the tree's packages come first from the current directory
    shutil.copy(tree / "dagster.yaml", workdir / "home" / "dagster.yaml")
    cpu_before = _children_cpu_s()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tree,
    )
    peak_kb = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_kb
        while not done.wait(_SAMPLE_SECONDS):
            peak_kb = max(peak_kb, _tree_pss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"run failed:\n{stdout}\n{stderr[-3000:]}")
    summary = [line for line in stdout.splitlines() if line.startswith(("inbox:", "documents:", "published now:"))]
    cpu = _children_cpu_s() - cpu_before
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "peak_mb": round(peak_kb / 1024, 1), "summary": summary}


def export_revision(rev: str, out: Path) -> Path:
    """The files of git revision `rev`, under out/rev-<commit> (exported once)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{rev}^{{commit}}"],
        cwd=WORKING_TREE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    tree = (out / f"rev-{commit[:12]}").resolve()
    if not tree.exists():
        partial = tree.with_name(tree.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        archive = subprocess.run(["git", "archive", commit], cwd=WORKING_TREE, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(partial)], input=archive, check=True)
        partial.rename(tree)
    return tree


def measure(size: int, out: Path, trees: dict[str, Path]) -> dict[str, dict]:
    corpus = out / f"corpus-{size}"
    if not corpus.exists():
        generate(corpus, size)
    work = {name: out / f"run-{size}-{i}" for i, name in enumerate(trees)}
    for folder in work.values():
        shutil.rmtree(folder, ignore_errors=True)
    result = {name: {"documents": size} for name in trees}
    for name, tree in trees.items():
        result[name]["full"] = run_once(corpus, work[name], tree)
    extra = generate(corpus, NEW_ARTICLES, start=size)  # arrive after the first run, the same day
    try:
        for name, tree in trees.items():
            result[name]["incremental"] = run_once(corpus, work[name], tree)
        for name, tree in trees.items():
            result[name]["noop"] = run_once(corpus, work[name], tree)
    finally:
        for path in extra:
            path.unlink()
    return result


def _table(name: str, base: float, sizes: list[dict]) -> list[str]:
    lines = [
        f"{name}: first run over {NEW_ARTICLES}: {base} s",
        "| documents | full run (s) | docs/s | CPU (s) | peak memory (MB) | +20 new (s) | ratio | no-op (s) | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for m in sizes:
        lines.append(
            f"| {m['documents']:,} | {m['full']['wall_s']} | {m['documents'] / m['full']['wall_s']:.0f} | {m['full']['cpu_s']} "
            f"| {m['full']['peak_mb']} | {m['incremental']['wall_s']} | {m['incremental_ratio']} "
            f"| {m['noop']['wall_s']} | {m['noop_ratio']} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 20000, 100000])
    parser.add_argument("--baseline-runs", type=int, default=1, help="first runs over 20 per tree (the median counts)")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out"))
    parser.add_argument("--rev", help="also measure this git revision (an export of it), run for run beside this tree")
    args = parser.parse_args()
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    trees = {"working tree": WORKING_TREE}
    if args.rev:
        trees[args.rev] = export_revision(args.rev, args.out)
    baseline_inbox = args.out / f"corpus-{NEW_ARTICLES}"
    if not baseline_inbox.exists():
        generate(baseline_inbox, NEW_ARTICLES, seed=1)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "trees": {name: {"path": str(tree), "sizes": []} for name, tree in trees.items()},
    }
    baselines = {name: [] for name in trees}
    for _ in range(args.baseline_runs):
        for i, (name, tree) in enumerate(trees.items()):
            shutil.rmtree(args.out / f"run-baseline-{i}", ignore_errors=True)
            baselines[name].append(run_once(baseline_inbox, args.out / f"run-baseline-{i}", tree))
    for name, runs in baselines.items():
        report["trees"][name]["first_runs_20"] = runs
        report["trees"][name]["first_run_20"] = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
        shown = [f"{r['wall_s']} s ({r['cpu_s']} s CPU)" for r in runs]
        print(f"{name}: first runs over {NEW_ARTICLES}: {', '.join(shown)}", flush=True)
    for size in args.sizes:
        for name, measured in measure(size, args.out, trees).items():
            base = report["trees"][name]["first_run_20"]["wall_s"]
            measured["incremental_ratio"] = round(measured["incremental"]["wall_s"] / base, 2)
            measured["noop_ratio"] = round(measured["noop"]["wall_s"] / base, 2)
            report["trees"][name]["sizes"].append(measured)
            print(json.dumps({"tree": name, **measured}, ensure_ascii=False), flush=True)
    (args.out / "pipeline_runs.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    for name, measured in report["trees"].items():
        print("\n".join(_table(name, measured["first_run_20"]["wall_s"], measured["sizes"])))


if __name__ == "__main__":
    main()
