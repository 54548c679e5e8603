"""Publication is atomic and keeps what an open reader needs; planning reads only what changed."""

import os

import duckdb
import polars as pl

from ledger.inbox import LEDGER_INDEX, known_sources, pending_batches, plan_batch
from ledger.tables import INCIDENT_REVISIONS, SOURCE_FILES
from ledger.warehouse import DUCKDB_MEMORY_LIMIT, Warehouse


def _ledger_rows(batch: str, names: list[str]) -> pl.DataFrame:
    return SOURCE_FILES.frame(
        [
            {
                "source_name": n,
                "sha256": "0" * 64,
                "size_bytes": 1,
                "mtime_ns": 1,
                "change": "new",
                "status": "document",
                "doc_id": "0" * 64,
                "reason": None,
                "seen_at": None,
                "batch": batch,
            }
            for n in names
        ]
    )


def test_publications_accumulate_batches_and_swap_the_catalog(tmp_path):
    warehouse = Warehouse(tmp_path)
    warehouse.write_staged(SOURCE_FILES, "b1", _ledger_rows("b1", ["a.txt"]))
    warehouse.publish("b1", [SOURCE_FILES])
    reader = duckdb.connect(str(warehouse.catalog_path), read_only=True)
    warehouse.write_staged(SOURCE_FILES, "b2", _ledger_rows("b2", ["b.txt", "c.txt"]))
    second = warehouse.publish("b2", [SOURCE_FILES])
    assert second.sequence == 2 and sorted(second.batches) == ["b1", "b2"]
    assert reader.execute("SELECT count(*) FROM source_files").fetchone() == (1,)  # its snapshot, still readable
    reader.close()
    with warehouse.connect_read_only() as con:
        assert con.execute("SELECT count(*) FROM source_files").fetchone() == (3,)
    assert not warehouse.staged_path(SOURCE_FILES, "b2").exists()


def test_the_summary_counts_follow_the_catalog_file(tmp_path):
    warehouse = Warehouse(tmp_path)
    rejected = lambda batch, names: _ledger_rows(batch, names).with_columns(status=pl.lit("rejected"))  # noqa: E731
    warehouse.write_staged(SOURCE_FILES, "b1", rejected("b1", ["a.txt"]))
    warehouse.publish("b1", [SOURCE_FILES])
    assert warehouse.view_counts()["rejected_documents"] == 1
    assert warehouse.view_counts()["rejected_documents"] == 1  # remembered for this catalog file
    warehouse.write_staged(SOURCE_FILES, "b2", rejected("b2", ["b.txt", "c.txt"]))
    warehouse.publish("b2", [SOURCE_FILES])
    assert (warehouse.view_counts()["rejected_documents"], warehouse.catalog_sequence()) == (3, 2)
    warehouse.build_catalog(warehouse.current_publication())  # rebuilt the same: counted again, the same
    assert (warehouse.view_counts()["rejected_documents"], warehouse.catalog_sequence()) == (3, 2)


def test_a_candidate_catalog_shows_the_staged_batch_and_a_batch_publishes_with_its_unpartitioned_tables(tmp_path):
    """What is computed across batches (the incidents) is read from a catalog of the publication to come, then
    promoted with the batch in one publication record: readers never see one without the other."""
    warehouse = Warehouse(tmp_path)
    warehouse.write_staged(SOURCE_FILES, "b1", _ledger_rows("b1", ["a.txt"]))
    warehouse.publish("b1", [SOURCE_FILES])
    warehouse.write_staged(SOURCE_FILES, "b2", _ledger_rows("b2", ["b.txt", "c.txt"]))
    with warehouse.candidate_catalog("b2", [SOURCE_FILES]) as candidate:
        with warehouse.connect_read_only(candidate) as con:
            assert con.execute("SELECT count(*) FROM source_files").fetchone() == (3,)
        with warehouse.connect_read_only() as con:  # the analysts' catalog has not moved
            assert con.execute("SELECT count(*) FROM source_files").fetchone() == (1,)
    assert not candidate.exists() and warehouse.current_publication().sequence == 1
    revisions = INCIDENT_REVISIONS.frame(
        [{"incident_id": "i1", "publication": 2, "changed": ["created"], "detail": None, "documents_added": ["d"]}]
    )
    warehouse.write_staged(INCIDENT_REVISIONS, None, revisions)
    published = warehouse.publish(
        "b2", [SOURCE_FILES], {"ingest": "v"}, [INCIDENT_REVISIONS], {"incident_revisions": "p2"}
    )
    assert published.sequence == 2 and INCIDENT_REVISIONS.name in published.tables
    assert published.versions["b2"] == {"ingest": "v"} and published.table_versions["incident_revisions"] == "p2"
    with warehouse.connect_read_only() as con:
        assert con.execute("SELECT count(*) FROM source_files").fetchone() == (3,)
        assert con.execute("SELECT incident_id, publication FROM incident_revisions").fetchall() == [("i1", 2)]


