"""The profile assets: council pages and PDFs (partitioned by council), overviews and checks.

Each reads the warehouse read-only and writes files under ``<home>/profiles`` atomically (see
``render.write_atomic``). Council assets use a single-run backfill policy: a backfill of every
council is one run that reads the marts once and, for PDFs, keeps one browser for all of them.
(No ``from __future__ import annotations`` here: Dagster reads the ``context`` annotation.)
"""

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from assets.marts.keys import mart
from assets.metadata import markdown_table
from assets.profiles.build import (
    build_councils, build_index, build_peer_groups, build_regions, council_page_path, expected_files, prune,
)
from assets.profiles.formatting import slug
from assets.profiles.partitions import council_code, council_partitions
from assets.profiles.render import ship_assets
from pipeline.resources import WarehouseResource

if TYPE_CHECKING:
    from assets.profiles.views import CouncilViews

GROUP = "profiles"
MAX_PAGE_BYTES = 2_000_000
MART_DEPS = [mart(name) for name in (
    "benchmark", "trend", "decline_flags", "improvement_flags", "council_summary",
    "strengths_weaknesses", "peer_group")]
COUNCIL_PAGE = dg.AssetKey(["profiles", "council_page"])
COUNCIL_PDF = dg.AssetKey(["profiles", "council_pdf"])
OVERVIEWS = dg.AssetKey(["profiles", "overviews"])


def profile_asset(key: dg.AssetKey, deps: list[dg.AssetKey], partitioned: bool):
    """The decorator every profile asset shares: group, kinds, owners, council partitions.

    The single-run backfill policy is still marked beta by Dagster: its warning is silenced
    here, where it is chosen, rather than shown on every start of the UI and the command line."""
    extra = {"partitions_def": council_partitions, "backfill_policy": dg.BackfillPolicy.single_run()} if partitioned else {}

    def decorate(fn):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dg.BetaWarning)
            return dg.asset(key=key, deps=deps, group_name=GROUP, kinds={"html", "python"},
                            owners=["team:peerdata"], **extra)(fn)

    return decorate


def read_views(warehouse: WarehouseResource, codes: list[int] | None = None) -> "CouncilViews":
    """The page content of the councils in ``codes`` (every current council when None), from one
    read-only pass over the marts (``data.load_profile_data``, ``views.CouncilViews``)."""
    # Imported here: Polars and the page code are not needed to load the definitions.
    from assets.profiles.data import load_profile_data
    from assets.profiles.views import CouncilViews

    with warehouse.connect(read_only=True) as con:
        return CouncilViews(load_profile_data(con, codes))


def pdf_path(profiles_dir: Path, code: int, name: str) -> Path:
    return profiles_dir / "pdf" / f"{code}-{slug(name)}.pdf"


def files_metadata(paths: list[Path], root: Path) -> dict:
    """File count, total and largest size, and a preview of the files written."""
    sizes = [(str(p.relative_to(root)), p.stat().st_size) for p in paths]
    return {
        "file_count": dg.MetadataValue.int(len(sizes)),
        "total_bytes": dg.MetadataValue.int(sum(s for _, s in sizes)),
        "largest_bytes": dg.MetadataValue.int(max((s for _, s in sizes), default=0)),
        "preview": dg.MetadataValue.md(markdown_table(["file", "bytes"], sizes)),
        "folder": dg.MetadataValue.path(str(root)),
    }


def add_page_metadata(context: dg.AssetExecutionContext, pages: list[Path], root: Path) -> None:
    """Each council partition's own file (path and size) on its own materialization; ``pages``
    are named ``<partition key>.<suffix>``, in the order of the run's partitions or not."""
    keys = set(context.partition_keys)
    for page in pages:
        if page.stem in keys:
            context.add_asset_metadata({"path": dg.MetadataValue.path(str(page)),
                                        "file": str(page.relative_to(root)),
                                        "bytes": dg.MetadataValue.int(page.stat().st_size)}, partition_key=page.stem)


