"""Hostile input, killed runs, concurrent runs: every file ends up somewhere, nothing is lost or doubled."""

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from ledger.inbox import plan_batch, read_plan
from ledger.settings import PROJECT_ROOT
from ledger.warehouse import Warehouse

ARABIC = (
    "قتل 3 مدنيين وأصيب 5 آخرون بجروح في قصف مدفعي استهدف بلدة كفرنبل جنوب إدلب، بحسب الدفاع المدني. "
    "وقال ناشطون إن القصف طال الأحياء السكنية والسوق الشعبي في البلدة.\n"
)


def _hostile_inbox(inbox: Path, outside: Path) -> dict[str, str]:
    """Writes one file per hostile kind; returns name -> where it must end up."""
    files = {
        "utf8_bom.txt": (b"\xef\xbb\xbf" + ARABIC.encode(), "document"),
        "utf16_bom.txt": (ARABIC.encode("utf-16"), "document"),
        "windows_1256.txt": (ARABIC.encode("cp1256"), "document"),
        "crlf.txt": (ARABIC.replace("\n", "\r\n").encode() * 2, "document"),
        "truncated.txt": ((ARABIC * 2).encode()[:-1], "document"),
        "mojibake.txt": (ARABIC.encode("utf-8").decode("latin-1").encode("utf-8"), "document"),
        "page.html": (
            (
                "<html><head><title>قصف</title><script>var views = 98765; var killed = 4321;</script>"
                "<style>p{}</style></head><body><nav>الرئيسية 777</nav><article><p>"
                + ARABIC
                + "</p></article><footer>جميع الحقوق محفوظة 2020</footer></body></html>"
            ).encode(),
            "document",
        ),
        "empty.txt": (b"", "rejected"),
        "blank.txt": (b"  \n\t\n ", "rejected"),
        "binary.png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "rejected"),
        "nul.txt": (ARABIC.encode().replace(b" ", b"\x00"), "rejected"),
        "english.txt": (b"Shelling killed 3 civilians in Idlib, activists said.\n" * 5, "rejected"),
        "مقال عربي مع مسافات.txt": (ARABIC.encode() * 3, "document"),
        "nested/deeper/article.txt": (
            (ARABIC + "وأضاف المصدر أن الطائرات الحربية شنت 4 غارات جوية.\n").encode(),
            "document",
        ),
        "same_content_a.txt": (("نسخة أولى. " + ARABIC).encode(), "document"),
        "same_content_b.txt": (("نسخة أولى. " + ARABIC).encode(), "duplicate"),
        "one_long_line.txt": (((ARABIC.strip() + " ") * 9000 + "\n").encode(), "document"),
        "huge.txt": (ARABIC.encode() * (21 * 1024 * 1024 // len(ARABIC.encode()) + 1), "rejected"),
    }
    for name, (data, _) in files.items():
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        (inbox / name).write_bytes(data)
    outside.write_text(ARABIC, encoding="utf-8")
    (inbox / "link_outside.txt").symlink_to(outside)
    return {**{name: fate for name, (_, fate) in files.items()}, "link_outside.txt": "rejected"}


def test_hostile_inbox_every_file_is_read_or_rejected_with_a_reason(ledger, tmp_path):
    shutil.rmtree(ledger.inbox)
    ledger.inbox.mkdir()
    expected = _hostile_inbox(ledger.inbox, tmp_path / "outside_secret.txt")

    summary = ledger.run()

    assert summary.ok, summary.lines()
    fates = dict(ledger.query("SELECT source_name, status FROM current_source_files"))
    assert fates == expected
    reasons = dict(ledger.query("SELECT source_name, reason FROM rejected_documents"))
    assert set(reasons) == {n for n, fate in expected.items() if fate == "rejected"}
    assert all(reasons.values())
    assert "symbolic link" in reasons["link_outside.txt"] and "MB" in reasons["huge.txt"]
    assert ledger.query("SELECT reason FROM source_files WHERE source_name = 'same_content_b.txt'") == [
        ("same content as same_content_a.txt",)
    ]
    # Nothing from a <script>, <nav> or <footer> becomes text or a figure.
    assert ledger.query(
        "SELECT count(*) FROM documents WHERE body LIKE '%98765%' OR body LIKE '%4321%' OR body LIKE '%777%'"
    ) == [(0,)]
    assert ledger.query("SELECT count(*) FROM casualty_figures WHERE value IN (98765, 4321, 777)") == [(0,)]
    killed = "SELECT value FROM casualty_figures c JOIN documents d USING (doc_id) WHERE d.source_name = ? AND outcome = 'killed'"
    for name in ("utf8_bom.txt", "utf16_bom.txt", "windows_1256.txt", "mojibake.txt", "page.html"):
        assert ledger.query(killed, [name]) == [(3,)], name
    assert not (tmp_path / "warehouse" / "outside_secret.txt").exists()

    # A rejected file is retried when it changes.
    (ledger.inbox / "english.txt").write_text(ARABIC, encoding="utf-8")
    assert ledger.run().ok
    assert ledger.query("SELECT status FROM current_source_files WHERE source_name = 'english.txt'") == [("document",)]


def test_a_fresh_file_is_taken_once_settled_and_a_growing_one_waits(tmp_path):
    inbox, warehouse = tmp_path / "inbox", Warehouse(tmp_path / "warehouse")
    inbox.mkdir()
    (inbox / "settled.txt").write_text(ARABIC, encoding="utf-8")
    os.utime(inbox / "settled.txt", (time.time() - 60, time.time() - 60))
    (inbox / "copied_just_now.txt").write_text(ARABIC, encoding="utf-8")
    growing = inbox / "growing.txt"
    growing.write_text(ARABIC[:20], encoding="utf-8")
    stop = threading.Event()

    def keep_writing():  # a slow upload: a few bytes every 0.2 s until told to stop
        while not stop.wait(0.2):
            with open(growing, "a", encoding="utf-8") as handle:
                handle.write(ARABIC[:10])

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        started = time.monotonic()
        first = plan_batch(inbox, warehouse, settle_seconds=1.5)
        waited = time.monotonic() - started
    finally:
        stop.set()
        writer.join()
    # The run waited for the window (and no longer), then took the file that had stopped changing.
    assert 1.0 <= waited < 5
    assert (first.new, first.settling) == (2, 1)
    assert set(read_plan(warehouse, first.batches[0])["source_name"]) == {"settled.txt", "copied_just_now.txt"}
    os.utime(growing, (time.time() - 60, time.time() - 60))
    second = plan_batch(inbox, warehouse, settle_seconds=1.5)
    assert (second.new, second.settling, second.unchanged) == (1, 0, 2)


def _cli(inbox: Path, warehouse: Path, home: Path) -> subprocess.Popen:
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "INBOX_DIR": str(inbox),
        "WAREHOUSE_DIR": str(warehouse),
        "DAGSTER_HOME": str(home),
        "INBOX_SETTLE_SECONDS": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "pipelines", "run"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _published_state(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse / "conflict.duckdb"), read_only=True) as con:
        return {
            "documents": con.execute("SELECT doc_id, source_name, body FROM documents ORDER BY doc_id").fetchall(),
            "casualties": con.execute(
                "SELECT figure_id, value, parent_figure_id FROM casualty_figures ORDER BY figure_id"
            ).fetchall(),
            "munitions": con.execute("SELECT figure_id, value FROM munitions_figures ORDER BY figure_id").fetchall(),
            "mentions": con.execute("SELECT mention_id FROM entity_mentions ORDER BY mention_id").fetchall(),
            "files": con.execute(
                "SELECT source_name, status FROM current_source_files ORDER BY source_name"
            ).fetchall(),
        }


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("uninterrupted")
    shutil.copytree(PROJECT_ROOT / "seeds", tmp / "inbox")
    run = _cli(tmp / "inbox", tmp / "warehouse", tmp / "home")
    out, err = run.communicate(timeout=600)
    assert run.returncode == 0, err
    return _published_state(tmp / "warehouse")


@pytest.mark.parametrize("kill_when_staged", ["documents", "casualty_figures"])
def test_sigkill_mid_run_then_rerun_gives_the_uninterrupted_warehouse(tmp_path, uninterrupted, kill_when_staged):
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "inbox")
    warehouse = tmp_path / "warehouse"
    run = _cli(tmp_path / "inbox", warehouse, tmp_path / "home")
    staged = warehouse / "staging" / kill_when_staged
    deadline = time.time() + 300
    while not any(staged.glob("batch=*/data.parquet")) and run.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert run.poll() is None, "the run finished before it could be killed"
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert not (warehouse / "conflict.duckdb").exists()  # nothing was published: no half catalog either

    rerun = _cli(tmp_path / "inbox", warehouse, tmp_path / "home")
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert "5 processed" in out
    assert _published_state(warehouse) == uninterrupted


