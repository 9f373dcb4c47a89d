"""The export workbook as an analyst opens it: an About sheet, then one styled, named table a sheet.

Every sheet starts with a line saying what it holds (or, when it is empty, why), then an Excel
table named after the sheet (``Indicators``, ``Lines_of_enquiry``) with headers in words
(``export_sheets.header``). Cells hold the full figures and show them the way the data
dictionary publishes them: a value on an indicator's scale at the indicator's decimal places,
years and codes without thousands separators, dates as dates. Colour follows polarity, never
the sign: a change or a gap is green when it is better for that indicator and orange when it is
worse; bands A-D take the profiles' band colours (``assets.profiles.formatting``). Long texts
(definitions, evidence) wrap in a wide column instead of stretching it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from assets.profiles.formatting import BAND_COLOURS
from pipeline.export_sheets import Sheet, header

# Columns on the indicator's own scale: shown at the indicator's decimal places.
VALUE_COLUMNS = {
    "value", "england_value", "region_value", "subregion_value", "sn_mean", "sn_median", "type_mean",
    "gap_to_england", "gap_to_region", "gap_to_sn", "q0", "q25", "q50", "q75", "q100", "previous_value",
    "change", "latest_value", "fitted_change", "national_iqr", "since_value", "since_england_value",
}
# Other decimal columns and how they are shown (any other decimal: 2 places).
DECIMAL_FORMATS = {"percentile": "0", "latest_percentile": "0", "trend_slope": None}
WRAPPED = {"description", "methodology", "evidence", "sentence", "question", "reason", "reason_now",
           "not_compared_reason", "not_comparable_reason", "trend_label", "about", "meaning"}
WRAPPED_WIDTH, MAX_WIDTH = 60, 40
BETTER, WORSE = "#CCEBDD", "#FAD9BF"  # light tints of the Okabe-Ito bluish green and vermillion
GOOD_GRADES, POOR_GRADES = {"outstanding", "good"}, {"requires improvement", "inadequate"}
TABLE_STYLE = "Table Style Medium 2"
WIDTH_SAMPLE = 500  # rows a column's width is measured on
FIRST_ROW = 2  # the table's header row (0-based): the sheet's line and a blank row above it


@dataclass(frozen=True)
class SheetTable:
    """A sheet's frame, ready to write: the frame, the line above it and its column meanings."""

    sheet: Sheet
    frame: pl.DataFrame
    line: str
    descriptions: dict[str, str]


def number_format(decimals: int) -> str:
    return "#,##0" if decimals <= 0 else "#,##0." + "0" * decimals


def column_format(column: str, dtype: pl.DataType):
    """The Excel number format of a column's cells, as a function of the row (None: text or Excel's default)."""
    if dtype.is_integer():
        return lambda row, dps: "0"
    if dtype.is_float():
        if column in VALUE_COLUMNS:
            return lambda row, dps: number_format(dps.get(row.get("indicator_code"), 1))
        if column in DECIMAL_FORMATS and DECIMAL_FORMATS[column] is None:
            return lambda row, dps: number_format(dps.get(row.get("indicator_code"), 1) + 1)
        fixed = DECIMAL_FORMATS.get(column, "0.00")
        return lambda row, dps: fixed
    fixed = "yyyy-mm-dd" if dtype == pl.Date else "yyyy-mm-dd hh:mm" if isinstance(dtype, pl.Datetime) else None
    return lambda row, dps: fixed


FILLED = {"quartile_band", "latest_band", "change", "direction", "gap_to_england", "gap_to_region", "gap_to_sn",
          "signal", "signal_now", "overall_effectiveness", "impact_of_leaders", "help_and_protection", "in_care", "care_leavers"}


def cell_fill(column: str, value: object, row: dict) -> str | None:
    """The background of one cell: better/worse by the indicator's polarity, bands in their colours."""
    if column in ("quartile_band", "latest_band"):
        return BAND_COLOURS.get(value)
    if column in ("change", "direction"):
        return {"improving": BETTER, "worsening": WORSE}.get(row.get("direction"))
    if column.startswith("gap_to_") and row.get("polarity") in ("high", "low") and isinstance(value, float):
        return BETTER if value > 0 else WORSE if value < 0 else None
    if column in ("signal", "signal_now"):
        return {"strength": BETTER, "concern": WORSE}.get(value)
    if isinstance(value, str) and column in ("overall_effectiveness", "impact_of_leaders", "help_and_protection",
                                             "in_care", "care_leavers"):
        return BETTER if value in GOOD_GRADES else WORSE if value in POOR_GRADES else None
    return None


class Formats:
    """xlsxwriter formats, made once per distinct look."""

    def __init__(self, workbook) -> None:
        self.workbook, self.cache = workbook, {}

    def get(self, num_format: str | None = None, fill: str | None = None, wrap: bool = False, **extra):
        key = (num_format, fill, wrap, *sorted(extra.items())) if extra else (num_format, fill, wrap)
        if key not in self.cache:
            props = {"valign": "top", **extra}
            if num_format:
                props["num_format"] = num_format
            if fill:
                props["bg_color"] = fill
            if wrap:
                props["text_wrap"] = True
            self.cache[key] = self.workbook.add_format(props)
        return self.cache[key]


