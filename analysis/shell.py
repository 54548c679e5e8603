"""`make shell`: an interactive SQL prompt on the published catalog, read-only, in the project's own DuckDB.

The DuckDB command-line shell is not a Python package of the same version (and DuckDB 1.x cannot
read a catalog written by 2.x); a terminal IDE such as harlequin pulls in 29 packages and downgrades
click under Dagster. This prompt is the project's DuckDB behind `input()`: line editing and history
come from readline when the terminal has it. A statement ends with `;` and may span lines.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

PROMPT = "ledger> "
CONTINUATION = "   ...> "
HELP = """Statements end with ';' and may span lines. The catalog is read-only.
.tables          the views
.schema VIEW     a view's columns and types
.help            this text
.quit            leave (or Ctrl-D)"""


def _meta(con: duckdb.DuckDBPyConnection, command: str) -> bool:
    """Runs a dot command; False when it asks to leave."""
    name, _, argument = command.partition(" ")
    if name in (".quit", ".exit"):
        return False
    if name == ".tables":
        views = con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal ORDER BY 1").fetchall()
        print("  ".join(view for (view,) in views))
    elif name == ".schema" and argument.strip():
        columns = "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?"
        con.sql(columns, params=[argument.strip()]).show(max_rows=500)
    else:
        print(HELP)
    return True


def run_shell(catalog: Path, max_rows: int = 100) -> int:
    """Reads statements until .quit or end of input, printing each result as a table and each error
    as a line, so that one bad query never ends the session."""
    import readline  # noqa: F401  (importing it gives input() line editing and history)

    with duckdb.connect(str(catalog), read_only=True) as con:
        print(f"{catalog} (read-only). .help for commands, .quit to leave.")
        pending: list[str] = []
        while True:
            try:
                line = input(CONTINUATION if pending else PROMPT)
            except EOFError:
                print()
                return 0
            except KeyboardInterrupt:
                print()
                pending.clear()  # Ctrl-C drops the statement being typed, as in the DuckDB shell
                continue
            if not pending and line.strip().startswith("."):
                if not _meta(con, line.strip()):
                    return 0
                continue
            pending.append(line)
            statement = "\n".join(pending).strip()
            if not statement.endswith(";"):
                if not statement:
                    pending.clear()
                continue
            pending.clear()
            try:
                relation = con.sql(statement)
                if relation is not None:  # None: a statement without a result (SET, PRAGMA ...)
                    relation.show(max_rows=max_rows, max_width=250)
            except duckdb.Error as exc:
                print(f"Error: {exc}")
