"""Who to learn from (``marts.learn_from``) beside each concern, and each region's themes and its
needs and offers (``marts.region_theme``), for the council page, the peer-group pack and the region page."""

from __future__ import annotations

import polars as pl

from assets.profiles.views.shared import SharedViews

REGION_THEMES_SHOWN = 5


def learn_from_rows(views: SharedViews, code: int) -> dict[str, list[dict]]:
    """The councils ``code`` could learn from, by indicator (up to three each, in order)."""
    if views.data.learn_from is None:
        return {}
    found: dict[str, list[dict]] = {}
    for row in views.data.learn_from.filter(pl.col("area_code") == code).to_dicts():
        found.setdefault(row["indicator_code"], []).append(row | {"file": views.files.get(row["learn_from_code"])})
    return found


def region_themes(views: SharedViews, region_name: str) -> list[dict]:
    """The region's first themes, widest first."""
    if views.data.region_themes is None:
        return []
    return views.data.region_themes.filter(pl.col("region_name") == region_name).head(REGION_THEMES_SHOWN).to_dicts()


def needs_and_offers(views: SharedViews, codes: list[int]) -> list[dict]:
    """Per headline indicator, the councils among ``codes`` that need it (a concern or area for
    development) and those among them that offer it (a strength, or a sustained improvement that
    another council of the region was matched to); most needed first."""
    by_indicator: dict[str, dict] = {}
    for row in views.data.strengths.filter(pl.col("area_code").is_in(codes)).to_dicts():
        entry = by_indicator.setdefault(row["indicator_code"], {"name": row["indicator_name"],
                                                                "needs": [], "offers": []})
        side = "offers" if row["kind"] == "strength" else "needs"
        entry[side].append(views.councils[row["area_code"]]["area_name"])
    if views.data.learn_from is not None:
        region_offers = views.data.learn_from.filter(pl.col("area_code").is_in(codes) & pl.col("learn_from_code").is_in(codes))
        for row in region_offers.to_dicts():
            entry = by_indicator.get(row["indicator_code"])
            if entry is not None and row["learn_from_name"] not in entry["offers"]:
                entry["offers"].append(row["learn_from_name"])
    lines = [entry | {"needs": sorted(set(entry["needs"])), "offers": sorted(set(entry["offers"]))}
             for entry in by_indicator.values() if entry["needs"]]
    return sorted(lines, key=lambda e: (-len(e["needs"]), e["name"]))
