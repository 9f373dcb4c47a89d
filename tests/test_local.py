"""Local indicator files: the worked regional file through core, marts and a council's profile,
and ``peerdata validate-local`` on broken copies.

The worked file (tests/fixtures_extra.py) gives 30 councils the values 1..30 in every year, so
the national quartiles of NW_CAMHS_Wait are fixed by hand: type-7 quantiles of 1..30 are
q25 = 1 + 0.25 * 29 = 8.25, q50 = 15.5, q75 = 22.75. Windsor and Maidenhead (868) has
2, 5, 9, 14, 25 (lower is better): bands A, A, B, B, D; in 2024-25, 24 councils are lower, so
rank 25 of 30, percentile 100 * (30 - 25) / 29.
"""

from __future__ import annotations

import re
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.core.build import build_staging, publish
from assets.marts import marts_assets
from assets.sources.config import LocalSource
from assets.resources import WarehouseResource
from base.settings import ReleaseFiles
from pipeline.validate_local import local_problems, validate_local_command
from tests.fixtures_extra import (
    METADATA_HEADER, METADATA_ROWS, OTHER_COUNCILS, PANEL_SYMBOLS, PERIODS, SOUTH_EAST_COUNCILS, TARGET,
    TARGET_VALUES, write_csv, write_south_east_local, write_worked_local,
)

LAIT = Path(__file__).resolve().parents[2] / "shared" / "lait"
pytestmark = pytest.mark.skipif(not (LAIT / "current").is_dir(), reason=f"no LAIT data at {LAIT}")
CAMHS, PANEL, TOPIC = "NW_CAMHS_Wait", "NW_Panel", "Regional data group"
CAMHS_NAME = "Average wait for a first CAMHS appointment"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> WarehouseResource:
    """The current release plus the worked local file and a South East-only file, published, with
    every mart built."""
    home = tmp_path_factory.mktemp("local")
    data, metadata = write_worked_local(home / "input")
    se_data, se_metadata = write_south_east_local(home / "input")
    resource = WarehouseResource(home=str(home), warehouse_path=str(home / "w.duckdb"))
    with resource.connect() as con:
        build_staging(con, LAIT / "current", ReleaseFiles(), [LocalSource("north_west", data, metadata),
                                                               LocalSource("south_east", se_data, se_metadata)])
        assert con.execute("SELECT count(*) FROM staging.source_problem WHERE severity = 'error'").fetchall() == [(0,)]
        publish(con, "current+north_west")
    result = dg.materialize(marts_assets, resources={"warehouse": resource})
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    return resource


@pytest.fixture(scope="module")
def con(built):
    with built.connect(read_only=True) as connection:
        yield connection


def test_the_worked_file_is_in_core_with_its_metadata_and_topic(con):
    assert con.execute(
        "SELECT polarity, dps, unit, year_type, no_quartile, source_name FROM core.dim_indicator "
        "WHERE indicator_code IN (?, ?) ORDER BY indicator_code", [CAMHS, PANEL]
    ).fetchall() == [("low", 1, "Weeks", "Financial", False, "north_west"),
                     ("none", 0, "Number", "Financial", True, "north_west")]
    assert con.execute(
        "SELECT indicator_code, topic FROM core.indicator_topic WHERE indicator_code LIKE 'NW_%' ORDER BY 1"
    ).fetchall() == [(CAMHS, TOPIC), (PANEL, "Children Looked After")]
    assert con.execute(
        "SELECT period_label, period_start_year, period_end_year, period_kind, value FROM core.fact_indicator_value "
        "WHERE indicator_code = ? AND area_code = ? ORDER BY period_order", [CAMHS, TARGET]
    ).fetchall() == [(p, 2020 + i, 2021 + i, "financial", float(v))
                     for i, (p, v) in enumerate(zip(PERIODS, TARGET_VALUES))]
    # Every council typed in the file, whatever its spelling, is matched: 30 councils x 5 years.
    assert con.execute(
        "SELECT count(DISTINCT area_code), count(*) FROM core.fact_indicator_value WHERE indicator_code = ?", [CAMHS]
    ).fetchall() == [(30, 150)]


def test_local_symbols_keep_their_status(con):
    statuses = dict(con.execute(
        "SELECT area_code, value_status FROM core.fact_indicator_value WHERE indicator_code = ? AND value IS NULL",
        [PANEL]).fetchall())
    assert statuses == {390: "confidential", 391: "unavailable", 392: "not_applicable", 393: "rounds_to_zero",
                        394: "low_reliability", 805: "not_available", 806: "low_figure", 807: "not_recorded"}
    assert set(PANEL_SYMBOLS) == set(statuses)


