"""Read a CSV file (a local path or a URL) as text, with the row number a spreadsheet shows.

Every column is read as text; ``source_row`` is the row as a spreadsheet shows it (header =
row 1, first data row = 2). Typing happens later, in SQL, where every rejected cell is named.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import requests

from assets.core.sources import SourceFileError, check_utf8, require_columns

DOWNLOAD_TIMEOUT_SECONDS = 120
# The white space trimmed from a cell: the ASCII white space the core SQL's value_text trims
# (assets/dbt/macros/value_rules.sql), so a value reads the same from every source.
WHITE_SPACE = " \t\n\r\f"


def file_name(location: str | Path) -> str:
    """The name errors use for a file: its last path or URL segment."""
    return str(location).rstrip("/").rsplit("/", 1)[-1]


def read_bytes(location: str | Path) -> bytes:
    text = str(location)
    if text.startswith(("http://", "https://")):
        try:
            response = requests.get(text, timeout=DOWNLOAD_TIMEOUT_SECONDS)
            response.raise_for_status()
        except requests.RequestException as exc:
            raise SourceFileError(f"{text}: download failed ({exc}). Check the URL in the sources file.") from exc
        return response.content
    path = Path(text)
    if not path.is_file():
        raise SourceFileError(f"{path}: file not found.")
    return path.read_bytes()


def read_text_csv(location: str | Path, required: list[str], hint: str) -> pl.DataFrame:
    """The CSV at ``location`` with every column as text without the white space around it
    (``WHITE_SPACE``; blank = "") and ``source_row`` first.

    A missing ``required`` column is an error naming the file, ending with ``hint``.
    """
    name = file_name(location)
    data = read_bytes(location)
    check_utf8(name, data)
    ragged_rows(name, data)
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    except pl.exceptions.PolarsError as exc:
        raise SourceFileError(f"{name}: cannot be read as a CSV file ({exc}).") from exc
    frame = frame.rename({c: c.lstrip("\ufeff").strip() for c in frame.columns})
    require_columns(name, frame.columns, required, hint)
    return frame.select(
        pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("source_row"),
        *[pl.col(c).str.strip_chars(WHITE_SPACE).fill_null("").alias(c) for c in frame.columns],
    )


def ragged_rows(name: str, data: bytes, limit: int = 10) -> None:
    """Refuse a file whose rows have more or fewer cells than its header, naming each such row (as
    a spreadsheet numbers it) and its cells: an unquoted ``1,234`` is two cells."""
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    header = next(rows, [])
    bad = [(number, cells) for number, cells in enumerate(rows, start=2)
           if cells and len(cells) != len(header)]
    if not bad:
        return
    lines = [f"{name} row {number}: {len(cells)} cells where the header has {len(header)} ({', '.join(cells)})"
             for number, cells in bad[:limit]]
    if len(bad) > limit:
        lines.append(f"... and {len(bad) - limit} more rows")
    raise SourceFileError("\n".join(lines) + "\nA number with a thousands separator must be written without it "
                          "(1234) or in quotes (\"1,234\"); a text with a comma must be in quotes.")
