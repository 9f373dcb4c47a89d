"""Write the landed inspections files into ``src`` for the core build (``assets/dbt/models/core/inspection.sql``).

``src.inspection_rows``: every row of every file, read by ``read`` (text columns), with
``file_rank`` saying which file wins when two hold the same inspection: files of the
``ilacs`` layout (one row per inspection) before the ``overview`` workbook (latest inspection
only), then by name. ``src.inspection_columns``: each file's own name for each column, so that
a rejected cell is named as the file names it. ``src.inspection_words``: the grade words with
X
"""

from __future__ import annotations

import duckdb
import polars as pl

from assets.inspections.read import COLUMNS, LAYOUTS, InspectionFile, read_inspection_file
from assets.inspections.values import GRADES, INSPECTION_TYPES
from assets.raw.inspection_landing import landed_files
from assets.raw.landing import LandedRelease

_LAYOUT_RANK = {layout: rank for rank, layout in enumerate(LAYOUTS)}


def load_inspections(con: duckdb.DuckDBPyConnection, landing: LandedRelease | None) -> dict[str, int]:
    """Read every landed file into the ``src.inspection_*`` tables; returns the row count."""
    paths = landed_files(landing) if landing else []
    read = sorted((read_inspection_file(p) for p in paths), key=lambda f: (_LAYOUT_RANK[f.layout], f.name))
    rows = pl.concat([_ranked(f, rank) for rank, f in enumerate(read)]) if read else _empty()
    columns = pl.DataFrame(
        [(layout, column, names[column]) for layout, names in LAYOUTS.items() for column in COLUMNS],
        schema=["layout", "column_name", "file_column"], orient="row",
    )
    words = pl.DataFrame(
        [("grade", word, number) for number, word in enumerate(GRADES, start=1)]
        + [("inspection_type", word, None) for word in INSPECTION_TYPES],
        schema={"kind": pl.String, "word": pl.String, "grade": pl.Int32}, orient="row",
    )
    sources = pl.DataFrame(
        [(landing.release_id, f.name, landing.manifest["files"][f.name]["sha256"], f.layout, rank, f.frame.height)
         for rank, f in enumerate(read)],
        schema={"landing_id": pl.String, "file": pl.String, "sha256": pl.String, "layout": pl.String,
                "file_rank": pl.Int32, "file_rows": pl.Int64},
        orient="row",
    )
    tables = [("inspection_rows", rows), ("inspection_columns", columns), ("inspection_words", words),
              ("inspection_source", sources)]
    for table, frame in tables:
        con.register("inspection_frame", frame.to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE src.{table} AS FROM inspection_frame")
        con.unregister("inspection_frame")
    return {"src.inspection_rows": rows.height}


def _ranked(file: InspectionFile, rank: int) -> pl.DataFrame:
    return file.frame.with_columns(pl.lit(rank, dtype=pl.Int32).alias("file_rank"))


def _empty() -> pl.DataFrame:
    schema = {"source_file": pl.String, "source_row": pl.Int64, "layout": pl.String}
    return pl.DataFrame(schema=schema | {c: pl.String for c in COLUMNS} | {"file_rank": pl.Int32})
