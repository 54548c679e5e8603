"""New files are processed alone, the same day; a failing expectation never reaches the analysts."""

import json
import re
import shutil
from pathlib import Path

import duckdb

from ledger.settings import PROJECT_ROOT

NEW_ARTICLE = (
    "قصف على ريف إدلب\n\n"
    "قتل 7 مدنيين بينهم طفلان وأصيب 12 آخرون بجروح في غارات جوية استهدفت مدينة معرة النعمان جنوب إدلب، "
    "وفق ما أفاد الدفاع المدني السوري.\n"
)


def test_new_file_the_same_day_is_processed_alone(ledger):
    first = ledger.run()
    assert first.ok
    (ledger.inbox / "nested").mkdir()
    (ledger.inbox / "nested" / "مقال جديد.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    second = ledger.run()
    assert (second.plan.new, second.plan.unchanged) == (1, 5)
    assert len(second.batches) == 1 and second.batches[0].statuses == {"document": 1}
    assert second.batches[0].batch > first.batches[0].batch
    assert ledger.query("SELECT count(*), count(DISTINCT batch) FROM documents") == [(6, 2)]
    assert ledger.query(
        "SELECT count(*) FROM casualty_figures c JOIN documents d USING (doc_id)"
        " WHERE d.source_name = 'nested/مقال جديد.txt' AND c.outcome = 'killed' AND c.value = 7"
    ) == [(1,)]


def test_failing_expectation_blocks_publication_and_keeps_previous_data(ledger):
    assert ledger.run().ok
    before = ledger.query("SELECT count(*) FROM documents")
    # An analyst decides no casualty figure may exceed 20: the new article's 12 injured pass, its 7 killed pass,
    # but the suite is made stricter than any real toll so the new batch must fail and be held back.
    suite_path = ledger.storage.expectations / "casualty_figures.json"
    suite = json.loads(suite_path.read_text("utf-8"))
    suite["expectations"].append(
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "value", "max_value": 5}}
    )
    suite_path.write_text(json.dumps(suite), encoding="utf-8")
    (ledger.inbox / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    catalog_before = ledger.storage.warehouse.catalog_path.stat().st_ino

    summary = ledger.run()

    assert not summary.ok
    [batch] = summary.batches
    assert not batch.published
    assert any(
        "casualty_figures_expectations" in f and "expect_column_values_to_be_between(value)" in f
        for f in batch.checks_failed
    )
    assert ledger.storage.warehouse.catalog_path.stat().st_ino == catalog_before  # catalog untouched
    assert ledger.query("SELECT count(*) FROM documents") == before
    assert ledger.query("SELECT count(*) FROM documents WHERE source_name = 'new.txt'") == [(0,)]
    # The failing rows are named in the check's metadata, by figure id.
    evaluation = ledger.instance.event_log_storage.get_latest_asset_check_execution_by_key(
        [
            __import__("dagster").AssetCheckKey(
                __import__("dagster").AssetKey("casualty_figures"), "casualty_figures_expectations"
            )
        ]
    )
    assert evaluation
    # ... and its metadata links the run's Data Docs page, rendered at once (a blocked batch gets no
    # report), where the failing expectation is shown with its rows.
    [record] = evaluation.values()
    metadata = record.event.dagster_event.event_specific_data.metadata
    page = Path(metadata["data_docs"].value)
    assert page.is_relative_to(ledger.storage.warehouse.root / "data_docs") and batch.batch in page.parts
    shown = " ".join(re.sub(r"<[^>]+>", " ", page.read_text("utf-8")).split())  # the page's text
    assert "values must be less than or equal to 5" in shown and "unexpected values found" in shown

    # Once the suite is fixed, the next run retries the held batch and publishes it.
    shutil.copy(PROJECT_ROOT / "expectations" / "casualty_figures.json", suite_path)
    retry = ledger.run()
    assert retry.ok and [b.batch for b in retry.batches] == [batch.batch]
    assert ledger.query("SELECT count(*) FROM documents WHERE source_name = 'new.txt'") == [(1,)]


def test_reader_holding_the_catalog_does_not_block_a_run(ledger):
    assert ledger.run().ok
    reader = duckdb.connect(str(ledger.storage.warehouse.catalog_path), read_only=True)
    try:
        before = reader.execute("SELECT count(*) FROM documents").fetchone()
        (ledger.inbox / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        assert ledger.run().ok
        # The open reader keeps its consistent snapshot; a new connection sees the new publication.
        assert reader.execute("SELECT count(*) FROM documents").fetchone() == before
    finally:
        reader.close()
    assert ledger.query("SELECT count(*) FROM documents") == [(before[0] + 1,)]


def test_rerunning_a_published_batch_is_idempotent(ledger):
    from pipelines.definitions import build_definitions
    from pipelines.runner import run_batch

    [batch] = ledger.run().batches
    snapshot = "SELECT doc_id, source_name, body FROM documents ORDER BY doc_id"
    figures = "SELECT figure_id, value FROM casualty_figures ORDER BY figure_id"
    before = (
        ledger.query(snapshot),
        ledger.query(figures),
        ledger.query("SELECT status, count(*) FROM source_files GROUP BY ALL"),
    )

    again = run_batch(build_definitions(ledger.storage), ledger.instance, ledger.storage, batch.batch)

    assert again.published and again.statuses == {"document": 5}
    assert (
        ledger.query(snapshot),
        ledger.query(figures),
        ledger.query("SELECT status, count(*) FROM source_files GROUP BY ALL"),
    ) == before


def test_changed_file_supersedes_and_deleted_file_leaves_the_views(ledger):
    (ledger.inbox / "report.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert ledger.run().ok
    old_doc = ledger.query("SELECT doc_id FROM documents WHERE source_name = 'report.txt'")[0][0]
    (ledger.inbox / "report.txt").write_text(NEW_ARTICLE.replace("قتل 7 مدنيين", "قتل 9 مدنيين"), encoding="utf-8")
    (ledger.inbox / "003_00b2aa93b7b7c10e.txt").unlink()

    summary = ledger.run()

    assert (summary.plan.new, summary.plan.changed, summary.plan.deleted) == (0, 1, 1)
    assert "0 processed" not in summary.lines()[2] and "1 deleted" in summary.lines()[2]
    current = ledger.query("SELECT doc_id, source_name FROM documents WHERE source_name = 'report.txt'")
    assert len(current) == 1 and current[0][0] != old_doc
    killed = "SELECT value FROM casualty_figures c JOIN documents d USING (doc_id) WHERE d.source_name = 'report.txt' AND outcome = 'killed' AND victim_group = 'civilians'"
    assert ledger.query(killed) == [(9,)]
    assert ledger.query("SELECT count(*) FROM documents") == [(5,)]  # 6 files, one deleted
    assert ledger.query(
        "SELECT count(*) FROM entity_mentions m JOIN document_versions d USING (doc_id)"
        " WHERE d.source_name = '003_00b2aa93b7b7c10e.txt'"
    ) == [(0,)]
    # History stays queryable.
    assert ledger.query("SELECT count(*) FROM document_versions WHERE source_name = 'report.txt'") == [(2,)]
    assert ledger.query(
        "SELECT status FROM source_files WHERE source_name = '003_00b2aa93b7b7c10e.txt' ORDER BY batch"
    ) == [("document",), ("deleted",)]


def test_a_quarantined_document_is_retried_when_its_file_or_the_failing_stage_changes(ledger):
    from pipelines.definitions import build_definitions
    from pipelines.runner import run_batch

    # An analyst's row-level rule: no body may mention «تجريبي». One new article breaks it.
    suite_path = ledger.storage.expectations / "documents.json"
    suite = json.loads(suite_path.read_text("utf-8"))
    suite["expectations"].append(
        {
            "type": "expect_column_values_to_not_match_regex",
            "kwargs": {"column": "body", "regex": "تجريبي"},
            "meta": {"scope": "row"},
        }
    )
    suite_path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        (ledger.inbox / name).write_text(NEW_ARTICLE.replace("7 مدنيين", f"7 مدنيين ({name})"), encoding="utf-8")
    (ledger.inbox / "new.txt").write_text(NEW_ARTICLE + "نص تجريبي.\n", encoding="utf-8")

    first = ledger.run()

    assert first.ok and [q["source_name"] for q in first.batches[0].quarantined] == ["new.txt"]
    assert ledger.query("SELECT source_name, stage FROM quarantined_documents") == [("new.txt", "documents")]
    assert ledger.query("SELECT count(*) FROM documents") == [(9,)]
    assert ledger.query(
        "SELECT count(*) FROM casualty_figures c JOIN document_versions d USING (doc_id)"
        " WHERE d.source_name = 'new.txt'"
    ) == [(0,)]

    # The failing stage changes (here its suite, as a code change would re-extract it): the document passes.
    shutil.copy(PROJECT_ROOT / "expectations" / "documents.json", suite_path)
    again = run_batch(
        build_definitions(ledger.storage),
        ledger.instance,
        ledger.storage,
        first.batches[0].batch,
        from_stage="documents",
    )
    assert again.published and again.quarantined == []
    assert ledger.query("SELECT count(*) FROM quarantined_documents") == [(0,)]
    assert ledger.query(
        "SELECT count(*) FROM casualty_figures c JOIN documents d USING (doc_id)"
        " WHERE d.source_name = 'new.txt' AND c.value = 7"
    ) == [(1,)]

    # Quarantined again under the stricter suite, then the file is fixed: its new version is published.
    suite_path.write_text(json.dumps(suite, ensure_ascii=False), encoding="utf-8")
    assert run_batch(
        build_definitions(ledger.storage),
        ledger.instance,
        ledger.storage,
        first.batches[0].batch,
        from_stage="documents",
    ).quarantined
    (ledger.inbox / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    fixed = ledger.run()
    assert fixed.ok and fixed.plan.changed == 1 and fixed.batches[0].quarantined == []
    assert ledger.query("SELECT count(*) FROM quarantined_documents") == [(0,)]
    assert ledger.query("SELECT count(*) FROM documents WHERE source_name = 'new.txt'") == [(1,)]