def test_the_added_indicator_gets_bands_worked_out_by_hand(con):
    rows = con.execute(
        "SELECT period_label, value, quartile_band, rank, rank_n, q25, q50, q75 FROM marts.benchmark "
        "WHERE indicator_code = ? AND area_code = ? ORDER BY period_order", [CAMHS, TARGET]).fetchall()
    assert [r[:3] for r in rows] == [("2020-21", 2, "A"), ("2021-22", 5, "A"), ("2022-23", 9, "B"),
                                     ("2023-24", 14, "B"), ("2024-25", 25, "D")]
    assert {r[4:] for r in rows} == {(30, 8.25, 15.5, 22.75)}
    assert [r[3] for r in rows] == [2, 5, 9, 14, 25]  # lower is better: rank = value in a permutation of 1..30
    percentile = con.execute("SELECT percentile FROM marts.benchmark WHERE indicator_code = ? AND area_code = ? "
                             "AND period_label = '2024-25'", [CAMHS, TARGET]).fetchall()[0][0]
    assert percentile == pytest.approx(100 * 5 / 29)


def test_an_indicator_without_polarity_is_not_banded(con):
    assert con.execute("SELECT DISTINCT not_compared_reason FROM marts.benchmark WHERE indicator_code = ?",
                       [PANEL]).fetchall() == [("indicator has no polarity",)]


def test_the_decline_in_the_worked_file_has_its_trend_but_no_signal_without_england(con):
    # Values 2, 5, 9, 14, 25 (lower is better), by hand: Theil-Sen slope = median of the 10 pairwise
    # slopes (3, 3.5, 4, 4, 4.5, 5, 5.75, 6.67, 8, 11) = 4.75; fitted change 4.75 * 4 = 19.
    assert con.execute("SELECT trend_slope, fitted_change FROM marts.trend WHERE indicator_code = ? AND area_code = ?",
                       [CAMHS, TARGET]).fetchall() == [(4.75, 19.0)]
    # The file gives no England figure, so there is no position against England to judge: the
    # signal is "cannot judge", never a concern.
    assert con.execute("SELECT signal FROM marts.series_signal WHERE indicator_code = ? AND area_code = ?",
                       [CAMHS, TARGET]).fetchall() == [("cannot_judge",)]


def test_the_new_topic_is_summarised_for_the_council(con):
    # one polar indicator, in band D in 2024-25 (see the module docstring), judged neither way
    assert con.execute(
        "SELECT polar_indicators, band_d, concerns, strengths FROM marts.council_summary "
        "WHERE area_code = ? AND topic = ?", [TARGET, TOPIC]).fetchall() == [(1, 1, 0, 0)]


def test_a_region_only_indicator_is_compared_within_its_region(con):
    # All 19 South East councils and no other: values 1..19, higher is better; quartiles worked
    # out by hand in tests/fixtures_extra.py (q25 5.5, q50 10, q75 14.5).
    rows = {code: tuple(row) for code, *row in con.execute(
        "SELECT area_code, value, rank, rank_n, quartile_band, percentile, comparison_population, not_compared_reason "
        "FROM marts.benchmark WHERE indicator_code = 'SE_Reablement' AND value IS NOT NULL").fetchall()}
    assert set(rows) == {code for _, code in SOUTH_EAST_COUNCILS}
    assert rows[868] == (19, 1, 19, "A", 100.0, "South East councils", None)
    assert rows[850][:4] == (5, 15, 19, "D")     # Hampshire: 5 <= q25
    assert rows[931][:4] == (10, 10, 19, "C")    # Oxfordshire: on q50, so the lower interval
    assert rows[886][:4] == (7, 13, 19, "C")     # Kent: 5.5 < 7 <= 10
    assert rows[871][:4] == (13, 7, 19, "B")     # Slough: 10 < 13 <= 14.5
    assert rows[852][:4] == (14, 6, 19, "B")     # Southampton
    assert rows[936][:4] == (15, 5, 19, "A")     # Surrey: above q75
    assert con.execute("SELECT DISTINCT comparison_population FROM marts.benchmark WHERE indicator_code = ?",
                       [CAMHS]).fetchall() == [("England councils",)]
    assert set(con.execute(
        "SELECT DISTINCT period_label, quartile_band IS NULL, not_compared_reason FROM marts.benchmark "
        "WHERE indicator_code = 'SE_Pilot' AND value IS NOT NULL").fetchall()) == {
        ("2024-25", True, "only 5 South East councils have a value (fewer than 8)"),
        ("2023-24", True, "only 1 of the South East councils has a value (fewer than 8)")}


def test_the_council_profile_shows_the_indicator_under_its_topic(built):
    export = pytest.importorskip("pipeline.export", reason="the profile builder is not in this tree yet")
    html = export.build_profile(TARGET, built).read_text()
    sections = re.findall(r'<details class="topic" id="[^"]+"><summary><span class="topic-name">([^<]+)</span>(.*?)</details>',
                          html, re.S)
    holding = [topic for topic, body in sections if CAMHS_NAME in body]
    assert holding == [TOPIC]


