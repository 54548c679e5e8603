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

import matplotlib.pyplot as plt
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from analysis.charts import save
from analysis.labels import label, phrase

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
    location: str | None
    name_en: str | None
    admin1: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None  # ACLED's: 3 is a governorate or wider, drawn as an open ring
    best: int | None
    grade: str | None


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


def group_by_place(incidents: list[MappedIncident]) -> list[Place]:
    grouped: dict[tuple[float, float], list[MappedIncident]] = {}
    for i in incidents:
        grouped.setdefault((i.latitude, i.longitude), []).append(i)
    places = [
        Place(
            location=members[0].location or "",
            name_en=members[0].name_en,
            admin1=members[0].admin1,
            latitude=lat,
            longitude=lon,
            incidents=len(members),
            killed=sum(m.best or 0 for m in members),
        )
        for (lat, lon), members in grouped.items()
    ]
    return sorted(places, key=lambda p: (-p.killed, -p.incidents, p.location))


def _inside(lat: float, lon: float) -> bool:
    west, east, south, north = frame()
    return west <= lon <= east and south <= lat <= north


def _draw_boundaries(ax) -> list[tuple[str, float, float]]:
    """Draws the governorates and the border; returns each governorate's name and a point for it."""
    names = []
    for feature in boundaries():
        props, geometry = feature["properties"], feature["geometry"]
        if props["kind"] == "border":
            for n, line in enumerate(geometry["coordinates"]):
                (drawn,) = ax.plot([x for x, _ in line], [y for _, y in line], color="#333333", linewidth=1.2, zorder=2)
                drawn.set_gid(f"border:{n}")
            continue
        undof = props["kind"] == "undof"
        for part, polygon in enumerate(geometry["coordinates"]):
            ax.add_patch(
                Polygon(
                    polygon[0],
                    closed=True,
                    facecolor="#eeeeee" if undof else "#f7f4ec",
                    edgecolor="#9a9a9a",
                    linewidth=0.6,
                    hatch="///" if undof else None,
                    zorder=1,
                    # SVG ids, unique in the page: kind:name, and :part for an area's further polygons
                    gid=f"{props['kind']}:{props['name_en']}" + (f":{part}" if part else ""),
                )
            )
        if not undof:
            outer = max((p[0] for p in geometry["coordinates"]), key=len)
            names.append(
                (props["name_ar"], sum(x for x, _ in outer) / len(outer), sum(y for _, y in outer) / len(outer))
            )
    return names


def _place_label(ax, renderer, text: str, xy, taken: list, fontsize: float, colour: str, spots: list, gid: str) -> bool:
    """Writes `text` at the first spot around `xy` where it covers no label written before and stays
    inside the axes; returns whether it found one."""
    axes_box = ax.get_window_extent(renderer)
    for offset, ha, va in spots:
        annotation = ax.annotate(
            text, xy, xytext=offset, textcoords="offset points", fontsize=fontsize, color=colour, ha=ha, va=va, zorder=5
        )
        annotation.set_gid(gid)
        box = annotation.get_window_extent(renderer).expanded(1.05, 1.1)
        fits = (
            axes_box.x0 <= box.x0 and box.x1 <= axes_box.x1 and axes_box.y0 <= box.y0 and box.y1 <= axes_box.y1
        ) and not any(box.overlaps(other) for other in taken)
        if fits:
            taken.append(box)
            return True
        annotation.remove()
    return False


