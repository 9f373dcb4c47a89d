"""Asset keys of the core tables and the marts, for the marts' assets, their checks and the profiles."""

from __future__ import annotations

import dagster as dg


def core(table: str) -> dg.AssetKey:
    return dg.AssetKey(["core", table])


def mart(table: str) -> dg.AssetKey:
    return dg.AssetKey(["marts", table])