def test_two_runs_at_once_are_serialised(tmp_path, uninterrupted):
    shutil.copytree(PROJECT_ROOT / "seeds", tmp_path / "inbox")
    runs = [_cli(tmp_path / "inbox", tmp_path / "warehouse", tmp_path / "home") for _ in range(2)]
    outputs = [r.communicate(timeout=600) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], [err[-2000:] for _, err in outputs]
    processed = sorted(line for out, _ in outputs for line in out.splitlines() if line.startswith("documents:"))
    assert processed[0].startswith("documents: 0 processed") and processed[1].startswith("documents: 5 processed")
    assert _published_state(tmp_path / "warehouse") == uninterrupted


def test_a_catalog_left_behind_by_a_crash_is_rebuilt(ledger):
    assert ledger.run().ok
    warehouse = ledger.storage.warehouse
    sequence = warehouse.current_publication().sequence
    # A crash after the publication record but before the catalog swap: simulate an older catalog.
    os.chmod(warehouse.catalog_path, 0o644)
    with duckdb.connect(str(warehouse.catalog_path)) as con:
        con.execute("CREATE OR REPLACE VIEW publication AS SELECT 0 AS sequence, '' AS published_at")
    leftover = warehouse.root / "staging" / "documents" / ".data.parquet.dead.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)
    leftover.write_bytes(b"partial")
    os.utime(leftover, (time.time() - 3600, time.time() - 3600))

    done = warehouse.recover()

    assert warehouse.catalog_sequence() == sequence and not leftover.exists()
    assert len(done) == 2


