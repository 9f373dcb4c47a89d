"""Read the four files of a landed release into DuckDB as plain text tables.

Each file becomes one table in schema ``src`` with every column as text and a
``source_row`` column holding the row number a person would look for: the 1-based
row of the parquet file, and for the CSV and the spreadsheets the row as a
spreadsheet shows it (header = row 1). Typing and cleaning happen later, in SQL,
where every rejected cell is reported with its file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from base.settings import ReleaseFiles

BDS_COLUMNS = ["Short Desc", "Years", "LA and Regions", "Values", "LA Number", "Region"]
DICTIONARY_COLUMNS = [
    "Measure_short", "Topic", "Measure", "Chart_title", "Polarity", "y_axis_name",
    "Table_status", "Description", "Last Update", "Next Update", "Methodology",
    "Hyperlink(s)", "dps", "Year_Type", "No_Quartile",
]
COUNCIL_COLUMNS = ["LA Number", "LA Name", "Region", "Type"]
NEIGHBOUR_COUNT = 10
# column of src.neighbours -> the column of src.neighbours naming the sheet column of its cell
NEIGHBOUR_SHEET_COLUMNS = {
    "area_code": "area_column",
    "neighbour_code": "neighbour_column",
    "neighbour_rank": "neighbour_column",
    "closeness": "closeness_column",
}


class SourceFileError(Exception):
    """A landed file cannot be read as the pipeline expects; the message names the file."""


def require_columns(
    file_name: str, found: list[str], required: list[str],
    hint: str = "The publisher may have renamed a column: check the file against the data dictionary.",
) -> None:
    missing = [c for c in required if c not in found]
    if missing:
        raise SourceFileError(f"{file_name}: required column(s) {missing} missing; columns found: {found}. {hint}")


def load_bds(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load the long data set (parquet) into ``src.bds``."""
    try:
        found = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(path)]).fetchall()]
    except duckdb.Error as exc:
        raise SourceFileError(f"{path.name}: cannot be read as a parquet file ({exc}).") from exc
    require_columns(path.name, found, BDS_COLUMNS)
    con.execute(
        """
        CREATE OR REPLACE TABLE src.bds AS
        SELECT file_row_number + 1 AS source_row,
               CAST("Short Desc" AS VARCHAR) AS indicator_code,
               CAST("Years" AS VARCHAR) AS period_label,
               CAST("LA and Regions" AS VARCHAR) AS area_name,
               CAST("Values" AS VARCHAR) AS raw_value,
               CAST("LA Number" AS VARCHAR) AS la_number,
               CAST("Region" AS VARCHAR) AS region
        FROM read_parquet(?, file_row_number = true)
        """,
        [str(path)],
    )
    return _count(con, "src.bds")


