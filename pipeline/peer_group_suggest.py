"""Suggested peer groups for a region (``peerdata peer-groups suggest``), as YAML an analyst reviews.

The region's current councils are split into triads, with one or two quartets when the count is
not a multiple of three (``group_sizes``). Three ways to mix them (``MIXES``):

- ``judgement``: mixed Ofsted judgements, as the South East's 2018/19 triads were: councils in
  order of their latest ILACS overall grade (outstanding first, none last), then type, are dealt
  into the groups like cards, back and forth (``deal``), so each group spans the judgements;
- ``type``: mixed types of council (county, unitary, metropolitan district, London borough):
  the same dealing, ordered by type first, then judgement;
- ``similar``: councils of the same type together, and within a type of similar judgement: each
  type's councils in order of judgement, cut into consecutive groups; the councils of a type with
  fewer than three in the region join the last group.

Each group comes with the reason in words (its judgements and types). Nothing is written to
``pipeline/peer_groups.yaml``: the YAML is printed for an analyst to review and commit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import yaml

from assets.profiles.views.common import LA_TYPES

MIXES = ("judgement", "type", "similar")
GRADE_WORDS = {1: "outstanding", 2: "good", 3: "requires improvement", 4: "inadequate"}
MEMBERS_SQL = """
    SELECT a.area_code, a.area_name, a.la_type, i.overall_grade
    FROM core.dim_area AS a
    LEFT JOIN (SELECT current_area_code, overall_grade FROM core.inspection WHERE overall_grade IS NOT NULL
               QUALIFY row_number() OVER (PARTITION BY current_area_code ORDER BY publication_date DESC) = 1) AS i
      ON i.current_area_code = a.area_code
    WHERE a.area_kind = 'la' AND a.is_current AND a.region_name = ?
    ORDER BY a.area_name
"""


class SuggestError(ValueError):
    """An unknown region or mix, or a region with too few councils."""


@dataclass(frozen=True)
class Member:
    code: int
    name: str
    la_type: str
    grade: int | None  # Ofsted's latest overall grade, 1 outstanding .. 4 inadequate

    @property
    def judgement(self) -> str:
        return GRADE_WORDS.get(self.grade, "not yet judged")

    @property
    def type_words(self) -> str:
        return LA_TYPES.get(self.la_type, self.la_type or "type not recorded").lower()


def group_sizes(n: int) -> list[int]:
    """Triads, with one quartet (n = 3k + 1) or two (n = 3k + 2); one group when n < 6."""
    if n < 2:
        raise SuggestError(f"{n} council{'s' if n != 1 else ''}: too few for a peer group")
    if n < 6:
        return [n]
    quartets = n % 3
    return [4] * quartets + [3] * ((n - 4 * quartets) // 3)


def deal(ordered: list[Member], sizes: list[int]) -> list[list[Member]]:
    """Deal ``ordered`` into groups of ``sizes`` back and forth (1, 2, .., k, k, .., 1, ..), skipping full ones."""
    groups: list[list[Member]] = [[] for _ in sizes]
    turn = list(range(len(sizes)))
    queue = list(ordered)
    while queue:
        for index in turn:
            if queue and len(groups[index]) < sizes[index]:
                groups[index].append(queue.pop(0))
        turn.reverse()
    return groups


def cut(ordered: list[Member], sizes: list[int]) -> list[list[Member]]:
    """Cut ``ordered`` into consecutive groups of ``sizes``."""
    groups, start = [], 0
    for size in sizes:
        groups.append(ordered[start:start + size])
        start += size
    return groups


def suggest(members: list[Member], mix: str) -> list[list[Member]]:
    """The region's councils in groups, mixed by ``mix`` (see the module docstring)."""
    if mix not in MIXES:
        raise SuggestError(f"--mix {mix!r} is not one of {', '.join(MIXES)}")
    by_judgement = sorted(members, key=lambda m: (m.grade or 5, m.la_type, m.name))
    by_type = sorted(members, key=lambda m: (m.la_type, m.grade or 5, m.name))
    sizes = group_sizes(len(members))
    if mix == "judgement":
        return deal(by_judgement, sizes)
    if mix == "type":
        return deal(by_type, sizes)
    by_kind: dict[str, list[Member]] = {}
    for member in by_type:
        by_kind.setdefault(member.la_type, []).append(member)
    groups = [g for kind in by_kind.values() if len(kind) >= 3 for g in cut(kind, group_sizes(len(kind)))]
    for kind in (k for k in by_kind.values() if len(k) < 3):
        if groups:
            groups[-1].extend(kind)
        else:
            groups.append(list(kind))
    return groups


def why(group: list[Member]) -> str:
    """The group's judgements and types in words."""
    def counted(words: list[str]) -> str:
        return ", ".join(f"{words.count(w)} {w}" for w in dict.fromkeys(words))
    return (f"Ofsted: {counted([m.judgement for m in group])}; "
            f"types: {counted([m.type_words for m in group])}")


def region_members(con: duckdb.DuckDBPyConnection, region: str) -> list[Member]:
    members = [Member(*row) for row in con.execute(MEMBERS_SQL, [region]).fetchall()]
    if not members:
        regions = [r for (r,) in con.execute("SELECT DISTINCT region_name FROM core.dim_area WHERE area_kind = 'la' "
                                             "AND is_current ORDER BY 1").fetchall()]
        raise SuggestError(f"{region!r} is not a region of the current councils: {', '.join(regions)}")
    return members


def suggested_yaml(region: str, mix: str, groups: list[list[Member]], release_id: str, year: int | None = None) -> str:
    """The groups as entries of ``pipeline/peer_groups.yaml``, marked as suggested, each with its reason."""
    year = year or dt.date.today().year
    sizes = {3: "triad", 4: "quartet"}
    entries = [{
        "name": f"{region} {year} suggested {sizes.get(len(g), 'group')} {number}",
        "region": region,
        "suggested": True,
        "why": why(g),
        "councils": [m.name for m in g],
    } for number, g in enumerate(groups, start=1)]
    header = (f"# Suggested peer groups for {region} (--mix {mix}), from release {release_id} and Ofsted's latest\n"
              f"# judgements: review, change and commit under 'groups:' in pipeline/peer_groups.yaml.\n")
    return header + yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=120, default_flow_style=None)


def suggest_command(con: duckdb.DuckDBPyConnection, region: str, mix: str) -> str:
    """``peerdata peer-groups suggest``: the suggested groups of ``region`` as YAML."""
    release_id = con.execute("SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1").fetchall()[0][0]
    return suggested_yaml(region, mix, suggest(region_members(con, region), mix), release_id)
