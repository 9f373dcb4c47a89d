"""The national index: every council by region, with its inspection-risk line, and the peer groups."""

from __future__ import annotations

from assets.profiles.formatting import slug
from assets.profiles.views.shared import SharedViews


def index_page(views: SharedViews) -> dict:
    lines = [{"area_code": c, "area_name": row["area_name"], "region_name": row["region_name"],
              "file": views.files[c], "risk": views.risk(c)}
             for c, row in sorted(views.councils.items(), key=lambda kv: kv[1]["area_name"])]
    return {
        "regions": [{"name": r, "file": f"{slug(r)}.html",
                     "councils": [c for c in lines if c["region_name"] == r]} for r in views.regions()],
        "councils": lines,
        "group_regions": groups_by_region(views),
        "release": views.data.release, "count": len(lines), "risk_name": views.risk_name,
        "changes": views.release_changes,
    }


def groups_by_region(views: SharedViews) -> list[dict]:
    """The peer groups listed under their region (groups without one last, as "Other groups")."""
    firsts = views.data.peer_groups.unique("group_name", keep="first", maintain_order=True).to_dicts()
    regions = sorted({g["region_name"] for g in firsts if g["region_name"]})
    listed = [(r, [g for g in firsts if g["region_name"] == r]) for r in regions]
    listed.append(("Other groups", [g for g in firsts if not g["region_name"]]))
    return [{"name": region, "groups": [{"name": g["group_name"], "file": f"{slug(g['group_name'])}.html"}
                                        for g in sorted(groups, key=lambda g: g["group_name"])]}
            for region, groups in listed if groups]