def test_analysts_cannot_open_the_catalog_for_writing(ledger):
    assert ledger.run().ok
    if os.geteuid() == 0:  # root ignores file modes; the mode itself is what protects other users
        assert oct(ledger.storage.warehouse.catalog_path.stat().st_mode & 0o777) == "0o444"
    else:
        with pytest.raises(duckdb.Error):
            duckdb.connect(str(ledger.storage.warehouse.catalog_path)).execute("CREATE TABLE t (x INT)")


# A page of our own writing saved as one line, as a browser's "save as text" of a flattened page gives it:
# menu, weather ticker, view counter, share line and a "most read" sidebar whose headlines carry numbers.
ONE_LINE_PAGE = (
    "الرئيسية | أخبار سوريا | تقارير | رأي | اتصل بنا   إدلب 31° | حلب 29° | دمشق 33°   "
    "غارات روسية على ريف إدلب الجنوبي   14 مايو 2019   مشاهدة 48,213   "
    "قتل 6 مدنيين بينهم طفلان وأصيب 9 آخرون في غارات جوية روسية استهدفت بلدة كفرنبل جنوب إدلب، بحسب الدفاع المدني. "
    "وقال ناشطون إن الطائرات شنت 11 غارة على البلدة ومحيطها منذ الصباح.   "
    "شارك المقال: فيسبوك تويتر واتساب   الأكثر قراءة   مقتل 250 عنصرا في معارك ريف حماة   "
    "نزوح 3000 عائلة من ريف حلب   التعليقات (17)   جميع الحقوق محفوظة 2019"
)
QUARANTINE_MARK = "نص تجريبي معيب"  # a row-level expectation in the test's copy of the documents suite rejects it


def _cli_run(
    inbox: Path, warehouse: Path, expectations: Path | None = None, settle: str = "0"
) -> subprocess.CompletedProcess:
    """`python -m pipelines run` as `make run` calls it: Dagster's home left to its default, in the warehouse."""
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update(INBOX_DIR=str(inbox), WAREHOUSE_DIR=str(warehouse), INBOX_SETTLE_SECONDS=settle)
    if expectations:
        env["EXPECTATIONS_DIR"] = str(expectations)
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "run"], env=env, cwd=PROJECT_ROOT, capture_output=True, timeout=600
    )


def _suites_with(tmp_path: Path, suite: str, expectation: dict) -> Path:
    expectations = tmp_path / "expectations"
    shutil.copytree(PROJECT_ROOT / "expectations", expectations)
    path = expectations / f"{suite}.json"
    definition = json.loads(path.read_text("utf-8"))
    definition["expectations"].append(expectation)
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    return expectations


