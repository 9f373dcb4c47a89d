"""Compare the marts (or the core, ``--schema core``) of two warehouses table by table: the columns
and their types, row counts, then EXCEPT ALL both ways.

Floating-point columns (and lists of them) are compared rounded to 9 decimals (1e-9), every
other column exactly, but for the columns named with ``--ignore`` (by default
``release_published_at``: when the core model was published, the clock time of each build). Used to show the marts are the same before and after a change of how they
are built (bench/RESULTS.md, "Marts before and after dbt"):

    uv run python bench/compare_marts.py BEFORE.duckdb AFTER.duckdb [--schema marts] [--ignore COLUMN ...]

Prints one line per table and exits 1 when any table differs or is missing from either side.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")
BUILD_TIME_COLUMNS = ("release_published_at",)


def comparable(column: str, data_type: str) -> str:
    """The column as compared: floats rounded to 9 decimals, lists of floats element by element."""
    quoted = f'"{column}"'
    if data_type in FLOAT_TYPES:
        return f"round({quoted}, 9) AS {quoted}"
    if data_type.rstrip("[]") in FLOAT_TYPES and data_type.endswith("[]"):
        return f"list_transform({quoted}, lambda x: round(x, 9)) AS {quoted}"
    if data_type.startswith("DECIMAL"):
        return f"round({quoted}::DOUBLE, 9) AS {quoted}"
    return quoted


def tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = ? ORDER BY table_name, ordinal_position",
        [catalog, schema]).fetchall()
    found: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        found.setdefault(table, {})[column] = data_type
    return found


def compare(before: str, after: str, schema: str, ignore: tuple[str, ...] = BUILD_TIME_COLUMNS) -> list[str]:
    """One line per table; a line starting with 'DIFFERS' or 'MISSING' is a difference."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{before}' AS before (READ_ONLY)")
    con.execute(f"ATTACH '{after}' AS after (READ_ONLY)")
    old, new = tables(con, "before", schema), tables(con, "after", schema)
    lines = []
    for table in sorted(set(old) | set(new)):
        if table not in old or table not in new:
            lines.append(f"MISSING {schema}.{table}: only in {'before' if table in old else 'after'}")
            continue
        if list(old[table].items()) != list(new[table].items()):
            lines.append(f"DIFFERS {schema}.{table}: columns {list(old[table].items())} -> {list(new[table].items())}")
            continue
        columns = ", ".join(comparable(c, t) for c, t in old[table].items() if c not in ignore)
        n_old = con.execute(f"SELECT count(*) FROM before.{schema}.{table}").fetchone()[0]
        n_new = con.execute(f"SELECT count(*) FROM after.{schema}.{table}").fetchone()[0]
        only_old = con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM before.{schema}.{table} "
                               f"EXCEPT ALL SELECT {columns} FROM after.{schema}.{table})").fetchone()[0]
        only_new = con.execute(f"SELECT count(*) FROM (SELECT {columns} FROM after.{schema}.{table} "
                               f"EXCEPT ALL SELECT {columns} FROM before.{schema}.{table})").fetchone()[0]
        same = n_old == n_new and only_old == 0 and only_new == 0
        ignored = [c for c in old[table] if c in ignore]
        lines.append(f"{'same   ' if same else 'DIFFERS'} {schema}.{table}: {n_old:,} rows before, {n_new:,} after; "
                     f"{only_old:,} only before, {only_new:,} only after"
                     + (f" (not compared: {', '.join(ignored)})" if ignored else ""))
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--schema", default="marts")
    parser.add_argument("--ignore", nargs="*", default=list(BUILD_TIME_COLUMNS), help="columns not compared")
    args = parser.parse_args()
    lines = compare(args.before, args.after, args.schema, tuple(args.ignore))
    print("\n".join(lines))
    return 1 if any(line.startswith(("DIFFERS", "MISSING")) for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
