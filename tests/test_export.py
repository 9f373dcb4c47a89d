"""``peerdata export``: the workbook read back with openpyxl (sheets, named tables, headers, number
formats, colours, widths, the About sheet) and the CSV and Parquet folders, checked against the
marts queried here."""

from __future__ import annotations

import math
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path

import duckdb
import html
import json
import openpyxl
import polars as pl
import pytest
import yaml

from assets.descriptions import column_descriptions
from assets.profiles.formatting import slug
from base.councils import CouncilAbolished, CouncilNotFound
from conftest import LAIT
from base.service_areas import SERVICE_HEADINGS
from pipeline.export import ExportError, export_council
from assets.resources import WarehouseResource

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")
# The sheets in order, and the table each needs: a table not in the warehouse leaves its sheet out.
SHEETS = [("Summary", "marts.council_summary"), ("Indicators", "marts.benchmark"), ("Neighbours", "marts.benchmark"),
          ("Signals", "marts.series_signal"), ("Concerns", "marts.concerns"), ("Learn from", "marts.learn_from"),
          ("Self evaluation", "marts.self_evaluation_check"), ("Lines of enquiry", "marts.lines_of_enquiry"),
          ("Inspections", "core.inspection"),
          ("Definitions", "core.dim_indicator"), ("Changes", "marts.release_changes"),
          ("Relabels and decimals", "marts.release_changes")]
GREEN, ORANGE = "FFCCEBDD", "FFFAD9BF"  # better / worse


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


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(scope="module")
def path(warehouse, tmp_path_factory):
    with umask(0o002):
        path = export_council("windsor & maidenhead", "xlsx", tmp_path_factory.mktemp("export"), warehouse)
    with warehouse.connect(read_only=True) as con:
        (release_id,) = con.execute("SELECT release_id FROM core.release_history").fetchall()[0]
    assert path.name == f"868-windsor-and-maidenhead-{release_id}.xlsx"  # the next release's does not replace it
    return path


@pytest.fixture(scope="module")
def book(path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def table_rows(book, sheet: str) -> list[dict]:
    """The rows of a sheet's one table, as {header: cell}."""
    worksheet = book[sheet]
    (table,) = worksheet.tables.values()
    cells = list(worksheet[table.ref])
    headers = [c.value for c in cells[0]]
    return [dict(zip(headers, row)) for row in cells[1:] if any(c.value is not None for c in row)]


def same(a: float | None, b: float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9))


def existing_tables(con) -> set[str]:
    return {f"{s}.{t}" for s, t in con.execute("SELECT schema_name, table_name FROM duckdb_tables()").fetchall()}


def test_about_first_then_a_sheet_per_table_present_each_a_named_styled_table(book, con):
    present = existing_tables(con)
    assert book.sheetnames == ["About"] + [s for s, table in SHEETS if table in present]
    assert "Inspections" in book.sheetnames  # core.inspection is built with the release
    for name in book.sheetnames[1:]:
        (table,) = book[name].tables.values()
        assert table.name == name.replace(" ", "_") and table.tableStyleInfo.name == "TableStyleMedium2"
    assert set(book["About"].tables) == {"Sheets", "Columns"}


def test_headers_are_words_and_the_indicator_name_comes_first(book):
    for name in book.sheetnames[1:]:
        headers = list(table_rows(book, name)[0]) if table_rows(book, name) else []
        assert not any("_" in h for h in headers), (name, headers)
    indicators = list(table_rows(book, "Indicators")[0])
    assert indicators[:5] == ["Indicator", "Indicator code", "Period", "Year ending", "Value"]
    assert {"England value", "Stat. neighbours mean", "Band", "Rank", "Councils ranked", "Change"} <= set(indicators)
    for name in ("Neighbours", "Signals", "Definitions", "Changes"):
        assert book[name].cell(3, 1).value == "Indicator", name


def test_indicator_values_match_the_marts(book, con):
    expected = {(i, p): (v, e, r) for i, p, v, e, r in con.execute(
        "SELECT indicator_code, period_label, value, england_value, rank FROM marts.benchmark WHERE area_code = 868").fetchall()}
    rows = table_rows(book, "Indicators")
    assert len(rows) == len(expected)
    assert {r["LA code"].value for r in rows} == {868}
    for row in rows:
        value, england, rank = expected[(row["Indicator code"].value, str(row["Period"].value))]
        assert same(row["Value"].value, value) and same(row["England value"].value, england)
        assert same(row["Rank"].value, rank)


