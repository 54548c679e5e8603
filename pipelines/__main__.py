"""Command line: `python -m pipelines run` processes the inbox once and prints a summary;
`python -m pipelines shell` opens a read-only SQL prompt on the catalog; `python -m pipelines eval`
measures the extraction against gold annotations; `python -m pipelines explain "…"` prints each
number and noun of a text with the rules that made, typed or rejected it; `python -m pipelines ui` serves the Dagster UI of the warehouse.

Exit codes: 0 the run published (quarantined documents included) or had nothing to do; 1 a batch
was blocked (the previous publication is kept); 2 a usage or configuration error.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from ledger.settings import Settings
from ledger.stages import STAGES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="plan batches from INBOX_DIR and do all pending work into WAREHOUSE_DIR")
    run.add_argument(
        "--reextract-from",
        choices=STAGES,
        help="also re-extract every published batch from this stage on, without re-ingesting",
    )
    evaluation = sub.add_parser("eval", help="run the pipeline on a folder of articles and score it against gold JSON")
    evaluation.add_argument("--articles", required=True, type=Path, help="folder of articles (NNN.txt)")
    evaluation.add_argument("--gold", required=True, type=Path, help="folder of gold annotations (NNN.json)")
    evaluation.add_argument(
        "--workdir",
        type=Path,
        default=Path("build/eval"),
        help="scratch warehouse and Dagster home, replaced on each evaluation",
    )
    evaluation.add_argument("--show", type=int, default=30, help="print up to N misses and extras")
    query = sub.add_parser("sql", help="print a query's result over the catalog, read-only")
    query.add_argument("query", help="SQL over the views of WAREHOUSE_DIR/conflict.duckdb")
    query.add_argument("--max-rows", type=int, default=200)
    sub.add_parser("shell", help="an interactive read-only SQL prompt on the catalog")
    review = sub.add_parser(
        "review", help="write the names found from context to a CSV to review, or apply a reviewed CSV to the gazetteer"
    )
    review.add_argument("--apply", type=Path, help="a reviewed CSV: its new entities and aliases go into the gazetteer")
    review.add_argument(
        "--all", action="store_true", help="list every undecided name, not only those new since the last review"
    )
    explain = sub.add_parser(
        "explain", help="print each number and noun of a text with the rules that made, typed or rejected it"
    )
    explain.add_argument("text", help="a sentence or more of Arabic news text (entities from the shipped gazetteer)")
    ui = sub.add_parser("ui", help="serve the Dagster UI and daemon for WAREHOUSE_DIR's Dagster home")
    ui.add_argument("--port", type=int, default=3000)
    args = parser.parse_args(argv)
    commands = {
        "run": _run,
        "eval": _evaluate,
        "sql": _sql,
        "shell": _shell,
        "review": _review,
        "explain": _explain,
        "ui": _ui,
    }
    return commands[args.command](args)


def _usage_error(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _dagster_home(settings: Settings) -> Path:
    """The warehouse's Dagster home (DAGSTER_HOME, by default inside WAREHOUSE_DIR), with the project's
    instance settings, exported for Dagster: `run` and `ui` of one warehouse see the same runs."""
    home = settings.dagster_home
    home.mkdir(parents=True, exist_ok=True)
    config = Path(__file__).resolve().parent.parent / "dagster.yaml"
    if not (home / "dagster.yaml").exists() or (home / "dagster.yaml").read_bytes() != config.read_bytes():
        shutil.copyfile(config, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _ui(args: argparse.Namespace) -> int:
    """The webserver and the daemon (which runs the nightly sensor and evaluates freshness), started
    as a deployment starts them: `dagster dev` would warn that it is superseded by `dg dev` (another
    package, for projects laid out its way) and that the project's dagster.yaml is not used (it is:
    copied into the Dagster home), two warnings a user cannot act on."""
    settings = Settings.from_environment()
    home = _dagster_home(settings)
    print(f"warehouse {settings.warehouse_dir}, Dagster home {home}: http://127.0.0.1:{args.port}", flush=True)
    bin_dir = Path(sys.executable).parent
    workspace = ["--workspace", str(Path(__file__).resolve().parent.parent / "workspace.yaml")]
    # Stopped by a signal rather than Ctrl-C (a service manager, kill), it still stops both children.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    processes = [
        subprocess.Popen([bin_dir / "dagster-webserver", "--host", "127.0.0.1", "--port", str(args.port), *workspace]),
        subprocess.Popen([bin_dir / "dagster-daemon", "run", *workspace]),
    ]
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
        stopped = next(p for p in processes if p.returncode is not None)
        print(f"{Path(stopped.args[0]).name} stopped (exit code {stopped.returncode})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: the way to leave
        return 0
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait()


@contextlib.contextmanager
def _stderr_into(log: Path) -> Iterator[None]:
    """Sends everything written to standard error (Dagster's and GX's logs, warnings, stack traces)
    to `log` while the block runs: the terminal gets the summary only."""
    log.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "a", encoding="utf-8") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _sql(args: argparse.Namespace) -> int:
    import duckdb

    from ledger.warehouse import Warehouse

    warehouse = Warehouse(Settings.from_environment().warehouse_dir)
    if not warehouse.catalog_path.exists():
        print(f"no catalog at {warehouse.catalog_path}: run `make run` first", file=sys.stderr)
        return 2
    with warehouse.connect_read_only() as con:  # a read-only connection: writes fail
        try:
            con.sql(args.query).show(max_rows=args.max_rows, max_width=250)
        except duckdb.Error as exc:
            print(f"query failed: {exc}", file=sys.stderr)
            return 1
    return 0


def _shell(args: argparse.Namespace) -> int:
    from analysis.shell import run_shell
    from ledger.warehouse import Warehouse

    warehouse = Warehouse(Settings.from_environment().warehouse_dir)
    if not warehouse.catalog_path.exists():
        print(f"no catalog at {warehouse.catalog_path}: run `make run` first", file=sys.stderr)
        return 2
    return run_shell(warehouse.catalog_path)


def _review(args: argparse.Namespace) -> int:
    from conflict_text.gazetteer import DATA_DIR, read_gazetteer
    from ledger.review import ReviewError, apply_review, export_review
    from ledger.warehouse import Warehouse

    settings = Settings.from_environment()
    warehouse = Warehouse(settings.warehouse_dir)
    gazetteer_dir = Path(settings.gazetteer_dir or DATA_DIR)
    if args.apply:
        before = read_gazetteer(gazetteer_dir).version
        try:
            counts = apply_review(args.apply, gazetteer_dir, warehouse.root)
        except (ReviewError, FileNotFoundError) as exc:
            print(f"nothing applied:\n{exc}", file=sys.stderr)
            return 2
        print(", ".join(f"{n} {decision}" for decision, n in sorted(counts.items())) or "no decision in the file")
        after = read_gazetteer(gazetteer_dir).version
        print(f"gazetteer {gazetteer_dir}: version {before} -> {after}; the next `make run` re-extracts with it")
        return 0
    if not warehouse.catalog_path.exists():
        print(f"no catalog at {warehouse.catalog_path}: run `make run` first", file=sys.stderr)
        return 2
    out = warehouse.root / "review" / f"review-{datetime.now(UTC):%Y-%m-%dT%H%M%S}.csv"
    rows = export_review(warehouse.catalog_path, warehouse.root, out, everything=args.all)
    scope = "undecided" if args.all else "new since the last review"
    print(f"{rows} names found from context, {scope}: {out}")
    if rows:
        print(f"fill in `decision` (new, alias with alias_of, or reject), then: make review APPLY={out}")
    return 0


def _explain(args: argparse.Namespace) -> int:
    from conflict_text.entities import find_mentions
    from conflict_text.figures.explain import explain

    decisions = explain(args.text, find_mentions(args.text), None)
    for d in decisions:
        print(f"«{d.surface}» [{d.char_start}:{d.char_end}] {d.verdict}: {', '.join(d.rules)}")
    if not decisions:
        print("no number or counted noun")
    return 0


def _run(args: argparse.Namespace) -> int:
    from conflict_text.gazetteer import load_gazetteer
    from ledger.memory import collection_deferred
    from ledger.quality import validator_process
    from ledger.warehouse import Warehouse
    from ledger.work import Work, run_once

    started = time.perf_counter()
    settings = Settings.from_environment()
    if not Path(settings.inbox_dir).is_dir():
        return _usage_error(f"INBOX_DIR {settings.inbox_dir} is not a folder")
    if not Path(settings.expectations_dir).is_dir():
        return _usage_error(f"EXPECTATIONS_DIR {settings.expectations_dir} is not a folder")
    if not 0 <= settings.quarantine_max_share <= 1:
        return _usage_error(f"QUARANTINE_MAX_SHARE {settings.quarantine_max_share} is not between 0 and 1")
    warehouse = Warehouse(settings.warehouse_dir)
    log = warehouse.root / "logs" / f"run-{datetime.now(UTC):%Y-%m-%dT%H%M%S}.log"

    def execute_with_dagster(work: Work):  # imported only when there is work: an idle run never pays for it
        _dagster_home(settings)
        # GX imports on the other core while Dagster does here
        with _stderr_into(log), validator_process(Path(settings.expectations_dir)), contextlib.ExitStack() as stack:
            # Frozen for the run: `main` called in a process that goes on (a test, a script) leaves it.
            stack.callback(gc.unfreeze)
            with collection_deferred():  # imports, the instance, the definitions (built on import)
                import dagster as dg

                from assets.resources import LedgerStorage
                from pipelines.run_log import sqlite_flushed_at_checkpoints
                from pipelines.runner import execute

                stack.enter_context(sqlite_flushed_at_checkpoints())
                instance = stack.enter_context(dg.DagsterInstance.get())
            return execute(work, LedgerStorage(**asdict(settings)), instance)

    summary = run_once(
        Path(settings.inbox_dir),
        warehouse,
        load_gazetteer(settings.gazetteer_dir),
        execute_with_dagster,
        args.reextract_from,
        settings.settle_seconds,
    )
    print(f"inbox {settings.inbox_dir} -> warehouse {warehouse.root}")
    for line in summary.lines():
        print(line)
    if log.exists() and not log.stat().st_size:
        log.unlink()  # nothing was said
    if log.exists():
        print(f"log: {log}  (Dagster's and the checks' messages; runs, checks and lineage: make ui)")
    print(f"catalog: {warehouse.catalog_path}  ({time.perf_counter() - started:.1f} s)")
    return 0 if summary.ok else 1


def _evaluate(args: argparse.Namespace) -> int:
    """Runs the real pipeline into a scratch warehouse, then scores the published catalog."""
    import dagster as dg

    from analysis.evaluation import evaluate
    from assets.resources import LedgerStorage
    from pipelines.runner import run_inbox

    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    (workdir / "dagster_home").mkdir(parents=True)
    storage = LedgerStorage(
        inbox_dir=str(args.articles.resolve()),
        warehouse_dir=str(workdir / "warehouse"),
        expectations_dir=Settings.from_environment().expectations_dir,
        settle_seconds=0,
        quarantine_max_share=Settings.from_environment().quarantine_max_share,
    )
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
    from ledger.memory import end_process

    end_process(main())
