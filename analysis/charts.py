"""Saving the report's charts as SVG, written to a file and into the page.

The SVG keeps its text as text (svg.fonttype none): the browser shapes the Arabic itself, a reader
can select and search it, and a test can find the labels, governorates and incidents a chart
draws (their SVG ids, set with Artist.set_gid). No PNG is rasterised: it cost 0.1 s a chart.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib.pyplot as plt


def save(fig, path: Path) -> str:
    """Writes `fig` to `path` (SVG) and returns it as an inline <svg> element; closes the figure."""
    svg = io.StringIO()
    with plt.rc_context({"svg.fonttype": "none"}):
        fig.savefig(svg, format="svg")
    plt.close(fig)
    text = svg.getvalue()
    element = text[text.index("<svg") :]  # without the XML declaration and doctype, which HTML does not take
    path.write_text(text, encoding="utf-8")
    return element
