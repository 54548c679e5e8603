"""Materialisation metadata shared by every stage: row counts, column schema, a markdown preview."""

from __future__ import annotations

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


def output_metadata(frame: pl.DataFrame, preview_columns: list[str], **extra) -> dict:
    return {
        "dagster/row_count": frame.height,
        "preview": dg.MetadataValue.md(markdown_preview(frame, preview_columns)),
        **extra,
    }
