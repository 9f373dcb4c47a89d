"""The core model built by Dagster from the real current release, checked against the files."""

from __future__ import annotations

import math

import duckdb
import pyarrow.parquet as pq
import pytest

SUPPRESSION_SYMBOLS = {
    "-": "not_available", "c": "confidential", "x": "unavailable", "z": "not_applicable",
    "low": "rounds_to_zero", "u": "low_reliability", "k": "low_figure", "..": "not_recorded",
}


@pytest.fixture(scope="module")
def core(current_home):
    con = duckdb.connect(str(current_home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def scalar(con, sql):
    return con.execute(sql).fetchall()[0][0]


def test_councils_regions_and_reorganisation(core):
    assert scalar(core, "SELECT count(*) FROM core.dim_area WHERE is_current") == 153
    abolished = core.execute(
        "SELECT area_code, successor_codes FROM core.dim_area WHERE area_kind = 'la' AND NOT is_current ORDER BY 1"
    ).fetchall()
    assert abolished == [(835, [838]), (836, [839]), (837, [839]), (909, [942, 943]), (928, [940, 941])]
    assert scalar(core, "SELECT count(*) FROM core.dim_area WHERE area_kind = 'region'") == 9
    assert core.execute(
        "SELECT area_code, london_subregion FROM core.dim_area WHERE area_kind = 'london_subregion' ORDER BY 1"
    ).fetchall() == [(987, "Inner London"), (988, "Outer London")]
    assert scalar(core, "SELECT area_code FROM core.dim_area WHERE area_kind = 'england'") == 970
    # Camden is Inner London in the files; Barnsley's region is spelt two ways across files.
    assert core.execute(
        "SELECT region_name, london_subregion, la_type FROM core.dim_area WHERE area_code = 202"
    ).fetchall() == [("London", "Inner London", "ILB")]
    assert scalar(core, "SELECT region_name FROM core.dim_area WHERE area_code = 370") == "Yorkshire and The Humber"
    assert scalar(core, "SELECT count(DISTINCT region_name) FROM core.dim_area WHERE is_current") == 9


def test_indicators_topics_and_dictionary_conflicts(core):
    assert scalar(core, "SELECT count(*) FROM core.dim_indicator") == 434
    two_topics = scalar(
        core, "SELECT count(*) FROM (SELECT indicator_code FROM core.indicator_topic GROUP BY 1 HAVING count(*) = 2)"
    )
    assert two_topics == 14
    # LAC_Unauth: dps blank in its first copy and 2 in its second -> 2 (the larger).
    assert scalar(core, "SELECT dps FROM core.dim_indicator WHERE indicator_code = 'LAC_Unauth'") == 2
    # CINPermExclusion: 'N' (no quartiles) in one copy, NA in the other -> no quartiles.
    assert scalar(core, "SELECT no_quartile FROM core.dim_indicator WHERE indicator_code = 'CINPermExclusion'")
    assert {r[0] for r in core.execute("SELECT indicator_code FROM core.indicator_conflict").fetchall()} == {
        "CINPermAbsent_3Term", "CINPermExclusion", "LAC_Over_Abs", "LAC_Unauth"
    }
    assert sorted(
        r[0] for r in core.execute("SELECT indicator_code FROM core.dim_indicator WHERE discontinued").fetchall()
    ) == ["PreChildDea", "RTA"]
    polarity = dict(core.execute("SELECT polarity, count(*) FROM core.dim_indicator GROUP BY 1").fetchall())
    assert set(polarity) == {"high", "low", "none"}
    # InfMort: Excel serial 45809 in 'Last Update' is 2025-06-01.
    assert str(scalar(core, "SELECT last_update FROM core.dim_indicator WHERE indicator_code = 'InfMort'")) == "2025-06-01"


def test_neighbours(core):
    per_council = core.execute(
        """
        SELECT count(*), count(DISTINCT neighbour_rank), min(neighbour_rank), max(neighbour_rank)
        FROM core.dim_stat_neighbour JOIN core.dim_area USING (area_code) WHERE is_current GROUP BY area_code
        """
    ).fetchall()
    assert len(per_council) == 153 and set(per_council) == {(10, 10, 1, 10)}
    # Barking and Dagenham's first and last neighbours as the sheet lists them.
    assert core.execute(
        "SELECT neighbour_code, closeness FROM core.dim_stat_neighbour WHERE area_code = 301 AND neighbour_rank IN (1, 10) ORDER BY neighbour_rank"
    ).fetchall() == [(308, "close"), (203, "somewhat close")]
    assert {r[0] for r in core.execute("SELECT DISTINCT closeness FROM core.dim_stat_neighbour").fetchall()} <= {
        "extremely close", "very close", "close", "somewhat close", "not close"
    }


def test_every_numeric_value_in_the_file_is_loaded_unchanged(core, lait):
    table = pq.read_table(lait / "current" / "bds_long_0.parquet").to_pydict()
    published = {}
    for code, years, la_number, raw in zip(table["Short Desc"], table["Years"], table["LA Number"], table["Values"]):
        try:
            number = float(raw)
        except ValueError:
            continue
        published[(code, int(la_number), years)] = number
    loaded = {
        (code, area, label): value
        for code, area, label, value in core.execute(
            "SELECT indicator_code, area_code, period_label, value FROM core.fact_indicator_value WHERE value_status = 'ok'"
        ).fetchall()
    }
    assert len(published) == 547187
    assert loaded.keys() == published.keys()
    assert all(loaded[key] == published[key] and not math.isnan(loaded[key]) for key in published)


def test_dashes_are_not_available_and_nothing_is_duplicated(core):
    statuses = dict(core.execute("SELECT value_status, count(*) FROM core.fact_indicator_value GROUP BY 1").fetchall())
    assert statuses == {"ok": 547187, "not_available": 93883 - 170}
    assert scalar(core, "SELECT count(*) FROM core.fact_indicator_value WHERE value_status <> 'ok' AND value IS NOT NULL") == 0
    duplicates = scalar(
        core,
        "SELECT count(*) FROM (SELECT 1 FROM core.fact_indicator_value GROUP BY indicator_code, area_code, period_label HAVING count(*) > 1)",
    )
    assert duplicates == 0


def test_bogus_period_label_is_quarantined_with_a_reason(core):
    rows = core.execute("SELECT indicator_code, period_label, count(*), any_value(reason) FROM core.period_quarantine GROUP BY ALL").fetchall()
    assert len(rows) == 1
    code, label, count, reason = rows[0]
    assert (code, label, count) == ("CINPermExclusion", "0", 170)
    assert "not a period" in reason
    assert scalar(core, "SELECT count(*) FROM core.fact_indicator_value WHERE period_label = '0'") == 0


def test_each_suppression_symbol_maps_to_its_own_status(core):
    mapping = dict(core.execute("SELECT symbol, value_status FROM core.value_status WHERE symbol IS NOT NULL").fetchall())
    assert mapping == SUPPRESSION_SYMBOLS
    assert len(set(mapping.values())) == len(mapping)
