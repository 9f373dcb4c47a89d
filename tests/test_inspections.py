"""Ofsted inspection outcomes as a source: landed, validated and published as core.inspection.

Expected figures are worked out here from the files themselves (the csv module for the CSV,
Polars' Excel reader and strptime for the overview workbook), never from the pipeline's output.
A bad file is refused naming file, row and column, and the warehouse stays as it was.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import polars as pl
import pytest

from assets.core import checked_build
from assets.inspections.values import normal_date, normal_grade
from assets.raw.inspection_landing import land_inspections
from assets.raw.landing import LandingError
from conftest import LAIT, OFSTED, failure_text, run_foundation
from base.settings import ReleaseFiles
from test_landing import serve  # noqa: F401 - the fixture

CSV = OFSTED / "ilacs_inspections.csv"
XLSX = OFSTED / "ofsted_childrens_services_overview_2023-12-20.xlsx"
SNAPSHOT = "2023-12-20"  # the day the overview workbook was published
GRADE = {"outstanding": 1, "good": 2, "requires improvement": 3, "inadequate": 4}
CONTRACT = [
    "area_code", "current_area_code", "local_authority", "inspection_start_date", "inspection_end_date",
    "publication_date", "inspection_type", "overall_effectiveness", "overall_grade", "impact_of_leaders",
    "help_and_protection", "in_care", "care_leavers", "source_file", "source_row",
]

pytestmark = pytest.mark.skipif(not CSV.exists(), reason=f"no Ofsted data at {OFSTED}")


def csv_rows(path: Path = CSV) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, rows: list[dict], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def warehouse(home: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)


def state(home: Path) -> tuple:
    """What a failed run must not change: releases, inspections landing and rows, the facts."""
    con = warehouse(home)
    try:
        return (
            con.execute("SELECT list(release_id ORDER BY published_at) FROM core.release_history").fetchall()[0][0],
            con.execute("SELECT list(landing_id || file ORDER BY file) FROM core.inspection_source").fetchall()[0][0],
            con.execute("SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM core.inspection").fetchall()[0],
            con.execute("SELECT count(*) FROM core.fact_indicator_value").fetchall()[0][0],
        )
    finally:
        con.close()


@pytest.fixture(scope="module")
def csv_home(current_home, tmp_path_factory) -> Path:
    """The published current home, re-run with the inspections CSV alone (LAIT unchanged)."""
    home = tmp_path_factory.mktemp("csv_home") / "home"
    shutil.copytree(current_home, home)
    result = run_foundation(home, LAIT / "current", inspections=CSV)
    assert result.success, failure_text(result)
    return home


# --- reading cells ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("2019-07-26", "2019-07-26"), ("26/07/2019", "2019-07-26"), ("27/08/19", "2019-08-27"),
    ("2019-07-26 00:00:00", "2019-07-26"), (" ", None), (None, None),
    ("31/02/2020", "31/02/2020"), ("next week", "next week"),  # not dates: left for the check to refuse
])
def test_dates_are_read_in_the_published_forms_and_nothing_else(text, expected):
    assert normal_date(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Good", "good"), (" requires  improvement", "requires improvement"), ("nan", None), ("", None),
    ("to requires improvement", "requires improvement"), ("excellent", "excellent"),
])
def test_grades_are_read_in_lower_case_and_unknown_words_kept_for_the_check(text, expected):
    assert normal_grade(text) == expected


# --- landing ---------------------------------------------------------------------------------


def test_landing_keeps_each_file_with_its_hash_and_lands_unchanged_files_once(tmp_path):
    first = land_inspections(str(OFSTED), tmp_path)
    manifest = json.loads((first.path / "manifest.json").read_text())
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (CSV, XLSX)}
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == expected
    assert all(hashlib.sha256((first.path / n).read_bytes()).hexdigest() == h for n, h in expected.items())
    again = land_inspections(str(OFSTED), tmp_path)
    assert not again.newly_landed and again.path == first.path
    only_csv = land_inspections(str(CSV), tmp_path)
    assert only_csv.newly_landed and list(only_csv.manifest["files"]) == [CSV.name]


def test_a_folder_lands_its_csv_and_xlsx_files_only(tmp_path):
    folder = tmp_path / "ofsted"
    folder.mkdir()
    write_csv(folder / "inspections 2024.csv", csv_rows())
    (folder / "README.md").write_text("notes")
    (folder / "~$overview.xlsx").write_bytes(b"lock")  # Excel's lock file beside an open workbook
    landed = land_inspections(str(folder), tmp_path / "raw")
    assert list(landed.manifest["files"]) == ["inspections 2024.csv"]


def test_landing_from_the_url_of_one_file_and_refusing_an_html_page(tmp_path, serve, monkeypatch):  # noqa: F811
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    base = serve(OFSTED)
    landed = land_inspections(base + XLSX.name, tmp_path)
    assert list(landed.manifest["files"]) == [XLSX.name]
    assert landed.manifest["files"][XLSX.name]["sha256"] == hashlib.sha256(XLSX.read_bytes()).hexdigest()
    page = tmp_path / "site"
    page.mkdir()
    (page / "inspections.csv").write_text("<!DOCTYPE html><html><body>Moved</body></html>")
    with pytest.raises(LandingError, match="inspections.csv.*HTML page.*PEERDATA_INSPECTIONS"):
        land_inspections(serve(page) + "inspections.csv", tmp_path)


# --- the real files --------------------------------------------------------------------------


def test_the_real_csv_gives_172_inspections_of_149_councils(csv_home):
    rows = csv_rows()
    assert (len(rows), len({r["la_code"] for r in rows})) == (172, 149)
    con = warehouse(csv_home)
    columns = [r[0] for r in con.execute("DESCRIBE core.inspection").fetchall()]
    assert columns[: len(CONTRACT)] == CONTRACT
    assert con.execute("SELECT count(*), count(DISTINCT area_code) FROM core.inspection").fetchall() == [(172, 149)]
    got = set(con.execute(
        """SELECT area_code, inspection_start_date, inspection_end_date, publication_date, inspection_type,
                  overall_effectiveness, overall_grade, care_leavers, source_row FROM core.inspection"""
    ).fetchall())
    expected = {
        (int(r["la_code"]), date.fromisoformat(r["inspection_start_date"]), date.fromisoformat(r["inspection_end_date"]),
         date.fromisoformat(r["publication_date"]), r["inspection_type"], r["overall_effectiveness"] or None,
         GRADE.get(r["overall_effectiveness"]), r["care_leavers"] or None, row)
        for row, r in enumerate(rows, start=2)
    }
    assert got == expected
    # Every council in the file is current today: each maps to itself.
    assert con.execute("SELECT count(*) FROM core.inspection WHERE current_area_code IS DISTINCT FROM area_code").fetchall() == [(0,)]
    con.close()


def test_the_overview_workbook_loads_and_agrees_with_the_csv(current_home, copy_home):
    home = copy_home(current_home)
    result = run_foundation(home, LAIT / "current", inspections=XLSX)
    assert result.success, failure_text(result)
    sheet = pl.read_excel(XLSX, engine="calamine", infer_schema_length=0).to_dicts()
    con = warehouse(home)
    loaded = {
        r[0]: r[1:] for r in con.execute(
            """SELECT area_code, inspection_end_date, publication_date, overall_effectiveness, impact_of_leaders,
                      help_and_protection, in_care FROM core.inspection"""
        ).fetchall()
    }
    con.close()
    assert len(loaded) == len(sheet) == 151  # one row per council

    def day(text: str | None, form: str) -> date | None:
        return datetime.strptime(text, form).date() if text else None

    for row in sheet:  # the workbook's own cells: dd/mm/yyyy end dates, dd/mm/yy publication dates
        code = int(row["la_code"])
        assert loaded[code][:2] == (day(row["inspection_end_date"], "%d/%m/%Y"), day(row["publication_date"], "%d/%m/%y"))
    # Each council's latest inspection in the CSV that was public by the workbook's date agrees.
    latest = {}
    for r in csv_rows():
        if r["publication_date"] <= SNAPSHOT and r["publication_date"] > latest.get(r["la_code"], {}).get("publication_date", ""):
            latest[r["la_code"]] = r
    assert len(latest) == 149
    for code, r in latest.items():
        expected = (date.fromisoformat(r["inspection_end_date"]), date.fromisoformat(r["publication_date"]),
                    r["overall_effectiveness"] or None, r["impact_of_leaders"], r["help_and_protection"], r["in_care"])
        assert loaded[int(code)] == expected, code
    # Southend-on-Sea (882): the workbook's "nan" and "to requires improvement" read as the CSV has them.
    assert loaded[882][2:5] == (None, "requires improvement", "requires improvement")


def test_both_files_are_one_union_with_the_csv_winning(current_home):
    """The default folder holds both: the CSV's rows, plus the workbook's rows for inspections the
    CSV does not have (no CSV row of the council with the same end or publication date)."""
    rows = csv_rows()
    by_council = {}
    for r in rows:
        by_council.setdefault(r["la_code"], set()).update({r["inspection_end_date"], r["publication_date"]})
    extra = []
    for row in pl.read_excel(XLSX, engine="calamine", infer_schema_length=0).to_dicts():
        end = row["inspection_end_date"] and datetime.strptime(row["inspection_end_date"], "%d/%m/%Y").date().isoformat()
        published = datetime.strptime(row["publication_date"], "%d/%m/%y").date().isoformat()
        if not by_council.get(row["la_code"], set()) & {end, published}:
            extra.append(int(row["la_code"]))
    assert sorted(extra) == [807, 892]  # Redcar and Cleveland, Nottingham: 2022, without inspection dates
    con = warehouse(current_home)
    assert con.execute("SELECT count(*) FROM core.inspection WHERE source_file = ?", [CSV.name]).fetchall() == [(len(rows),)]
    assert sorted(c for (c,) in con.execute("SELECT area_code FROM core.inspection WHERE source_file = ?", [XLSX.name]).fetchall()) == sorted(extra)
    con.close()


def test_a_later_inspection_appended_just_works(csv_home, copy_home, tmp_path):
    home = copy_home(csv_home)
    rows = csv_rows()
    later = dict(rows[0], la_code="301", local_authority="Barking and Dagenham", inspection_start_date="2024-03-04",
                 inspection_end_date="2024-03-15", publication_date="2024-04-22", inspection_type="standard",
                 overall_effectiveness="good", impact_of_leaders="good", help_and_protection="requires improvement",
                 in_care="good", care_leavers="outstanding")
    source = write_csv(tmp_path / "ilacs_inspections.csv", rows + [later])
    result = run_foundation(home, LAIT / "current", inspections=source)
    assert result.success, failure_text(result)
    con = warehouse(home)
    assert con.execute("SELECT count(*) FROM core.inspection").fetchall() == [(173,)]
    assert con.execute(
        "SELECT overall_grade, care_leavers, source_row FROM core.inspection WHERE area_code = 301 AND inspection_end_date = DATE '2024-03-15'"
    ).fetchall() == [(2, "outstanding", 174)]
    con.close()


def test_abolished_councils_map_to_their_successors(csv_home, copy_home, tmp_path):
    """Inspections of councils abolished since (in the council list with their successors):
    Dorset (Pre LG) 835 has one successor, Dorset 838; Northamptonshire 928 was split in two."""
    home = copy_home(csv_home)
    rows = csv_rows()
    old = [dict(rows[0], la_code=code, local_authority=name, inspection_start_date="2019-01-07",
                inspection_end_date="2019-01-18", publication_date="2019-03-01", inspection_type="standard",
                overall_effectiveness="inadequate", care_leavers="")
           for code, name in [("835", "Dorset"), ("928", "Northamptonshire")]]
    source = write_csv(tmp_path / "ilacs_inspections.csv", rows + old)
    result = run_foundation(home, LAIT / "current", inspections=source)
    assert result.success, failure_text(result)
    con = warehouse(home)
    assert con.execute(
        "SELECT area_code, current_area_code, successor_codes, overall_grade FROM core.inspection WHERE area_code IN (835, 928) ORDER BY 1"
    ).fetchall() == [(835, 838, [838], 4), (928, None, [940, 941], 4)]
    con.close()


# --- bad files -------------------------------------------------------------------------------


def changed(rows: list[dict], index: int, **cells) -> list[dict]:
    return [dict(r, **cells) if i == index else r for i, r in enumerate(rows)]


# (what is wrong, how to break the CSV, fragments the message must hold: file, row, column, value)
BAD = {
    "unknown council": (lambda rows: changed(rows, 3, la_code="999"), ["row 5", "la_code", "'999'"]),
    "unknown grade": (lambda rows: changed(rows, 5, overall_effectiveness="excellent"),
                      ["row 7", "overall_effectiveness", "'excellent'"]),
    "ends before it starts": (lambda rows: changed(rows, 7, inspection_end_date="2019-01-01"),
                              ["row 9", "inspection_end_date", "inspection_start_date"]),
    "published before it ends": (lambda rows: changed(rows, 8, publication_date="2000-01-01"),
                                 ["row 10", "publication_date", "inspection_end_date"]),
    "non-date text": (lambda rows: changed(rows, 2, inspection_start_date="next week"),
                      ["row 4", "inspection_start_date", "'next week'"]),
}


@pytest.fixture(scope="module")
def good_csv_home(csv_home) -> tuple[Path, tuple]:
    return csv_home, state(csv_home)


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_is_refused_naming_file_row_and_column_and_nothing_changes(case, good_csv_home, copy_home, tmp_path):
    home, before = good_csv_home
    home = copy_home(home)
    breaker, fragments = BAD[case]
    source = write_csv(tmp_path / "ofsted_download.csv", breaker(csv_rows()))  # any name: the layout is found by columns
    result = run_foundation(home, LAIT / "current", inspections=source)
    assert not result.success
    text = failure_text(result)
    for fragment in ["ofsted_download.csv", *fragments]:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert state(home) == before


def test_a_missing_column_is_refused_naming_file_header_and_column(good_csv_home, copy_home, tmp_path):
    home, before = good_csv_home
    home = copy_home(home)
    rows = csv_rows()
    source = write_csv(tmp_path / "ofsted_download.csv", rows, [c for c in rows[0] if c != "in_care"])
    result = run_foundation(home, LAIT / "current", inspections=source)
    assert not result.success
    text = failure_text(result)
    for fragment in ["ofsted_download.csv", "row 1", "in_care"]:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    assert state(home) == before


def test_the_core_build_refuses_bad_cells_on_its_own(tmp_path):
    """Without the raw check (e.g. a core-only run), the core build itself rejects each bad cell,
    named by file, row and column, and publishes nothing."""
    rows = csv_rows()
    bad = {3: {"overall_effectiveness": "excellent"}, 4: {"inspection_end_date": "2000-01-01"},
           5: {"publication_date": "soon"}, 6: {"inspection_type": "focused"}, 7: {"la_code": "998"},
           8: {"inspection_start_date": "2020-02-31"}}
    for index, cells in bad.items():
        rows = changed(rows, index, **cells)
    landed = land_inspections(str(write_csv(tmp_path / "source.csv", rows)), tmp_path / "raw")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    build = checked_build.build_check_publish(con, LAIT / "current", "current", ReleaseFiles(), inspections=landed)
    assert not build.published
    message = "\n".join(o.message for o in build.outcomes if o.failed_blocking)
    for index, cells in bad.items():
        ((column, value),) = cells.items()
        assert f"source.csv row {index + 2}, column {column} (value {value!r})" in message, message
    assert len([line for line in message.splitlines() if line.startswith("source.csv")]) == len(bad)
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'core'").fetchall() == [(0,)]


def test_the_inspections_input_versions_the_files_by_content(tmp_path, monkeypatch):
    """``inputs/inspections`` (what the sensor and ``peerdata materialize`` observe): the same
    files give the same data version wherever they are; a changed file or no inspections another."""
    from assets.inputs import INSPECTIONS_INPUT, INPUTS, observation

    (item,) = [i for i in INPUTS if i.key == INSPECTIONS_INPUT]

    def version(source) -> str:
        monkeypatch.setenv("PEERDATA_INSPECTIONS", str(source))
        return observation(item).tags["dagster/data_version"]

    folder, elsewhere = tmp_path / "ofsted", tmp_path / "copy"
    for f in (folder, elsewhere):
        f.mkdir()
        write_csv(f / "ilacs_inspections.csv", csv_rows())
    before = version(folder)
    assert version(folder) == before and version(elsewhere) == before
    write_csv(folder / "ilacs_inspections.csv", csv_rows()[:-1])
    assert version(folder) != before
    assert version("none") not in (before, version(folder))
    monkeypatch.setenv("PEERDATA_INSPECTIONS", str(tmp_path / "nowhere"))
    assert observation(item) is None  # unreadable: not observed this time (the run then names the problem)


def test_the_core_suite_guards_the_published_shape():
    from assets.validation.gx_suites import validate_frame

    def row(code, word, grade, end):
        return {"area_code": code, "current_area_code": code, "local_authority": "x",
                "inspection_start_date": date(2020, 1, 6), "inspection_end_date": end,
                "publication_date": date(2020, 3, 1), "inspection_type": "standard", "overall_effectiveness": word,
                "overall_grade": grade, "impact_of_leaders": None, "help_and_protection": None, "in_care": None,
                "care_leavers": None, "source_file": "f.csv", "source_row": 2}

    good = [row(301, "good", 2, date(2020, 1, 17)), row(302, None, None, date(2020, 1, 17))]
    assert validate_frame("core_inspection", pl.DataFrame(good), source_label="core.inspection").success
    for bad, fragment in [
        (good + [row(303, "good", 5, date(2020, 1, 17))], "overall_grade has 1 values outside 1..4"),
        (good + [row(303, "good", None, date(2020, 1, 17))], "overall_grade has 1 missing values among rows where overall_effectiveness IS NOT NULL"),
        (good + [row(301, "good", 2, date(2020, 1, 17))], "rows sharing the same key"),
    ]:
        report = validate_frame("core_inspection", pl.DataFrame(bad), source_label="core.inspection")
        assert not report.success and fragment in report.failure_message(), report.failure_message()
