"""A gazetteer or code change re-extracts published batches from the affected stage, never re-ingesting."""

import json
import shutil

from assets.resources import LedgerStorage
from conflict_text.gazetteer import DATA_DIR

ARTICLE = "قال المتطوع سليم الغزال إن القصف على مدينة دوما أدى إلى مقتل 4 مدنيين.\n"
NEW_PERSON = "person:salim_al_ghazal,سليم الغزال,Salim al-Ghazal,,,Volunteer,\n"


def _with_gazetteer(ledger, tmp_path) -> None:
    gazetteer = tmp_path / "gazetteer"
    shutil.copytree(DATA_DIR, gazetteer)
    ledger.storage = LedgerStorage(**{**ledger.storage.model_dump(), "gazetteer_dir": str(gazetteer)})


def test_gazetteer_edit_reextracts_entities_and_figures_only(ledger, tmp_path):
    _with_gazetteer(ledger, tmp_path)
    (ledger.inbox / "volunteer.txt").write_text(ARTICLE, encoding="utf-8")
    first = ledger.run()
    assert first.ok and first.reextracted == []
    person = "SELECT count(*) FROM entity_mentions WHERE entity_id = 'person:salim_al_ghazal'"
    assert ledger.query(person) == [(0,)]
    documents_file = ledger.storage.warehouse.current_publication().batches[first.batches[0].batch]["documents"]

    with open(f"{ledger.storage.gazetteer_dir}/people.csv", "a", encoding="utf-8") as people:
        people.write(NEW_PERSON)
    second = ledger.run()

    assert second.ok and second.gazetteer_refreshed and second.batches == []
    assert [(b.batch, b.from_stage) for b in second.reextracted] == [(first.batches[0].batch, "entity_mentions")]
    assert ledger.query(person) == [(1,)]
    assert ledger.query("SELECT name_en FROM gazetteer_entities WHERE entity_id = 'person:salim_al_ghazal'") == [
        ("Salim al-Ghazal",)
    ]
    publication = ledger.storage.warehouse.current_publication()
    assert publication.batches[first.batches[0].batch]["documents"] == documents_file  # not re-ingested nor re-cleaned
    assert ledger.query("SELECT count(*) FROM casualty_figures WHERE value = 4") == [(1,)]
    assert ledger.run().reextracted == []  # and now everything is current


def test_outdated_code_version_reextracts_from_that_stage(ledger):
    first = ledger.run()
    batch = first.batches[0].batch
    # Pretend the published figures came from older figure-extraction code.
    records = sorted((ledger.storage.warehouse.root / "lake" / "_publications").glob("*.json"))
    record = json.loads(records[-1].read_text("utf-8"))
    record["versions"][batch]["figures"] = "older-code"
    records[-1].write_text(json.dumps(record), encoding="utf-8")
    figures_before = ledger.query("SELECT figure_id, value FROM casualty_figures ORDER BY figure_id")

    second = ledger.run()

    assert [(b.batch, b.from_stage, b.published) for b in second.reextracted] == [(batch, "figures", True)]
    assert ledger.query("SELECT figure_id, value FROM casualty_figures ORDER BY figure_id") == figures_before
    assert ledger.storage.warehouse.current_publication().versions[batch]["figures"] != "older-code"
