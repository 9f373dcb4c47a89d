"""Self-evaluations as a source: landed, hashed, read from CSV files and filled-in frameworks,
validated in the core build; a bad file refused naming file, row and column, the warehouse unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import dagster as dg
import docx
import duckdb
import pytest
import yaml

from assets.core.assets import core_model
from assets.marts import marts_assets
from base.service_areas import JUDGED_AREAS
from assets.self_evaluations.read import SelfEvaluationFileError, read_self_evaluation_file
from assets.resources import WarehouseResource
from pipeline.self_evaluation_template import CouncilFramework, write_framework, write_templates
from base.warehouse import WarehouseFile
from conftest import failure_text, run_foundation

REPO = Path(__file__).resolve().parents[1]

HEADER = "la_code,service_area,our_view,direction,evidence\n"


def write_framework_by_hand(path: Path, la_code: str | None, rows: list[tuple[str, str, str, str]]) -> Path:
    """A framework document as a council returns it: some text, then the "Our view" table."""
    document = docx.Document()
    if la_code is not None:
        document.core_properties.identifier = la_code
    document.add_paragraph("Our self-evaluation")
    document.add_table(rows=1, cols=2).rows[0].cells[0].text = "Not the table"
    table = document.add_table(rows=1, cols=4)
    for cell, heading in zip(table.rows[0].cells, ("Service area", "Our view", "Direction", "Evidence beyond the data")):
        cell.text = heading
    for values in rows:
        for cell, value in zip(table.add_row().cells, values):
            cell.text = value
    document.save(str(path))
    return path


@pytest.mark.fast
def test_csv_rows_are_read_as_written_with_their_spreadsheet_rows(tmp_path):
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "868,workforce,Strength,improving,Stable team\n,,,,\n867,send,secure,,\n")
    rows = read_self_evaluation_file(path)
    assert [(r.source_row, r.la_code, r.service_area, r.our_view, r.direction, r.evidence) for r in rows] == [
        (2, "868", "workforce", "Strength", "improving", "Stable team"),
        (4, "867", "send", "secure", None, None),  # row 3 is empty: no view
    ]


@pytest.mark.fast
def test_framework_rows_are_read_from_the_our_view_table_and_empty_rows_skipped(tmp_path):
    path = write_framework_by_hand(tmp_path / "windsor.docx", "868", [
        ("Help and protection", "Secure", "Stable", ""), ("Workforce", "", "", ""), ("SEND", "strength", "", "EHCP audit")])
    rows = read_self_evaluation_file(path)
    assert [(r.source_row, r.la_code, r.service_area, r.our_view, r.direction, r.evidence) for r in rows] == [
        (2, "868", "Help and protection", "Secure", "Stable", None),
        (4, "868", "SEND", "strength", None, "EHCP audit"),
    ]


@pytest.mark.fast
def test_a_file_without_the_columns_or_the_table_is_refused_naming_it(tmp_path):
    csv_path = tmp_path / "views.csv"
    csv_path.write_text("la_code,area,view\n868,workforce,strength\n")
    with pytest.raises(SelfEvaluationFileError, match=r"views.csv row 1: column\(s\) service_area, our_view, direction, evidence missing"):
        read_self_evaluation_file(csv_path)
    document = docx.Document()
    document.add_paragraph("no table")
    document.save(str(tmp_path / "empty.docx"))
    with pytest.raises(SelfEvaluationFileError, match="empty.docx: no table 'Our view'"):
        read_self_evaluation_file(tmp_path / "empty.docx")


def fill_framework(path: Path, views: dict[str, tuple[str, str, str]]) -> Path:
    """Fill the "Our view" table of a framework document as a council would: {heading: (view, direction, evidence)}."""
    document = docx.Document(str(path))
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text == "Service area"]
    for row in table.rows[1:]:
        for cell, value in zip(row.cells[1:], views.get(row.cells[0].text, ("", "", ""))):
            cell.text = value
    document.save(str(path))
    return path


def _core_fingerprint(home: Path) -> tuple:
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        return tuple(con.execute(f"SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM {t}").fetchall()[0]
                     for t in ("core.self_evaluation", "core.self_evaluation_source", "core.fact_indicator_value",
                               "core.inspection", "marts.self_evaluation_check"))


# Two councils' self-evaluations: Bracknell Forest (867) as a CSV, Windsor and Maidenhead (868) as a
# framework document written by the template writer and filled in.
BRACKNELL_CSV = HEADER + "867,send,area for development,declining,Tribunal backlog\n867,Health,strength,,\n"
WINDSOR_VIEWS = {
    "Workforce": ("Strength", "improving", "Stable leadership team"),
    "Children in care": ("secure", "", ""),
    "Education": ("strength", "improving", "School improvement partnership"),
    "Finance": ("secure", "stable", "Balanced budget"),
}


@pytest.fixture(scope="module")
def views_home(tmp_path_factory, lait) -> Path:
    """A home whose warehouse (core and marts) holds the two councils' self-evaluations."""
    home = tmp_path_factory.mktemp("views_home")
    folder = home / "data" / "self-evaluations"
    folder.mkdir(parents=True)
    (folder / "views.csv").write_text(BRACKNELL_CSV)
    blank = CouncilFramework(868, "Windsor and Maidenhead", "release", [(a, []) for a in JUDGED_AREAS], [])
    fill_framework(write_framework(blank, folder / "windsor.docx"), WINDSOR_VIEWS)
    result = run_foundation(home, lait / "current", self_evaluations=folder)
    assert result.success, failure_text(result)
    warehouse = WarehouseResource(home=str(home), warehouse_path=str(home / "data" / "marts" / "warehouse.duckdb"))
    assert dg.materialize(marts_assets, resources={"warehouse": warehouse}).success
    return home


