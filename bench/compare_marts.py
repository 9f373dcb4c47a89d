"""Compare the marts (or the core, ``--schema core``) of two warehouses table by table: the columns
and their types, row counts, then EXCEPT ALL both ways.

Floating-point columns (and lists of them) are compared rounded to 9 decimals (1e-9), every
other column exactly, but for the columns named with ``--ignore`` (by default
``release_published_at``: when the core model was published, the clock time of each build). A
column renamed between the two is named with ``--renamed TABLE.OLD=NEW`` (e.g.
``region_theme.councils_flagged=councils_of_concern``): the before's column is compared as the new name. Used to show the marts are the same before and after a change of how they
are built (bench/RESULTS.md, "Marts before and after dbt"):

    uv run python bench/compare_marts.py BEFORE.duckdb AFTER.duckdb [--schema marts] [--ignore COLUMN ...]
        [--renamed TABLE.OLD=NEW ...]

Prints one line per table and exits 1 when any table differs or is missing from either side.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
BUILD_TIME_COLUMNS = ("release_published_at",)


def comparable(column: str, data_type: str, source: str | None = None) -> str:
    """The column as compared, read from ``source`` (default: the column itself): floats rounded to
    9 decimals, lists of floats element by element."""
    quoted, read = f'"{column}"', f'"{source or column}"'
    if data_type in FLOAT_TYPES:
        return f"round({read}, 9) AS {quoted}"
    if data_type.rstrip("[]") in FLOAT_TYPES and data_type.endswith("[]"):
        return f"list_transform({read}, lambda x: round(x, 9)) AS {quoted}"
    if data_type.startswith("DECIMAL"):
        return f"round({read}::DOUBLE, 9) AS {quoted}"
    return f"{read} AS {quoted}"


def parse_renamed(pairs: list[str]) -> dict[tuple[str, str], str]:
    """``["TABLE.OLD=NEW", ...]`` as ``{(table, old): new}``."""
    renamed = {}
    for pair in pairs:
        old, new = pair.split("=")
        table, column = old.split(".")
        renamed[(table, column)] = new
    return renamed


def tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = ? ORDER BY table_name, ordinal_position",
        [catalog, schema]).fetchall()
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        found.setdefault(table, {})[column] = data_type
    return found


def compare(before: str, after: str, schema: str, ignore: tuple[str, ...] = BUILD_TIME_COLUMNS,
            renamed: dict[tuple[str, str], str] | None = None) -> list[str]:
    """One line per table; a line starting with 'DIFFERS' or 'MISSING' is a difference. ``renamed``:
    ``{(table, column before): column after}``."""
    renamed = renamed or {}
    con = duckdb.connect()
    con.execute(f"ATTACH '{before}' AS before (READ_ONLY)")
    con.execute(f"ATTACH '{after}' AS after (READ_ONLY)")
    old, new = tables(con, "before", schema), tables(con, "after", schema)
    lines = []
    for table in sorted(set(old) | set(new)):
        if table not in old or table not in new:
            lines.append(f"MISSING {schema}.{table}: only in {'before' if table in old else 'after'}")
            continue
        # the before's columns under their names after: {name after: (name before, type)}
        old_columns = {renamed.get((table, c), c): (c, t) for c, t in old[table].items()}
        if [(c, t) for c, (_, t) in old_columns.items()] != list(new[table].items()):
            lines.append(f"DIFFERS {schema}.{table}: columns {list(old[table].items())} -> {list(new[table].items())}")
            continue
        old_select = ", ".join(comparable(c, t, source) for c, (source, t) in old_columns.items() if c not in ignore)
        columns = ", ".join(comparable(c, t) for c, t in new[table].items() if c not in ignore)
        n_old = con.execute(f"SELECT count(*) FROM before.{schema}.{table}").fetchone()[0]
        n_new = con.execute(f"SELECT count(*) FROM after.{schema}.{table}").fetchone()[0]
        only_old = con.execute(f"SELECT count(*) FROM (SELECT {old_select} FROM before.{schema}.{table} "
                               f"EXCEPT ALL SELECT {columns} FROM after.{schema}.{table})").fetchone()[0]
        only_new = con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM after.{schema}.{table} "
                               f"EXCEPT ALL SELECT {old_select} FROM before.{schema}.{table})").fetchone()[0]
        same = n_old == n_new and only_old == 0 and only_new == 0
        ignored = [c for c in old[table] if c in ignore]
        renames = [f"{c} -> {new_name}" for (t, c), new_name in renamed.items() if t == table and c in old[table]]
        lines.append(f"{'same   ' if same else 'DIFFERS'} {schema}.{table}: {n_old:,} rows before, {n_new:,} after; "
                     f"{only_old:,} only before, {only_new:,} only after"
                     + (f" (not compared: {', '.join(ignored)})" if ignored else "")
                     + (f" (renamed: {', '.join(renames)})" if renames else ""))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--schema", default="marts")
    parser.add_argument("--ignore", nargs="*", default=list(BUILD_TIME_COLUMNS), help="columns not compared")
    parser.add_argument("--renamed", nargs="*", default=[], help="TABLE.OLD=NEW: a column renamed between the two")
    args = parser.parse_args()
    lines = compare(args.before, args.after, args.schema, tuple(args.ignore), parse_renamed(args.renamed))
    print("\n".join(lines))
    return 1 if any(line.startswith(("DIFFERS", "MISSING")) for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