def test_a_catalog_made_from_its_candidate_shows_what_one_made_anew_shows(tmp_path):
    warehouse = Warehouse(tmp_path)
    warehouse.write_staged(SOURCE_FILES, "b1", _ledger_rows("b1", ["a.txt", "b.txt"]))
    warehouse.publish("b1", [SOURCE_FILES])
    changed = _ledger_rows("b2", ["a.txt", "c.txt"]).with_columns(doc_id=pl.Series(["1" * 64, "2" * 64]))
    warehouse.write_staged(SOURCE_FILES, "b2", changed)
    with warehouse.candidate_catalog("b2", [SOURCE_FILES]) as candidate:
        published = warehouse.publish("b2", [SOURCE_FILES], candidate=candidate)

    def shown() -> dict[str, list]:
        with warehouse.connect_read_only() as con:
            names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
            return {n: sorted(map(repr, con.execute(f"SELECT * FROM {n}").fetchall())) for n in names}  # noqa: S608

    from_candidate = shown()
    assert from_candidate["current_doc_ids"] == [repr(("0" * 64,)), repr(("1" * 64,)), repr(("2" * 64,))]
    with warehouse.connect_read_only() as con:  # the views read the lake, not the staged files the candidate read
        assert (
            "staging"
            not in con.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'source_files'").fetchone()[0]
        )
    warehouse.build_catalog(published)
    assert shown() == from_candidate


def test_the_projects_queries_spill_rather_than_grow_with_the_corpus(tmp_path):
    """The report and the view counts aggregate over every published row: their connection is bounded, and
    an aggregate needing more than the bound still completes (DuckDB spills beside the catalog)."""
    warehouse = Warehouse(tmp_path)
    warehouse.write_staged(SOURCE_FILES, "b1", _ledger_rows("b1", ["a.txt"]))
    warehouse.publish("b1", [SOURCE_FILES])
    with warehouse.connect_read_only() as con:
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert (
            limit
            == duckdb.connect()
            .execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'; SELECT current_setting('memory_limit')")
            .fetchone()[0]
        )
        # 6 million distinct keys of about 38 characters: more than the limit held in memory at once
        distinct = con.execute(
            "SELECT count(DISTINCT md5(i::VARCHAR) || i::VARCHAR) FROM range(6000000) t(i)"
        ).fetchone()
    assert distinct == (6000000,)


def test_old_lake_files_are_collected_after_two_publications(tmp_path):
    warehouse = Warehouse(tmp_path)
    for names in (["a.txt"], ["a.txt", "b.txt"], ["a.txt", "b.txt", "c.txt"]):  # the same batch re-run three times
        warehouse.write_staged(SOURCE_FILES, "b1", _ledger_rows("b1", names))
        warehouse.publish("b1", [SOURCE_FILES])
    files = sorted(p.name for p in (tmp_path / "lake" / "source_files" / "batch=b1").iterdir())
    assert files == ["pub-000002.parquet", "pub-000003.parquet"]
    with warehouse.connect_read_only() as con:
        assert con.execute("SELECT count(*) FROM source_files").fetchone() == (3,)