def test_numbers_show_at_the_indicators_decimal_places_and_years_as_years(book, con):
    # the dictionary's decimal places, 1 where it gives none (as on the profiles)
    dps = {code: 1 if places is None else places
           for code, places in con.execute("SELECT indicator_code, dps FROM core.dim_indicator").fetchall()}
    rows = table_rows(book, "Indicators")
    seen = set()
    for row in rows:
        places = dps[row["Indicator code"].value]
        expected = "#,##0" if places == 0 else "#,##0." + "0" * places
        if row["Value"].value is not None:
            assert row["Value"].number_format == expected, row["Indicator code"].value
            assert row["England value"].value is None or row["England value"].number_format == expected
            seen.add(places)
        assert row["Year ending"].number_format == "0"
        assert row["Percentile"].value is None or row["Percentile"].number_format == "0"
    assert {0, 2} <= seen
    years = [r["Year ending"].value for r in rows]
    assert all(isinstance(y, int) and 1990 < y < 2100 for y in years if y is not None)


def test_change_is_coloured_by_polarity_not_by_sign(book, con):
    # Lower is better and the value fell: an improvement, green; higher is better and it fell: orange.
    by_key = {(r["Indicator code"].value, r["Period"].value): r for r in table_rows(book, "Indicators")}
    cases = con.execute(
        "SELECT indicator_code, latest_period, polarity, change FROM marts.trend WHERE area_code = 868 "
        "AND change < 0 AND polarity IN ('high', 'low') AND direction IN ('improving', 'worsening')").fetchall()
    kinds = set()
    for code, period, polarity, change in cases:
        cell = by_key[(code, period)]["Change"]
        assert cell.value == pytest.approx(change)
        assert cell.fill.fgColor.rgb == (GREEN if polarity == "low" else ORANGE), (code, polarity)
        kinds.add(polarity)
    assert kinds == {"low", "high"}
    band_a = [r["Band"] for r in table_rows(book, "Indicators") if r["Band"].value == "A"]
    assert band_a and all(c.fill.fgColor.rgb == "FF009E73" for c in band_a)


def test_long_texts_wrap_in_a_bounded_column(book):
    definitions = book["Definitions"]
    headers = [c.value for c in definitions[3]]
    column = openpyxl.utils.get_column_letter(headers.index("Description") + 1)
    assert definitions.column_dimensions[column].width == pytest.approx(60, abs=1)
    assert definitions[f"{column}4"].alignment.wrap_text
    for name in book.sheetnames:
        widths = [d.width for d in book[name].column_dimensions.values() if d.width]
        assert widths and max(widths) <= 61, name


def test_about_names_the_release_and_describes_every_column(book, con):
    about = book["About"]
    assert "Windsor and Maidenhead" in about["A1"].value
    facts = {about.cell(r, 1).value: about.cell(r, 2).value for r in range(2, 12)}
    release_id = con.execute("SELECT release_id FROM core.release_history").fetchall()[0][0]
    assert facts["Release"] == release_id
    assert "first release" in facts["Compared with release"]
    assert "docs/" not in facts["Method"] and "methods.html" in facts["Method"]  # words, not a repository path
    sheets_table, columns_table = about.tables["Sheets"], about.tables["Columns"]
    cells = list(about[columns_table.ref])
    glossary = {(a.value, b.value): (c.value, d.value) for a, b, c, d in cells[1:]}
    for name in book.sheetnames[1:]:
        for header in [c.value for c in book[name][3]]:
            field, meaning = glossary[(name, header)]
            assert meaning, (name, header)
    marts = column_descriptions()
    assert glossary[("Indicators", "England value")] == ("england_value", marts["benchmark"]["england_value"])
    assert glossary[("Summary", "Headline concerns")][1] == marts["council_summary"]["headline_concerns"]
    assert glossary[("Signals", "Change in noise units")][1] == marts["series_signal"]["change_in_noise_units"]
    sheet_rows = {a.value: c.value for a, b, c in list(about[sheets_table.ref])[1:]}
    assert sheet_rows["Indicators"] == len(table_rows(book, "Indicators"))


def test_an_empty_sheet_says_why(book, con):
    assert con.execute("SELECT count(*) FROM marts.release_changes WHERE area_code = 868 OR area_code IS NULL"
                       ).fetchall() == [(0,)]
    assert book["Changes"]["A1"].value.startswith("No changes to list: this is the first release")
    assert table_rows(book, "Changes") == []


