"""The report's map: Syria's border and governorates, each incident of killing at its place.

The outline and governorates are Natural Earth's admin-1 (public domain), simplified and vendored
in analysis/data/syria_governorates.geojson (tools/build_syria_boundaries.py, ATTRIBUTION.md).
A circle per incident, its area growing with the incident's best toll and its colour its grade;
the places are named, biggest toll first, wherever a name does not cover one already written, and
the governorates' names go where room is left. Incidents placed outside the frame (a toll reported
from Moscow) are returned for the report to list, never silently dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from analysis.labels import label, phrase
from analysis.svg import LINE_EM, Box, Drawing, text_box, text_width

_MARGIN = 0.4  # degrees of frame around the border
GRADE_COLOURS = {"corroborated": "#b2182b", "single_source": "#ef8a62", "contested": "#542788"}
_UNKNOWN_COLOUR = "#777777"
_SIZE_LEGEND = (10, 100, 1000)
# Names are tried for the places with the most killed only: past these the map has no room left, and
# each try measures its box against every name already written.
_MOST_LABELLED_PLACES = 120
_GOVERNORATE_PRECISION = 3
# Where a place's name may go around its circle, tried in order: the side (right, up) and the alignment.
_LABEL_SIDES = ((1, 1, "left", "bottom"), (-1, 1, "right", "bottom"), (1, -1, "left", "top"), (-1, -1, "right", "top"))


def _label_spots(radius: float) -> list:
    """The offsets (in points) that put a name just off the corners of a circle of that radius."""
    gap = 0.7 * radius + 2
    return [((dx * gap, dy * gap), ha, va) for dx, dy, ha, va in _LABEL_SIDES]


@dataclass(frozen=True)
class MappedIncident:
    """An incident of killing, or several of one place, precision and grade taken together (`incidents`
    of them, `best` their best tolls summed): a warehouse's tens of thousands of incidents reach the map
    as a row per place and grade, counted by the catalog."""

    location: str | None
    name_en: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None  # ACLED's: 3 is a governorate or wider, drawn as an open ring
    best: int | None
    grade: str | None
    incidents: int = 1


@dataclass(frozen=True)
class Place:
    """The incidents at one place (one pair of coordinates)."""

    location: str
    name_en: str | None
    admin1: str | None
    latitude: float
    longitude: float
    incidents: int
    killed: int


@dataclass(frozen=True)
class MapResult:
    path: Path
    svg: str  # for the page; SVG ids: governorate:NAME, border:N, incident:N:GRADE (a marker: one place and grade), name:place:N, name:governorate:N
    places: list[Place]  # inside the frame, most killed first
    outside: list[Place]  # placed, but outside the frame
    unplaced: int  # incidents without coordinates
    labelled: list[str]  # the places named on the map


@cache
def boundaries() -> list[dict]:
    text = resources.files("analysis").joinpath("data/syria_governorates.geojson").read_text("utf-8")
    return json.loads(text)["features"]


@cache
def frame() -> tuple[float, float, float, float]:
    """(west, east, south, north) of the map: the border and a margin."""
    border = next(f for f in boundaries() if f["properties"]["kind"] == "border")
    xs = [x for line in border["geometry"]["coordinates"] for x, _ in line]
    ys = [y for line in border["geometry"]["coordinates"] for _, y in line]
    return min(xs) - _MARGIN, max(xs) + _MARGIN, min(ys) - _MARGIN, max(ys) + _MARGIN


def marker_size(killed: int | None) -> float:
    """Marker area in points²: an incident with no number (a vague toll) still shows."""
    return 14 + 3.2 * (killed or 0) ** 0.85


def _named(members: list[MappedIncident]) -> MappedIncident:
    """The member whose place names the coordinates they share: the name given to most of their incidents
    (two places of the gazetteer may lie at one point), the first in Arabic alphabetical order on a tie."""
    named: dict[str, int] = {}
    for m in members:
        named[m.location or ""] = named.get(m.location or "", 0) + m.incidents
    return min(members, key=lambda m: (-named[m.location or ""], m.location or ""))


def group_by_place(incidents: list[MappedIncident]) -> list[Place]:
    grouped: dict[tuple[float, float], list[MappedIncident]] = {}
    for i in incidents:
        grouped.setdefault((i.latitude, i.longitude), []).append(i)
    places = []
    for (lat, lon), members in grouped.items():
        name = _named(members)
        places.append(
            Place(
                location=name.location or "",
                name_en=name.name_en,
                admin1=name.admin1,
                latitude=lat,
                longitude=lon,
                incidents=sum(m.incidents for m in members),
                killed=sum(m.best or 0 for m in members),
            )
        )
    return sorted(places, key=lambda p: (-p.killed, -p.incidents, p.location))


def _inside(lat: float, lon: float) -> bool:
    west, east, south, north = frame()
    return west <= lon <= east and south <= lat <= north


_WIDTH, _HEIGHT = 648, 576  # points: 9 by 8 inches
_PAD = 8
_TITLE_SIZE = 12
_NOTE_SIZE = 8
_PLACE_SIZE = 8
_GOVERNORATE_SIZE = 7
_LEGEND_SIZE = 7


@cache
def _axes() -> Box:
    """The map's frame on the page: as large as the title above and the note below leave room for, with
    a degree of longitude as long as a degree of latitude."""
    west, east, south, north = frame()
    top = _PAD + 2 * LINE_EM * _TITLE_SIZE + _PAD
    bottom = _HEIGHT - _PAD - LINE_EM * _NOTE_SIZE - _PAD
    scale = min((_WIDTH - 2 * _PAD) / (east - west), (bottom - top) / (north - south))
    width, height = scale * (east - west), scale * (north - south)
    x0 = (_WIDTH - width) / 2
    return Box(x0, top, x0 + width, top + height)


def _point(lon: float, lat: float) -> tuple[float, float]:
    west, east, south, north = frame()
    axes = _axes()
    scale = (axes.x1 - axes.x0) / (east - west)
    return axes.x0 + (lon - west) * scale, axes.y1 - (lat - south) * scale


def _path(line: list, closed: bool) -> str:
    points = [_point(lon, lat) for lon, lat in line]
    return "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + ("Z" if closed else "")


@dataclass(frozen=True)
class _Outline:
    svg_id: str
    kind: str  # governorate, undof or border
    path: str


@cache
def _outlines() -> tuple[list[_Outline], list[tuple[str, float, float]]]:
    """The governorates, the UNDOF zone and the border as SVG paths on the map's frame, computed once;
    and each governorate's name with the point it is written at (its outer ring's mean)."""
    outlines, names = [], []
    for feature in boundaries():
        props, geometry = feature["properties"], feature["geometry"]
        if props["kind"] == "border":
            outlines += [
                _Outline(f"border:{n}", "border", _path(line, False)) for n, line in enumerate(geometry["coordinates"])
            ]
            continue
        # SVG ids, unique in the page: kind:name, and :part for an area's further polygons
        outlines += [
            _Outline(
                f"{props['kind']}:{props['name_en']}" + (f":{part}" if part else ""),
                props["kind"],
                _path(polygon[0], True),
            )
            for part, polygon in enumerate(geometry["coordinates"])
        ]
        if props["kind"] == "governorate":
            outer = max((p[0] for p in geometry["coordinates"]), key=len)
            names.append(
                (
                    props["name_ar"],
                    *_point(sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer)),
                )
            )
    return outlines, names


_OUTLINE_STYLE = {
    "governorate": {"fill": "#f7f4ec", "stroke": "#9a9a9a", "stroke_width": 0.6},
    "undof": {"fill": "url(#undof-hatch)", "stroke": "#9a9a9a", "stroke_width": 0.6},
    "border": {"fill": "none", "stroke": "#333333", "stroke_width": 1.2, "stroke_linejoin": "round"},
}
# The UNDOF zone: grey, hatched.
_HATCH = (
    "<pattern id='undof-hatch' width='6' height='6' patternUnits='userSpaceOnUse'>"
    "<rect width='6' height='6' fill='#eeeeee'/><path d='M0 6L6 0M-1 1L1 -1M5 7L7 5' stroke='#9a9a9a' stroke-width='0.6'/>"
    "</pattern>"
)
_CLIP = "<clipPath id='incident-map-frame'><rect x='{x}' y='{y}' width='{w}' height='{h}'/></clipPath>"


def _marker(drawing: Drawing, x: float, y: float, area: float, colour: str, wide: bool, **attributes) -> None:
    """A circle of `area` points² (its diameter the square root, as matplotlib's scatter sizes it). An
    incident placed only in its governorate sits at the governorate's centre: an open dashed ring says
    that its circle is not where it happened."""
    style = (
        {"fill": "none", "stroke": colour, "stroke_width": 1.4, "stroke_dasharray": "5.2 2.2", "opacity": 0.8}
        if wide
        else {"fill": colour, "stroke": "black", "stroke_width": 0.4, "opacity": 0.6}
    )
    drawing.element("circle", cx=float(x), cy=float(y), r=float(area**0.5 / 2), **(style | attributes))


def _legend(drawing: Drawing) -> Box:
    """The grades' colours, the ring of a governorate-only place and three sizes, in the map's lower
    right corner; returns its box."""
    # (diameter in points, colour, open ring, text)
    rows = [(8, colour, False, "{1} / {0}".format(*label("grade", grade))) for grade, colour in GRADE_COLOURS.items()]
    rows.append((9, "#555555", True, "{1} / {0}".format(*phrase("governorate_only"))))
    rows += [
        (marker_size(n) ** 0.5, "white", False, "{n} {1} / {0}".format(*phrase("killed"), n=n)) for n in _SIZE_LEGEND
    ]
    handle = max(diameter for diameter, *_ in rows)
    heights = [max(3.2 * _LEGEND_SIZE, diameter + 4) for diameter, *_ in rows]
    width = _LEGEND_SIZE + handle + 1.6 * _LEGEND_SIZE + max(text_width(text, _LEGEND_SIZE) for *_, text in rows)
    axes = _axes()
    box = Box(axes.x1 - 4 - width - _LEGEND_SIZE, axes.y1 - 4 - sum(heights) - _LEGEND_SIZE, axes.x1 - 4, axes.y1 - 4)
    drawing.rect(box, fill="white", fill_opacity=0.9, stroke="#cccccc", stroke_width=0.8, rx=2)
    y = box.y0 + _LEGEND_SIZE / 2
    for (diameter, colour, ring, text), row in zip(rows, heights, strict=True):
        middle = y + row / 2
        centre = box.x0 + _LEGEND_SIZE + handle / 2
        if ring:  # a solid ring: the legend names what the ring means, not its dashes
            drawing.element(
                "circle", cx=centre, cy=middle, r=diameter / 2, fill="none", stroke=colour, stroke_width=1.4
            )
        else:
            _marker(drawing, centre, middle, diameter**2, colour, False)
        drawing.text(text, centre + handle / 2 + 1.6 * _LEGEND_SIZE, middle, _LEGEND_SIZE, "left", "center")
        y += row
    return box


def _place_label(
    drawing: Drawing,
    text: str,
    xy: tuple[float, float],
    taken: list[Box],
    size: float,
    colour: str,
    spots: list,
    svg_id: str,
) -> bool:
    """Writes `text` at the first spot around `xy` where it covers no label written before and stays
    inside the map's frame; returns whether it found one."""
    for (dx, dy), ha, va in spots:
        x, y = xy[0] + dx, xy[1] - dy  # the spots' offsets point up; the drawing's y grows downwards
        box = text_box(text, x, y, size, ha, va)[0].expanded(1.05, 1.1)
        if box.inside(_axes()) and not any(box.overlaps(other) for other in taken):
            taken.append(box)
            drawing.text(text, x, y, size, ha, va, fill=colour, id=svg_id)
            return True
    return False


def draw_incident_map(path: Path, incidents: list[MappedIncident]) -> MapResult:
    placed = [i for i in incidents if i.latitude is not None and i.longitude is not None]
    inside = [i for i in placed if _inside(i.latitude, i.longitude)]
    outside = group_by_place([i for i in placed if not _inside(i.latitude, i.longitude)])
    places = group_by_place(inside)

    drawing = Drawing(_WIDTH, _HEIGHT)
    axes = _axes()
    drawing.definitions += [
        _HATCH,
        _CLIP.format(x=axes.x0, y=axes.y0, w=axes.x1 - axes.x0, h=axes.y1 - axes.y0),
    ]
    drawing.rect(Box(0, 0, _WIDTH, _HEIGHT), fill="white")
    title_ar, title_en = phrase("map")
    drawing.lines([title_ar, title_en], _WIDTH / 2, _PAD + LINE_EM * _TITLE_SIZE, _TITLE_SIZE)
    outlines, governorates = _outlines()
    for outline in outlines:
        drawing.element("path", d=outline.path, id=outline.svg_id, **_OUTLINE_STYLE[outline.kind])
    # One marker per place and grade (and whether it is placed only in its governorate), sized by the
    # killed of its incidents: a warehouse has thousands of incidents but far fewer places. Biggest
    # first, so that a small marker at the same place stays visible on top of a big one.
    markers: dict[tuple[float, float, str | None, bool], int] = {}
    for i in inside:
        key = (i.latitude, i.longitude, i.grade, (i.geo_precision or 0) >= _GOVERNORATE_PRECISION)
        markers[key] = markers.get(key, 0) + (i.best or 0)
    for n, ((lat, lon, grade, wide), killed) in enumerate(sorted(markers.items(), key=lambda m: -m[1])):
        colour = GRADE_COLOURS.get(grade, _UNKNOWN_COLOUR)
        x, y = _point(lon, lat)
        _marker(
            drawing,
            x,
            y,
            marker_size(killed),
            colour,
            wide,
            id=f"incident:{n}:{grade}",
            clip_path="url(#incident-map-frame)",
        )
    note_ar, note_en = phrase("map_note")
    drawing.text(f"{note_ar} — {note_en}", _WIDTH / 2, axes.y1 + _PAD / 2, _NOTE_SIZE, "center", "top")
    taken = [_legend(drawing)]  # names never cover the legend
    labelled = []
    biggest: dict[tuple[float, float], float] = {}  # the largest circle at each place, which its name must clear
    for (lat, lon, _grade, _wide), killed in markers.items():
        biggest[lat, lon] = max(biggest.get((lat, lon), 0), marker_size(killed))
    for n, p in enumerate(places[:_MOST_LABELLED_PLACES]):
        text = f"{p.location} ({p.killed})" if p.killed else p.location
        spots = _label_spots(biggest[p.latitude, p.longitude] ** 0.5 / 2)
        if _place_label(
            drawing, text, _point(p.longitude, p.latitude), taken, _PLACE_SIZE, "black", spots, f"name:place:{n}"
        ):
            labelled.append(p.location)
    for n, (name, x, y) in enumerate(governorates):
        centred = (((0, 0), "center", "center"),)
        _place_label(drawing, name, (x, y), taken, _GOVERNORATE_SIZE, "#8a8a8a", centred, f"name:governorate:{n}")
    drawing.rect(axes, fill="none", stroke="black", stroke_width=0.8)
    svg = drawing.save(path)
    unplaced = sum(i.incidents for i in incidents) - sum(i.incidents for i in placed)
    return MapResult(path, svg, places, outside, unplaced, labelled)
