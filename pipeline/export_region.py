"""A region's pack for analysts (``peerdata export REGION``, ``--all`` for every region).

One long table per mart for every council of the region, each row carrying ``release_id``, ready
for Power Query: every mart with an ``area_code`` column (the region's councils' rows), the
region's themes (``marts.region_theme``), every indicator's one name by code
(``marts.indicator_name``), plus ``about`` (what every column means, from
the marts' dbt YAML (``assets/descriptions.py``)). Written twice: a folder of CSV files (UTF-8 with a byte-order mark)
and one workbook with a sheet per table; CSV numbers as the figures they hold (``csv_figures``:
no float artefacts). File names carry the release:
``<region>-<release_id>/<table>-<release_id>.csv`` and ``<region>-<release_id>.xlsx``. Each is
assembled beside its final name and swapped in whole.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from assets.descriptions import column_descriptions
from assets.profiles.formatting import slug
from assets.profiles.render import write_atomic
from base.warehouse import WarehouseFile
from pipeline.export import csv_figures, flat, write_folder

REGION_TABLES = ("region_theme",)  # marts without area_code that belong to a region (region_name)
LOOKUP_TABLES = ("indicator_name",)  # marts every pack holds whole: the indicators' names, by code


@dataclass(frozen=True)
class RegionPack:
    region: str
    release_id: str
    tables: dict[str, pl.DataFrame]

    @property
    def stem(self) -> str:
        return f"{slug(self.region)}-{self.release_id}"


def regions(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r for (r,) in con.execute("SELECT DISTINCT region_name FROM core.dim_area WHERE area_kind = 'la' "
                                      "AND is_current ORDER BY 1").fetchall()]


def find_region(con: duckdb.DuckDBPyConnection, text: str) -> str | None:
    """The region ``text`` names (any case and spacing), or None."""
    wanted = " ".join(text.split()).lower()
    return next((r for r in regions(con) if r.lower() == wanted), None)


def council_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts with a row per council (an ``area_code`` column), in name order."""
    return [t for (t,) in con.execute(
        "SELECT table_name FROM duckdb_columns() WHERE schema_name = 'marts' AND column_name = 'area_code' "
        "ORDER BY table_name").fetchall()]


def region_pack(con: duckdb.DuckDBPyConnection, region: str) -> RegionPack:
    """Every council mart's rows for the region's councils, and the region's own tables, with release_id."""
    release_id = con.execute("SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1").fetchall()[0][0]
    councils = "SELECT area_code FROM core.dim_area WHERE area_kind = 'la' AND is_current AND region_name = $region"
    present = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'").fetchall()}
    wanted = {table: f"area_code IN ({councils})" for table in council_marts(con)}
    wanted |= {table: "region_name = $region" for table in REGION_TABLES if table in present}
    wanted |= {table: "true" for table in LOOKUP_TABLES if table in present}
    tables = {table: _rows(con, table, where, release_id, region) for table, where in wanted.items()}
    described = column_descriptions()
    about = pl.DataFrame([(t, c, described.get(t, {}).get(c, "The LAIT release the marts were built from."
                                                            if c == "release_id" else ""))
                          for t, frame in tables.items() for c in frame.columns],
                         schema={"table": pl.String, "column": pl.String, "meaning": pl.String}, orient="row")
    return RegionPack(region, release_id, tables | {"about": about})


def _rows(con: duckdb.DuckDBPyConnection, table: str, where: str, release_id: str, region: str) -> pl.DataFrame:
    """The table's rows for the region, ``release_id`` first (a mart that has its own, such as the
    signal history of every release, keeps it)."""
    columns = [c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE schema_name = 'marts' "
                                         "AND table_name = ?", [table]).fetchall()]
    release = "release_id, * EXCLUDE (release_id)" if "release_id" in columns else "$release AS release_id, *"
    params = ({"region": region} if "$region" in where else {}) | ({} if "release_id" in columns else {"release": release_id})
    return flat(pl.from_arrow(con.sql(f"SELECT {release} FROM marts.{table} WHERE {where} ORDER BY ALL",
                                      params=params).to_arrow_table()))


def write_region_pack(pack: RegionPack, out_dir: Path) -> tuple[Path, Path]:
    """The pack as a folder of CSV files and as a workbook in ``out_dir``; their paths."""
    import xlsxwriter

    out_dir.mkdir(parents=True, exist_ok=True)
    folder = write_folder({f"{name}-{pack.release_id}": csv_figures(frame) for name, frame in pack.tables.items()},
                          out_dir / pack.stem, "csv")
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        staged = Path(tmp) / f"{pack.stem}.xlsx"
        with xlsxwriter.Workbook(str(staged), {"remove_timezone": True}) as workbook:
            for name, frame in pack.tables.items():
                frame.write_excel(workbook=workbook, worksheet=name, autofit=False, table_style=None)
        workbook_path = write_atomic(out_dir / staged.name, staged.read_bytes())
    return folder, workbook_path


def is_region(text: str, warehouse: WarehouseFile | None = None) -> bool:
    """Whether ``text`` names a region (so ``peerdata export`` writes its pack, not a council's)."""
    with (warehouse or WarehouseFile.from_env()).connect(read_only=True) as con:
        return find_region(con, text) is not None


def export_regions(names: list[str] | None, out_dir: Path, warehouse: WarehouseFile | None = None) -> list[Path]:
    """Write the pack of each region named (None: every region); the paths written."""
    with (warehouse or WarehouseFile.from_env()).connect(read_only=True) as con:
        wanted = regions(con) if names is None else [find_region(con, n) for n in names]
        packs = [region_pack(con, region) for region in wanted]
    return [path for pack in packs for path in write_region_pack(pack, Path(out_dir))]