def _query(home: Path, sql: str, *parameters) -> list[tuple]:
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        return con.execute(sql, list(parameters)).fetchall()


def test_views_are_landed_with_hashes_and_published_in_core(views_home):
    folder = views_home / "data" / "self-evaluations"
    (landing,) = (views_home / "data" / "raw" / "self-evaluations").iterdir()
    views = _query(views_home, "SELECT area_code, service_area, our_view, direction, evidence, source_file, source_row "
                               "FROM core.self_evaluation ORDER BY ALL")
    sources = _query(views_home, "SELECT landing_id, file, sha256, file_rows FROM core.self_evaluation_source ORDER BY file")
    assert views == [
        (867, "health", "strength", None, None, "views.csv", 3),
        (867, "send", "area for development", "declining", "Tribunal backlog", "views.csv", 2),
        (868, "children_in_care", "secure", None, None, "windsor.docx", 3),
        (868, "education", "strength", "improving", "School improvement partnership", "windsor.docx", 6),
        (868, "finance", "secure", "stable", "Balanced budget", "windsor.docx", 9),
        (868, "workforce", "strength", "improving", "Stable leadership team", "windsor.docx", 8),
    ]
    assert sources == [
        (landing.name, name, hashlib.sha256((folder / name).read_bytes()).hexdigest(), rows)
        for name, rows in (("views.csv", 2), ("windsor.docx", 4))
    ]
    assert (landing / "views.csv").read_bytes() == (folder / "views.csv").read_bytes()


def _quartile_band(home: Path, code: str, area: int) -> tuple[str, float, float]:
    """The council's band at the indicator's newest period, worked out here from the facts:
    the quarter of the current councils' values it falls in (by polarity), its value and England's."""
    import numpy as np

    (polarity,) = _query(home, "SELECT polarity FROM core.dim_indicator WHERE indicator_code = ?", code)[0]
    (period,) = _query(home, "SELECT period_label FROM core.fact_indicator_value WHERE indicator_code = ? "
                             "AND area_code = ? AND value IS NOT NULL ORDER BY period_order DESC LIMIT 1", code, area)[0]
    values = dict(_query(home, "SELECT f.area_code, f.value FROM core.fact_indicator_value f JOIN core.dim_area a "
                               "USING (area_code) WHERE indicator_code = ? AND period_label = ? AND value IS NOT NULL "
                               "AND ((a.area_kind = 'la' AND a.is_current) OR a.area_kind = 'england')", code, period))
    (england_code,) = _query(home, "SELECT area_code FROM core.dim_area WHERE area_kind = 'england'")[0]
    councils = np.array([v for a, v in values.items() if a != england_code])
    q25, q50, q75 = np.quantile(councils, [0.25, 0.5, 0.75])
    quarter = int(np.searchsorted([q25, q50, q75], values[area], side="left"))  # 0 lowest .. 3 highest
    return ("ABCD" if polarity == "low" else "DCBA")[quarter], values[area], values[england_code]