# --- peerdata validate-local ------------------------------------------------------------------

BROKEN_DATA = [
    ("Windsor & Maidenhead", CAMHS, "2024-25", "3.5"),      # 2: fine, but row 7 repeats it
    ("Nowhere Borough", CAMHS, "2024-25", "4"),             # 3: no such council
    ("Gateshead", CAMHS, "2024/5", "4"),                    # 4: not a period
    ("Sunderland", CAMHS, "2024-25", "n/a"),                # 5: not a number or symbol
    ("Bury", "NW_Unknown", "2024-25", "1"),                 # 6: indicator not in the metadata
    ("windsor and maidenhead", CAMHS, "2024-25", "3.6"),    # 7: same council, indicator and period as row 2
    ("Durham", "", "2024-25", "2"),                         # 8: indicator blank
    ("", CAMHS, "2024-25", "2"),                            # 9: council blank
    ("Cumbria", CAMHS, "2024-25", "2"),                     # 10: abolished in 2023
    ("Northamptonshire", CAMHS, "2024-25", "2"),            # 11: abolished in 2021
]
BROKEN_METADATA = [
    (CAMHS, "Average wait", TOPIC, "good", "Weeks", "1.5", "Fiscal", "maybe", "", ""),  # 2
    ("InfMort", "Infant mortality again", "Health", "low", "Rate", "1", "Calendar", "", "", ""),  # 3
]
DATA_PROBLEMS = {
    (2, "council, indicator, period"): "duplicate row",
    (3, "council"): "No current council matches 'Nowhere Borough'",
    (4, "period"): "not a period label",
    (5, "value"): "not a number and not a published symbol",
    (7, "council, indicator, period"): "duplicate row",
    (8, "indicator"): "indicator is blank",
    (9, "council"): "council is blank",
    (10, "council"): "its area is now Cumberland (942) and Westmorland and Furness (943)",
    (11, "council"): "its area is now North Northamptonshire (940) and West Northamptonshire (941)",
}
METADATA_PROBLEMS = {
    (2, "polarity"): "unknown polarity",
    (2, "dps"): "not a whole number from 0 to 6",
    (2, "year_type"): "unknown year type",
    (2, "no_quartile"): "expected yes, no or blank",
    (3, "code"): "indicator code InfMort is defined by source data and by the LAIT release",
}


def found(problems: list[dict]) -> dict[tuple[str, int, str], str]:
    return {(p["file"], p["row"], p["column"]): p["problem"] for p in problems}


def assert_problems(problems: list[dict], expected: dict[tuple[str, int, str], str]) -> None:
    actual = found(problems)
    assert set(actual) == set(expected)
    for key, fragment in expected.items():
        assert fragment in actual[key], (key, actual[key])


@pytest.fixture
def broken(tmp_path) -> tuple[Path, Path]:
    return (write_csv(tmp_path / "data.csv", ["council", "indicator", "period", "value"], BROKEN_DATA),
            write_csv(tmp_path / "meta.csv", METADATA_HEADER, BROKEN_METADATA))


def test_validate_reports_every_problem_with_row_and_column(broken):
    data, metadata = broken
    problems = local_problems(data, metadata, LAIT / "current", ReleaseFiles())
    assert_problems(problems, {("data.csv", r, c): p for (r, c), p in DATA_PROBLEMS.items()}
                    | {("data.csv", 6, "indicator"): "indicator 'NW_Unknown' has no row in meta.csv"}
                    | {("meta.csv", r, c): p for (r, c), p in METADATA_PROBLEMS.items()})


def test_validate_without_metadata_checks_the_data_rows_alone(broken):
    data, _ = broken
    problems = local_problems(data, None, LAIT / "current", ReleaseFiles())
    assert_problems(problems, {("data.csv", r, c): p for (r, c), p in DATA_PROBLEMS.items()})


