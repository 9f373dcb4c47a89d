"""The peer-group pack: the members side by side on one screen, then every indicator in folded topics."""

from __future__ import annotations

import polars as pl

from assets.profiles.formatting import slug
from assets.profiles.views.common import POLARITY_WORDS
from assets.profiles.views.council import council_page
from assets.profiles.views.shared import SharedViews


def peer_group_names(views: SharedViews) -> list[str]:
    return views.data.peer_groups["group_name"].unique(maintain_order=True).to_list()


def peer_group_page(views: SharedViews, group_name: str) -> dict:
    """A one-screen summary of the members side by side, then every indicator in folded topics."""
    members = views.data.peer_groups.filter(pl.col("group_name") == group_name).to_dicts()
    profiles = {m["area_code"]: council_page(views, m["area_code"]) for m in members}
    first = profiles[members[0]["area_code"]]
    topics = []
    for area in first["areas"]:
        for topic in area["topics"]:
            lines = []
            for row in topic["rows"]:
                cells = [member_cell(profiles[m["area_code"]], row["code"]) for m in members]
                if not any(c["has_data"] for c in cells):
                    continue
                newest = max((c for c in cells if c["has_data"]), key=lambda c: (c["end_year"], c["period"]))["period"]
                places = group_ranks([views.latest_index.get((m["area_code"], row["code"])) for m in members],
                                     row["polarity"])
                lines.append({"row": row, "england": next((c["england"] for c in cells if c["has_data"]), "\u2013"),
                              "cells": [c | {"place": place, "old": c["has_data"] and c["period"] != newest}
                                        for c, place in zip(cells, places)]})
            if lines:
                topics.append({"name": topic["name"], "anchor": topic["anchor"], "rows": lines})
    headline = [{"row": row, "cells": [member_cell(profiles[m["area_code"]], row["code"]) for m in members]}
                for row in first["headline"]]
    return {
        "name": group_name,
        "members": [{**m, "file": views.files[m["area_code"]], "profile": profiles[m["area_code"]]} for m in members],
        "headline": headline, "topics": topics, "release": views.data.release,
        "inspection_coverage": views.inspection_coverage, "risk_name": views.risk_name,
        "pdf_file": f"../pdf/peer-groups/{slug(group_name)}.pdf" if views.pdf_links else None,
    }


def member_cell(profile: dict, code: str) -> dict:
    for area in profile["areas"]:
        for topic in area["topics"]:
            for row in topic["rows"]:
                if row["code"] == code:
                    return row
    return {"has_data": False}


def group_ranks(values: list[float | None], polarity_words: str) -> list[str]:
    """Each member's place in the group ("1 of 3"), best first; empty without polarity or value."""
    if polarity_words not in (POLARITY_WORDS["high"], POLARITY_WORDS["low"]):
        return ["" for _ in values]
    better = (lambda a, b: a > b) if polarity_words == POLARITY_WORDS["high"] else (lambda a, b: a < b)
    known = [v for v in values if v is not None]
    return ["" if v is None else f"{1 + sum(better(o, v) for o in known)} of {len(known)}" for v in values]