def headline_short_name(code: str) -> str:
    """An indicator's one name, as pipeline/headline_indicators.yaml gives it (the sentences use it)."""
    (name,) = [e["short_name"] for e in yaml.safe_load((REPO / "pipeline" / "headline_indicators.yaml").read_text())
               if e["code"] == code]
    return name


def test_two_councils_views_against_the_data_worked_out_by_hand(views_home):
    # The facts the hand working rests on, recomputed from the core tables:
    # Windsor's four workforce figures are all in the worst quarter -> the data say area for development;
    workforce = ("Work_Force_TO_Rate", "Work_Force_Vac_Rate", "Work_Force_Agecy_Rate", "Work_Force_AvgNumCase_SW")
    assert [_quartile_band(views_home, code, 868)[0] for code in workforce] == ["D"] * 4
    # Ofsted judged Windsor's children in care "requires improvement" (February 2020) -> area for development.
    assert _query(views_home, "SELECT in_care, publication_date FROM core.inspection WHERE current_area_code = 868 "
                              "ORDER BY publication_date DESC LIMIT 1") == [("requires improvement", dt.date(2020, 2, 24))]
    # Bracknell's health figures that can be judged (excess weight in year 6, the 2-2.5 year review offered)
    # are both in the best quarter -> strength; its alcohol admissions have no figure for the newest two
    # periods, so they are not judged.
    assert [_quartile_band(views_home, code, 867)[0] for code in ("ExcessYr6", "HCP_PHOF")] == ["A", "A"]
    assert _query(views_home, "SELECT count(value) FROM core.fact_indicator_value WHERE area_code = 867 AND "
                              "indicator_code = 'Hosp_Adm_Alc_<18yrs' AND period_label IN ('2021/22-23/24', "
                              "'2020/21-22/23')") == [(0,)]
    rows = _query(views_home, "SELECT area_code, seriousness_rank, service_area, agreement, data_view, sentence "
                              "FROM marts.self_evaluation_check ORDER BY area_code, seriousness_rank")
    assert [r[:5] for r in rows] == [
        # Bracknell rates SEND lower than the data (secure: one figure of three in the worst quarter, no concern);
        (867, 1, "send", "rates lower than the data", "secure"),
        (867, 2, "health", "agrees", "strength"),
        # Windsor: workforce a strength against area for development (two steps rosier) comes first,
        (868, 1, "workforce", "rates higher than the data", "area for development"),
        (868, 2, "children_in_care", "rates higher than the data", "area for development"),
        # education a strength as the data say, but improving where most sustained trends worsen,
        (868, 3, "education", "direction differs", "strength"),
        # finance: its headline figures are spend, which the data do not judge.
        (868, 4, "finance", "data cannot judge", None),
    ]
    sentences = {(r[0], r[2]): r[5] for r in rows}
    band, value, england = _quartile_band(views_home, "Work_Force_TO_Rate", 868)
    turnover = headline_short_name("Work_Force_TO_Rate")
    assert sentences[(868, "workforce")].startswith(
        f"You rate workforce a strength and improving; the data say area for development: {turnover} "
        f"{value:.1f} in 2025 against {england:.1f} for England")
    assert "worst quarter" in sentences[(868, "workforce")]
    assert sentences[(868, "children_in_care")].endswith("Ofsted judged children in care requires improvement (February 2020).")