def test_one_name_per_indicator_on_the_card_the_row_the_chart_and_the_export(book, home):
    """Long-term placement stability (a headline indicator: its curated short name) and its count
    (the dictionary's name "Long Term Placement Stability (Num)", as written there): one name each on
    Windsor's page (headline card, table row), its trend chart's title and the workbook; never the
    dictionary's chart title with its typo "their adoption and their adoptive placement"."""
    headline = yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())
    expected = {"LAC_LongStable%": next(e["short_name"] for e in headline if e["code"] == "LAC_LongStable%"),
                "LAC_LongStableNum": "Long Term Placement Stability (Num)"}
    page = (home / "profiles" / "councils" / "868-windsor-and-maidenhead.html").read_text()
    script = (home / "profiles" / "councils" / "trends" / "868.js").read_text()
    charts = json.loads(script[script.index("(") + 1:script.rindex(")")])
    cards = re.search(r'<ol class="hl">.*?</ol>', page, re.S).group(0)
    for code, name in expected.items():
        anchor = f"ind-{slug(code.replace('%', ' pct'))}"
        row = re.search(rf'<tr id="{re.escape(anchor)}".*?</tr>', page, re.S).group(0)
        assert html.unescape(re.search(r'class="ind-name"[^>]*>([^<]+)<', row).group(1)) == name
        assert charts[anchor]["t"] == name
        assert {r["Indicator"].value for r in table_rows(book, "Indicators") if r["Indicator code"].value == code} == {name}
        assert [r["Indicator"].value for r in table_rows(book, "Definitions") if r["Indicator code"].value == code] == [name]
    card = re.search(r'<a href="#ind-lac-longstable-pct">([^<]+)</a>', cards).group(1)
    assert html.unescape(card) == expected["LAC_LongStable%"]
    typo = "their adoption and their adoptive"
    assert typo not in page and typo not in script
    for name in book.sheetnames[1:]:  # (the Definitions sheet quotes the dictionary's description, typo and all)
        assert not any(typo in str(r["Indicator"].value) for r in table_rows(book, name) if "Indicator" in r), name


def test_the_workbook_gets_the_users_permissions(path):
    assert path.stat().st_mode & 0o777 == 0o664


def test_signals_and_neighbours_match_the_marts(book, con):
    rows = table_rows(book, "Signals")
    expected = dict(con.execute("SELECT indicator_code, signal FROM marts.series_signal WHERE area_code = 868").fetchall())
    assert {r["Indicator code"].value: r["Signal"].value for r in rows} == expected and len(rows) == len(expected)
    for row in rows:  # concern orange, strength green, the rest neither
        colour, signal = row["Signal"].fill.fgColor.rgb, row["Signal"].value
        assert colour == ORANGE if signal == "concern" else colour == GREEN if signal == "strength" \
            else colour not in (ORANGE, GREEN)
    # headline indicators first
    headline = [r["Is headline"].value for r in rows]
    assert headline == sorted(headline, reverse=True)
    picked = {(r["Indicator code"].value, r["Picked as"].value) for r in rows if r["Picked as"].value}
    assert picked == {(i, f"{k.replace('_', ' ')} {p}") for i, k, p in con.execute(
        "SELECT indicator_code, kind, position FROM marts.strengths_weaknesses WHERE area_code = 868").fetchall()}
    neighbours = {n for (n,) in con.execute("SELECT neighbour_code FROM core.dim_stat_neighbour WHERE area_code = 868").fetchall()}
    assert {r["Neighbour's LA code"].value for r in table_rows(book, "Neighbours")} == neighbours


def test_inspections_of_a_council_and_of_the_council_it_replaced(warehouse, con, tmp_path):
    expected = con.execute("SELECT count(*) FROM core.inspection WHERE area_code IN (928, 940)").fetchall()[0][0]
    assert expected > 0
    folder = export_council("North Northamptonshire", "csv", tmp_path, warehouse)
    assert pl.read_csv(folder / "inspections.csv").height == expected


