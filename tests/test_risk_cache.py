"""The inspection-risk selection kept by its inputs (``assets/risk/cache.py``): the same inputs and
code give back exactly the tables computed, type for type and bit for bit; any change of an input
value or of the computing code computes again; the real selection reused from the cache is the
one computed afresh on the same warehouse."""

from __future__ import annotations

import importlib
import os
import sys
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest

from assets.risk import cache
from assets.risk.tables import compute_or_reuse, read_inputs


def inputs(last: float = 0.1) -> dict[str, pl.DataFrame]:
    return {"points": pl.DataFrame({"key": [1, 2, 3], "level": [0.1 + 0.2, float("nan"), last],
                                    "type": ["standard", None, "short"]})}


def tables() -> dict[str, pl.DataFrame]:
    """Every kind of column the risk tables hold, with awkward values: -0.0, NaN, nulls, an all-null column."""
    return {
        "b_selection": pl.DataFrame({"candidate": ["a", "b"], "cv_auc": [0.1 + 0.2, -0.0], "is_chosen": [True, False],
                                     "later_auc": pl.Series([None, None], dtype=pl.Float64),
                                     "inspections": pl.Series([168, 168], dtype=pl.Int64)}),
        "a_signal": pl.DataFrame({"area_code": [868], "likelihood": [float("nan")], "drivers": [None],
                                  "as_of": [date(2026, 4, 1)], "rank_national": pl.Series([None], dtype=pl.Int64)}),
    }


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, pl.DataFrame]:
        self.calls += 1
        return tables()


def assert_same(got: dict[str, pl.DataFrame], expected: dict[str, pl.DataFrame]) -> None:
    assert sorted(got) == sorted(expected)
    for name, frame in expected.items():
        assert got[name].schema == frame.schema, name
        assert got[name].equals(frame, null_equal=True), name
        for column in frame.columns:  # bit for bit (equals counts -0.0 == 0.0 and NaN == NaN)
            if frame[column].dtype == pl.Float64:
                assert got[name][column].to_numpy().tobytes() == frame[column].to_numpy().tobytes(), (name, column)


@pytest.mark.fast
def test_the_same_inputs_reuse_exactly_the_tables_computed(tmp_path):
    compute_tables = Counter()
    first, key, reused = cache.reuse_or_compute(tmp_path, inputs(), compute_tables)
    assert not reused and compute_tables.calls == 1
    assert_same(first, tables())
    again, key_again, reused = cache.reuse_or_compute(tmp_path, inputs(), compute_tables)
    assert reused and key_again == key and compute_tables.calls == 1
    assert_same(again, tables())
    assert list(again) == list(first) == ["a_signal", "b_selection"]  # by name, computed or reused


@pytest.mark.fast
def test_a_changed_value_or_computing_code_computes_again(tmp_path, monkeypatch):
    compute_tables = Counter()
    _, key, _ = cache.reuse_or_compute(tmp_path, inputs(), compute_tables)
    # the last bit of one input value
    _, other, reused = cache.reuse_or_compute(tmp_path, inputs(np.nextafter(0.1, 1.0)), compute_tables)
    assert not reused and other != key and compute_tables.calls == 2
    # the same frame under another name, or a column renamed
    renamed = {"other": inputs()["points"]}
    assert cache.cache_key(renamed) != key
    assert cache.cache_key({"points": inputs()["points"].rename({"level": "levels"})}) != key
    # a line of the computing code
    module = tmp_path / "code" / "risk_code_under_test.py"
    module.parent.mkdir()
    module.write_text("SEED = 22\n")
    monkeypatch.syspath_prepend(str(module.parent))
    monkeypatch.setattr(cache, "COMPUTING_MODULES", (*cache.COMPUTING_MODULES, "risk_code_under_test"))
    before = cache.cache_key(inputs())
    assert before != key
    module.write_text("SEED = 23\n")
    importlib.reload(sys.modules["risk_code_under_test"])
    assert cache.cache_key(inputs()) != before


@pytest.mark.fast
def test_two_processes_computing_the_same_inputs_at_once_both_succeed(tmp_path):
    """The second to finish finds the first's entry in place: it keeps that one and returns its own tables."""
    outer = Counter()

    def slow():
        # while this computes, another process computes and keeps the same key
        cache.reuse_or_compute(tmp_path, inputs(), Counter())
        return outer()

    got, key, reused = cache.reuse_or_compute(tmp_path, inputs(), slow)
    assert not reused and outer.calls == 1
    assert_same(got, tables())
    assert [p.name for p in tmp_path.iterdir()] == [key]  # one entry, no folder left half-written
    assert_same(cache.reuse_or_compute(tmp_path, inputs(), Counter())[0], tables())


@pytest.mark.fast
def test_only_the_newest_entries_are_kept(tmp_path):
    keys = []
    for i in range(cache.KEEP + 2):
        keys.append(cache.reuse_or_compute(tmp_path, inputs(float(i)), Counter())[1])
        os.utime(tmp_path / keys[-1], (i, i))  # one second apart, in the order written
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keys[2:])
    # reusing an entry makes it the newest again
    os.utime(tmp_path / keys[2], (0, 0))
    cache.reuse_or_compute(tmp_path, inputs(2.0), Counter())
    cache.reuse_or_compute(tmp_path, inputs(-1.0), Counter())
    assert keys[2] in {p.name for p in tmp_path.iterdir()} and keys[3] not in {p.name for p in tmp_path.iterdir()}


# the session's materialized home (minutes on a loaded 2-core machine) and one whole selection (38 s of CPU)
@pytest.mark.timeout(1500)
def test_the_real_selection_reused_is_the_one_computed_afresh(materialized_home, tmp_path):
    """On the real release: the tables computed into an empty cache, read back from it, and the
    build's own tables (reused from the session's cache, or computed by it) are the same."""
    warehouse = materialized_home / "data" / "marts" / "warehouse.duckdb"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        computed, done = compute_or_reuse(con, tmp_path)
        key = cache.cache_key(read_inputs(con))
        assert done.startswith("computed the selection, kept") and key[:12] in done
        reused, done = compute_or_reuse(con, tmp_path)
        assert done.startswith("reused the selection computed") and key[:12] in done
        built = {table: con.sql(f"SELECT * FROM marts.{table}").pl() for table in computed}
    assert [p.name for p in tmp_path.iterdir()] == [key]
    assert_same(reused, computed)
    assert_same(built, computed)
