"""What changed since the previous release: ``marts.release_changes``.

The core publish keeps the facts of the release it replaces (``core.previous_fact_indicator_value``,
named by ``core.previous_release``); the flags of every release are in ``marts.flag_history``.
"""

from __future__ import annotations

import dagster as dg

from assets.marts.assets import core, mart, mart_asset, materialize_sql
from pipeline.resources import WarehouseResource


@mart_asset(
    "release_changes",
    deps=[core("fact_indicator_value"), core("dim_indicator"), core("dim_area"), mart("flag_history")],
)
def release_changes(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """What changed since the previous release, one row per change (empty for a first release).

    How (``assets/sql/marts/release_changes.sql``), comparing ``core.fact_indicator_value`` with
    ``core.previous_fact_indicator_value`` and the two releases' flags in ``marts.flag_history``:
    ``new_indicator`` / ``dropped_indicator`` (values in one release only), ``new_period`` /
    ``dropped_period`` (a period of an indicator in both releases, with values in one only),
    ``revised_value`` (same indicator, area and period in both, value differing by more than
    1e-9 or status changed, or an area added or removed in a period published in both) and
    ``flag_raised`` / ``flag_cleared`` (decline and improvement flags in one release only).
    """
    return materialize_sql(warehouse, "release_changes", "release_changes.sql")