def draw_incident_map(path: Path, incidents: list[MappedIncident]) -> MapResult:
    placed = [i for i in incidents if i.latitude is not None and i.longitude is not None]
    inside = [i for i in placed if _inside(i.latitude, i.longitude)]
    outside = group_by_place([i for i in placed if not _inside(i.latitude, i.longitude)])
    places = group_by_place(inside)

    fig, ax = plt.subplots(figsize=(9, 8), dpi=110)
    west, east, south, north = frame()
    governorates = _draw_boundaries(ax)
    # The limits are fixed before any marker is drawn: otherwise every marker rescales the axes over
    # all the others, which took minutes for a warehouse's 15,000 incidents.
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.autoscale(False)
    # One marker per place and grade (and whether it is placed only in its governorate), sized by the
    # killed of its incidents: a warehouse has thousands of incidents but far fewer places. Biggest
    # first, so that a small marker at the same place stays visible on top of a big one.
    markers: dict[tuple[float, float, str | None, bool], int] = {}
    for i in inside:
        key = (i.latitude, i.longitude, i.grade, (i.geo_precision or 0) >= _GOVERNORATE_PRECISION)
        markers[key] = markers.get(key, 0) + (i.best or 0)
    for n, ((lat, lon, grade, wide), killed) in enumerate(sorted(markers.items(), key=lambda m: -m[1])):
        colour = GRADE_COLOURS.get(grade, _UNKNOWN_COLOUR)
        ax.scatter(
            [lon],
            [lat],
            s=marker_size(killed),
            # An incident placed only in its governorate sits at the governorate's centre: an open
            # dashed ring says that its circle is not where it happened.
            facecolors="none" if wide else colour,
            edgecolors=colour if wide else "black",
            linestyles="--" if wide else "-",
            linewidths=1.4 if wide else 0.4,
            alpha=0.8 if wide else 0.6,
            zorder=3,
            gid=f"incident:{n}:{grade}",
        )
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    title_ar, title_en = phrase("map")
    note_ar, note_en = phrase("map_note")
    ax.set_title(f"{title_ar}\n{title_en}", fontsize=12)
    ax.text(0.5, -0.02, f"{note_ar} — {note_en}", transform=ax.transAxes, ha="center", va="top", fontsize=8)

    grade_handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            markerfacecolor=colour,
            markeredgecolor="black",
            alpha=0.6,
            label="{1} / {0}".format(*label("grade", grade)),
        )
        for grade, colour in GRADE_COLOURS.items()
    ]
    wide_handle = Line2D(
        [],
        [],
        marker="o",
        linestyle="",
        markersize=9,
        markerfacecolor="none",
        markeredgecolor="#555555",
        markeredgewidth=1.4,
        label="{1} / {0}".format(*phrase("governorate_only")),
    )
    size_handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=marker_size(n) ** 0.5,
            markerfacecolor="white",
            markeredgecolor="black",
            label="{n} {1} / {0}".format(*phrase("killed"), n=n),
        )
        for n in _SIZE_LEGEND
    ]
    legend = ax.legend(
        handles=[*grade_handles, wide_handle, *size_handles],
        loc="lower right",
        fontsize=7,
        labelspacing=2.2,
        handletextpad=1.6,
        borderpad=1,
        framealpha=0.9,
    )

    # Lay the figure out and draw it once (the equal aspect shrinks the axes only when drawn), so that
    # the boxes measured below are where the names will be.
    fig.tight_layout()
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    taken: list = [legend.get_window_extent(renderer)]  # names never cover the legend
    labelled = []
    biggest: dict[tuple[float, float], float] = {}  # the largest circle at each place, which its name must clear
    for (lat, lon, _grade, _wide), killed in markers.items():
        biggest[lat, lon] = max(biggest.get((lat, lon), 0), marker_size(killed))
    for n, p in enumerate(places[:_MOST_LABELLED_PLACES]):
        text = f"{p.location} ({p.killed})" if p.killed else p.location
        spots = _label_spots(biggest[p.latitude, p.longitude] ** 0.5 / 2)
        if _place_label(ax, renderer, text, (p.longitude, p.latitude), taken, 8, "black", spots, f"name:place:{n}"):
            labelled.append(p.location)
    for n, (name, x, y) in enumerate(governorates):
        centred = (((0, 0), "center", "center"),)
        _place_label(ax, renderer, name, (x, y), taken, 7, "#8a8a8a", centred, f"name:governorate:{n}")

    svg = save(fig, path)
    return MapResult(path, svg, places, outside, len(incidents) - len(placed), labelled)
