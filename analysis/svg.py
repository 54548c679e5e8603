"""The report's charts as SVG written directly: text, rectangles, circles and paths, in points.

The SVG keeps its text as text: the browser shapes the Arabic itself, a reader can select and
search it, and a test can find the labels, governorates and incidents a chart draws by their SVG
ids. Writing the elements ourselves, instead of drawing with matplotlib, costs milliseconds: the
import alone took a second, and drawing the map over a warehouse's incidents several.

Where a label may go (the map's names, a bar chart's margin) depends on how wide it is drawn. The
browser knows, this module estimates: DejaVu Sans, the first font the charts name, sets digits at
about 0.64 em and Latin and Arabic letters at about 0.5 em on average (measured on the report's
labels, within 10 %).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

FONT_FAMILY = "'DejaVu Sans', 'Noto Naskh Arabic', sans-serif"
_DIGIT_EM = 0.64
_LETTER_EM = 0.5
_ASCENT_EM = 0.8  # above the baseline
_DESCENT_EM = 0.25  # below it
LINE_EM = 1.2  # from one line's baseline to the next


def text_width(text: str, size: float) -> float:
    return size * sum(_DIGIT_EM if c.isdigit() else _LETTER_EM for c in text)


@dataclass(frozen=True)
class Box:
    """A rectangle in the drawing's coordinates (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        return self.x0 < other.x1 and other.x0 < self.x1 and self.y0 < other.y1 and other.y0 < self.y1

    def inside(self, other: Box) -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1

    def expanded(self, sx: float, sy: float) -> Box:
        """The box scaled about its centre."""
        dx, dy = (self.x1 - self.x0) * (sx - 1) / 2, (self.y1 - self.y0) * (sy - 1) / 2
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)


_ANCHORS = {"left": "start", "center": "middle", "right": "end"}


def text_box(text: str, x: float, y: float, size: float, ha: str = "left", va: str = "baseline") -> tuple[Box, float]:
    """Where one line of `text` at `size` goes when (x, y) is its point `ha` (left, center, right) and
    `va` (top, center, bottom, baseline): its estimated box and its baseline's y."""
    baseline = {
        "baseline": y,
        "top": y + _ASCENT_EM * size,
        "bottom": y - _DESCENT_EM * size,
        "center": y + (_ASCENT_EM - _DESCENT_EM) * size / 2,
    }[va]
    width = text_width(text, size)
    x0 = {"left": x, "center": x - width / 2, "right": x - width}[ha]
    return Box(x0, baseline - _ASCENT_EM * size, x0 + width, baseline + _DESCENT_EM * size), baseline


def _attributes(attributes: dict) -> str:
    return "".join(
        f' {name.replace("_", "-")}="{html.escape(_number(value) if isinstance(value, float) else str(value), quote=True)}"'
        for name, value in attributes.items()
        if value is not None
    )


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class Drawing:
    """An SVG of `width` by `height` points, element after element (a later one drawn on top)."""

    def __init__(self, width: float, height: float):
        self.width, self.height = width, height
        self.elements: list[str] = []
        self.definitions: list[str] = []

    def element(self, tag: str, text: str | None = None, **attributes) -> None:
        opened = f"<{tag}{_attributes(attributes)}"
        self.elements.append(f"{opened}/>" if text is None else f"{opened}>{html.escape(text)}</{tag}>")

    def text(
        self,
        text: str,
        x: float,
        y: float,
        size: float,
        ha: str = "left",
        va: str = "baseline",
        rotate: float | None = None,
        **attributes,
    ) -> Box:
        """One line of text; returns its estimated box (unrotated)."""
        box, baseline = text_box(text, x, y, size, ha, va)
        turn = f"rotate({_number(rotate)} {_number(x)} {_number(y)})" if rotate else None
        self.element(
            "text",
            text,
            x=float(x),
            y=float(baseline),
            font_size=float(size),
            text_anchor=_ANCHORS[ha],
            transform=turn,
            **attributes,
        )
        return box

    def lines(self, lines: list[str], x: float, y: float, size: float, ha: str = "center", **attributes) -> Box:
        """Lines one below the other, centred vertically on y; returns their box."""
        top = y - (len(lines) * LINE_EM * size) / 2
        boxes = [
            self.text(line, x, top + (n + 0.5) * LINE_EM * size, size, ha, "center", **attributes)
            for n, line in enumerate(lines)
        ]
        return Box(min(b.x0 for b in boxes), top, max(b.x1 for b in boxes), top + len(lines) * LINE_EM * size)

    def rect(self, box: Box, **attributes) -> None:
        self.element(
            "rect",
            x=float(box.x0),
            y=float(box.y0),
            width=float(box.x1 - box.x0),
            height=float(box.y1 - box.y0),
            **attributes,
        )

    def svg(self) -> str:
        defs = f"<defs>{''.join(self.definitions)}</defs>" if self.definitions else ""
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(self.width)}pt" height="{_number(self.height)}pt"'
            f' viewBox="0 0 {_number(self.width)} {_number(self.height)}" font-family="{FONT_FAMILY}">'
            f"{defs}{''.join(self.elements)}</svg>"
        )

    def save(self, path: Path) -> str:
        """Writes the drawing to `path` and returns it as an inline <svg> element for the page."""
        element = self.svg()
        path.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + element + "\n", encoding="utf-8")
        return element
