"""An unchanged source rebuilds nothing; ``force`` rebuilds from the landed release."""

from __future__ import annotations

import dagster as dg
import duckdb

from conftest import FOUNDATION, resources_for


def published(home):
    con = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute("SELECT release_id FROM core.release_history ORDER BY published_at").fetchall()
    finally:
        con.close()


def test_unchanged_source_materializes_nothing(current_home, copy_home, lait):
    home = copy_home(current_home)
    before = published(home)
    result = dg.materialize(FOUNDATION, resources=resources_for(home, lait / "current"))
    assert result.success
    assert result.get_asset_materialization_events() == []
    assert result.get_asset_check_evaluations() == []
    assert published(home) == before


def test_force_rebuilds_the_published_release(current_home, copy_home, lait):
    home = copy_home(current_home)
    before = published(home)
    result = dg.materialize(
        FOUNDATION,
        resources=resources_for(home, lait / "current"),
        run_config={"ops": {"raw__lait_release": {"config": {"force": True}}}},
    )
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"raw/lait_release", "core/fact_indicator_value"} <= materialized
    after = published(home)
    assert after[:-1] == before and after[-1] == before[-1]