def load_dictionary(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load the data dictionary (UTF-8 CSV, quoted multi-line fields) into ``src.dictionary``."""
    text_check_utf8(path)
    try:
        rel = con.sql(
            f"SELECT * FROM read_csv('{_sql_path(path)}', all_varchar = true, header = true)"
        )
        found = [c.lstrip("\ufeff") for c in rel.columns]
    except duckdb.Error as exc:
        raise SourceFileError(f"{path.name}: cannot be read as a CSV file ({exc}).") from exc
    require_columns(path.name, found, DICTIONARY_COLUMNS)
    renamed = ", ".join(f'"{raw}" AS "{clean}"' for raw, clean in zip(rel.columns, found))
    con.execute(
        f"""
        CREATE OR REPLACE TABLE src.dictionary AS
        SELECT row_number() OVER () + 1 AS source_row, {renamed}
        FROM read_csv('{_sql_path(path)}', all_varchar = true, header = true)
        """
    )
    rows = _count(con, "src.dictionary")
    if rows == 0:
        raise SourceFileError(f"{path.name}: the data dictionary has a header but no rows.")
    return rows


def text_check_utf8(path: Path) -> None:
    """Fail with the line number when a text file is not UTF-8 (e.g. saved as Windows-1252)."""
    check_utf8(path.name, path.read_bytes())


def check_utf8(file_name: str, data: bytes) -> None:
    """Fail naming ``file_name`` and the line when ``data`` is empty or not UTF-8 text."""
    if not data.strip():
        raise SourceFileError(f"{file_name}: the file is empty.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceFileError(
            f"{file_name}: not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line}); "
            "the file was probably saved in another encoding such as Windows-1252. "
            "Re-save it as UTF-8 at the source."
        ) from exc


def load_councils(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load the council list (first sheet, header in row 1) into ``src.councils``."""
    frame = _read_sheet(path, sheet_id=1, has_header=True)
    require_columns(path.name, frame.columns, COUNCIL_COLUMNS)
    frame = frame.select(
        pl.int_range(2, frame.height + 2).alias("source_row"),
        *[pl.col(c).cast(pl.String).alias(c) for c in COUNCIL_COLUMNS],
    )
    con.register("councils_frame", frame.to_arrow())
    con.execute(
        """
        CREATE OR REPLACE TABLE src.councils AS
        SELECT source_row, "LA Number" AS la_number, "LA Name" AS la_name,
               "Region" AS region, "Type" AS la_type
        FROM councils_frame
        """
    )
    con.unregister("councils_frame")
    return _count(con, "src.councils")


def load_neighbours(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Load the statistical-neighbour sheet into ``src.neighbours`` in long form.

    The sheet's real header row (``LA num``, ``SN1``, ``SNP``, ..., ``SN10``, ``SNP``)
    sits under rows of column letters and numbers, so it is found by content, on
    whichever sheet has it; each ``SNk`` column is followed by its closeness column.
    Each link keeps its sheet row and the sheet columns of its cells (``area_column``,
    ``neighbour_column``, ``closeness_column``; see ``NEIGHBOUR_SHEET_COLUMNS``), so that
    a problem is named where a person finds it in the sheet.
    """
    sheets = _read_all_sheets(path)
    for sheet_name, grid in sheets.items():
        header_index = _find_neighbour_header(grid)
        if header_index is not None:
            break
    else:
        raise SourceFileError(
            f"{path.name}: no sheet has the neighbour header row ('LA num' and SN1..SN{NEIGHBOUR_COUNT}, "
            f"each followed by a closeness column); sheets: {list(sheets)}. The layout has changed."
        )
    header = [str(v).strip() if v is not None else "" for v in grid.row(header_index)]
    area_col = next(i for i, v in enumerate(header) if v.lower() == "la num")
    rows = []
    for offset, values in enumerate(grid.slice(header_index + 1).iter_rows()):
        sheet_row = header_index + offset + 2
        if values[area_col] in (None, ""):
            continue
        for rank in range(1, NEIGHBOUR_COUNT + 1):
            col = header.index(f"SN{rank}")
            rows.append((
                sheet_row, values[area_col], rank, values[col], values[col + 1],
                header[area_col], header[col], f"{header[col + 1]} (next to {header[col]})",
            ))
    frame = pl.DataFrame(
        rows,
        schema=["source_row", "area_code", "neighbour_rank", "neighbour_code", "closeness",
                "area_column", "neighbour_column", "closeness_column"],
        orient="row",
    )
    con.register("neighbours_frame", frame.to_arrow())
    con.execute(
        "CREATE OR REPLACE TABLE src.neighbours AS SELECT ? AS sheet, * FROM neighbours_frame",
        [sheet_name],
    )
    con.unregister("neighbours_frame")
    return _count(con, "src.neighbours")


def _find_neighbour_header(grid: pl.DataFrame) -> int | None:
    wanted = {f"SN{k}" for k in range(1, NEIGHBOUR_COUNT + 1)}
    for index, values in enumerate(grid.head(20).iter_rows()):
        cells = [str(v).strip() if v is not None else "" for v in values]
        if any(c.lower() == "la num" for c in cells) and wanted <= set(cells):
            closeness_ok = all(
                cells.index(f"SN{k}") + 1 < len(cells) and cells[cells.index(f"SN{k}") + 1].upper() == "SNP"
                for k in range(1, NEIGHBOUR_COUNT + 1)
            )
            if closeness_ok:
                return index
    return None


def _read_sheet(path: Path, sheet_id: int, has_header: bool) -> pl.DataFrame:
    try:
        return pl.read_excel(
            path, sheet_id=sheet_id, has_header=has_header, engine="calamine", infer_schema_length=0
        )
    except Exception as exc:  # calamine raises its own error types for corrupt workbooks
        raise SourceFileError(f"{path.name}: cannot be read as an Excel workbook ({exc}).") from exc


def _read_all_sheets(path: Path) -> dict[str, pl.DataFrame]:
    try:
        return pl.read_excel(path, sheet_id=0, has_header=False, engine="calamine", infer_schema_length=0)
    except Exception as exc:
        raise SourceFileError(f"{path.name}: cannot be read as an Excel workbook ({exc}).") from exc


def load_release(con: duckdb.DuckDBPyConnection, release_dir: Path, files: ReleaseFiles) -> dict[str, int]:
    """Load all four files of a release into ``src``; returns row counts by table."""
    return {
        "src.bds": load_bds(con, release_dir / files.bds),
        "src.dictionary": load_dictionary(con, release_dir / files.dictionary),
        "src.councils": load_councils(con, release_dir / files.councils),
        "src.neighbours": load_neighbours(con, release_dir / files.neighbours),
    }


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
