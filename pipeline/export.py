"""One council's data, for people: ``peerdata export`` (a workbook or files) and ``peerdata profile``.

``export_council("Windsor & Maidenhead", "xlsx", out_dir)`` writes the council's rows of the
marts, its statistical neighbours' values, the definitions and what changed since the previous
release as one workbook with the sheets Summary, Indicators, Neighbours, Flags, Definitions and
Changes; ``csv`` and ``parquet`` write the same six tables as files in a folder. ``build_profile(council)`` rebuilds one council's HTML profile
without Dagster. Council names are matched by ``assets.marts.councils.resolve_council``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from assets.marts.councils import resolve_council
from assets.profiles.build import build_councils
from assets.profiles.data import frame, load_profile_data
from assets.profiles.formatting import slug
from assets.profiles.render import ship_assets, write_atomic
from assets.profiles.site import page_target
from assets.profiles.views import CouncilViews
from pipeline.warehouse import WarehouseFile

if TYPE_CHECKING:
    from pipeline.resources import WarehouseResource

FORMATS = ("xlsx", "csv", "parquet")

# Each sheet is one query with the council's LA code as $code.
SHEETS = {
    "Summary": "SELECT * FROM marts.council_summary WHERE area_code = $code ORDER BY topic = 'All topics' DESC, topic",
    "Indicators": """
        SELECT b.*, t.indicator_name, t.latest_period, t.previous_period, t.previous_value, t.change,
               t.direction, t.not_comparable_reason, t.trend_slope, t.trend_label, t.stale
        FROM marts.benchmark b
        LEFT JOIN marts.trend t ON t.indicator_code = b.indicator_code AND t.area_code = b.area_code
                                AND t.latest_period = b.period_label
        WHERE b.area_code = $code ORDER BY b.indicator_code, b.period_order""",
    "Neighbours": """
        SELECT n.neighbour_rank, n.closeness, b.area_code AS neighbour_code, b.area_name AS neighbour_name,
               b.indicator_code, b.period_label, b.value, b.quartile_band, b.rank, b.rank_n
        FROM core.dim_stat_neighbour n
        JOIN marts.trend t ON t.area_code = n.area_code
        JOIN marts.benchmark b ON b.area_code = n.neighbour_code AND b.indicator_code = t.indicator_code
                               AND b.period_label = t.latest_period
        WHERE n.area_code = $code ORDER BY b.indicator_code, n.neighbour_rank""",
    "Flags": """
        SELECT 'decline' AS kind, indicator_code, indicator_name, flag, severity, since_period, latest_period,
               evidence FROM marts.decline_flags WHERE area_code = $code
        UNION ALL
        SELECT 'improvement', indicator_code, indicator_name, flag, severity, since_period, latest_period,
               evidence FROM marts.improvement_flags WHERE area_code = $code
        UNION ALL
        SELECT kind, indicator_code, indicator_name, NULL, position, NULL, latest_period, reason
        FROM marts.strengths_weaknesses WHERE area_code = $code
        ORDER BY kind, severity DESC, indicator_code""",
    "Definitions": """
        SELECT i.*, string_agg(DISTINCT t.topic, '; ' ORDER BY t.topic) AS topics
        FROM core.dim_indicator i LEFT JOIN core.indicator_topic t USING (indicator_code)
        WHERE i.indicator_code IN (SELECT indicator_code FROM marts.trend WHERE area_code = $code)
        GROUP BY ALL ORDER BY i.indicator_code""",
    "Changes": """
        SELECT compared_with_release, change, indicator_code, indicator_name, period_label, previous_value, value,
               previous_status, value_status, flag_kind, flag, severity
        FROM marts.release_changes WHERE area_code = $code OR area_code IS NULL
        ORDER BY change, indicator_code, period_order, flag_kind, flag""",
}


class ExportError(ValueError):
    """An unknown format (a council that matches nothing raises ``CouncilNotFound``)."""


def council_tables(
    warehouse: WarehouseFile | WarehouseResource, council: str | int
) -> tuple[int, str, dict[str, pl.DataFrame]]:
    """(code, name, {sheet: frame}) for the council that ``council`` names."""
    with warehouse.connect(read_only=True) as con:
        code = resolve_council(con, council)
        name = con.execute("SELECT area_name FROM core.dim_area WHERE area_code = ?", [code]).fetchall()[0][0]
        tables = {sheet: flat(frame(con, sql, {"code": code})) for sheet, sql in SHEETS.items()}
    return code, name, tables


def flat(table: pl.DataFrame) -> pl.DataFrame:
    """List columns joined into text ("2021; 2022"), so every format and spreadsheet can hold them."""
    lists = [c for c, t in table.schema.items() if isinstance(t, pl.List)]
    return table.with_columns(pl.col(c).cast(pl.List(pl.String)).list.join("; ") for c in lists)


def export_council(council: str | int, fmt: str, out_dir: Path | str,
                   warehouse: WarehouseFile | WarehouseResource | None = None) -> Path:
    """Write the council's tables to ``out_dir``: ``<code>-<slug>.xlsx`` or a ``<code>-<slug>/`` folder."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    code, name, tables = council_tables(warehouse or WarehouseFile.from_env(), council)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{code}-{slug(name)}"
    if fmt == "xlsx":
        return write_workbook(tables, out_dir / f"{stem}.xlsx")
    return write_folder(tables, out_dir / stem, fmt)


def write_workbook(tables: dict[str, pl.DataFrame], path: Path) -> Path:
    """One sheet per table, written to a temporary file first and moved into place."""
    import xlsxwriter

    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        staged = Path(tmp) / path.name
        with xlsxwriter.Workbook(staged) as workbook:
            for sheet, table in tables.items():
                table.write_excel(workbook, worksheet=sheet, autofit=True, freeze_panes=(1, 0), float_precision=4)
        return write_atomic(path, staged.read_bytes())


def write_folder(tables: dict[str, pl.DataFrame], folder: Path, fmt: str) -> Path:
    """One file per table in ``folder``; the folder is assembled beside it and swapped in whole."""
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    try:
        for sheet, table in tables.items():
            target = staging / f"{sheet.lower()}.{fmt}"
            table.write_csv(target) if fmt == "csv" else table.write_parquet(target)
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
