"""Read one inspections file, in either published layout, into one shape of text columns.

Two layouts are accepted, told apart by their columns (never by the file name), in a CSV or an
Excel workbook (told apart by content: a workbook is a zip archive):

- ``ilacs``: one row per inspection, the columns of ``ilacs_inspections.csv`` (``COLUMNS``);
- ``overview``: the data-to-insight overview workbook, one row per council and its latest
  inspection, with ``*_grade`` columns and ``inspection_framework`` (``OVERVIEW_COLUMNS``).

Every file becomes a frame with ``COLUMNS`` as text, each cell read by ``values`` (dates as
``yyyy-mm-dd``, grades in lower case; a text that is neither stays as it was, for the
validation to refuse), plus ``source_file``, ``source_row`` (the row a spreadsheet shows,
header = row 1), ``layout``, and ``dates_read`` (every date cell of the row blank or a date, so
that dates are compared only where they are dates).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from assets.core.sources import SourceFileError, check_utf8
from assets.inspections.values import normal_code, normal_date, normal_grade, normal_type, read_as_date

DATE_COLUMNS = ["inspection_start_date", "inspection_end_date", "publication_date"]
GRADE_COLUMNS = ["overall_effectiveness", "impact_of_leaders", "help_and_protection", "in_care", "care_leavers"]
COLUMNS = ["la_code", "local_authority", *DATE_COLUMNS, "inspection_type", *GRADE_COLUMNS]

# layout -> {column of COLUMNS: the file's column}
LAYOUTS = {
    "ilacs": {column: column for column in COLUMNS},
    "overview": {
        "la_code": "la_code",
        "local_authority": "local_authority",
        **{column: column for column in DATE_COLUMNS},
        "inspection_type": "inspection_framework",
        **{column: f"{column}_grade" for column in GRADE_COLUMNS},
    },
}
HEADER_ROW = 1

_READERS = {"la_code": normal_code, "inspection_type": normal_type}
_READERS |= {column: normal_date for column in DATE_COLUMNS}
_READERS |= {column: normal_grade for column in GRADE_COLUMNS}


class InspectionFileError(SourceFileError):
    """An inspections file cannot be read as either layout; the message names file, row, column."""


@dataclass(frozen=True)
class InspectionFile:
    """One file read into ``COLUMNS``: its name, layout, and the frame."""

    name: str
    layout: str
    frame: pl.DataFrame

    def file_column(self, column: str) -> str:
        """The name the file itself gives a column of ``COLUMNS``."""
        return LAYOUTS[self.layout][column]


def read_inspection_file(path: Path) -> InspectionFile:
    """Read ``path`` (CSV or workbook, either layout); raise InspectionFileError naming the file,
    the header row and the missing columns when it has neither layout's columns."""
    grid = _read_grid(path)
    layout = _layout(path.name, grid.columns)
    names = LAYOUTS[layout]
    frame = grid.select(
        pl.lit(path.name).alias("source_file"),
        pl.int_range(HEADER_ROW + 1, grid.height + HEADER_ROW + 1).alias("source_row"),
        pl.lit(layout).alias("layout"),
        *[pl.col(names[c]).cast(pl.String).map_elements(_READERS.get(c, _strip), return_dtype=pl.String).alias(c)
          for c in COLUMNS],
        pl.all_horizontal(
            pl.col(names[c]).cast(pl.String).map_elements(read_as_date, return_dtype=pl.Boolean).fill_null(True)
            for c in DATE_COLUMNS
        ).alias("dates_read"),
    )
    frame = frame.filter(pl.any_horizontal(pl.col(COLUMNS).is_not_null()))  # rows left blank
    return InspectionFile(path.name, layout, frame)


def _strip(text: str | None) -> str | None:
    return None if text is None or not text.strip() else text.strip()


def _read_grid(path: Path) -> pl.DataFrame:
    """The file's first sheet, or the CSV, as text columns named by its header row."""
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        try:
            return pl.read_excel(io.BytesIO(data), engine="calamine", infer_schema_length=0)
        except Exception as exc:  # calamine raises its own error types for corrupt workbooks
            raise InspectionFileError(f"{path.name}: cannot be read as an Excel workbook ({exc}).") from exc
    check_utf8(path.name, data)
    try:
        grid = pl.read_csv(io.BytesIO(data), infer_schema_length=0)
    except pl.exceptions.PolarsError as exc:
        raise InspectionFileError(f"{path.name}: cannot be read as a CSV file ({exc}).") from exc
    return grid.rename({c: c.lstrip("\ufeff").strip() for c in grid.columns})


def _layout(name: str, found: list[str]) -> str:
    """The layout whose columns the file has; else an error naming the columns missing from the
    layout it comes closest to."""
    missing = {layout: [c for c in names.values() if c not in found] for layout, names in LAYOUTS.items()}
    closest = min(missing, key=lambda layout: len(missing[layout]))  # ties: the first, ilacs
    if missing[closest]:
        raise InspectionFileError(
            f"{name} row {HEADER_ROW} (the header): column(s) {missing[closest]} missing for the "
            f"{closest} layout of an inspections file; columns found: {found}. See docs/methods.md "
            "(Inspection outcomes) for the two layouts accepted."
        )
    return closest
