"""EES tidy CSV files as extra indicator sources (assets/sources/ees.py, assets/dbt/models/staging/stg_extra_value_placed.sql).

The files are built by the tests (tests/fixtures_extra.py) and loaded beside the real current
LAIT release; every expected value below is read off the fixture rows by hand.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import duckdb
import pytest

from assets.core.build import build_staging
from assets.core.checks import SOURCE_ROWS_CHECK, run_checks
from assets.core.sources import SourceFileError
from assets.sources.config import SourceConfigError, read_sources
from base.settings import ReleaseFiles
from tests.conftest import failure_text, run_foundation
from tests.fixtures_extra import (
    COHORT, EES_ACADEMIC_ROWS, EES_BAD_ROWS, EES_CALENDAR_ROWS, EES_HEADER, SUSTAINED, WORKFORCE, ees_entry,
    write_csv, write_sources,
)

LAIT = Path(__file__).resolve().parents[2] / "shared" / "lait"
pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")


def build(tmp_path: Path, entries: list[dict]) -> duckdb.DuckDBPyConnection:
    """The current release plus the listed sources, staged in an in-memory DuckDB."""
    sources = read_sources(write_sources(tmp_path / "sources.yaml", entries))
    con = duckdb.connect()
    build_staging(con, LAIT / "current", ReleaseFiles(), sources)
    return con


def errors(con) -> list[tuple]:
    return con.execute(
        "SELECT file, source_row, column_name, value, problem FROM staging.source_problem "
        "WHERE severity = 'error' ORDER BY file, source_row, column_name"
    ).fetchall()


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ees")
    academic = write_csv(folder / "ees_destinations.csv", EES_HEADER, EES_ACADEMIC_ROWS)
    calendar = write_csv(folder / "ees_workforce.csv", EES_HEADER, EES_CALENDAR_ROWS)
    con = build(folder, [ees_entry("destinations", academic, [SUSTAINED, COHORT]),
                         ees_entry("workforce", calendar, [WORKFORCE])])
    yield con
    con.close()


def facts(con, code: str) -> dict[tuple[int, str], tuple]:
    rows = con.execute(
        "SELECT area_code, period_label, value, value_status, period_start_year, period_end_year, period_kind "
        "FROM staging.fact_indicator_value WHERE indicator_code = ?", [code]
    ).fetchall()
    return {(r[0], r[1]): r[2:] for r in rows}


def test_every_level_symbol_and_academic_period_is_loaded(staged):
    assert errors(staged) == []
    academic_2324 = (2023, 2024, "academic")
    academic_2223 = (2022, 2023, "academic")
    assert facts(staged, "EES_Sustained") == {
        (970, "202324"): (94.1, "ok", *academic_2324),             # National -> England
        (980, "202324"): (93.2, "ok", *academic_2324),             # Regional North East
        (982, "202324"): (None, "unavailable", *academic_2324),    # 'Yorkshire and the Humber', x
        (987, "202324"): (None, "not_applicable", *academic_2324), # Inner London, z
        (390, "202324"): (92.5, "ok", *academic_2324),             # old_la_code 390 (row 10, Boys, filtered out)
        (391, "202324"): (None, "confidential", *academic_2324),   # c
        (392, "202324"): (None, "rounds_to_zero", *academic_2324), # low
        (393, "202324"): (None, "low_reliability", *academic_2324),# u
        (970, "202223"): (93.8, "ok", *academic_2223),
        (390, "202223"): (91.0, "ok", *academic_2223),             # new_la_code E08000037 only: 390 by row 6
    }


def test_calendar_and_reporting_years(staged):
    assert facts(staged, "EES_Turnover") == {
        (970, "2024"): (12.5, "ok", 2024, 2024, "calendar"),
        (805, "2024"): (14.0, "ok", 2024, 2024, "calendar"),
        (806, "2023"): (13.0, "ok", 2023, 2023, "calendar"),
    }


def test_two_indicator_columns_of_one_file_and_their_metadata(staged):
    assert facts(staged, "EES_Cohort")[(987, "202324")][:2] == (None, "not_applicable")
    assert facts(staged, "EES_Cohort")[(390, "202223")][:2] == (1850.0, "ok")
    rows = staged.execute(
        "SELECT indicator_code, indicator_name, polarity, unit, dps, year_type, no_quartile, source_name, "
        "is_percentage, has_data FROM staging.dim_indicator WHERE indicator_code LIKE 'EES_%' ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("EES_Cohort", "Key stage 4 cohort", "none", "Number", 0, "academic", False, "destinations", False, True),
        ("EES_Sustained", "Sustained destinations after key stage 4", "high", "%", 1, "academic", False,
         "destinations", True, True),
        ("EES_Turnover", "Social worker turnover", "low", "%", 1, "calendar", False, "workforce", True, True),
    ]
    assert staged.execute(
        "SELECT topic FROM staging.indicator_topic WHERE indicator_code = 'EES_Turnover'"
    ).fetchall() == [("Children's Services Workforce",)]


def test_the_checks_pass_with_the_ees_sources(staged):
    failed = [o.message for o in run_checks(staged, ReleaseFiles()) if o.failed_blocking]
    assert failed == []


def test_codes_that_map_to_nothing_and_periods_that_do_not_fit(tmp_path):
    bad = write_csv(tmp_path / "ees_bad.csv", EES_HEADER, EES_BAD_ROWS)
    con = build(tmp_path, [ees_entry("bad", bad, [SUSTAINED])])
    found = {(row, column): (value, problem) for _, row, column, value, problem in errors(con)}
    assert found[(2, "old_la_code")] == ("999", "DfE LA code 999 is not a council in the council list")
    assert found[(3, "new_la_code")][0] == "E06000998"
    assert "maps to no DfE LA code" in found[(3, "new_la_code")][1]
    assert found[(4, "time_period")] == (
        "2024",
        "with time_identifier 'Academic year' the time_period must be 6 digits of two consecutive years (202324)",
    )
    assert found[(5, "time_identifier")][0] == "Week"
    assert found[(6, "region_name")][0] == "Atlantis"
    assert {file for file, *_ in errors(con)} == {"ees_bad.csv"}
    assert len(found) == 5
    source_rows = next(o for o in run_checks(con, ReleaseFiles()) if o.result.check_name == SOURCE_ROWS_CHECK)
    assert source_rows.failed_blocking
    assert "ees_bad.csv row 2, column old_la_code (value '999')" in source_rows.message


def test_a_code_clash_names_both_sources(tmp_path):
    academic = write_csv(tmp_path / "ees_destinations.csv", EES_HEADER, EES_ACADEMIC_ROWS)
    calendar = write_csv(tmp_path / "ees_workforce.csv", EES_HEADER, EES_CALENDAR_ROWS)
    clash_with_lait = WORKFORCE | {"code": "InfMort"}
    con = build(tmp_path, [ees_entry("destinations", academic, [SUSTAINED]),
                           ees_entry("workforce", calendar, [SUSTAINED | {"column": "num_cohort"}, clash_with_lait])])
    problems = [p for *_, p in errors(con) if "defined" in p]
    assert "indicator code InfMort is defined by source workforce and by the LAIT release; " \
           "give the extra indicator a code of its own" in problems
    assert problems.count(
        "indicator code EES_Sustained is defined 2 times, by source destinations (sources.yaml (source destinations)) "
        "and source workforce (sources.yaml (source workforce)); give each indicator a code of its own"
    ) == 2
    # Neither clashing code is silently merged into the dimension.
    assert con.execute(
        "SELECT indicator_code, source_name FROM staging.dim_indicator "
        "WHERE indicator_code IN ('EES_Sustained', 'InfMort')"
    ).fetchall() == [("InfMort", "LAIT")]


def test_a_bad_source_stops_the_pipeline_and_names_file_row_and_column(tmp_path, lait, monkeypatch):
    bad = write_csv(tmp_path / "ees_bad.csv", EES_HEADER, EES_BAD_ROWS)
    monkeypatch.setenv("PEERDATA_EXTRA_SOURCES", str(write_sources(tmp_path / "sources.yaml",
                                                                   [ees_entry("bad", bad, [SUSTAINED])])))
    result = run_foundation(tmp_path / "home", lait / "current")
    assert not result.success
    assert "ees_bad.csv row 2, column old_la_code" in failure_text(result)


def test_the_sources_file_names_its_mistakes(tmp_path):
    cases = {
        "sources: [{name: a, kind: csv}]": "source 'a': kind 'csv' is not 'ees' or 'local'",
        "sources: [{kind: ees}]": "source entry 1: 'name' is missing or blank",
        "sources: [{name: a, kind: ees, file: x.csv}]": "'indicators' must list at least one indicator column",
        "sources: [{name: a, kind: ees, file: x.csv, indicators: [{column: c, code: C, colour: red}]}]":
            "indicator 1: unknown key(s) ['colour']",
        "sources: [{name: a, kind: local, data: d.csv, metadata: m.csv}, {name: a, kind: ees, file: e.csv, "
        "indicators: [{column: c, code: C}]}]":
            "source name(s) ['a'] used by more than one entry",
    }
    for text, message in cases.items():
        path = tmp_path / "sources.yaml"
        path.write_text(text)
        with pytest.raises(SourceConfigError, match="sources.yaml") as caught:
            read_sources(path)
        assert message in str(caught.value)


def test_the_shipped_sources_file_lists_nothing_and_paths_are_relative_to_it(tmp_path):
    assert read_sources(Path(__file__).resolve().parents[1] / "pipeline" / "sources.yaml") == []
    path = tmp_path / "conf" / "sources.yaml"
    path.parent.mkdir()
    path.write_text("sources: [{name: a, kind: local, data: local/d.csv, metadata: m.csv}]")
    (source,) = read_sources(path)
    assert (source.data, source.metadata) == (tmp_path / "conf" / "local" / "d.csv", tmp_path / "conf" / "m.csv")


@pytest.fixture
def served(tmp_path):
    """``tmp_path`` served over HTTP on a free local port, for sources given as URLs."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_a_source_given_as_a_url(tmp_path, served):
    write_csv(tmp_path / "ees_workforce.csv", EES_HEADER, EES_CALENDAR_ROWS)
    con = build(tmp_path, [ees_entry("workforce", f"{served}/ees_workforce.csv", [WORKFORCE])])
    assert sorted(facts(con, "EES_Turnover")) == [(805, "2024"), (806, "2023"), (970, "2024")]
    with pytest.raises(SourceFileError, match=r"missing\.csv: download failed"):
        build(tmp_path, [ees_entry("workforce", f"{served}/missing.csv", [WORKFORCE])])


def test_a_missing_indicator_or_filter_column_is_named(tmp_path):
    calendar = write_csv(tmp_path / "ees_workforce.csv", EES_HEADER, EES_CALENDAR_ROWS)
    with pytest.raises(SourceFileError, match=r"ees_workforce.csv: required column\(s\) \['pt_missing'\] missing"):
        build(tmp_path, [ees_entry("workforce", calendar, [WORKFORCE | {"column": "pt_missing"}])])
    with pytest.raises(SourceFileError, match=r"no row has .* the filter values \{'characteristic': 'Girls'\}"):
        build(tmp_path, [ees_entry("workforce", calendar, [WORKFORCE], {"characteristic": "Girls"})])