@profile_asset(COUNCIL_PAGE, MART_DEPS, partitioned=True)
def council_page(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The HTML data profile of each council in the run's partitions (LA codes).

    How: reads the marts read-only for those councils only (``data.load_profile_data``), builds
    each page's content (``views.CouncilViews.council``: at a glance, early warning, strengths
    and areas for development, topic strip, one table and spine chart per topic, trend data)
    and renders ``templates/council.html`` to ``profiles/councils/<code>-<slug>.html``
    atomically. plotly.js and the stylesheet are shipped once to ``profiles/assets``.
    """
    codes = [council_code(key) for key in context.partition_keys]
    profiles_dir = warehouse.paths.profiles_dir
    views = read_views(warehouse, codes)
    ship_assets(profiles_dir)
    written = build_councils(views, profiles_dir, codes)
    add_page_metadata(context, written, profiles_dir)
    return dg.MaterializeResult(metadata={"folder": dg.MetadataValue.path(str(profiles_dir))})


@profile_asset(COUNCIL_PDF, [COUNCIL_PAGE, *MART_DEPS], partitioned=True)
def council_pdf(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The A4 print edition of each council profile in the run's partitions, about 30 pages.

    What: the same content as the HTML page (``views.CouncilViews.council``): at a glance, the
    topic strip, every decline flag with its evidence, strengths and areas for development,
    and for every topic the table of every indicator (latest value, neighbour mean, region,
    England, band and direction in words, rank, change, trend) with a static spine strip in
    each row; page numbers in the footer. Interactive parts (contents, links, sparklines,
    trend charts, per-indicator details) are left out: the definitions, the same for every
    council, are printed once to ``profiles/pdf/definitions.pdf``.

    How: ``templates/council.html`` rendered with ``print=True`` and printed by one headless
    Chromium for the whole run (``pdf.py``); the spine strips are SVG
    written in Python, so no browser call is made per image. Without Chromium the step is
    skipped with a message; the HTML is unaffected.
    """
    # Imported here, like the page code in read_views: loading the definitions needs neither.
    from assets.profiles.pdf import NO_CHROMIUM, find_chromium, write_pdfs

    codes = [council_code(key) for key in context.partition_keys]
    chromium = find_chromium()
    if chromium is None:
        context.log.warning(NO_CHROMIUM)
        return dg.MaterializeResult(metadata={"skipped": dg.MetadataValue.text(NO_CHROMIUM), "file_count": 0})
    profiles_dir = warehouse.paths.profiles_dir
    views = read_views(warehouse, codes)
    written = write_pdfs(views, codes, lambda code: pdf_path(profiles_dir, code, views.councils[code]["area_name"]),
                         profiles_dir / "pdf" / "definitions.pdf", chromium)
    add_page_metadata(context, [p for p in written if p.name != "definitions.pdf"], profiles_dir)
    return dg.MaterializeResult(metadata={"folder": dg.MetadataValue.path(str(profiles_dir))})


@profile_asset(OVERVIEWS, [COUNCIL_PAGE, *MART_DEPS], partitioned=False)
def overviews(warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Regional overviews, the national index and the peer-group packs.

    How: ``profiles/regions/<slug>.html`` lists every council of the region with its
    early-warning score, ranks, flags per topic as a heat map and the flags new and cleared
    since the previous release (``marts.council_summary``); ``profiles/index.html`` links every
    council, region and pack; ``profiles/peer-groups/<slug>.html`` sets each group's members
    (``marts.peer_group``) side by side on every indicator with their group rank, neighbour
    mean, England and each member's flags. Council pages of councils no longer current are
    removed.
    """
    profiles_dir = warehouse.paths.profiles_dir
    views = read_views(warehouse)
    written = [*ship_assets(profiles_dir), build_index(views, profiles_dir),
               *build_regions(views, profiles_dir), *build_peer_groups(views, profiles_dir)]
    current = [council_page_path(profiles_dir, code, c["area_name"]) for code, c in views.councils.items()]
    removed = prune(profiles_dir / "councils", current, "*.html")
    metadata = files_metadata(written, profiles_dir)
    metadata["removed_council_pages"] = dg.MetadataValue.int(len(removed))
    return dg.MaterializeResult(metadata=metadata)


@dg.asset_check(asset=OVERVIEWS, description="Every current council, region and peer group has its page.")
def profiles_complete(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """One council page per current council, one overview per region, one pack per peer group."""
    profiles_dir = warehouse.paths.profiles_dir
    with warehouse.connect(read_only=True) as con:
        expected = expected_files(con, profiles_dir)
    missing = [str(p.relative_to(profiles_dir)) for p in expected if not p.exists()]
    return dg.AssetCheckResult(
        passed=not missing,
        metadata={"expected_files": len(expected), "missing": dg.MetadataValue.md(markdown_table(["file"], [(m,) for m in missing]))},
        description=f"{len(missing)} page(s) missing" if missing else None,
    )


@dg.asset_check(asset=OVERVIEWS, description="Every council page is under 2 MB (without the shared plotly.js).")
def profile_page_size(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No council page reaches 2 MB; plotly.js is shared, not counted."""
    pages = sorted((p.stat().st_size, p.name) for p in (warehouse.paths.profiles_dir / "councils").glob("*.html"))
    too_big = [(name, size) for size, name in pages if size >= MAX_PAGE_BYTES]
    return dg.AssetCheckResult(
        passed=bool(pages) and not too_big,
        metadata={"pages": len(pages), "largest_bytes": pages[-1][0] if pages else 0,
                  "too_big": dg.MetadataValue.md(markdown_table(["file", "bytes"], too_big))},
    )


PROFILE_ASSETS = [council_page, council_pdf, overviews]
PROFILE_CHECKS = [profiles_complete, profile_page_size]
