"""Write the landed self-evaluation files into ``src`` for the core build (``assets/dbt/models/core/self_evaluation.sql``).

``src.self_evaluation_rows``: every view of every file as written (``read``);
``src.self_evaluation_columns``: how each file names each column, so that a refused cell is
named as the file names it; ``src.self_evaluation_words``: the words each column accepts and
what they mean (service areas by key or by the profile's heading, views, directions);
``src.self_evaluation_source``: the landed files, with their SHA-256 and row counts.
"""

from __future__ import annotations

import duckdb
import polars as pl

from assets.raw.inspection_landing import landed_files
from assets.raw.landing import LandedRelease
from assets.self_evaluations.read import COLUMNS, DIRECTIONS, VIEWS, file_columns, read_self_evaluation_file
from base.service_areas import JUDGED_AREAS, SERVICE_HEADINGS


def accepted_words() -> list[tuple[str, str, str]]:
    """(column, word in lower case, the value it stands for) for every word a column accepts."""
    areas = [(area, area) for area in JUDGED_AREAS]
    areas += [(SERVICE_HEADINGS[area].lower(), area) for area in JUDGED_AREAS]
    areas += [(area.replace("_", " "), area) for area in JUDGED_AREAS]
    return ([("service_area", word, area) for word, area in dict(areas).items()]
            + [("our_view", word, word) for word in VIEWS]
            + [("direction", word, word) for word in DIRECTIONS])


def load_self_evaluations(con: duckdb.DuckDBPyConnection, landing: LandedRelease | None) -> dict[str, int]:
    """Read every landed file into the ``src.self_evaluation_*`` tables; returns the row count."""
    paths = landed_files(landing) if landing else []
    read = {path.name: read_self_evaluation_file(path) for path in paths}
    rows = pl.DataFrame([row for file_rows in read.values() for row in file_rows],
                        schema={"source_file": pl.String, "source_row": pl.Int64} | {c: pl.String for c in COLUMNS},
                        orient="row")
    columns = pl.DataFrame([(path.name, column, named) for path in paths for column, named in file_columns(path).items()],
                           schema=["source_file", "column_name", "file_column"], orient="row")
    words = pl.DataFrame(accepted_words(), schema=["column_name", "word", "meaning"], orient="row")
    sources = pl.DataFrame(
        [(landing.release_id, name, landing.manifest["files"][name]["sha256"], len(file_rows))
         for name, file_rows in read.items()],
        schema={"landing_id": pl.String, "file": pl.String, "sha256": pl.String, "file_rows": pl.Int64}, orient="row",
    )
    for table, frame in [("self_evaluation_rows", rows), ("self_evaluation_columns", columns),
                         ("self_evaluation_words", words), ("self_evaluation_source", sources)]:
        con.register("self_evaluation_frame", frame.to_arrow())
        con.execute(f"CREATE OR REPLACE TABLE src.{table} AS FROM self_evaluation_frame")
        con.unregister("self_evaluation_frame")
    return {"src.self_evaluation_rows": rows.height}
