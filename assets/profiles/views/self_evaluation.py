"""The councils' own views beside the data (``marts.self_evaluation_check``), for the council page,
the peer-group pack (first, for the visiting team) and the region page."""

from __future__ import annotations

import polars as pl

from base.service_areas import SERVICE_HEADINGS
from assets.profiles.views.shared import SharedViews

DIFFERENCES = ("rates higher than the data", "direction differs", "rates lower than the data")


def self_evaluation_rows(views: SharedViews, code: int) -> list[dict]:
    """The council's views, most serious difference first, each with its service area's heading."""
    if views.data.self_evaluation is None:
        return []
    return [row | {"heading": SERVICE_HEADINGS[row["service_area"]], "differs": row["agreement"] in DIFFERENCES,
                   "rosier": row["agreement"] == DIFFERENCES[0]}
            for row in views.data.self_evaluation.filter(pl.col("area_code") == code).to_dicts()]


def self_evaluation_summary(rows: list[dict]) -> str:
    """How many service areas the council rated, how many differ from the data and how many agree."""
    differ, agree = sum(r["differs"] for r in rows), sum(r["agreement"] == "agrees" for r in rows)
    return f"{len(rows)} service area{'s' if len(rows) != 1 else ''} rated: {differ} differ from the data, {agree} agree"
