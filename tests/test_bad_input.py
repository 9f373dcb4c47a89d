"""Broken releases: each fails with a message naming the file and the column or row, and the
previously published warehouse survives unchanged. Plus every published symbol, end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from conftest import failure_text, run_foundation

FILES = ["bds_long_0.parquet", "lait_data_dictionary.csv", "sn_may_2025.xlsx", "la_code_list.xlsx"]


def release_with(tmp_path: Path, lait: Path, replace: str) -> Path:
    """A copy of the current release in which the file ``replace`` is left for the test to write."""
    folder = tmp_path / "release"
    folder.mkdir()
    for name in FILES:
        if name != replace:
            shutil.copy(lait / "current" / name, folder / name)
    return folder


def rewrite_bds(lait: Path, target: Path, select: str) -> None:
    """Write the real parquet through a SELECT over it (``file_row_number`` is 0-based)."""
    duckdb.execute(
        f"""
        COPY (SELECT * EXCLUDE (file_row_number) FROM (
                {select.format(src=f"read_parquet('{lait / 'current' / 'bds_long_0.parquet'}', file_row_number = true)")}
              ) ORDER BY file_row_number)
        TO '{target}' (FORMAT parquet)
        """
    )


def published_state(home: Path) -> tuple:
    con = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    try:
        return (
            con.execute("SELECT list(release_id ORDER BY published_at) FROM core.release_history").fetchall()[0][0],
            con.execute(
                "SELECT count(*), bit_xor(hash(indicator_code, area_code, period_label, value)) FROM core.fact_indicator_value"
            ).fetchall()[0],
            con.execute("SELECT count(*) FROM core.dim_stat_neighbour").fetchall()[0][0],
        )
    finally:
        con.close()


@pytest.fixture
def good_home(current_home, copy_home):
    home = copy_home(current_home)
    return home, published_state(home)


def assert_fails_and_warehouse_survives(good_home, source: Path, *fragments: str) -> str:
    home, before = good_home
    result = run_foundation(home, source)
    assert not result.success
    text = failure_text(result)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in failure message:\n{text}"
    assert published_state(home) == before
    return text


def test_missing_column(tmp_path, lait, good_home):
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    rewrite_bds(lait, source / "bds_long_0.parquet", 'SELECT * EXCLUDE ("Values") FROM {src}')
    assert_fails_and_warehouse_survives(good_home, source, "bds_long_0.parquet", "Values")


def test_truncated_parquet(tmp_path, lait, good_home):
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    (source / "bds_long_0.parquet").write_bytes((lait / "current" / "bds_long_0.parquet").read_bytes()[:50_000])
    assert_fails_and_warehouse_survives(good_home, source, "bds_long_0.parquet")


def test_html_page_saved_as_parquet(tmp_path, lait, good_home):
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    (source / "bds_long_0.parquet").write_text("<!DOCTYPE html><html><body>404: Not Found</body></html>")
    assert_fails_and_warehouse_survives(good_home, source, "bds_long_0.parquet", "HTML")


def test_unknown_council_code(tmp_path, lait, good_home):
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    # Row 1 of the file (file_row_number 0) is Barking and Dagenham (301): give it code 999.
    rewrite_bds(
        lait, source / "bds_long_0.parquet",
        'SELECT * REPLACE (CASE WHEN file_row_number = 0 THEN 999.0 ELSE "LA Number" END AS "LA Number") FROM {src}',
    )
    assert_fails_and_warehouse_survives(good_home, source, "bds_long_0.parquet row 1", "LA Number", "999")


def test_duplicate_rows(tmp_path, lait, good_home):
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    rewrite_bds(
        lait, source / "bds_long_0.parquet",
        "SELECT * FROM {src} UNION ALL SELECT * REPLACE (1000000 AS file_row_number) FROM {src} WHERE file_row_number = 4",
    )
    # The copy of row 5 is written last, as row 641,071.
    assert_fails_and_warehouse_survives(good_home, source, "bds_long_0.parquet row 5", "row 641071", "duplicate")


def test_unknown_token(tmp_path, lait, good_home):
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    rewrite_bds(
        lait, source / "bds_long_0.parquet",
        "SELECT * REPLACE (CASE WHEN file_row_number = 41 THEN 'q' ELSE \"Values\" END AS \"Values\") FROM {src}",
    )
    assert_fails_and_warehouse_survives(good_home, source, "bds_long_0.parquet", "Values", "row 42", "'q'")


def test_neighbour_missing_from_the_sheet(tmp_path, lait, good_home):
    source = release_with(tmp_path, lait, "sn_may_2025.xlsx")
    grid = pl.read_excel(lait / "current" / "sn_may_2025.xlsx", has_header=False, engine="calamine",
                         infer_schema_length=0)
    # Sheet row 4 is the first council (Barking and Dagenham); its SN3 code sits in column J (index 9).
    column = grid.columns[9]
    assert grid[2, column] == "SN3"
    grid = grid.with_row_index().with_columns(
        pl.when(pl.col("index") == 3).then(None).otherwise(pl.col(column)).alias(column)
    ).drop("index")
    grid.write_excel(source / "sn_may_2025.xlsx", worksheet="LA SN Groups", include_header=False)
    # Named as the sheet shows it: the SN3 column of row 4, not the parsed field neighbour_code.
    assert_fails_and_warehouse_survives(good_home, source, "sn_may_2025.xlsx", "column SN3", "row 4")


def test_every_published_symbol_gets_its_own_status(tmp_path, lait, current_home, copy_home):
    symbols = {"-": "not_available", "c": "confidential", "x": "unavailable", "z": "not_applicable",
               "low": "rounds_to_zero", "u": "low_reliability", "k": "low_figure", "..": "not_recorded"}
    source = release_with(tmp_path, lait, "bds_long_0.parquet")
    cases = " ".join(f"WHEN file_row_number = {i} THEN '{s}'" for i, s in enumerate(symbols))
    rewrite_bds(lait, source / "bds_long_0.parquet", f'SELECT * REPLACE (CASE {cases} ELSE "Values" END AS "Values") FROM {{src}}')
    home = copy_home(current_home)
    result = run_foundation(home, source)
    assert result.success, failure_text(result)
    first_rows = pq_first_rows(lait, len(symbols))
    con = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    for (code, label, la_number), (symbol, status) in zip(first_rows, symbols.items()):
        row = con.execute(
            "SELECT value_status, value, raw_value FROM core.fact_indicator_value WHERE indicator_code = ? AND period_label = ? AND area_code = ?",
            [code, label, int(la_number)],
        ).fetchall()
        assert row == [(status, None, symbol)]
    con.close()


def pq_first_rows(lait: Path, n: int) -> list[tuple]:
    return duckdb.execute(
        f"""SELECT "Short Desc", "Years", "LA Number" FROM read_parquet('{lait / 'current' / 'bds_long_0.parquet'}', file_row_number = true)
            WHERE file_row_number < {n} ORDER BY file_row_number"""
    ).fetchall()
