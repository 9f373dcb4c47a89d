"""Adapter for explore-education-statistics (EES) tidy CSV files.

An EES file has one row per time period, geography and filter combination, with the DfE's
standard columns (``time_period``, ``time_identifier``, ``geographic_level``, ``new_la_code``,
``old_la_code``, ``region_name``, ...) and one column per indicator. The adapter keeps the rows
whose filter columns hold the configured values and whose ``geographic_level`` is one of
``KEPT_LEVELS``, and turns each configured indicator column into value rows, as text. Area
codes, periods and symbols are typed by the core models (``assets/dbt/models/staging/stg_extra_value_placed.sql``).
"""

from __future__ import annotations

import polars as pl

from assets.core.sources import SourceFileError
from assets.sources.config import EesSource
from assets.sources.reading import file_name, read_text_csv
from assets.sources.rows import INDICATOR_SCHEMA, VALUE_SCHEMA, ExtraRows, conform

KEPT_LEVELS = ["Local authority", "Regional", "National"]
TIME_COLUMNS = ["time_period", "time_identifier", "geographic_level"]
AREA_COLUMNS = ["old_la_code", "new_la_code", "region_name"]


def ees_rows(source: EesSource) -> ExtraRows:
    """The values and indicator metadata of one EES source entry."""
    name = file_name(source.location)
    columns = [i.column for i in source.indicators]
    frame = read_text_csv(
        source.location, TIME_COLUMNS + list(source.filters) + columns,
        f"Check the filter and indicator columns of source {source.name!r} in the sources file.",
    )
    kept = frame.filter(
        pl.col("geographic_level").is_in(KEPT_LEVELS),
        *[pl.col(column) == value for column, value in source.filters.items()],
    )
    if kept.is_empty():
        raise SourceFileError(
            f"{name} (source {source.name!r}): no row has geographic_level in {KEPT_LEVELS} and "
            f"the filter values {source.filters}; check the filters against the file."
        )
    kept = kept.with_columns(pl.lit(None, pl.String).alias(c) for c in AREA_COLUMNS if c not in kept.columns)
    values = pl.concat(
        [
            kept.select(
                "source_row", "time_period", "time_identifier", "geographic_level", *AREA_COLUMNS,
                pl.lit(indicator.metadata["code"]).alias("indicator_code"),
                pl.lit(indicator.column).alias("value_column"),
                pl.col(indicator.column).alias("raw_value"),
            )
            for indicator in source.indicators
        ]
    ).with_columns(
        pl.lit(source.name).alias("source_name"),
        pl.lit("ees").alias("kind"),
        pl.lit(name).alias("file"),
        pl.col("time_period").alias("period_label"),
        pl.lit("time_period").alias("period_column"),
        (pl.lit("time_period, geographic_level, area codes, ") + pl.col("value_column")).alias("key_columns"),
    )
    indicators = pl.DataFrame(
        [{"source_name": source.name, "file": f"{source.config_file} (source {source.name})", **i.metadata}
         for i in source.indicators]
    )
    return ExtraRows(values=conform(values, VALUE_SCHEMA), indicators=conform(indicators, INDICATOR_SCHEMA))
