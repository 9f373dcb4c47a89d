"""The pandas frames GX validates for a suite: one per row condition, each holding only the
columns its expectations read, in the forms GX handles fastest.

GX's pandas engine pays for every column of a batch: it fingerprints the whole frame, and an
expectation with a row condition filters every column of the frame, several times. So the
expectations of a suite are validated in groups that share a row condition (the
unconditioned ones together), each on a frame of the columns the group names, in their
frame order. A column no expectation of the group names cannot change any of its results;
rows are neither dropped nor reordered, so row positions (and the rows reported) stay those
of the whole frame. A group that checks the exact column list gets every column.

GX compares values in a vectorized way only for int64 and float64 columns; narrower
numbers (DuckDB's INTEGER arrives as int32) go through a Python function per value. They
are widened, which keeps each value and its kind (integer, float), so type checks such
as ``expect_column_values_to_be_in_type_list`` on integer types give the same result.
Polars and Arrow input also has its repetitive text made categorical (``_text``).
"""

from __future__ import annotations

import json
from typing import Any

# Table-level expectations that read no column values.
_COLUMN_FREE = {"expect_table_row_count_to_be_between", "expect_table_row_count_to_equal"}
_COLUMN_KWARGS = ("column", "column_A", "column_B")
_ROWS_PER_LABEL = 100  # a text column with at most one distinct value per this many rows is a category


def batches(expectations: list[dict], frame: Any) -> list[tuple[list[int], Any]]:
    """``(positions, pandas frame)`` for each group of ``expectations`` sharing a row condition.

    ``frame`` is pandas, polars or an Arrow table; positions index ``expectations``.
    """
    groups: dict[str, list[int]] = {}
    for position, entry in enumerate(expectations):
        condition = entry.get("kwargs", {}).get("row_condition")
        groups.setdefault(json.dumps(condition, sort_keys=True), []).append(position)
    return [
        (positions, _pandas_frame(frame, _columns_read([expectations[i] for i in positions])))
        for positions in groups.values()
    ]


def _columns_read(expectations: list[dict]) -> set[str] | None:
    """Every column the expectations name, or None when they read all of them.

    They read all columns when one checks the exact column list, uses a pandas query
    string as a row condition, or is a table-level expectation not known to be
    column-free.
    """
    columns: set[str] = set()
    for entry in expectations:
        kwargs = entry.get("kwargs", {})
        kind = entry["type"]
        if kind == "expect_table_columns_to_match_set":
            if kwargs.get("exact_match", True):
                return None
            columns.update(kwargs["column_set"])
        elif kind not in _COLUMN_FREE:
            named = [kwargs[k] for k in _COLUMN_KWARGS if k in kwargs] + list(kwargs.get("column_list", []))
            if not named:
                return None
            columns.update(named)
        condition = _condition_columns(kwargs.get("row_condition"))
        if condition is None:
            return None
        columns.update(condition)
    return columns


def _condition_columns(condition: Any) -> set[str] | None:
    """Columns a serialized GX row condition reads; None for a query string (unknown)."""
    if condition is None:
        return set()
    if not isinstance(condition, dict) or condition.get("type") == "pass_through":
        return None
    columns = {condition["column"]["name"]} if isinstance(condition.get("column"), dict) else set()
    for part in condition.get("conditions", []):
        inner = _condition_columns(part)
        if inner is None:
            return None
        columns |= inner
    return columns


def _pandas_frame(frame: Any, columns: set[str] | None) -> Any:
    """``frame`` (pandas, polars or an Arrow table) as a pandas frame of ``columns`` in their
    frame order (all when None), indexed by position; see ``_from_arrow`` for the others."""
    import pandas as pd  # imported here: pandas costs over a second at start-up
    import pyarrow as pa

    if isinstance(frame, pd.DataFrame):
        frame = frame[[c for c in frame.columns if columns is None or c in columns]].reset_index(drop=True)
        return frame.astype({c: _wide_dtype(t) for c, t in frame.dtypes.items() if _wide_dtype(t) is not None})
    table = frame if isinstance(frame, pa.Table) else frame.to_arrow()
    return _from_arrow(table.select([c for c in table.column_names if columns is None or c in columns]))


def _wide_dtype(dtype: Any) -> str | None:
    """The 64-bit numpy dtype for a narrower numpy integer or float dtype; None otherwise."""
    import numpy as np

    if not isinstance(dtype, np.dtype) or dtype.itemsize >= 8:
        return None
    if dtype.kind in "iu":
        return "int64"
    return "float64" if dtype.kind == "f" else None


def _from_arrow(table: Any) -> Any:
    """An Arrow table as pandas (as Polars converts it), numbers widened to 64 bits and text
    in the form ``_text`` chooses."""
    import pyarrow as pa

    for i, field in enumerate(table.schema):
        kind = field.type.value_type if pa.types.is_dictionary(field.type) else field.type
        column = table.column(i)
        if pa.types.is_integer(kind) and kind.bit_width < 64:
            column = column.cast(pa.int64())
        elif pa.types.is_floating(kind) and kind.bit_width < 64:
            column = column.cast(pa.float64())
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            column = _text(column)
        table = table.set_column(i, field.name, column)
    return table.to_pandas(date_as_object=False)


def _text(column: Any) -> Any:
    """A text column (plain or dictionary-encoded) dictionary-encoded, i.e. a pandas category,
    when it repeats few values (at most one distinct value per ``_ROWS_PER_LABEL`` rows:
    codes, periods, statuses, names), else plain text.

    GX fingerprints, compares and filters a category through its integer codes, at a
    fraction of the cost of text; the values are unchanged (a type check on such a column
    would see ``category``; no suite checks the type of a text column). Text with many
    distinct values stays text: GX matches patterns on text, which a category would rebuild.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    combined = column.combine_chunks()
    encoded = combined if pa.types.is_dictionary(combined.type) else pc.dictionary_encode(combined)
    if len(encoded.dictionary) * _ROWS_PER_LABEL <= len(encoded):
        return encoded
    return column.cast(encoded.type.value_type) if pa.types.is_dictionary(column.type) else column
