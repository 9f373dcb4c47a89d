"""Adapter for the local indicator template (``docs/local-indicators.md``).

A data file with the columns ``council`` (a name or DfE LA number), ``indicator``, ``period``
and ``value``, and a metadata file with one row per indicator (``rows.METADATA_FIELDS``).
Councils are matched as forgivingly as ``peerdata export`` does
(``base.councils.resolve_council``) against the council list of the release; periods,
values and metadata settings are checked by the core SQL, like every other source.
"""

from __future__ import annotations

import polars as pl

from base.councils import CouncilNames, CouncilNotFound
from assets.sources.config import LocalSource
from assets.sources.reading import file_name, read_text_csv
from assets.sources.rows import (
    INDICATOR_SCHEMA, REQUIRED_METADATA, VALUE_SCHEMA, ExtraRows, conform, problem_frame,
)

DATA_COLUMNS = ["council", "indicator", "period", "value"]
TEMPLATE_HINT = "The template's columns are described in docs/local-indicators.md."


def local_rows(source: LocalSource, councils: pl.DataFrame, comparators: pl.DataFrame) -> ExtraRows:
    """The values (and, when the source names one, the metadata) of a local indicator file.

    ``councils`` has ``area_code``, ``area_name`` and ``successor_codes``: the councils a ``council``
    cell may name (one naming an abolished council is refused with its successors).
    ``comparators`` has the ``area_code`` and ``area_name`` of England (970) and the regions
    (980-990): a cell naming one by number or name (any case) is that comparator's row.
    """
    name = file_name(source.data)
    data = read_text_csv(source.data, DATA_COLUMNS, TEMPLATE_HINT)
    names = CouncilNames.of(councils)
    comparator = comparator_names(comparators)
    named = {text: comparator[_key(text)] for text in data["council"].unique().to_list() if _key(text) in comparator}
    codes = {text: _match(names, text) for text in data["council"].unique().to_list() if text and text not in named}
    problems = [
        (name, row, "council", text, "council is blank" if not text else codes[text])
        for row, text in data.select("source_row", "council").iter_rows()
        if not text or isinstance(codes.get(text), str)
    ]
    problems += [(name, row, "indicator", None, "indicator is blank") for row in
                 data.filter(pl.col("indicator") == "")["source_row"]]
    indicators = ExtraRows().indicators
    if source.metadata is not None:
        metadata = read_text_csv(source.metadata, REQUIRED_METADATA, TEMPLATE_HINT)
        defined = set(metadata["code"].to_list())
        problems += [
            (name, row, "indicator", code, f"indicator {code!r} has no row in {file_name(source.metadata)}")
            for row, code in data.select("source_row", "indicator").iter_rows()
            if code and code not in defined
        ]
        indicators = conform(metadata.with_columns(
            pl.lit(source.name).alias("source_name"), pl.lit(file_name(source.metadata)).alias("file")
        ), INDICATOR_SCHEMA)
    values = data.with_columns(
        pl.lit(source.name).alias("source_name"),
        pl.lit("local").alias("kind"),
        pl.lit(name).alias("file"),
        pl.col("indicator").alias("indicator_code"),
        pl.lit("value").alias("value_column"),
        pl.lit("period").alias("period_column"),
        pl.lit("council, indicator, period").alias("key_columns"),
        pl.col("period").alias("period_label"),
        pl.col("council").replace_strict({t: level(a) for t, a in named.items()}, default="Local authority",
                                         return_dtype=pl.String).alias("geographic_level"),
        pl.col("council").replace_strict(named, default=None, return_dtype=pl.String).alias("region_name"),
        pl.col("council").replace_strict(
            {t: c for t, c in codes.items() if isinstance(c, int)}, default=None, return_dtype=pl.Int32
        ).alias("area_code"),
        pl.col("value").alias("raw_value"),
    )
    return ExtraRows(
        values=conform(values, VALUE_SCHEMA),
        indicators=indicators,
        problems=problem_frame(problems),
    )


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def comparator_names(comparators: pl.DataFrame) -> dict[str, str]:
    """Each way a cell may name England or a region (its LA number or its name, in lower case with
    single spaces), mapped to the comparator's name in the council list."""
    named = {}
    for code, area_name in comparators.select("area_code", "area_name").iter_rows() if comparators.height else []:
        named[str(code)] = named[_key(area_name)] = area_name
    return named


def level(comparator: str) -> str:
    """The geographic level of England's or a region's row, as the core models place it (stg_extra_value_placed.sql)."""
    return "National" if comparator == "England" else "Regional"


def _match(councils: CouncilNames, text: str) -> int | str:
    """The LA code ``text`` names, or the reason it names none."""
    try:
        return councils.resolve(text)
    except CouncilNotFound as exc:
        return str(exc)