def test_cli_over_a_hostile_inbox_quarantines_one_document_and_publishes_the_rest(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    inbox.mkdir()
    expected = _hostile_inbox(inbox, tmp_path / "outside_secret.txt")
    (inbox / "flattened_page.txt").write_text(ONE_LINE_PAGE, encoding="utf-8")
    (inbox / "bad_row.txt").write_text(QUARANTINE_MARK + ". " + ARABIC, encoding="utf-8")
    expectations = _suites_with(
        tmp_path,
        "documents",
        {
            "type": "expect_column_values_to_not_match_regex",
            "kwargs": {"column": "body", "regex": QUARANTINE_MARK},
            "meta": {"scope": "row"},
        },
    )
    for name in ("bad_row.txt", "flattened_page.txt"):
        os.utime(inbox / name, (time.time() - 60, time.time() - 60))
    # Copied a moment before the run, inside the settle window: taken by this run once it stopped changing.
    (inbox / "just_copied.txt").write_text(ARABIC, encoding="utf-8")

    run = _cli_run(inbox, warehouse, expectations, settle="1")

    out = run.stdout.decode()
    assert run.returncode == 0, (out, run.stderr.decode()[-3000:])
    assert len(run.stdout) + len(run.stderr) < 4000, "the terminal gets the summary, not logs or bodies"
    assert "quarantined: 1 document" in out and "bad_row.txt (documents)" in out
    assert "still being written" not in out
    logs = [
        Path(line.split()[1]) for line in out.splitlines() if line.startswith("log: ")
    ]  # only when something was said
    assert all(log.is_file() and log.parent.parent == warehouse for log in logs)
    with duckdb.connect(str(warehouse / "conflict.duckdb"), read_only=True) as con:
        fates = dict(con.execute("SELECT source_name, status FROM current_source_files").fetchall())
        assert fates == {
            **expected,
            "flattened_page.txt": "document",
            "bad_row.txt": "document",
            "just_copied.txt": "document",
        }
        [(source, stage, expectation, reason, seen_at)] = con.execute(
            "SELECT source_name, stage, expectation, reason, seen_at FROM quarantined_documents"
        ).fetchall()
        assert (source, stage) == ("bad_row.txt", "documents") and seen_at is not None
        assert (
            expectation == "expect_column_values_to_not_match_regex(body)"
            and QUARANTINE_MARK in reason
            and len(reason) <= 200
        )
        # Nothing derived from the quarantined document reaches a view; everything else is published.
        published = {name for (name,) in con.execute("SELECT source_name FROM documents").fetchall()}
        assert published == {n for n, fate in fates.items() if fate == "document"} - {"bad_row.txt"}
        for view in ("entity_mentions", "casualty_figures", "munitions_figures"):
            assert con.execute(
                f"SELECT count(*) FROM {view} JOIN document_versions d USING (doc_id)"
                " WHERE d.source_name = 'bad_row.txt'"
            ).fetchone() == (0,), view
        # The flattened page is cleaned: its article's figures are there, its furniture is not.
        [(body,)] = con.execute("SELECT body FROM documents WHERE source_name = 'flattened_page.txt'").fetchall()
        assert "مشاهدة" not in body and "الأكثر قراءة" not in body and "250" not in body
        of_page = " JOIN documents d USING (doc_id) WHERE d.source_name = 'flattened_page.txt'"
        assert sorted(con.execute("SELECT outcome, value FROM casualty_figures" + of_page).fetchall()) == [
            ("injured", 9),
            ("killed", 2),
            ("killed", 6),
        ]
        assert con.execute("SELECT value FROM munitions_figures" + of_page + " AND value IS NOT NULL").fetchall() == [
            (11,)
        ]


def test_a_batch_blocked_on_the_first_run_leaves_an_empty_queryable_catalog(tmp_path):
    inbox, warehouse = tmp_path / "inbox", tmp_path / "warehouse"
    shutil.copytree(PROJECT_ROOT / "seeds", inbox)
    expectations = _suites_with(
        tmp_path, "casualty_figures", {"type": "expect_table_row_count_to_be_between", "kwargs": {"max_value": 1}}
    )

    run = _cli_run(inbox, warehouse, expectations)

    out = run.stdout.decode()
    assert run.returncode == 1, (out, run.stderr.decode()[-3000:])
    assert "BLOCKED batch" in out and "expect_table_row_count_to_be_between" in out
    assert len(run.stdout) + len(run.stderr) < 4000
    named = [line.split()[1] for line in out.splitlines() if line.startswith(("log: ", "catalog: "))]
    assert len(named) == 2 and all(Path(p).exists() for p in named)
    with duckdb.connect(str(warehouse / "conflict.duckdb"), read_only=True) as con:
        for view in (
            "documents",
            "entity_mentions",
            "entities",
            "casualty_figures",
            "munitions_figures",
            "rejected_documents",
            "quarantined_documents",
            "casualty_totals",
            "acled_export",
            "source_files",
        ):
            assert con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,), view


def test_usage_errors_exit_2(tmp_path):
    run = _cli_run(tmp_path / "no_such_inbox", tmp_path / "warehouse")
    assert run.returncode == 2 and b"INBOX_DIR" in run.stderr
    assert not (tmp_path / "warehouse" / "lake").exists()