def test_validate_local_command_exit_codes_and_loads_nothing(broken, current_home, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PEERDATA_HOME", str(current_home))
    warehouse = current_home / "data" / "marts" / "warehouse.duckdb"
    before = warehouse.stat().st_mtime_ns
    data, metadata = broken
    assert validate_local_command(data, metadata) == 1
    err = capsys.readouterr().err
    assert "15 problem(s)" in err
    assert "data.csv row 3, column council (value 'Nowhere Borough')" in err
    assert "data.csv row 10, column council (value 'Cumbria'): 'Cumbria' names Cumbria (909), a council abolished" in err
    assert "meta.csv row 2, column polarity (value 'good')" in err
    good_data, good_metadata = write_worked_local(tmp_path / "good")
    assert validate_local_command(good_data, good_metadata) == 0
    assert "no problems" in capsys.readouterr().out
    assert warehouse.stat().st_mtime_ns == before
    monkeypatch.setenv("PEERDATA_HOME", str(tmp_path / "empty"))
    assert validate_local_command(good_data, good_metadata) == 1
    assert "run `peerdata fetch` first" in capsys.readouterr().err


def test_validate_local_names_a_missing_template_column(current_home, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PEERDATA_HOME", str(current_home))
    data = write_csv(tmp_path / "data.csv", ["council", "indicator", "year", "value"], [("868", CAMHS, "2024-25", "1")])
    assert validate_local_command(data, None) == 1
    err = capsys.readouterr().err
    assert "data.csv: required column(s) ['period'] missing" in err
    assert "docs/local-indicators.md" in err


def test_cli_validate_local_accepts_the_worked_file(current_home, tmp_path, monkeypatch):
    from pipeline.cli import main

    monkeypatch.setenv("PEERDATA_HOME", str(current_home))
    data, meta = write_worked_local(tmp_path)
    assert main(["validate-local", str(data), "--metadata", str(meta)]) == 0


# --- comparators, clashes, unreadable rows, a source added to a published release ----------------


def test_england_and_region_rows_are_comparators_and_a_source_added_keeps_one_release_row(tmp_path):
    """England (by name or 970) and regions (by name in any case, or by number: 988 is Outer London)
    are the comparators of a local file, placed on their own areas; adding a source to a release
    already published re-publishes it under the same single row of core.release_history."""
    metadata = write_csv(tmp_path / "meta.csv", METADATA_HEADER, [METADATA_ROWS[0]])
    data = write_csv(tmp_path / "data.csv", ["council", "indicator", "period", "value"], [
        ("868", CAMHS, "2024-25", "3.5"), ("England", CAMHS, "2024-25", "7.5"), ("south east", CAMHS, "2024-25", "8"),
        ("988", CAMHS, "2024-25", "9"), ("970", CAMHS, "2023-24", "6")])
    assert local_problems(data, metadata, LAIT / "current", ReleaseFiles()) == []
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    build_staging(con, LAIT / "current", ReleaseFiles(), [LocalSource("comparators", data, metadata)])
    publish(con, "current")
    assert set(con.execute("SELECT area_code, period_label, value FROM core.fact_indicator_value "
                           "WHERE indicator_code = ?", [CAMHS]).fetchall()) == {
        (868, "2024-25", 3.5), (970, "2024-25", 7.5), (989, "2024-25", 8.0), (988, "2024-25", 9.0),
        (970, "2023-24", 6.0)}
    panel = write_csv(tmp_path / "panel_meta.csv", METADATA_HEADER, [METADATA_ROWS[1]])
    panel_data = write_csv(tmp_path / "panel.csv", ["council", "indicator", "period", "value"], [("868", PANEL, "2024-25", "4")])
    build_staging(con, LAIT / "current", ReleaseFiles(), [LocalSource("comparators", data, metadata),
                                                          LocalSource("panel", panel_data, panel)])
    publish(con, "current")
    assert con.execute("SELECT release_id FROM core.release_history").fetchall() == [("current",)]
    assert con.execute("SELECT count(*) FROM core.fact_indicator_value WHERE indicator_code = ?", [PANEL]).fetchall() == [(1,)]


def test_a_lait_code_in_a_local_file_is_named_as_such_not_as_a_duplicate(tmp_path):
    data = write_csv(tmp_path / "data.csv", ["council", "indicator", "period", "value"],
                     [("868", "InfMort", "2024", "3"), ("Bury", "InfMort", "2024", "4")])
    (problem,) = local_problems(data, None, LAIT / "current", ReleaseFiles())
    assert (problem["file"], problem["row"], problem["column"], problem["value"]) == ("data.csv", 2, "indicator", "InfMort")
    assert "InfMort is a LAIT indicator's code" in problem["problem"] and "2 row(s)" in problem["problem"]


def test_an_unquoted_thousands_separator_names_its_row(tmp_path):
    from assets.core.sources import SourceFileError

    data = tmp_path / "data.csv"
    data.write_text(f"council,indicator,period,value\n868,{CAMHS},2024-25,12\nBury,{CAMHS},2024-25,1,234\n"
                    f'Bolton,{CAMHS},2024-25,"1,234"\n')
    with pytest.raises(SourceFileError) as error:
        local_problems(data, None, LAIT / "current", ReleaseFiles())
    assert str(error.value).startswith("data.csv row 3: 5 cells where the header has 4 (Bury, NW_CAMHS_Wait, 2024-25, 1, 234)")
    assert "row 2" not in str(error.value) and "row 4" not in str(error.value)
