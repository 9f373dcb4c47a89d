"""One council's data, for people: ``peerdata export`` (a workbook or files) and ``peerdata profile``.

``export_council("Windsor & Maidenhead", "xlsx", out_dir)`` writes the council's rows of the
marts as one workbook named with the council and the release
(``868-windsor-and-maidenhead-<release>.xlsx``): an About sheet (the release, when it was loaded
and exported, what every sheet and column means) and the sheets of ``pipeline.export_sheets.SHEETS`` whose tables are in
the warehouse (Summary, Indicators, Neighbours, Signals, Concerns, Lines of enquiry, Inspections,
Definitions, Changes), styled by ``pipeline.workbook``. ``csv`` and ``parquet`` write the same
tables, with their column names as fields and the release as their first field, as files in a
folder, plus ``about.csv`` / ``about.parquet`` (the column glossary); CSV numbers are rounded to
10 decimals (no float artefacts); CSV files are UTF-8 with a byte-order mark, so Excel
reads accents right. Files and folders get the user's usual permissions (the umask).
``build_profile(council)`` rebuilds one council's HTML profile without Dagster. Council names are
matched by ``base.councils.resolve_council``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl
import polars.selectors as cs

from assets.descriptions import column_descriptions
from base.councils import resolve_council
from assets.profiles.build import build_councils
from assets.profiles.data import frame, load_profile_data
from assets.profiles.formatting import slug
from assets.profiles.render import ship_assets
from base.files import new_file_mode, write_atomic
from base.site import page_target
from base.service_areas import SERVICE_HEADINGS
from assets.profiles.views import CouncilViews
from pipeline.export_sheets import COLUMNS, SHEETS, Sheet
from base.warehouse import WarehouseFile, table_names
from pipeline.workbook import SheetTable, write_workbook

if TYPE_CHECKING:
    from assets.resources import WarehouseResource

FORMATS = ("xlsx", "csv", "parquet")
RELEASE_SQL = """
    SELECT (SELECT release_id || '|' || strftime(published_at AT TIME ZONE 'UTC', '%Y-%m-%d %H:%M UTC')
            FROM core.release_history ORDER BY published_at DESC LIMIT 1),
           (SELECT max(release_id) FROM core.previous_release)