def test_csv_files_carry_a_bom_and_folders_the_users_permissions(warehouse, tmp_path, book, con):
    with umask(0o022):
        folder = export_council(868, "csv", tmp_path, warehouse)
    names = {p.name for p in folder.iterdir()}
    assert names == {n.lower().replace(" ", "_") + ".csv" for n in book.sheetnames[1:]} | {"about.csv"}
    assert folder.stat().st_mode & 0o777 == 0o755
    assert all((folder / n).stat().st_mode & 0o777 == 0o644 for n in names)
    raw = (folder / "indicators.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrelease_id,indicator_name,indicator_code,")
    assert pl.read_csv(folder / "indicators.csv", infer_schema=False).height == len(table_rows(book, "Indicators"))
    glossary = pl.read_csv(folder / "about.csv")
    assert glossary.filter(pl.col("meaning").is_null()).height == 0
    (release_id,) = con.execute("SELECT release_id FROM core.release_history").fetchall()[0]
    assert folder.name == f"868-windsor-and-maidenhead-{release_id}"
    for name in names - {"about.csv"}:
        table = pl.read_csv(folder / name, infer_schema=False)
        assert table.columns[0] == "release_id" and set(table["release_id"]) <= {release_id}, name
        # numbers as the figure they hold: no float artefact such as 20.450000000000003
        long = [v for c in table.columns for v in table[c].drop_nulls() if re.fullmatch(r"-?\d+\.\d{11,}", v)]
        assert long == [], (name, long[:3])
    concerns = pl.read_csv(folder / "concerns.csv")
    assert concerns.height and set(concerns["service_area"]) <= set(SERVICE_HEADINGS.values())
    export_council(868, "csv", tmp_path, warehouse)  # a second export replaces the folder whole
    assert len(list(tmp_path.iterdir())) == 1


def test_parquet_folder_holds_the_same_tables(warehouse, tmp_path, book):
    folder = export_council(868, "parquet", tmp_path, warehouse)
    assert pl.read_parquet(folder / "indicators.parquet").height == len(table_rows(book, "Indicators"))


def test_tables_built_later_get_their_sheets(home, tmp_path, con):
    """marts.concerns and marts.lines_of_enquiry (helpers B and C) become sheets when they exist:
    here a copy of the warehouse is given both, in the contract's columns."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(home / "data" / "marts" / "warehouse.duckdb", copy)
    with duckdb.connect(str(copy)) as writable:
        writable.execute("""
            CREATE OR REPLACE TABLE marts.concerns AS SELECT * FROM (VALUES
              (868, 1, 'CLA_Rate', 'Children looked after rate', 'children_in_care', 'Rose faster than England.',
               '2025', 55.0, 70.0, 60.0, '2022'),
              (868, 2, 'CIN_Rate', 'Children in need rate', 'help_and_protection', 'Rose since 2023.',
               '2025', 300.0, 330.0, 310.0, '2023'),
              (931, 1, 'CLA_Rate', 'Children looked after rate', 'children_in_care', 'Other council.',
               '2025', 1.0, 1.0, 1.0, '2022')
            ) AS t(area_code, concern_rank, indicator_code, indicator_name, service_area, sentence,
                   latest_period, latest_value, england_value, sn_mean, since_period)""")
        writable.execute("""
            CREATE OR REPLACE TABLE marts.lines_of_enquiry AS SELECT * FROM (VALUES
              (868, 1, 'Why has the care rate risen?', 'Up 10% since 2022.', 'concern', 'CLA_Rate')
            ) AS t(area_code, position, question, evidence, evidence_kind, indicator_code)""")
    resource = WarehouseResource(home=str(home), warehouse_path=str(copy))
    path = export_council(868, "xlsx", tmp_path / "out", resource)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames.index("Concerns") == book.sheetnames.index("Signals") + 1
    concerns = table_rows(book, "Concerns")
    assert [r["Sentence"].value for r in concerns] == ["Rose faster than England.", "Rose since 2023."]
    assert [r["Question"].value for r in table_rows(book, "Lines of enquiry")] == ["Why has the care rate risen?"]
    assert book["Lines of enquiry"].tables["Lines_of_enquiry"]


def test_unknown_or_abolished_council_and_unknown_format_are_refused(warehouse, tmp_path):
    with pytest.raises(CouncilNotFound, match="Windsor and Maidenhead"):
        export_council("Windsr and Maidenhed", "xlsx", tmp_path, warehouse)
    with pytest.raises(CouncilAbolished, match="Cumberland"):
        export_council("Cumbria", "xlsx", tmp_path, warehouse)
    with pytest.raises(ExportError, match="xlsx, csv, parquet"):
        export_council(868, "json", tmp_path, warehouse)
