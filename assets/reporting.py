"""Materialisation metadata shared by every stage: row counts, column schema, a markdown preview."""

from __future__ import annotations

import re

import dagster as dg
import polars as pl

from ledger.tables import Table

KINDS = {"python", "parquet"}
_PREVIEW_ROWS = 5
_PREVIEW_CELL = 60


def column_schema(table: Table) -> dg.TableSchema:
    return dg.TableSchema(
        columns=[dg.TableColumn(name, str(dtype), description=desc) for name, (dtype, desc) in table.columns.items()]
    )


def spec_metadata(table: Table) -> dict:
    return {"dagster/column_schema": column_schema(table), "table": table.name}


def table_asset_args(table: Table, *, group: str, owner: str, deps: list[str] | None = None, **extra) -> dict:
    """The arguments every stage's asset (or AssetSpec) shares, derived from its table."""
    return {
        "group_name": group,
        "kinds": KINDS,
        "owners": [f"team:{owner}"],
        "deps": deps or [],
        "description": table.description,
        "metadata": spec_metadata(table),
        **extra,
    }


def markdown_preview(frame: pl.DataFrame, columns: list[str]) -> str:
    def cell(value) -> str:
        text = "" if value is None else str(value).replace("\n", " ").replace("|", "\\|")
        return text if len(text) <= _PREVIEW_CELL else text[: _PREVIEW_CELL - 1] + "…"

    rows = frame.select(columns).head(_PREVIEW_ROWS).iter_rows()
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


# The UI lays markdown out left to right; isolating the sentence as right-to-left keeps its
# punctuation and quotes where an Arabic reader expects them.
_RIGHT_TO_LEFT, _END_ISOLATE = "\u2067", "\u2069"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _escaped(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def evidence_preview(frame: pl.DataFrame, label_columns: list[str]) -> str:
    """Each figure as a line of its labels, then its whole evidence sentence with the figure's own
    words in bold: a table cell squeezes Arabic prose to a word per line and cuts it short."""
    columns = [*label_columns, "evidence", "evidence_start", "char_start", "char_end"]
    blocks = []
    for row in frame.select(columns).head(_PREVIEW_ROWS).iter_rows(named=True):
        labels = " · ".join("–" if row[c] is None else str(row[c]) for c in label_columns)
        evidence, start = row["evidence"], row["char_start"] - row["evidence_start"]
        end = row["char_end"] - row["evidence_start"]
        marked = f"{_escaped(evidence[:start])}**{_escaped(evidence[start:end])}**{_escaped(evidence[end:])}"
        blocks.append(f"{labels}\n\n> {_RIGHT_TO_LEFT}{marked}{_END_ISOLATE}")
    return "\n\n".join(blocks)


def output_metadata(frame: pl.DataFrame, preview_columns: list[str], evidence: bool = False, **extra) -> dict:
    """Row count and a markdown preview: a table of `preview_columns`, or (evidence) one block per
    figure with `preview_columns` as its labels and its evidence sentence in full."""
    preview = evidence_preview(frame, preview_columns) if evidence else markdown_preview(frame, preview_columns)
    return {"dagster/row_count": frame.height, "preview": dg.MetadataValue.md(preview), **extra}
