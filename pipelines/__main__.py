"""Command line: `python -m pipelines run` processes the inbox once and prints a summary."""
from __future__ import annotations

import argparse
import shutil
import sys
import time
import warnings
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="plan a batch from INBOX_DIR and run every unpublished batch into WAREHOUSE_DIR")
    run.add_argument("--reextract-from", choices=["documents", "entity_mentions", "figures"],
                     help="also re-extract every published batch from this stage on, without re-ingesting")
    evaluation = sub.add_parser("eval", help="run the pipeline on a folder of articles and score it against gold JSON")
    evaluation.add_argument("--articles", required=True, type=Path, help="folder of articles (NNN.txt)")
    evaluation.add_argument("--gold", required=True, type=Path, help="folder of gold annotations (NNN.json)")
    evaluation.add_argument("--workdir", type=Path, default=Path("build/eval"),
                            help="scratch warehouse and Dagster home, replaced on each evaluation")
    evaluation.add_argument("--show", type=int, default=30, help="print up to N misses and extras")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    import dagster as dg

    # Partitioned checks and observable source assets are preview/beta features we use knowingly.
    warnings.filterwarnings("ignore", category=dg.PreviewWarning)
    warnings.filterwarnings("ignore", category=dg.BetaWarning)

    from pipelines.definitions import defs
    from pipelines.runner import run_inbox

    if args.command == "run":
        storage = defs.resources["storage"]
        with dg.DagsterInstance.get() as instance:
            summary = run_inbox(storage, instance, reextract_from=args.reextract_from)
        print(f"inbox {storage.inbox} -> warehouse {storage.warehouse.root}")
        for line in summary.lines():
            print(line)
        print(f"catalog: {storage.warehouse.catalog_path}  ({time.perf_counter() - started:.1f} s)")
        return 0 if summary.ok else 1
    if args.command == "eval":
        return _evaluate(args, dg)
    return 2


def _evaluate(args: argparse.Namespace, dg) -> int:
    """Runs the real pipeline into a scratch warehouse, then scores the published catalog."""
    from pipelines.definitions import defs
    from pipelines.evaluation import evaluate
    from pipelines.resources import LedgerStorage
    from pipelines.runner import run_inbox

    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "dagster_home").mkdir(parents=True)
    storage = LedgerStorage(inbox_dir=str(args.articles.resolve()), warehouse_dir=str(workdir / "warehouse"),
                            expectations_dir=defs.resources["storage"].expectations_dir)
    with dg.DagsterInstance.local_temp(str(workdir / "dagster_home")) as instance:
        summary = run_inbox(storage, instance)
    for line in summary.lines():
        print(line)
    if not summary.ok:
        return 1
    result = evaluate(storage.warehouse.catalog_path, args.gold)
    for line in result.errors[: args.show]:
        print(line)
    for line in result.lines():
        print(line)
    print(f"catalog: {storage.warehouse.catalog_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
