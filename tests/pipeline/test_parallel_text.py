"""The text stages on every core give exactly what they give in one process."""

import dataclasses
import os
import shutil

import dagster as dg
import duckdb
import polars as pl

from assets.resources import LedgerStorage
from benchmarks.generate import generate
from conflict_text.models import CasualtyFigure
from ledger.parallel import MIN_PARALLEL_ITEMS, RowsByDocument, map_documents
from ledger.settings import PROJECT_ROOT
from ledger.tables import Table, record_row
from pipelines.runner import run_inbox

# An article of our own that names its victims: the generated corpus names none for certain.
_NAMED_VICTIMS = """قصف على كفرنبل يقتل ثلاثة مدنيين

قتل ثلاثة مدنيين، صباح اليوم، بقصف مدفعي على بلدة كفرنبل في ريف إدلب الجنوبي. وهم: أحمد العلي (35 عاما)، والطفلة سارة العلي، ومحمود الحسن.
"""

# Columns that say when or in which batch a row was made, not what was read.
_RUN_COLUMNS = {"batch", "seen_at", "quarantined_at", "published_at", "publication", "sequence"}


SQUARES = Table("squares", "", {"n": (pl.Int64(), ""), "square": (pl.Int64(), ""), "pid": (pl.Int64(), "")})
ODD_DIVISORS = Table("odd_divisors", "", {"n": (pl.Int64(), ""), "divisor": (pl.Int64(), "")})


def _square_and_odd_divisors(n: int) -> tuple[list[dict], list[dict]]:
    """One row of one table and none or several of another, for each number."""
    divisors = [{"n": n, "divisor": d} for d in range(3, n + 1, 2) if n % 2 and n % d == 0]
    return [{"n": n, "square": n * n, "pid": os.getpid()}], divisors


def test_map_documents_keeps_order_across_worker_processes():
    items = list(range(MIN_PARALLEL_ITEMS * 3))
    squares, divisors = map_documents(_square_and_odd_divisors, items, [SQUARES, ODD_DIVISORS], workers=2)
    assert squares.schema == SQUARES.schema and divisors.schema == ODD_DIVISORS.schema
    assert squares["square"].to_list() == [n * n for n in items]
    assert divisors.rows() == [(n, d) for n in items for d in range(3, n + 1, 2) if n % 2 and n % d == 0]
    assert len(set(squares["pid"]) - {os.getpid()}) == 2  # two forked workers shared the work
    serial = map_documents(_square_and_odd_divisors, items, [SQUARES, ODD_DIVISORS], workers=1)
    assert serial[0].drop("pid").equals(squares.drop("pid")) and serial[1].equals(divisors)


def test_fewer_documents_than_a_fork_is_worth_stay_in_process():
    items = list(range(MIN_PARALLEL_ITEMS - 1))
    squares, _ = map_documents(_square_and_odd_divisors, items, [SQUARES, ODD_DIVISORS], workers=2)
    assert set(squares["pid"]) == {os.getpid()}


def test_no_rows_give_empty_frames_of_the_tables_schemas():
    squares, divisors = map_documents(_square_and_odd_divisors, [], [SQUARES, ODD_DIVISORS], workers=2)
    assert squares.is_empty() and squares.schema == SQUARES.schema and divisors.schema == ODD_DIVISORS.schema


def test_a_documents_rows_come_in_the_frames_order_wherever_they_lie():
    frame = pl.DataFrame({"doc_id": ["b", "a", "b", "c", "b"], "n": [1, 2, 3, None, 5], "other": list("vwxyz")})
    rows = RowsByDocument(frame, ["n", "other"])
    assert rows("b") == [(1, "v"), (3, "x"), (5, "z")]
    assert rows("c") == [(None, "y")]
    assert rows("unknown") == []


def _published(tmp_path, inbox, workers: int) -> dict[str, list[tuple]]:
    storage = LedgerStorage(
        inbox_dir=str(inbox), warehouse_dir=str(tmp_path / "warehouse"), settle_seconds=0, text_workers=workers
    )
    (tmp_path / "home").mkdir(parents=True)
    with dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance:
        summary = run_inbox(storage, instance)
    assert summary.ok
    tables = {}
    with duckdb.connect(str(storage.warehouse.catalog_path), read_only=True) as con:
        views = [v for (v,) in con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        for view in views:
            columns = [c for c in con.sql(f"SELECT * FROM {view} LIMIT 0").columns if c not in _RUN_COLUMNS]
            if columns:
                tables[view] = con.sql(f"SELECT {', '.join(columns)} FROM {view} ORDER BY ALL").fetchall()
    return tables


def test_a_run_on_two_processes_publishes_what_a_run_in_one_does(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(PROJECT_ROOT / "seeds", inbox)
    generate(inbox / "synthetic", MIN_PARALLEL_ITEMS + 16)
    (inbox / "named_victims.txt").write_text(_NAMED_VICTIMS, encoding="utf-8")
    serial = _published(tmp_path / "serial", inbox, workers=1)
    parallel = _published(tmp_path / "parallel", inbox, workers=2)
    assert len(serial["documents"]) > MIN_PARALLEL_ITEMS  # every text stage forked
    assert serial["casualty_figures"] and serial["incidents"] and serial["victims"]
    for view, rows in serial.items():
        assert parallel[view] == rows, view


def test_a_records_row_is_what_asdict_gives_without_the_copy():
    figure = CasualtyFigure(
        "killed", "civilians", 12, 12, 12, "exact", "12", 5, 7, "قتل 12 مدنيا", 0, 12, rules=["count-noun"]
    )
    row = record_row(figure)
    assert row == dataclasses.asdict(figure) and list(row) == [f.name for f in dataclasses.fields(figure)]
    assert row["rules"] is figure.rules  # shared, not copied: arrow_rows only reads it
