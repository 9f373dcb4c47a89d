"""Write the profile site under ``profiles/``: council pages, regional overviews, index, peer groups.

Layout (relative links only, so the folder works offline and can be copied anywhere):

    profiles/index.html                      national index
    profiles/methods.html                    how to read a profile, how the numbers are worked out
    profiles/definitions.html                every indicator's definition (once, not on each page)
    profiles/assets/plotly.min.js            shipped once, from the installed plotly package
    profiles/councils/<code>-<slug>.html     one per current council
    profiles/councils/trends/<code>.js       its trend series, loaded when a trend chart is opened
    profiles/regions/<slug>.html             one per region
    profiles/peer-groups/<slug>.html         one per peer group
    profiles/pdf/<code>-<slug>.pdf           pre-visit pack of each council (print edition)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from assets.profiles.formatting import slug
from assets.profiles.render import methods_html, write_page
from base.files import write_atomic

# Called with each council file written (page or PDF): `peerdata materialize` shows them as one bar.
# (A callback, not a logger: Dagster reconfigures Python logging when a run starts.)
COUNCIL_WRITTEN: list[Callable[[Path], None]] = []


def council_written(path: Path) -> Path:
    for listener in COUNCIL_WRITTEN:
        listener(path)
    return path

if TYPE_CHECKING:  # only annotations here: loading the definitions needs no Polars
    import duckdb

    from assets.profiles.views import CouncilViews


def council_page_path(profiles_dir: Path, code: int, name: str) -> Path:
    return profiles_dir / "councils" / f"{code}-{slug(name)}.html"


def expected_files(con: duckdb.DuckDBPyConnection, profiles_dir: Path) -> list[Path]:
    """Every page a complete site has: one per current council, region and peer group, the index
    and plotly.js (what the ``profiles_complete`` check and ``peerdata materialize`` look for)."""
    councils = con.execute(
        "SELECT area_code, area_name, region_name FROM core.dim_area WHERE area_kind = 'la' AND is_current").fetchall()
    groups = [g for (g,) in con.execute("SELECT DISTINCT group_name FROM marts.peer_group").fetchall()]
    expected = [council_page_path(profiles_dir, code, name) for code, name, _ in councils]
    expected += [profiles_dir / "regions" / f"{slug(r)}.html" for r in {r for *_, r in councils}]
    expected += [profiles_dir / "peer-groups" / f"{slug(g)}.html" for g in groups]
    return expected + [profiles_dir / "index.html", profiles_dir / "definitions.html",
                       profiles_dir / "assets" / "plotly.min.js"]


def build_councils(views: CouncilViews, profiles_dir: Path, codes: list[int]) -> list[Path]:
    """One HTML profile per council in ``codes``, and beside it the script of its trend series."""
    from assets.profiles.views import json_for_html

    written = []
    for code in codes:
        written.append(council_written(write_page(
            council_page_path(profiles_dir, code, views.councils[code]["area_name"]), "council.html",
            p=views.council(code), root="../", print=False, appendix=False, release=views.data.release)))
        written.append(write_atomic(profiles_dir / "councils" / "trends" / f"{code}.js",
                                    f"peerdataTrends({json_for_html(views.trends(code))});\n"))
    return written


def build_regions(views: CouncilViews, profiles_dir: Path) -> list[Path]:
    """One overview per region, every council in it."""
    return [
        write_page(profiles_dir / "regions" / f"{slug(region)}.html", "region.html",
                   r=views.region(region), root="../", print=False, release=views.data.release)
        for region in views.regions()
    ]


def build_index(views: CouncilViews, profiles_dir: Path) -> list[Path]:
    """The national index (with its search), the shared definitions page and the methods page."""
    return [write_page(profiles_dir / "index.html", "index.html", i=views.index(), root="", print=False,
                       release=views.data.release),
            write_page(profiles_dir / "definitions.html", "definitions.html", d=views.definitions(), root="",
                       print=False, release=views.data.release),
            write_atomic(profiles_dir / "methods.html", methods_html(views.methods()))]


def build_peer_groups(views: CouncilViews, profiles_dir: Path) -> list[Path]:
    """One pack per peer group of ``marts.peer_group``."""
    return [
        write_page(profiles_dir / "peer-groups" / f"{slug(group)}.html", "peer_group.html",
                   g=views.peer_group(group), root="../", print=False, release=views.data.release)
        for group in views.peer_group_names()
    ]


def prune(folder: Path, keep: list[Path], pattern: str) -> list[Path]:
    """Remove files in ``folder`` matching ``pattern`` that are not in ``keep`` (e.g. abolished councils)."""
    kept = {p.resolve() for p in keep}
    removed = [p for p in folder.glob(pattern) if p.resolve() not in kept]
    for path in removed:
        path.unlink()
    return removed