"""


class ExportError(ValueError):
    """An unknown format (a council that matches nothing raises ``CouncilNotFound``)."""


class CouncilExport:
    """One council's export: its code and name, the release, and its sheets' tables."""

    def __init__(self, con: duckdb.DuckDBPyConnection, council: str | int) -> None:
        self.code = resolve_council(con, council)
        self.name = con.execute("SELECT area_name FROM core.dim_area WHERE area_code = ?", [self.code]).fetchall()[0][0]
        release, self.previous_release = con.execute(RELEASE_SQL).fetchall()[0]
        self.release_id, _, self.loaded_at = (release or "||").partition("|")
        # decimal places as the profiles show them: the dictionary's, 1 when it gives none (marts.trend.dps)
        self.dps = dict(con.execute("SELECT indicator_code, coalesce(dps, 1) FROM core.dim_indicator").fetchall())
        existing = table_names(con)
        described = column_descriptions()
        self.tables = [self._table(con, sheet, described) for sheet in SHEETS
                       if all(t in existing for t in sheet.tables)]

    def _table(self, con: duckdb.DuckDBPyConnection, sheet: Sheet, described: dict[str, dict[str, str]]) -> SheetTable:
        table = readable_service_areas(flat(frame(con, sheet.sql, {"code": self.code})))
        if not table.is_empty():
            line = sheet.about
        elif sheet.first_release_note and not self.previous_release:
            line = sheet.first_release_note
        else:
            line = sheet.empty_note
        return SheetTable(sheet, table, line, {c: describe(c, sheet, described) for c in table.columns})

    def facts(self) -> list[tuple[str, str]]:
        """The About sheet's lines: what, which release, when."""
        return [
            ("Council", f"{self.name} (LA code {self.code})"),
            ("Release", self.release_id or "unknown"),
            ("Loaded into the warehouse", self.loaded_at or "unknown"),
            ("Compared with release", self.previous_release or "none: this is the first release in the warehouse"),
            *([("Changes since then", self.changes_line())] if self.previous_release else []),
            ("Exported", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
            ("Numbers", "Values are shown at the indicator's decimal places (Definitions sheet); "
                        "each cell holds the full published figure."),
            ("Colours", "Green: better, orange: worse, by the indicator's polarity (whether higher or lower is "
                        "better), never by the sign. Bands: A best quarter (green) to D worst quarter."),
            ("Method", "Bands place the council's value among every council's for the same indicator and "
                       "period (A best quarter to D worst, by polarity); a concern is a headline indicator worse "
                       "than England and getting worse, for more than one period; a trend is the typical change "
                       "a year over the consecutive periods. Every rule is written out on the Methods page of "
                       "the profiles (methods.html, beside the council pages)."),
        ]


    def changes_line(self) -> str:
        """The revisions counted apart from what changed no value (periods relabelled, decimals gained)."""
        kinds = pl.concat([t.frame.select("change", "indicator_code") for t in self.tables
                           if t.sheet.name in ("Changes", "Relabels and decimals")]
                          or [pl.DataFrame(schema={"change": pl.String, "indicator_code": pl.String})])
        count = lambda change: kinds.filter(pl.col("change") == change).height  # noqa: E731
        revised = kinds.filter(pl.col("change") == "revised_value")
        return (f"{revised.height} values revised in {revised['indicator_code'].n_unique()} indicators (sheet Changes). "
                f"Not revisions, as no value changed (sheet Relabels and decimals): {count('precision_changed')} values "
                f"only given to more or fewer decimals, {count('relabelled_period')} periods relabelled and "
                f"{count('period_status_changed')} whose status changed (such as provisional to final).")


def describe(column: str, sheet: Sheet, described: dict[str, dict[str, str]]) -> str:
    """A column's meaning: its sheet's mart in the dbt YAML (assets/descriptions.py), the export's own list, any mart."""
    for table in sheet.tables:
        text = described.get(table.removeprefix("marts."), {}).get(column) if table.startswith("marts.") else None
        if text:
            return text
    if column in COLUMNS:
        return COLUMNS[column]
    return next((columns[column] for columns in described.values() if column in columns), "")


def readable_service_areas(table: pl.DataFrame) -> pl.DataFrame:
    """``service_area`` as the profiles name it ("Help and protection"), not its key."""
    if "service_area" not in table.columns:
        return table
    return table.with_columns(pl.col("service_area").replace(SERVICE_HEADINGS))


def flat(table: pl.DataFrame) -> pl.DataFrame:
    """List columns joined into text ("2021; 2022"), so every format and spreadsheet can hold them."""
    lists = [c for c, t in table.schema.items() if isinstance(t, pl.List)]
    return table.with_columns(pl.col(c).cast(pl.List(pl.String)).list.join("; ") for c in lists)


def export_council(council: str | int, fmt: str, out_dir: Path | str,
                   warehouse: WarehouseFile | WarehouseResource | None = None) -> Path:
    """Write the council's tables to ``out_dir``: ``<code>-<slug>-<release>.xlsx`` or a
    ``<code>-<slug>-<release>/`` folder (an export of the next release does not replace this one)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    with (warehouse or WarehouseFile.from_env()).connect(read_only=True) as con:
        export = CouncilExport(con, council)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{export.code}-{slug(export.name)}-{export.release_id or 'unknown-release'}"  # one file per release
    if fmt == "xlsx":
        with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
            staged = write_workbook(Path(tmp) / f"{stem}.xlsx", f"peerdata export: {export.name}",
                                    export.facts(), export.tables, export.dps)
            return write_atomic(out_dir / staged.name, staged.read_bytes())
    glossary = pl.DataFrame(
        [(t.sheet.name, c, t.descriptions.get(c) or describe(c, t.sheet, column_descriptions()))
         for t in export.tables for c in ("release_id", *(c for c in t.frame.columns if c != "release_id"))],
        schema={"sheet": pl.String, "field": pl.String, "meaning": pl.String}, orient="row")
    files = {file_stem(t.sheet): with_release(t.frame, export.release_id, fmt) for t in export.tables}
    return write_folder(files | {"about": glossary}, out_dir / stem, fmt)


def with_release(table: pl.DataFrame, release_id: str, fmt: str) -> pl.DataFrame:
    """A table file's rows with their release first; in CSV, numbers as ``csv_figures`` writes them."""
    table = table.select(pl.lit(release_id).alias("release_id"), pl.all().exclude("release_id"))
    return csv_figures(table) if fmt == "csv" else table


def csv_figures(table: pl.DataFrame) -> pl.DataFrame:
    """Numbers written as the figure they hold, rounded to 10 decimals (20.45, not the float
    artefact 20.450000000000003): a CSV file is text, read as written."""
    return table.with_columns(cs.float().round(10))


def file_stem(sheet: Sheet) -> str:
    return sheet.name.lower().replace(" ", "_")


def folder_mode() -> int:
    """The permissions a folder the user makes gets (0o777 less the umask): a new file's mode,
    with the search bit wherever the read bit is set (0o644 -> 0o755, 0o600 -> 0o700)."""
    mode = new_file_mode()
    return mode | (mode & 0o444) >> 2


def write_folder(tables: dict[str, pl.DataFrame], folder: Path, fmt: str) -> Path:
    """One file per table in ``folder``; the folder is assembled beside it and swapped in whole."""
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        for stem, table in tables.items():
            target = staging / f"{stem}.{fmt}"
            table.write_csv(target, include_bom=True) if fmt == "csv" else table.write_parquet(target)
        os.chmod(staging, folder_mode())  # mkdtemp makes it 0o700
        if folder.exists():
            shutil.rmtree(folder)
        staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def build_profile(council: str | int, warehouse: WarehouseFile | WarehouseResource | None = None) -> Path:
    """Rebuild one council's HTML profile (no Dagster run, no Dagster import) and return its path.

    The page is refreshed in the published site, which must show the warehouse's release
    (``site.page_target`` raises ``SiteLagsWarehouse`` otherwise: one new page among the old
    release's would be a mix)."""
    warehouse = warehouse or WarehouseFile.from_env()
    with warehouse.connect(read_only=True) as con:
        code = resolve_council(con, council)
        views = CouncilViews(load_profile_data(con, [code]))
    site = page_target(warehouse.paths.profiles_dir, views.data.release.release_id)
    ship_assets(site)
    return build_councils(views, site, [code])[0]
