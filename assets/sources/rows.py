"""The three row shapes every extra-source adapter returns, and the frames that hold them.

- values: one row per published cell (indicator, area, period, value) with its file, row
  (spreadsheet numbering, header = row 1) and the columns it came from, all as text;
- indicators: one row per indicator's metadata (code, name, topic, polarity, ...);
- problems: cells the adapter itself rejected (file, row, column, value, problem).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

VALUE_SCHEMA = {
    "source_name": pl.String,
    "kind": pl.String,  # 'ees' or 'local'
    "file": pl.String,
    "source_row": pl.Int64,
    "indicator_code": pl.String,
    "value_column": pl.String,  # the column the value was read from
    "period_column": pl.String,
    "key_columns": pl.String,  # the columns that identify the row, for duplicate errors
    "period_label": pl.String,
    "time_identifier": pl.String,
    "geographic_level": pl.String,
    "old_la_code": pl.String,
    "new_la_code": pl.String,
    "region_name": pl.String,
    "council": pl.String,
    "area_code": pl.Int32,  # a council already matched by name or number (local files)
    "raw_value": pl.String,
}

METADATA_FIELDS = [
    "code", "name", "topic", "polarity", "unit", "dps", "year_type", "no_quartile", "description", "source_link",
]
REQUIRED_METADATA = ["code", "name", "topic", "polarity", "year_type"]

INDICATOR_SCHEMA = {"source_name": pl.String, "file": pl.String, "source_row": pl.Int64} | {
    f: pl.String for f in METADATA_FIELDS
}

PROBLEM_SCHEMA = {
    "file": pl.String,
    "source_row": pl.Int64,
    "column_name": pl.String,
    "value": pl.String,
    "problem": pl.String,
}


def empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


@dataclass
class ExtraRows:
    """What one source contributes: values, indicator metadata and the problems found reading it."""

    values: pl.DataFrame = field(default_factory=lambda: empty(VALUE_SCHEMA))
    indicators: pl.DataFrame = field(default_factory=lambda: empty(INDICATOR_SCHEMA))
    problems: pl.DataFrame = field(default_factory=lambda: empty(PROBLEM_SCHEMA))

    @staticmethod
    def combine(parts: list["ExtraRows"]) -> "ExtraRows":
        return ExtraRows(
            values=pl.concat([empty(VALUE_SCHEMA), *[p.values for p in parts]], how="diagonal_relaxed"),
            indicators=pl.concat([empty(INDICATOR_SCHEMA), *[p.indicators for p in parts]], how="diagonal_relaxed"),
            problems=pl.concat([empty(PROBLEM_SCHEMA), *[p.problems for p in parts]], how="diagonal_relaxed"),
        )


def conform(frame: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """``frame`` with exactly the columns of ``schema`` (missing ones null), cast to its types."""
    return frame.select(
        (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c) for c, t in schema.items()
    )


def problem_frame(rows: list[tuple]) -> pl.DataFrame:
    """Problems from (file, row, column, value, problem) tuples."""
    return pl.DataFrame(rows, schema=PROBLEM_SCHEMA, orient="row")
