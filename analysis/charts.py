"""The report's bar charts, written as SVG (analysis/svg.py): one bar per label, Arabic above English.

Horizontal bars unless the labels are short (months): two-line labels stay level and readable.
The value axis is ticked at round numbers (1, 2, 2.5 or 5 times a power of ten) from zero to a
little past the largest value.
"""

from __future__ import annotations

import math
from pathlib import Path

from analysis.svg import LINE_EM, Box, Drawing, text_width

BAR_COLOUR = "#8c2d04"
_WIDTH = 576  # points: 8 inches
_TITLE_SIZE = 12
_LABEL_SIZE = 10
_TICK = 3.5  # tick mark length
_PAD = 6
_HEADROOM = 1.05  # the axis runs this far past the largest value
_MOST_TICKS = 8


def ticks(largest: float) -> list[float]:
    """Round values from 0 to `largest` (at least 1), at most _MOST_TICKS + 1 of them."""
    largest = max(largest, 1)
    raw = largest / _MOST_TICKS
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * n for n in range(int(largest / step + 1e-9) + 1)]


def _tick_label(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def bar_chart(
    path: Path,
    labels: list[list[str]],
    values: list[float],
    title: list[str],
    value_label: str,
    horizontal: bool = True,
    empty: list[str] | None = None,
) -> str:
    """Writes a bar chart of `values` by `labels` (each a list of lines) to `path`; returns it as inline
    SVG. `empty` is written in the middle of the axes when there is no bar."""
    height = 72 * (max(3.5, 1.2 + 0.45 * len(labels)) if horizontal else 4.5)
    drawing = Drawing(_WIDTH, height)
    title_box = drawing.lines(title, _WIDTH / 2, _PAD + len(title) * LINE_EM * _TITLE_SIZE / 2, _TITLE_SIZE)
    scale = ticks(max(values, default=0))
    top = max(max(values, default=0), 1) * _HEADROOM
    widest = max((text_width(line, _LABEL_SIZE) for label in labels for line in label), default=0)
    tick_width = max(text_width(_tick_label(t), _LABEL_SIZE) for t in scale)
    if horizontal:
        axes = Box(
            _PAD + widest + 2 * _TICK,
            title_box.y1 + _PAD,
            _WIDTH - 2 * _PAD - tick_width / 2,
            height - _PAD - 2 * LINE_EM * _LABEL_SIZE - 3 * _TICK,
        )
    else:
        label_drop = widest * math.sin(math.pi / 4) + _LABEL_SIZE
        axes = Box(
            _PAD + 2 * LINE_EM * _LABEL_SIZE + tick_width + _TICK,
            title_box.y1 + _PAD,
            _WIDTH - 2 * _PAD,
            height - _PAD - label_drop - _TICK,
        )
    drawing.rect(axes, fill="white")
    length = (axes.x1 - axes.x0) if horizontal else (axes.y1 - axes.y0)
    slot = ((axes.y1 - axes.y0) if horizontal else (axes.x1 - axes.x0)) / max(len(labels), 1)
    # Slanted labels (months) need a line's height between them: past that, every k-th bar is labelled.
    every = 1 if horizontal else math.ceil(LINE_EM * _LABEL_SIZE * math.sqrt(2) / slot) if labels else 1
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        extent = length * value / top
        middle = (axes.y0 if horizontal else axes.x0) + (n + 0.5) * slot
        if horizontal:  # the first label on top
            drawing.rect(Box(axes.x0, middle - 0.4 * slot, axes.x0 + extent, middle + 0.4 * slot), fill=BAR_COLOUR)
            drawing.lines(label, axes.x0 - 2 * _TICK, middle, _LABEL_SIZE, "right")
            drawing.element("line", x1=axes.x0 - _TICK, y1=middle, x2=axes.x0, y2=middle, stroke="black")
        else:
            drawing.rect(Box(middle - 0.4 * slot, axes.y1 - extent, middle + 0.4 * slot, axes.y1), fill=BAR_COLOUR)
            if n % every:
                continue
            for line in label:
                drawing.text(line, middle, axes.y1 + 2 * _TICK, _LABEL_SIZE, "right", "top", rotate=-45)
            drawing.element("line", x1=middle, y1=axes.y1, x2=middle, y2=axes.y1 + _TICK, stroke="black")
    for tick in scale:
        at = length * tick / top
        if horizontal:
            x = axes.x0 + at
            drawing.element("line", x1=x, y1=axes.y1, x2=x, y2=axes.y1 + _TICK, stroke="black")
            drawing.text(_tick_label(tick), x, axes.y1 + 2 * _TICK, _LABEL_SIZE, "center", "top")
        else:
            y = axes.y1 - at
            drawing.element("line", x1=axes.x0 - _TICK, y1=y, x2=axes.x0, y2=y, stroke="black")
            drawing.text(_tick_label(tick), axes.x0 - 2 * _TICK, y, _LABEL_SIZE, "right", "center")
    if horizontal:
        drawing.text(value_label, (axes.x0 + axes.x1) / 2, height - _PAD, _LABEL_SIZE, "center", "bottom")
    else:
        x, y = _PAD + LINE_EM * _LABEL_SIZE / 2, (axes.y0 + axes.y1) / 2
        drawing.text(value_label, x, y, _LABEL_SIZE, "center", "center", rotate=-90)
    if not labels and empty:
        drawing.lines(empty, (axes.x0 + axes.x1) / 2, (axes.y0 + axes.y1) / 2, _LABEL_SIZE)
    drawing.rect(axes, fill="none", stroke="black", stroke_width=0.8)
    return drawing.save(path)
