"""Command line: `python -m pipelines run` processes the inbox once and prints a summary."""
from __future__ import annotations

import argparse
import sys
import time
import warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="plan a batch from INBOX_DIR and run every unpublished batch into WAREHOUSE_DIR")
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
            summary = run_inbox(defs, instance, storage)
        print(f"inbox {storage.inbox} -> warehouse {storage.warehouse.root}")
        for line in summary.lines():
            print(line)
        print(f"catalog: {storage.warehouse.catalog_path}  ({time.perf_counter() - started:.1f} s)")
        return 0 if summary.ok else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