def test_plan_hashes_only_changed_files_and_sees_deletions(tmp_path):
    inbox, warehouse = tmp_path / "inbox", Warehouse(tmp_path / "warehouse")
    inbox.mkdir()
    (inbox / "a.txt").write_text("أ", encoding="utf-8")
    (inbox / "b.txt").write_text("ب", encoding="utf-8")
    first = plan_batch(inbox, warehouse)
    assert (first.new, first.changed, first.deleted) == (2, 0, 0)
    assert plan_batch(inbox, warehouse).empty  # nothing changed: no batch
    os.utime(inbox / "a.txt", ns=(1, 1))  # touched, same content: not a change
    assert plan_batch(inbox, warehouse).empty
    (inbox / "b.txt").write_text("ب ب", encoding="utf-8")
    (inbox / "a.txt").unlink()
    third = plan_batch(inbox, warehouse)
    assert (third.new, third.changed, third.deleted) == (0, 1, 1)
    assert pending_batches(warehouse) == first.batches + third.batches
    latest = dict(known_sources(warehouse).select("source_name", "change").iter_rows())
    assert latest == {"a.txt": "deleted", "b.txt": "changed"}


def test_the_ledger_index_says_what_the_plans_say(tmp_path):
    inbox, warehouse = tmp_path / "inbox", Warehouse(tmp_path / "warehouse")
    inbox.mkdir()
    (inbox / "a.txt").write_text("أ", encoding="utf-8")
    (inbox / "b.txt").write_text("ب", encoding="utf-8")
    plan_batch(inbox, warehouse)
    index = warehouse.root / LEDGER_INDEX
    after_first = index.read_bytes()
    (inbox / "b.txt").write_text("ب ب", encoding="utf-8")
    (inbox / "a.txt").unlink()
    (inbox / "c.txt").write_text("ج", encoding="utf-8")
    plan_batch(inbox, warehouse)
    from_index = known_sources(warehouse)
    index.unlink()
    from_plans = known_sources(warehouse)
    assert from_index.equals(from_plans)
    assert dict(from_plans.select("source_name", "change").iter_rows()) == {
        "a.txt": "deleted",
        "b.txt": "changed",
        "c.txt": "new",
    }
    index.write_bytes(after_first)  # a run killed between its plan and its index: the plan still counts
    assert known_sources(warehouse).equals(from_plans)
    assert plan_batch(inbox, warehouse).empty  # and nothing is planned twice
    assert known_sources(warehouse).equals(from_plans)


def test_symlinks_are_recorded_not_followed(tmp_path):
    inbox, outside = tmp_path / "inbox", tmp_path / "secret.txt"
    inbox.mkdir()
    outside.write_text("خارج", encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside)
    warehouse = Warehouse(tmp_path / "warehouse")
    plan = plan_batch(inbox, warehouse)
    row = pl.read_parquet(warehouse.plan_path(plan.batches[0])).row(0, named=True)
    assert row["is_symlink"] and row["sha256"] is None


def test_a_large_delivery_is_planned_as_bounded_batches(tmp_path):
    inbox, warehouse = tmp_path / "inbox", Warehouse(tmp_path / "warehouse")
    inbox.mkdir()
    for i in range(7):
        (inbox / f"{i}.txt").write_text("نص", encoding="utf-8")
    plan = plan_batch(inbox, warehouse, max_files=3)
    assert plan.new == 7 and len(plan.batches) == 3
    assert [pl.read_parquet(warehouse.plan_path(b)).height for b in plan.batches] == [3, 3, 1]
    assert plan.batches == sorted(plan.batches) == pending_batches(warehouse)
    (inbox / "7.txt").write_text("نص", encoding="utf-8")
    later = plan_batch(inbox, warehouse, max_files=3)  # the same second: keys still sort after the first ones
    assert later.batches[0] > plan.batches[-1]
