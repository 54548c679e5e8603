"""The curation loop, round trip on a copy of the gazetteer: a review lists the names found from
context, the analyst's decisions go into the hand-kept files, and the next run finds the names."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assets.resources import LedgerStorage
from conflict_text.gazetteer import DATA_DIR, read_gazetteer
from ledger.review import ReviewError, ReviewState, apply_review, export_review, review_rows, state_path
from ledger.settings import PROJECT_ROOT
from pipelines.runner import run_inbox

# Our own writing: a village the gazetteer does not know, and «المحافظة», which the place pattern
# takes for a name after «ريف» but is the common noun "the governorate".
ARTICLE = """قصف على ريف المحافظة

قالت مصادر محلية إن قصفا مدفعيا استهدف قرية الخرنوبة الصغرى في ريف المحافظة صباح اليوم، دون أن تسجل إصابات.
وأضافت المصادر أن الأهالي نزحوا من القرية نحو البلدات المجاورة خوفا من تجدد القصف.
"""


def _decide(review, decisions: dict[str, dict]) -> None:
    with review.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        columns, rows = reader.fieldnames, list(reader)
    for row in rows:
        row.update(decisions.get(row["name_ar"], {}))
    with review.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def test_review_round_trip_adds_names_the_next_run_finds(ledger, tmp_path):
    gazetteer = tmp_path / "gazetteer"
    shutil.copytree(DATA_DIR, gazetteer)
    (ledger.inbox / "village.txt").write_text(ARTICLE, encoding="utf-8")
    storage = LedgerStorage(**{**ledger.storage.model_dump(), "gazetteer_dir": str(gazetteer)})
    warehouse = storage.warehouse
    assert run_inbox(storage, ledger.instance).ok

    review = warehouse.root / "review" / "first.csv"
    assert export_review(warehouse.catalog_path, warehouse.root, review) >= 4
    listed = {r["name_ar"]: r for r in csv.DictReader(review.open(encoding="utf-8"))}
    person = next(name for name, r in listed.items() if r["entity_type"] == "person")
    assert "⟦" in listed["الخرنوبة الصغرى"]["example_1"] and listed["الخرنوبة الصغرى"]["source_1"] == "village.txt"
    assert export_review(warehouse.catalog_path, warehouse.root, tmp_path / "again.csv") == 0  # nothing new since

    _decide(
        review,
        {
            person: {"decision": "new", "name_en": "Reviewed Correspondent"},
            "قاعدة حمييم": {"decision": "alias", "alias_of": "place:hmeimim"},
            "الخرنوبة الصغرى": {
                "decision": "new",
                "name_en": "Kharnouba al-Sughra",
                "place_type": "town",
                "latitude": "35.10",
                "longitude": "36.70",
                "governorate": "Hama",
            },
            "المحافظة": {"decision": "reject"},
        },
    )
    before = read_gazetteer(gazetteer).version
    counts = apply_review(review, gazetteer, warehouse.root)
    assert counts == {"new": 2, "alias": 1, "reject": 1}
    assert read_gazetteer(gazetteer).version != before
    log = list(csv.DictReader((gazetteer / "review_log.csv").open(encoding="utf-8")))
    assert {r["entity_id"] for r in log} == {
        "person:reviewed_correspondent",
        "place:hmeimim",
        "place:kharnouba_al_sughra",
        "",
    }
    assert all(r["review"] == "first.csv" and r["applied_at"] for r in log)

    summary = run_inbox(storage, ledger.instance)  # the next `make run`
    assert summary.ok and summary.reextracted  # the gazetteer changed: published batches re-extracted
    found = dict(
        ledger.query(
            "SELECT entity_id, any_value(match_source) FROM entity_mentions WHERE entity_id IN "
            "('person:reviewed_correspondent', 'place:hmeimim', 'place:kharnouba_al_sughra') GROUP BY 1"
        )
    )
    assert found == dict.fromkeys(
        ["person:reviewed_correspondent", "place:hmeimim", "place:kharnouba_al_sughra"], "gazetteer"
    )
    [(latitude,)] = ledger.query("SELECT latitude FROM entities WHERE entity_id = 'place:kharnouba_al_sughra'")
    assert latitude == pytest.approx(35.10)
    # Accepted names are gazetteer matches now; the rejected one is never listed again.
    remaining = {
        r["name_ar"]
        for r in review_rows(warehouse.catalog_path, ReviewState.load(state_path(warehouse.root)), everything=True)
    }
    assert not remaining & {person, "قاعدة حمييم", "الخرنوبة الصغرى", "المحافظة"}


def test_a_review_with_a_bad_row_changes_nothing(seeded, tmp_path):
    gazetteer = tmp_path / "gazetteer"
    shutil.copytree(DATA_DIR, gazetteer)
    warehouse = seeded.storage.warehouse
    review = tmp_path / "review.csv"
    export_review(warehouse.catalog_path, tmp_path, review, everything=True)
    names = [r["name_ar"] for r in csv.DictReader(review.open(encoding="utf-8"))]
    _decide(review, {names[0]: {"decision": "alias", "alias_of": "place:nowhere"}, names[1]: {"decision": "new"}})
    before = {p.name: p.read_bytes() for p in gazetteer.iterdir()}
    with pytest.raises(ReviewError) as failure:
        apply_review(review, gazetteer, tmp_path)
    assert "place:nowhere" in str(failure.value) and "needs name_en" in str(failure.value)
    assert {p.name: p.read_bytes() for p in gazetteer.iterdir()} == before


def test_make_review_writes_the_csv_and_refuses_a_bad_file(seeded, tmp_path):
    gazetteer = tmp_path / "gazetteer"
    shutil.copytree(DATA_DIR, gazetteer)
    env = {**os.environ, "WAREHOUSE_DIR": str(seeded.storage.warehouse.root), "GAZETTEER_DIR": str(gazetteer)}
    review = [sys.executable, "-m", "pipelines", "review"]
    listed = subprocess.run(review, env=env, capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert listed.returncode == 0, listed.stderr
    written = Path(listed.stdout.split(": ", 1)[1].splitlines()[0])
    rows = list(csv.DictReader(written.open(encoding="utf-8")))
    # The count printed is the file's: the seeds' names found from context (how many follows the entity patterns).
    assert rows and listed.stdout.startswith(f"{len(rows)} names found from context")
    assert f"make review APPLY={written}" in listed.stdout
    _decide(written, {r["name_ar"]: {"decision": "maybe"} for r in rows})
    refused = subprocess.run(
        [*review, "--apply", str(written)], env=env, capture_output=True, text=True, cwd=PROJECT_ROOT
    )
    assert refused.returncode == 2 and "nothing applied" in refused.stderr and "'maybe'" in refused.stderr
    assert not (gazetteer / "review_log.csv").exists()
