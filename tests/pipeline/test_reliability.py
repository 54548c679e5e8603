"""Hostile input, killed runs, concurrent runs: every file ends up somewhere, nothing is lost or doubled."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.inbox import plan_batch
from pipelines.resources import PROJECT_ROOT
from pipelines.warehouse import Warehouse

ARABIC = ("قتل 3 مدنيين وأصيب 5 آخرون بجروح في قصف مدفعي استهدف بلدة كفرنبل جنوب إدلب، بحسب الدفاع المدني. "
          "وقال ناشطون إن القصف طال الأحياء السكنية والسوق الشعبي في البلدة.\n")


def _hostile_inbox(inbox: Path, outside: Path) -> dict[str, str]:
    """Writes one file per hostile kind; returns name -> where it must end up."""
    files = {
        "utf8_bom.txt": (b"\xef\xbb\xbf" + ARABIC.encode(), "document"),
        "utf16_bom.txt": (ARABIC.encode("utf-16"), "document"),
        "windows_1256.txt": (ARABIC.encode("cp1256"), "document"),
        "crlf.txt": (ARABIC.replace("\n", "\r\n").encode() * 2, "document"),
        "truncated.txt": ((ARABIC * 2).encode()[:-1], "document"),
        "mojibake.txt": (ARABIC.encode("utf-8").decode("latin-1").encode("utf-8"), "document"),
        "page.html": (("<html><head><title>قصف</title><script>var views = 98765; var killed = 4321;</script>"
                       "<style>p{}</style></head><body><nav>الرئيسية 777</nav><article><p>" + ARABIC +
                       "</p></article><footer>جميع الحقوق محفوظة 2020</footer></body></html>").encode(), "document"),
        "empty.txt": (b"", "rejected"),
        "blank.txt": (b"  \n\t\n ", "rejected"),
        "binary.png": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "rejected"),
        "nul.txt": (ARABIC.encode().replace(b" ", b"\x00"), "rejected"),
        "english.txt": (b"Shelling killed 3 civilians in Idlib, activists said.\n" * 5, "rejected"),
        "مقال عربي مع مسافات.txt": (ARABIC.encode() * 3, "document"),
        "nested/deeper/article.txt": ((ARABIC + "وأضاف المصدر أن الطائرات الحربية شنت 4 غارات جوية.\n").encode(), "document"),
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
    assert ledger.query("SELECT reason FROM source_files WHERE source_name = 'same_content_b.txt'") == [("same content as same_content_a.txt",)]
    # Nothing from a <script>, <nav> or <footer> becomes text or a figure.
    assert ledger.query("SELECT count(*) FROM documents WHERE body LIKE '%98765%' OR body LIKE '%4321%' OR body LIKE '%777%'") == [(0,)]
    assert ledger.query("SELECT count(*) FROM casualty_figures WHERE value IN (98765, 4321, 777)") == [(0,)]
    killed = "SELECT value FROM casualty_figures c JOIN documents d USING (doc_id) WHERE d.source_name = ? AND outcome = 'killed'"
    for name in ("utf8_bom.txt", "utf16_bom.txt", "windows_1256.txt", "mojibake.txt", "page.html"):
        assert ledger.query(killed, [name]) == [(3,)], name
    assert not (tmp_path / "warehouse" / "outside_secret.txt").exists()

    # A rejected file is retried when it changes.
    (ledger.inbox / "english.txt").write_text(ARABIC, encoding="utf-8")
    assert ledger.run().ok
    assert ledger.query("SELECT status FROM current_source_files WHERE source_name = 'english.txt'") == [("document",)]


def test_files_still_being_written_wait_for_a_later_run(tmp_path):
    inbox, warehouse = tmp_path / "inbox", Warehouse(tmp_path / "warehouse")
    inbox.mkdir()
    (inbox / "settled.txt").write_text(ARABIC, encoding="utf-8")
    os.utime(inbox / "settled.txt", (time.time() - 60, time.time() - 60))
    (inbox / "writing.txt").write_text(ARABIC[:20], encoding="utf-8")
    first = plan_batch(inbox, warehouse, settle_seconds=30)
    assert (first.new, first.settling) == (1, 1)
    os.utime(inbox / "writing.txt", (time.time() - 60, time.time() - 60))
    second = plan_batch(inbox, warehouse, settle_seconds=30)
    assert (second.new, second.settling, second.unchanged) == (1, 0, 1)


def _cli(inbox: Path, warehouse: Path, home: Path) -> subprocess.Popen:
    home.mkdir(exist_ok=True)
    env = {**os.environ, "INBOX_DIR": str(inbox), "WAREHOUSE_DIR": str(warehouse), "DAGSTER_HOME": str(home),
           "INBOX_SETTLE_SECONDS": "0"}
    return subprocess.Popen([sys.executable, "-m", "pipelines", "run"], env=env, cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _published_state(warehouse: Path) -> dict:
    with duckdb.connect(str(warehouse / "conflict.duckdb"), read_only=True) as con:
        return {
            "documents": con.execute("SELECT doc_id, source_name, body FROM documents ORDER BY doc_id").fetchall(),
            "casualties": con.execute("SELECT figure_id, value, parent_figure_id FROM casualty_figures ORDER BY figure_id").fetchall(),
            "munitions": con.execute("SELECT figure_id, value FROM munitions_figures ORDER BY figure_id").fetchall(),
            "mentions": con.execute("SELECT mention_id FROM entity_mentions ORDER BY mention_id").fetchall(),
            "files": con.execute("SELECT source_name, status FROM current_source_files ORDER BY source_name").fetchall(),
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
