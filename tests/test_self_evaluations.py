"""Self-evaluations as a source: landed, hashed, read from CSV files and filled-in frameworks,
validated in the core build; a bad file refused naming file, row and column, the warehouse unchanged."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
import duckdb
import pytest

from assets.core.assets import core_model
from assets.self_evaluations.read import SelfEvaluationFileError, read_self_evaluation_file
from conftest import failure_text, run_foundation

HEADER = "la_code,service_area,our_view,direction,evidence\n"


def write_framework(path: Path, la_code: str | None, rows: list[tuple[str, str, str, str]]) -> Path:
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


def test_csv_rows_are_read_as_written_with_their_spreadsheet_rows(tmp_path):
    path = tmp_path / "views.csv"
    path.write_text(HEADER + "868,workforce,Strength,improving,Stable team\n,,,,\n867,send,secure,,\n")
    rows = read_self_evaluation_file(path)
    assert [(r.source_row, r.la_code, r.service_area, r.our_view, r.direction, r.evidence) for r in rows] == [
        (2, "868", "workforce", "Strength", "improving", "Stable team"),
        (4, "867", "send", "secure", None, None),  # row 3 is empty: no view
    ]


def test_framework_rows_are_read_from_the_our_view_table_and_empty_rows_skipped(tmp_path):
    path = write_framework(tmp_path / "windsor.docx", "868", [
        ("Help and protection", "Secure", "Stable", ""), ("Workforce", "", "", ""), ("SEND", "strength", "", "EHCP audit")])
    rows = read_self_evaluation_file(path)
    assert [(r.source_row, r.la_code, r.service_area, r.our_view, r.direction, r.evidence) for r in rows] == [
        (2, "868", "Help and protection", "Secure", "Stable", None),
        (4, "868", "SEND", "strength", None, "EHCP audit"),
    ]


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


def _core_fingerprint(home: Path) -> tuple:
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        return tuple(con.execute(f"SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM core.{t}").fetchall()[0]
                     for t in ("self_evaluation", "self_evaluation_source", "fact_indicator_value", "inspection"))


@pytest.fixture(scope="module")
def views_home(tmp_path_factory, lait) -> Path:
    """A home whose core model holds a CSV of two councils' views and one council's framework."""
    home = tmp_path_factory.mktemp("views_home")
    folder = home / "data" / "self-evaluations"
    folder.mkdir(parents=True)
    (folder / "views.csv").write_text(HEADER + "867,send,area for development,declining,Tribunal backlog\n"
                                      "867,Workforce,strength,,\n")
    write_framework(folder / "windsor.docx", "868", [("Children in care", "Area for development", "improving", "New panel")])
    result = run_foundation(home, lait / "current", self_evaluations=folder)
    assert result.success, failure_text(result)
    return home


def test_views_are_landed_with_hashes_and_published_in_core(views_home):
    folder = views_home / "data" / "self-evaluations"
    (landing,) = (views_home / "data" / "raw" / "self-evaluations").iterdir()
    with duckdb.connect(str(views_home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        views = con.execute("SELECT area_code, service_area, our_view, direction, evidence, source_file, source_row "
                            "FROM core.self_evaluation ORDER BY ALL").fetchall()
        sources = con.execute("SELECT landing_id, file, sha256, file_rows FROM core.self_evaluation_source ORDER BY file").fetchall()
    assert views == [
        (867, "send", "area for development", "declining", "Tribunal backlog", "views.csv", 2),
        (867, "workforce", "strength", None, None, "views.csv", 3),
        (868, "children_in_care", "area for development", "improving", "New panel", "windsor.docx", 2),
    ]
    assert sources == [
        (landing.name, name, hashlib.sha256((folder / name).read_bytes()).hexdigest(), rows)
        for name, rows in (("views.csv", 2), ("windsor.docx", 1))
    ]
    assert (landing / "views.csv").read_bytes() == (folder / "views.csv").read_bytes()


def test_a_bad_file_is_refused_naming_file_row_and_column_and_the_warehouse_is_unchanged(views_home, tmp_path, lait):
    before = _core_fingerprint(views_home)
    (tmp_path / "views.csv").write_text(HEADER + "868,workforce,strength,improving,\n999,send,secure,,\n"
                                        "868,safeguarding,great,upwards,\n868,Workforce,secure,,\n")
    write_framework(tmp_path / "nobody.docx", None, [("Finance", "secure", "", "")])
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