def test_the_framework_is_opened_back_with_its_table_and_the_figures_of_the_data(views_home, tmp_path):
    (path,) = write_templates(["Windsor & Maidenhead"], tmp_path, WarehouseFile(views_home, views_home / "data" / "marts" / "warehouse.duckdb"))
    document = docx.Document(str(path))
    assert document.core_properties.identifier == "868"
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["Service area", "Our view", "Direction", "Evidence beyond the data"]
    assert [r.cells[0].text for r in table.rows[1:]] == [
        "Help and protection", "Children in care", "Care leavers", "Special educational needs and disabilities (SEND)",
        "Education", "Health and wellbeing", "Workforce", "Finance"]
    assert all(c.text == "" for r in table.rows[1:] for c in r.cells[1:])
    text = [p.text for p in document.paragraphs]
    workforce = text[text.index("Workforce"):text.index("Finance")]
    # The figures, queried here from the facts: turnover, Windsor's weakest workforce figure.
    band, value, england = _quartile_band(views_home, "Work_Force_TO_Rate", 868)
    (behind,) = [line for line in workforce if line.startswith("Furthest behind England")]
    turnover = headline_short_name("Work_Force_TO_Rate")
    assert f"{turnover} {value:.1f} in 2025 against {england:.1f} for England" in behind and band == "D"
    assert workforce[2].startswith("4 headline figures judged: 0 in the best quarter of councils, 4 in the worst")
    assert "Ofsted's latest inspection (report published February 2020) judged impact of leaders good." in workforce
    care = text[text.index("Children in care"):text.index("Care leavers")]
    assert "Ofsted's latest inspection (report published February 2020) judged children in care requires improvement." in care
    assert "Areas for development" in text and "Our account" in text
    # read back as a self-evaluation once filled in: the table is the one the reader looks for
    fill_framework(path, {"Workforce": ("secure", "stable", "")})
    (row,) = read_self_evaluation_file(path)
    assert (row.la_code, row.service_area, row.our_view, row.direction, row.source_row) == ("868", "Workforce", "secure", "stable", 8)


def test_a_bad_file_is_refused_naming_file_row_and_column_and_the_warehouse_is_unchanged(views_home, tmp_path, lait):
    before = _core_fingerprint(views_home)
    (tmp_path / "views.csv").write_text(HEADER + "868,workforce,strength,improving,\n999,send,secure,,\n"
                                        "868,safeguarding,great,upwards,\n868,Workforce,secure,,\n")
    write_framework_by_hand(tmp_path / "nobody.docx", None, [("Finance", "secure", "", "")])
    result = run_foundation(views_home, lait / "current", assets=[core_model], self_evaluations=tmp_path)
    assert not result.success
    text = failure_text(result)
    for line in (
        "views.csv row 3, column la_code (value '999'): not the LA code of a current council",
        "views.csv row 4, column service_area (value 'safeguarding'): not a service area",
        "views.csv row 4, column our_view (value 'great'): not one of strength, secure, area for development",
        "views.csv row 4, column direction (value 'upwards'): not one of improving, stable, declining",
        "views.csv row 5, column service_area (value 'Workforce'): a second view of this council's service area "
        "(the first is views.csv row 2)",
        "nobody.docx row 2, column document property 'identifier' (LA code): not the LA code of a current council",
    ):
        assert line in text
    assert _core_fingerprint(views_home) == before
    # nothing is lost: the refused files are landed beside the good ones
    landed = sorted((views_home / "data" / "raw" / "self-evaluations").glob("*/views.csv"))
    assert [p.read_bytes() for p in landed].count((tmp_path / "views.csv").read_bytes()) == 1


# --- regional themes and who to learn from, recomputed here from the signal, the trend and the facts ---

