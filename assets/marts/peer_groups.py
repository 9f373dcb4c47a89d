"""Peer groups: named groups of councils read from ``pipeline/peer_groups.yaml``.

The file lists groups as ``{name, region (optional), councils: [name or LA code, ...]}``; each
council is resolved with ``resolve_council`` (current councils only). ``region`` says which
region's list the group belongs to (any region can list its groups in the same file); it
must be the name of a region of the current councils. Every unmatched name is reported
at once, each with its close matches, so a typo is fixed in one pass.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from base.councils import CouncilNames, CouncilNotFound
from base.settings import REPO_ROOT

PEER_GROUPS_FILE = REPO_ROOT / "pipeline" / "peer_groups.yaml"


class PeerGroupError(ValueError):
    """The peer-group file is malformed or names councils that do not resolve."""


def peer_group_rows(con: duckdb.DuckDBPyConnection,
                    path: Path = PEER_GROUPS_FILE) -> list[tuple[str, str | None, int, str]]:
    """(group_name, region_name, area_code, area_name) for every council of every group in the file."""
    spec = yaml.safe_load(path.read_text()) or {}
    groups = spec.get("groups")
    if not isinstance(groups, list) or not groups:
        raise PeerGroupError(f"{path.name}: expected a non-empty list under 'groups'.")
    councils = CouncilNames.of(con)
    regions = {r for (r,) in con.execute(
        "SELECT DISTINCT region_name FROM core.dim_area WHERE area_kind = 'la' AND is_current").fetchall()}
    rows, problems, seen = [], [], set()
    for group in groups:
        name = group.get("name") if isinstance(group, dict) else None
        members = group.get("councils") if isinstance(group, dict) else None
        if not name or not isinstance(members, list) or not members:
            raise PeerGroupError(f"{path.name}: every group needs a 'name' and a list of 'councils' ({group!r}).")
        if name in seen:
            raise PeerGroupError(f"{path.name}: group {name!r} is listed twice.")
        seen.add(name)
        region = group.get("region")
        if region is not None and region not in regions:
            problems.append(f"group {name!r}: region {region!r} is not one of {', '.join(sorted(regions))}.")
        for member in members:
            try:
                code = councils.resolve(member)
            except CouncilNotFound as exc:
                problems.append(f"group {name!r}: {exc}")
                continue
            rows.append((name, region, code, councils.name(code)))
    if problems:
        raise PeerGroupError(f"{path.name}: " + " ".join(problems))
    return rows
