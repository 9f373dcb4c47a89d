"""The GX suites under expectations/: real LAIT releases pass, deliberately broken frames fail.

Uniqueness expectations flag every row of a duplicated group, so one duplicated key
counts as two unexpected rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from assets.validation import gx_suites
from assets.validation.gx_suites import load_suite, validate_frame

LAIT = Path(__file__).resolve().parents[2] / "shared" / "lait"
RELEASES = ["current", "2025-07-22"]


def outcome(report, expectation_type, column=None):
    """The single outcome of one expectation type (on one column) in a report."""
    found = [
        o
        for o in report.outcomes
        if o.expectation_type == expectation_type and (column is None or o.column == column)
    ]
    assert len(found) == 1, found
    return found[0]


def only_failure(report):
    """The one failed outcome of a report that should fail exactly once."""
    assert len(report.failures) == 1, report.failure_message()
    return report.failures[0]


def neighbours_long(path: Path) -> pl.DataFrame:
    """The 'LA SN Groups' sheet in long form: one row per council and neighbour rank.

    The header sits under two rows of column letters and numbers; each SNk column is
    followed by its closeness word; a separator row ('Old SNs:') has no code.
    """
    wide = pl.read_excel(
        path, engine="calamine", sheet_name="LA SN Groups", read_options={"header_row": 2}
    ).filter(pl.col("LA num").is_not_null())
    parts = []
    for rank in range(1, 11):
        word = wide.columns[wide.columns.index(f"SN{rank}") + 1]
        parts.append(
            wide.select(
                pl.col("LA num").alias("area_code"),
                pl.col(f"SN{rank}").alias("neighbour_code"),
                pl.lit(rank).alias("neighbour_rank"),
                pl.col(word).str.strip_chars().str.to_lowercase().alias("closeness"),
            )
        )
    return pl.concat(parts)


@pytest.fixture(scope="module", params=RELEASES)
def release(request) -> Path:
    return LAIT / request.param


@pytest.fixture(scope="module")
def current_bds() -> pd.DataFrame:
    return pd.read_parquet(LAIT / "current" / "bds_long_0.parquet")


# --- real releases pass --------------------------------------------------------------


def test_raw_bds_passes_on_real_release(release):
    path = release / "bds_long_0.parquet"
    report = validate_frame("raw_bds", pl.read_parquet(path), str(path))
    assert report.success, report.failure_message()
    assert outcome(report, "expect_column_values_to_match_regex_list").unexpected_count == 0


@pytest.mark.fast
def test_raw_dictionary_passes_on_real_release(release):
    path = release / "lait_data_dictionary.csv"
    report = validate_frame("raw_dictionary", pd.read_csv(path), str(path), row_offset=2)
    assert report.success, report.failure_message()


@pytest.mark.fast
def test_raw_councils_passes_on_real_release(release):
    path = release / "la_code_list.xlsx"
    report = validate_frame("raw_councils", pl.read_excel(path, engine="calamine"), str(path))
    assert report.success, report.failure_message()


@pytest.mark.fast
def test_raw_neighbours_passes_on_real_release(release):
    path = release / "sn_may_2025.xlsx"
    frame = neighbours_long(path)
    assert frame.height == 1580
    report = validate_frame("raw_neighbours", frame, str(path))
    assert report.success, report.failure_message()


# --- raw suites fail on broken frames --------------------------------------------------


@pytest.mark.fast
def test_raw_bds_unknown_tokens_are_named_with_their_rows(current_bds):
    broken = current_bds.copy()
    broken.loc[[10, 500_000], "Values"] = ["q", "1,5"]
    report = validate_frame("raw_bds", broken, "bds_long_0.parquet", row_offset=1)
    failed = only_failure(report)
    assert failed.expectation_type == "expect_column_values_to_match_regex_list"
    assert failed.unexpected_count == 2
    assert failed.sample == [(11, "q"), (500_001, "1,5")]
    message = report.failure_message()
    assert "bds_long_0.parquet: column Values has 2 values" in message
    assert "row 11 'q', row 500001 '1,5'" in message


@pytest.mark.fast
def test_raw_bds_accepts_every_suppression_token_and_number_form():
    values = ["-", "c", "x", "z", "low", "u", "k", "..", "-12", "6.2890000000000001E-2", "3", "q"]
    frame = pd.DataFrame(
        {
            "Short Desc": "X",
            "Data item": None,
            "Years": "2023",
            "LA and Regions": "England",
            "Values": values,
            "LA Number": 970.0,
            "Region": "NA",
        }
    )
    report = validate_frame("raw_bds", frame, "tokens.csv", row_offset=2)
    failed = only_failure(report)
    assert failed.unexpected_count == 1
    assert failed.sample == [(13, "q")]
    assert "row 13 'q'" in report.failure_message()


@pytest.mark.fast
def test_raw_bds_missing_column_is_named(current_bds):
    report = validate_frame("raw_bds", current_bds.head(100).drop(columns=["Years"]), "bds")
    columns = outcome(report, "expect_table_columns_to_match_set")
    assert not columns.success
    years = outcome(report, "expect_column_values_to_not_be_null", "Years")
    assert not years.success and "Years" in years.error
    message = report.failure_message()
    assert "bds: required columns are missing ['Years']" in message
    assert len(report.blocking_failures) == 2


@pytest.mark.fast
def test_raw_dictionary_fails_when_polarity_is_missing_everywhere():
    path = LAIT / "current" / "lait_data_dictionary.csv"
    frame = pd.read_csv(path)
    frame["Polarity"] = None
    report = validate_frame("raw_dictionary", frame, str(path), row_offset=2)
    failed = only_failure(report)
    assert (failed.column, failed.unexpected_count) == ("Polarity", len(frame))
    assert f"column Polarity has {len(frame)} missing values" in report.failure_message()
    assert "row 2 (empty)" in report.failure_message()


@pytest.mark.fast
def test_raw_dictionary_unknown_polarity_word():
    frame = pd.read_csv(LAIT / "current" / "lait_data_dictionary.csv")
    frame.loc[4, "Polarity"] = "Higher"
    report = validate_frame("raw_dictionary", frame, "dictionary.csv", row_offset=2)
    failed = only_failure(report)
    assert failed.unexpected_count == 1 and failed.sample == [(6, "Higher")]
    assert "outside the allowed set" in report.failure_message()


@pytest.mark.fast
def test_raw_councils_duplicate_la_number():
    frame = pl.DataFrame(
        {
            "LA Number": [201, 202, 203, 202],
            "LA Name": ["City of London", "Camden", "Greenwich", "Camden again"],
            "Region": ["Inner London"] * 4,
            "Type": ["ILB", "ILB", "ILB", "ILB"],
        }
    )
    report = validate_frame("raw_councils", frame, "la_code_list.xlsx", row_offset=2)
    failed = only_failure(report)
    assert (failed.column, failed.unexpected_count) == ("LA Number", 2)
    assert "column LA Number has 2 values that occur more than once" in report.failure_message()
    assert "row 3 202, row 5 202" in report.failure_message()


def neighbour_frame(closeness="close") -> pd.DataFrame:
    """Ten valid neighbour links for council 301."""
    return pd.DataFrame(
        {
            "area_code": [301] * 10,
            "neighbour_code": list(range(302, 312)),
            "neighbour_rank": list(range(1, 11)),
            "closeness": [closeness] * 10,
        }
    )


@pytest.mark.fast
def test_raw_neighbours_rank_11_and_capitalised_closeness():
    frame = neighbour_frame()
    frame.loc[9, "neighbour_rank"] = 11
    frame.loc[3, "closeness"] = "Very Close"
    report = validate_frame("raw_neighbours", frame, "sn.xlsx")
    rank = outcome(report, "expect_column_values_to_be_between", "neighbour_rank")
    assert (rank.success, rank.unexpected_count, rank.sample) == (False, 1, [(10, 11)])
    word = outcome(report, "expect_column_values_to_be_in_set", "closeness")
    assert (word.unexpected_count, word.sample) == (1, [(4, "Very Close")])
    assert "column neighbour_rank has 1 values outside 1..10" in report.failure_message()


@pytest.mark.fast
def test_raw_neighbours_missing_closeness_is_only_a_warning():
    frame = neighbour_frame()
    frame.loc[0, "closeness"] = None
    report = validate_frame("raw_neighbours", frame, "sn.xlsx")
    assert not report.success
    assert report.blocking_failures == []
    assert report.failure_message().startswith("Warning (non-blocking): sn.xlsx: column closeness")


# --- core suites -----------------------------------------------------------------------


def area_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": [970, 982, 987, 909, 942],
            "area_name": ["England", "Yorkshire", "Inner London", "Cumbria", "Cumberland"],
            "area_kind": ["england", "region", "london_subregion", "la", "la"],
            "region_name": [None, "Yorkshire and The Humber", "London", "North West", "North West"],
            "la_type": [None, None, None, "SC", "UA"],
            "is_current": [True, True, True, False, True],
            "successor_codes": [None, None, None, [942], None],
        }
    )


@pytest.mark.fast
def test_core_dim_area_valid_and_broken():
    assert validate_frame("core_dim_area", area_frame(), "core.dim_area").success
    broken = area_frame()
    broken.loc[4, "area_code"] = 909
    broken.loc[1, "region_name"] = "Yorkshire and the Humber"
    report = validate_frame("core_dim_area", broken, "core.dim_area")
    assert {o.column for o in report.failures} == {"area_code", "region_name"}
    assert outcome(report, "expect_column_values_to_be_unique", "area_code").unexpected_count == 2
    assert "core.dim_area: column region_name has 1 values outside the allowed set" in (
        report.failure_message()
    )
    assert "row 2 'Yorkshire and the Humber'" in report.failure_message()


@pytest.mark.fast
def test_core_dim_area_is_current_must_be_boolean():
    broken = area_frame().assign(is_current=["yes"] * 5)
    report = validate_frame("core_dim_area", broken, "core.dim_area")
    assert only_failure(report).expectation_type == "expect_column_values_to_be_in_type_list"


def indicator_frame() -> pl.DataFrame:
    from datetime import date

    return pl.DataFrame(
        {
            "indicator_code": ["A", "B", "C"],
            "polarity": ["high", "low", "none"],
            "dps": [1, None, 0],
            "no_quartile": [False, True, False],
            "discontinued": [False, False, True],
            "last_update": [date(2025, 6, 1), None, date(2024, 1, 1)],
            "next_update": [None, None, date(2026, 6, 1)],
        }
    )


@pytest.mark.fast
def test_core_dim_indicator_valid_and_broken():
    assert validate_frame("core_dim_indicator", indicator_frame(), "core.dim_indicator").success
    broken = indicator_frame().with_columns(
        polarity=pl.Series(["High", "low", "none"]), dps=pl.Series([1, 7, 0])
    )
    report = validate_frame("core_dim_indicator", broken, "core.dim_indicator")
    failed = {(o.column, o.unexpected_count) for o in report.failures}
    assert failed == {("polarity", 1), ("dps", 1)}
    assert "row 1 'High'" in report.failure_message()
    assert "row 2 7" in report.failure_message()


@pytest.mark.fast
def test_core_indicator_topic_duplicate_link():
    frame = pd.DataFrame(
        {"indicator_code": ["A", "A", "B", "A"], "topic": ["Health", "Care", "Care", "Health"]}
    )
    report = validate_frame("core_indicator_topic", frame, "core.indicator_topic")
    failed = only_failure(report)
    assert (failed.column, failed.unexpected_count) == ("indicator_code, topic", 2)
    message = report.failure_message()
    assert "columns (indicator_code, topic) has 2 rows sharing the same key" in message
    assert "row 1 (indicator_code='A', topic='Health'), row 4 (indicator_code='A'" in message


@pytest.mark.fast
def test_core_dim_stat_neighbour_self_link_and_repeat():
    label = "core.dim_stat_neighbour"
    assert validate_frame("core_dim_stat_neighbour", neighbour_frame(), label).success
    broken = neighbour_frame()
    broken.loc[2, "neighbour_code"] = 301
    broken.loc[7, "neighbour_code"] = 302
    report = validate_frame("core_dim_stat_neighbour", broken, label)
    self_link = outcome(report, "expect_select_column_values_to_be_unique_within_record")
    assert (self_link.unexpected_count, self_link.sample) == (
        1,
        [(3, {"area_code": 301, "neighbour_code": 301})],
    )
    repeat = outcome(report, "expect_compound_columns_to_be_unique", "area_code, neighbour_code")
    assert repeat.unexpected_count == 2
    assert len(report.failures) == 2


def fact_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator_code": ["A", "A", "A", "B"],
            "area_code": [301, 301, 302, 301],
            "period_label": ["2023", "2024 (prov)", "2023", "2022-23"],
            "period_order": [2023, 2024, 2023, 2022],
            "period_kind": ["calendar", "calendar", "calendar", "academic"],
            "period_status": ["final", "provisional", "final", "final"],
            "period_start_year": [2023, 2024, 2023, 2022],
            "period_end_year": [2023, 2024, 2023, 2023],
            "value": [1.5, None, 2.0, None],
            "value_status": ["ok", "confidential", "ok", "not_available"],
        }
    )


@pytest.mark.fast
def test_core_fact_valid_frame_passes():
    report = validate_frame("core_fact_indicator_value", fact_frame(), "core.fact_indicator_value")
    assert report.success, report.failure_message()


@pytest.mark.fast
def test_core_fact_duplicate_key():
    broken = pl.concat([fact_frame(), fact_frame().slice(2, 1)])
    report = validate_frame("core_fact_indicator_value", broken, "core.fact_indicator_value")
    failed = only_failure(report)
    assert failed.unexpected_count == 2
    assert [row for row, _ in failed.sample] == [3, 5]


@pytest.mark.fast
def test_core_fact_value_must_match_status():
    broken = fact_frame().with_columns(
        value=pl.Series([None, None, 2.0, 4.0]),
        value_status=pl.Series(["ok", "confidential", "q", "not_available"]),
    )
    report = validate_frame("core_fact_indicator_value", broken, "core.fact_indicator_value")
    present = outcome(report, "expect_column_values_to_be_null", "value")
    assert (present.unexpected_count, present.sample) == (2, [(3, 2.0), (4, 4.0)])
    absent = outcome(report, "expect_column_values_to_not_be_null", "value")
    assert (absent.unexpected_count, absent.sample) == (1, [(1, None)])
    status = outcome(report, "expect_column_values_to_be_in_set", "value_status")
    assert (status.unexpected_count, status.sample) == (1, [(3, "q")])
    message = report.failure_message()
    assert "core.fact_indicator_value: column value_status has 1 values outside" in message
    assert "column value has 2 values that should be empty among rows where value_status != ok" in (
        message
    )
    assert len(report.failures) == 3


# --- runner ----------------------------------------------------------------------------


@pytest.mark.fast
def test_metadata_counts_and_markdown_table():
    frame = neighbour_frame()
    frame.loc[9, "neighbour_rank"] = 11
    metadata = validate_frame("raw_neighbours", frame, "sn.xlsx").to_metadata()
    assert metadata["failed"].value == 1
    assert metadata["blocking_failures"].value == 1
    assert metadata["passed"].value == len(load_suite("raw_neighbours")["expectations"]) - 1
    assert metadata["unexpected_rows"].value == 1
    table = metadata["results"].value
    row = "| 7 | expect_column_values_to_be_between | neighbour_rank | FAIL | 1 | row 10 11 |"
    assert row in table


@pytest.mark.fast
def test_every_suite_file_names_itself_and_builds():
    for path in sorted(gx_suites.SUITES_DIR.glob("*.json")):
        spec = load_suite(path.stem)
        assert spec["name"] == path.stem
        gx_suites._configurations(path.stem, spec)


@pytest.mark.fast
def test_invalid_expectation_is_reported_not_dropped(tmp_path, monkeypatch):
    wrong = {"type": "expect_column_values_to_be_purple", "kwargs": {"column": "a"}}
    spec = {"name": "bad", "expectations": [wrong]}
    (tmp_path / "bad.json").write_text(json.dumps(spec))
    monkeypatch.setattr(gx_suites, "SUITES_DIR", tmp_path)
    with pytest.raises(ValueError, match="suite bad, expectation 0"):
        validate_frame("bad", pd.DataFrame({"a": [1]}), "t")