def _judged_series(home: Path, region: str) -> list[dict]:
    rows = _query(home, """
        SELECT s.area_code, a.area_name, s.indicator_code, s.signal, s.latest_band, s.position_latest, s.position_change
        FROM marts.series_signal s JOIN marts.headline_indicator h USING (indicator_code)
        JOIN core.dim_area a USING (area_code)
        WHERE a.region_name = ? AND a.area_kind = 'la' AND a.is_current AND h.polarity IN ('high', 'low')
          AND s.signal IN ('concern', 'strength', 'no_signal')""", region)
    return [dict(zip(("code", "name", "indicator", "signal", "band", "position", "change"), r)) for r in rows]


def _region_against_england(home: Path, region_code: int, indicator: str) -> tuple[float, float] | None:
    """(position, change since the base) of the region's own figure against England's, in national
    spreads of the current councils' values, worked out from the facts."""
    import numpy as np

    (polarity,) = _query(home, "SELECT polarity FROM core.dim_indicator WHERE indicator_code = ?", indicator)[0]
    better = 1 if polarity == "high" else -1
    rows = _query(home, """
        SELECT f.period_order, f.period_end_year, f.area_code, f.value, a.area_kind FROM core.fact_indicator_value f
        JOIN core.dim_area a USING (area_code)
        WHERE f.indicator_code = ? AND f.value IS NOT NULL
          AND ((a.area_kind = 'la' AND a.is_current) OR f.area_code IN (970, ?))""", indicator, region_code)
    periods = {}
    for order, year, area, value, kind in rows:
        periods.setdefault((order, year), {"councils": [], "region": None, "england": None})
        slot = periods[(order, year)]
        if area == 970:
            slot["england"] = value
        elif area == region_code:
            slot["region"] = value
        else:
            slot["councils"].append(value)

    def position(slot):
        q25, q75 = np.quantile(slot["councils"], [0.25, 0.75])
        return better * (slot["region"] - slot["england"]) / ((q75 - q25) / 1.349)

    usable = sorted(k for k, s in periods.items() if s["region"] is not None and s["england"] is not None)
    if not usable:
        return None
    latest = usable[-1]
    bases = [k for k in usable if latest[1] - 4 <= k[1] <= latest[1] - 2 and k[1] not in (2020, 2021)]
    now = position(periods[latest])
    return now, (now - position(periods[bases[-1]])) if bases else None


def test_the_themes_of_a_region_are_recomputed_from_the_signal_and_the_facts(views_home):
    region, region_code = "South East", 989
    series = _judged_series(views_home, region)
    expected = {}
    for indicator in {s["indicator"] for s in series}:
        judged = [s for s in series if s["indicator"] == indicator]
        of_concern = sorted(s["name"] for s in judged if s["signal"] == "concern" or s["band"] == "D")
        moved = _region_against_england(views_home, region_code, indicator)
        fell_behind = bool(moved and moved[1] is not None and moved[0] <= -0.5 and moved[1] <= -0.5)
        if (len(judged) >= 3 and len(of_concern) >= 0.4 * len(judged)) or fell_behind:
            expected[indicator] = (len(judged), of_concern, fell_behind)
    themes = _query(views_home, "SELECT indicator_code, councils_judged, council_names_of_concern, region_fell_behind "
                                "FROM marts.region_theme WHERE region_name = ? ORDER BY theme_rank", region)
    assert {code: (n, list(names), fell) for code, n, names, fell in themes} == expected
    assert len(expected) >= 3 and any(fell for *_, fell in expected.values())  # both rules are exercised
    # ranked by the share of councils of concern
    shares = [len(expected[code][1]) / expected[code][0] for code, *_ in themes]
    assert shares == sorted(shares, reverse=True)