def shown_width(value: object, num_format: str | None) -> int:
    """About how many characters a cell shows."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 0
    if isinstance(value, float) and num_format and num_format != "0":
        decimals = len(num_format.split(".")[1]) if "." in num_format else 0
        return len(f"{value:,.{decimals}f}")
    return len(str(value))


def write_table(worksheet, formats: Formats, first_row: int, table_name: str, frame: pl.DataFrame,
                headers: list[str], dps: dict[str, int], widths: list[int] | None = None) -> list[int]:
    """Write ``frame`` as a named, styled table from ``first_row``; returns the columns' widths."""
    schema = list(frame.schema.items())
    widths = widths or [0] * len(schema)
    cell_formats = [column_format(column, dtype) for column, dtype in schema]
    for r, row in enumerate(frame.iter_rows(named=True), first_row + 1):
        for c, (column, _) in enumerate(schema):
            value = row[column]
            num_format = cell_formats[c](row, dps)
            fill = cell_fill(column, value, row) if column in FILLED else None
            look = formats.get(num_format, fill, column in WRAPPED)
            if r < first_row + 1 + WIDTH_SAMPLE:
                widths[c] = max(widths[c], shown_width(value, num_format))
            if value is None or (isinstance(value, float) and math.isnan(value)):
                worksheet.write_blank(r, c, None, look)
            elif isinstance(value, dt.datetime) and value.tzinfo is not None:
                worksheet.write_datetime(r, c, value.astimezone(dt.UTC).replace(tzinfo=None), look)
            else:
                worksheet.write(r, c, value, look)
    header_look = formats.get(wrap=True, bold=True)
    worksheet.add_table(first_row, 0, first_row + max(frame.height, 1), len(schema) - 1, {
        "name": table_name, "style": TABLE_STYLE,
        "columns": [{"header": h, "header_format": header_look} for h in headers],
    })
    for c, (column, _) in enumerate(schema):
        wanted = WRAPPED_WIDTH if column in WRAPPED else min(max(widths[c], 6) + 2, MAX_WIDTH)
        header_width = min(len(headers[c]), 16) + 4  # the header wraps onto two lines beyond that
        worksheet.set_column(c, c, max(wanted, header_width))
    return widths


def write_sheet(workbook, formats: Formats, table: SheetTable, dps: dict[str, int]) -> None:
    worksheet = workbook.add_worksheet(table.sheet.name)
    worksheet.write(0, 0, table.line, formats.get(bold=table.frame.is_empty(), italic=not table.frame.is_empty()))
    headers = [header(c) for c in table.frame.columns]
    write_table(worksheet, formats, FIRST_ROW, table.sheet.table_name, table.frame, headers, dps)
    worksheet.freeze_panes(FIRST_ROW + 1, 1 if table.frame.columns[0] == "indicator_name" else 0)


def write_about(workbook, formats: Formats, title: str, facts: list[tuple[str, str]],
                tables: list[SheetTable]) -> None:
    """The About sheet: what the workbook is, the release, and what every sheet and column means."""
    worksheet = workbook.add_worksheet("About")
    worksheet.write(0, 0, title, formats.get(bold=True, font_size=14))
    for r, (label, text) in enumerate(facts, 2):
        worksheet.write(r, 0, label, formats.get(bold=True))
        worksheet.write(r, 1, text, formats.get(wrap=True))
    sheets_row = len(facts) + 3
    sheets = pl.DataFrame({
        "sheet": [t.sheet.name for t in tables],
        "about": [t.sheet.about for t in tables],
        "rows": [t.frame.height for t in tables],
    }, schema={"sheet": pl.String, "about": pl.String, "rows": pl.Int64})
    widths = write_table(worksheet, formats, sheets_row, "Sheets", sheets, ["Sheet", "What it holds", "Rows"], {})
    glossary = pl.DataFrame(
        [(t.sheet.name, header(c), c, t.descriptions.get(c, "")) for t in tables for c in t.frame.columns],
        schema={"sheet": pl.String, "header": pl.String, "field": pl.String, "meaning": pl.String}, orient="row",
    )
    # the two tables share columns A-D: the glossary's widths start from the sheet list's
    write_table(worksheet, formats, sheets_row + sheets.height + 3, "Columns", glossary,
                ["Sheet", "Column", "Field (in the CSV and Parquet files)", "Meaning"], {}, widths + [0])
    worksheet.set_column(1, 1, WRAPPED_WIDTH)
    worksheet.set_column(3, 3, WRAPPED_WIDTH)


def write_workbook(path: Path, title: str, facts: list[tuple[str, str]], tables: list[SheetTable],
                   dps: dict[str, int]) -> Path:
    """The About sheet then one sheet per table, written to ``path`` (the caller moves it into place)."""
    import xlsxwriter

    with xlsxwriter.Workbook(path, {"remove_timezone": True}) as workbook:
        formats = Formats(workbook)
        write_about(workbook, formats, title, facts, tables)
        for table in tables:
            write_sheet(workbook, formats, table, dps)
    return path
