"""``peerdata export``: the council's workbook or files, checked against the marts queried here."""

from __future__ import annotations

import math

import duckdb
import polars as pl
import pytest

from assets.marts.councils import CouncilNotFound
from conftest import LAIT
from pipeline.export import ExportError, export_council
from pipeline.resources import WarehouseResource

pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")
SHEETS = ["Summary", "Indicators", "Neighbours", "Flags", "Definitions", "Changes"]


@pytest.fixture(scope="module")
def home(materialized_home):
    """A home with the current release's marts: the built site's (``test_profiles_site.py``), read-only."""
    return materialized_home


@pytest.fixture(scope="module")
def warehouse(home) -> WarehouseResource:
    return WarehouseResource(home=str(home), warehouse_path=str(home / "data" / "marts" / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def con(home):
    connection = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def workbook(warehouse, tmp_path_factory) -> dict[str, pl.DataFrame]:
    path = export_council("windsor & maidenhead", "xlsx", tmp_path_factory.mktemp("export"), warehouse)
    assert path.name == "868-windsor-and-maidenhead.xlsx"
    return pl.read_excel(path, sheet_id=0)


def same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))


def test_workbook_has_the_six_sheets(workbook):
    assert list(workbook) == SHEETS


def test_indicator_values_match_the_marts(workbook, con):
    expected = {(i, p): (v, e, r) for i, p, v, e, r in con.execute(
        "SELECT indicator_code, period_label, value, england_value, rank FROM marts.benchmark WHERE area_code = 868").fetchall()}
    sheet = workbook["Indicators"]
    assert sheet.height == len(expected)
    assert set(sheet["area_code"].to_list()) == {868}
    for row in sheet.select("indicator_code", "period_label", "value", "england_value", "rank").iter_rows():
        value, england, rank = expected[(row[0], str(row[1]))]
        assert same(row[2], value) and same(row[3], england) and same(row[4], rank), row


def test_trend_columns_sit_on_the_latest_period(workbook, con):
    expected = dict(con.execute("SELECT indicator_code, trend_label FROM marts.trend WHERE area_code = 868").fetchall())
    latest = workbook["Indicators"].filter(pl.col("trend_label").is_not_null())
    assert dict(latest.select("indicator_code", "trend_label").iter_rows()) == expected


def test_flags_and_neighbours_match_the_marts(workbook, con):
    counts = con.execute(
        "SELECT (SELECT count(*) FROM marts.decline_flags WHERE area_code = 868), "
        "(SELECT count(*) FROM marts.improvement_flags WHERE area_code = 868), "
        "(SELECT count(*) FROM marts.strengths_weaknesses WHERE area_code = 868)").fetchall()[0]
    kinds = dict(workbook["Flags"].group_by("kind").len().iter_rows())
    assert (kinds["decline"], kinds["improvement"], kinds["strength"] + kinds["area_for_development"]) == counts
    neighbours = {n for (n,) in con.execute("SELECT neighbour_code FROM core.dim_stat_neighbour WHERE area_code = 868").fetchall()}
    assert set(workbook["Neighbours"]["neighbour_code"].to_list()) == neighbours
    surrey_neet = con.execute(
        "SELECT b.value FROM marts.benchmark b JOIN marts.trend t ON t.indicator_code = b.indicator_code "
        "AND t.area_code = 868 AND t.latest_period = b.period_label "
        "WHERE b.indicator_code = '16-17 NEET' AND b.area_code = 936").fetchall()[0][0]
    sheet = workbook["Neighbours"].filter((pl.col("neighbour_code") == 936) & (pl.col("indicator_code") == "16-17 NEET"))
    assert same(sheet["value"].item(), surrey_neet)


def test_summary_and_definitions(workbook, con):
    topics = con.execute("SELECT count(*) FROM marts.council_summary WHERE area_code = 868").fetchall()[0][0]
    assert workbook["Summary"].height == topics
    assert workbook["Summary"]["topic"][0] == "All topics"
    indicators = con.execute("SELECT count(*) FROM marts.trend WHERE area_code = 868").fetchall()[0][0]
    assert workbook["Definitions"].height == indicators


@pytest.mark.parametrize("fmt, reader", [("csv", lambda p: pl.read_csv(p, infer_schema=False)), ("parquet", pl.read_parquet)])
def test_csv_and_parquet_write_a_folder_of_the_same_tables(warehouse, tmp_path, workbook, fmt, reader):
    folder = export_council(868, fmt, tmp_path, warehouse)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s.lower()}.{fmt}" for s in SHEETS)
    assert reader(folder / f"indicators.{fmt}").height == workbook["Indicators"].height
    export_council(868, fmt, tmp_path, warehouse)  # a second export replaces the folder whole
    assert len(list(tmp_path.iterdir())) == 1


def test_unknown_council_lists_close_matches_and_unknown_format_is_refused(warehouse, tmp_path):
    with pytest.raises(CouncilNotFound, match="Windsor and Maidenhead"):
        export_council("Windsr and Maidenhed", "xlsx", tmp_path, warehouse)
    with pytest.raises(ExportError, match="xlsx, csv, parquet"):
        export_council(868, "json", tmp_path, warehouse)