def test_who_to_learn_from_is_recomputed_for_a_small_region(views_home):
    region = "North East"
    councils = {code: (name, reg, kind) for code, name, reg, kind in _query(
        views_home, "SELECT area_code, area_name, region_name, la_type FROM core.dim_area WHERE area_kind = 'la' AND is_current")}
    neighbours = set(_query(views_home, "SELECT area_code, neighbour_code FROM core.dim_stat_neighbour"))
    needs = _query(views_home, """
        SELECT area_code, indicator_code FROM marts.concerns
        UNION SELECT area_code, indicator_code FROM marts.strengths_weaknesses WHERE kind = 'area_for_development'""")
    offers = _query(views_home, """
        SELECT s.area_code, s.indicator_code, s.signal = 'strength', s.position_latest FROM marts.series_signal s
        JOIN marts.trend t USING (area_code, indicator_code)
        WHERE s.signal = 'strength' OR (s.signal IN ('no_signal', 'concern') AND t.trend_material AND t.trend_robust
              AND t.trend_direction = 'improving' AND s.position_change > 0)""")
    expected = {}
    for code, indicator in needs:
        if councils[code][1] != region:
            continue
        candidates = []
        for other, other_indicator, strength, position in offers:
            if other_indicator != indicator or other == code:
                continue
            tier = (1 if councils[other][1] == region else 2 if (code, other) in neighbours
                    else 3 if councils[other][2] == councils[code][2] else None)
            if tier is not None:
                candidates.append((tier, not strength, -position, councils[other][0], other))
        expected[(code, indicator)] = [c[-1] for c in sorted(candidates)[:3]]
    found = {}
    for code, indicator, other in _query(views_home, "SELECT area_code, indicator_code, learn_from_code FROM marts.learn_from "
                                                     "WHERE region_name = ? ORDER BY area_code, indicator_code, learn_rank", region):
        found.setdefault((code, indicator), []).append(other)
    assert found == {k: v for k, v in expected.items() if v}
    assert len(found) >= 10


def test_a_region_pack_has_one_long_table_per_mart_with_the_release_in_rows_and_names(views_home, tmp_path):
    import polars as pl

    from pipeline.export_region import export_regions

    warehouse = WarehouseFile(views_home, views_home / "data" / "marts" / "warehouse.duckdb")
    folder, workbook = export_regions(["north east"], tmp_path, warehouse)
    ((release,),) = _query(views_home, "SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1")
    assert folder.name == f"north-east-{release}" and workbook.name == f"north-east-{release}.xlsx"
    north_east = {str(c) for (c,) in _query(views_home, "SELECT area_code FROM core.dim_area WHERE region_name = 'North East' "
                                                        "AND area_kind = 'la' AND is_current")}
    assert len(north_east) == 12
    sheets = pl.read_excel(workbook, sheet_id=0, engine="calamine")
    for table in ("benchmark", "trend", "series_signal", "concerns", "learn_from", "service_area_evidence",
                  "lines_of_enquiry", "strengths_weaknesses"):
        frame = pl.read_csv(folder / f"{table}-{release}.csv", infer_schema=False)  # as text, as Power Query first sees it
        assert frame.columns[0] == "release_id" and set(frame["release_id"]) == {release}
        assert set(frame["area_code"]) == north_east or table in ("concerns", "learn_from")
        assert set(frame["area_code"]) <= north_east
        (count,) = _query(views_home, f"SELECT count(*) FROM marts.{table} t JOIN core.dim_area a USING (area_code) "
                                      "WHERE a.region_name = 'North East'")[0]
        assert frame.height == count == sheets[table].height
        # numbers as the figures they hold: no float artefact such as 72.30000000000001
        long = [v for c in frame.columns for v in frame[c].drop_nulls() if re.fullmatch(r"-?\d+\.\d{11,}", v)]
        assert long == [], (table, long[:3])
    themes = pl.read_csv(folder / f"region_theme-{release}.csv", infer_schema=False)
    assert set(themes["region_name"]) == {"North East"} and themes.height == sheets["region_theme"].height > 0
    # every indicator's one name, by code, for the tables that carry codes alone (benchmark)
    names = pl.read_csv(folder / f"indicator_name-{release}.csv", infer_schema=False)
    assert set(names["indicator_code"]) == {c for (c,) in _query(views_home, "SELECT indicator_code FROM core.dim_indicator")}
    about = pl.read_csv(folder / f"about-{release}.csv", infer_schema=False)
    assert about.filter(pl.col("table") == "learn_from", pl.col("column") == "relation")["meaning"].to_list() == [
        "same region, statistical neighbour or same type."]
