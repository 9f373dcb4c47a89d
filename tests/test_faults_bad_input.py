"""Bad files in a new release not covered by test_bad_input.py: an empty file, a CSV in another
encoding, a value column gone to all text, a dictionary with no polarity at all, and a neighbour
sheet with a changed layout. Each fails at landing or validation naming the file and the column
or row, the published warehouse is unchanged, and the next good release recovers."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import failure_text, run_foundation
from test_bad_input import (  # noqa: F401  (good_home is a fixture)
    assert_fails_and_warehouse_survives,
    good_home,
    published_state,
    release_with,
    rewrite_bds,
)

DICTIONARY = "lait_data_dictionary.csv"


def empty_dictionary(lait, source):
    (source / DICTIONARY).write_bytes(b"")
    return [DICTIONARY, "empty"]


def dictionary_in_cp1252(lait, source):
    text = (lait / "current" / DICTIONARY).read_text(encoding="utf-8")
    # Row 2 (the first indicator) gets a pound sign, as a spreadsheet saved in Windows-1252 would write it.
    header, first, rest = text.split("\n", 2)
    first = first.replace('"Infant Mortality"', '"Infant Mortality (£)"', 1)
    (source / DICTIONARY).write_bytes(f"{header}\n{first}\n{rest}".encode("cp1252", errors="replace"))
    return [DICTIONARY, "Line: 2", "not utf-8 encoded"]


def values_all_text(lait, source):
    rewrite_bds(lait, source / "bds_long_0.parquet", """SELECT * REPLACE ('see note' AS "Values") FROM {src}""")
    return ["bds_long_0.parquet", "Values", "row 2", "'see note'"]


def no_polarity(lait, source):
    frame = pl.read_csv(lait / "current" / DICTIONARY, infer_schema=False)
    frame.with_columns(pl.lit(None, pl.String).alias("Polarity")).write_csv(source / DICTIONARY)
    return [DICTIONARY, "Polarity"]


def neighbour_sheet_without_closeness(lait, source):
    grid = pl.read_excel(lait / "current" / "sn_may_2025.xlsx", has_header=False, engine="calamine",
                         infer_schema_length=0)
    closeness = [c for c in grid.columns if grid[2, c] == "SNP"]
    assert len(closeness) == 10
    grid.drop(closeness).write_excel(source / "sn_may_2025.xlsx", worksheet="LA SN Groups", include_header=False)
    return ["sn_may_2025.xlsx", "SN1", "layout"]


# each way of breaking a release -> the file it writes in place of the real one
CASES = {
    empty_dictionary: DICTIONARY,
    dictionary_in_cp1252: DICTIONARY,
    no_polarity: DICTIONARY,
    values_all_text: "bds_long_0.parquet",
    neighbour_sheet_without_closeness: "sn_may_2025.xlsx",
}


@pytest.mark.parametrize("make_bad", CASES, ids=lambda case: case.__name__)
def test_bad_release_fails_naming_file_and_column_and_keeps_the_warehouse(tmp_path, lait, good_home, make_bad):  # noqa: F811
    source = release_with(tmp_path, lait, CASES[make_bad])
    fragments = make_bad(lait, source)
    assert_fails_and_warehouse_survives(good_home, source, *fragments)


def test_next_good_release_recovers_without_clean_up(tmp_path, lait, good_home):  # noqa: F811
    home, before = good_home
    source = release_with(tmp_path, lait, DICTIONARY)
    dictionary_in_cp1252(lait, source)
    assert not run_foundation(home, source).success
    result = run_foundation(home, lait / "2025-07-22")
    assert result.success, failure_text(result)
    releases, facts, neighbours = published_state(home)
    assert releases[:-1] == before[0] and releases[-1] != before[0][-1]
    assert facts[0] > 0 and neighbours == before[2]
