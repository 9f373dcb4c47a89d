"""The profile assets: council pages and PDFs (partitioned by council), overviews and checks.

Each reads the warehouse read-only and writes files into the build of the site in progress
(``site.staging_site``); the overviews step publishes it whole, in one rename, once every page is
there (``site.publish_site``; a run over some councils only, as the UI starts one, publishes
their new files with the rest of the site of the same release: ``publish_some_councils``), so
readers of ``<home>/profiles`` never see a half-built site or a mix of releases (``site.site_lock``
keeps a step from writing into the build while another publishes it). Council assets use a
single-run backfill policy: a backfill of every council is one run that reads the marts once and,
for PDFs, keeps one browser for all of them.
(No ``from __future__ import annotations`` here: Dagster reads the ``context`` annotation.)
"""

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from assets.marts.keys import core, mart
from assets.metadata import markdown_table, tag_run_with_release
from assets.profiles.build import (
    build_councils, build_index, build_peer_groups, build_regions, council_page_path, expected_files, prune,
)
from assets.profiles.formatting import slug
from assets.profiles.partitions import WHOLE_SITE_TAG, council_code, council_partitions
from assets.profiles.render import ship_assets
from base.site import publish_site, site_lock, site_release, staging_site
from assets.resources import WarehouseResource

if TYPE_CHECKING:
    from assets.profiles.views import CouncilViews

GROUP = "profiles"
MAX_PAGE_BYTES = 400_000
MART_DEPS = [mart(name) for name in (
    "benchmark", "trend", "series_signal",
    "strengths_weaknesses", "peer_group", "release_changes", "headline_indicator", "concerns",
    "lines_of_enquiry", "risk_signal", "indicator_name")] + [core("inspection")]
COUNCIL_PAGE = dg.AssetKey(["profiles", "council_page"])
COUNCIL_PDF = dg.AssetKey(["profiles", "council_pdf"])
OVERVIEWS = dg.AssetKey(["profiles", "overviews"])


def profile_asset(key: dg.AssetKey, deps: list[dg.AssetKey], partitioned: bool, kind: str = "html", **options):
    """The decorator every profile asset shares: group, kinds, owners, council partitions
    (``options``: further ``dg.asset`` arguments).

    The single-run backfill policy is still marked beta by Dagster: its warning is silenced
    here, where it is chosen, rather than shown on every start of the UI and the command line."""
    extra = {"partitions_def": council_partitions, "backfill_policy": dg.BackfillPolicy.single_run()} if partitioned else {}

    def decorate(fn):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", dg.BetaWarning)
            return dg.asset(key=key, deps=deps, group_name=GROUP, kinds={kind, "python"},
                            owners=["team:peerdata"], **extra, **options)(fn)

    return decorate


def read_views(warehouse: WarehouseResource, codes: list[int] | None = None) -> "CouncilViews":
    """The page content of the councils in ``codes`` (every current council when None), from one
    read-only pass over the marts (``data.load_profile_data``, ``views.CouncilViews``)."""
    # Imported here: Polars and the page code are not needed to load the definitions.
    from assets.profiles.data import load_profile_data
    from assets.profiles.views import CouncilViews

    with warehouse.connect(read_only=True) as con:
        return CouncilViews(load_profile_data(con, codes))


def pdf_path(profiles_dir: Path, code: int, name: str, tables: bool = False) -> Path:
    """The council's pre-visit pack, or with ``tables`` its full tables edition."""
    return profiles_dir / "pdf" / f"{code}-{slug(name)}{'-tables' if tables else ''}.pdf"


def files_metadata(paths: list[Path], root: Path, release_id: str) -> dict:
    """The release the files were built from, file count, total and largest size, and a preview."""
    sizes = [(str(p.relative_to(root)), p.stat().st_size) for p in paths]
    return {
        "release_id": dg.MetadataValue.text(release_id),
        "file_count": dg.MetadataValue.int(len(sizes)),
        "total_bytes": dg.MetadataValue.int(sum(s for _, s in sizes)),
        "largest_bytes": dg.MetadataValue.int(max((s for _, s in sizes), default=0)),
        "preview": dg.MetadataValue.md(markdown_table(["file", "bytes"], sizes)),
        "folder": dg.MetadataValue.path(str(root)),
    }


def add_page_metadata(context: dg.AssetExecutionContext, pages: list[Path], site: Path, profiles_dir: Path,
                      release_id: str) -> None:
    """Each council partition's own file on its own materialization: where readers find it once
    the site is published (``profiles_dir``), its size in the build ``site`` and the release it
    shows. ``pages`` are named ``<partition key>.<suffix>``, in the order of the run's partitions
    or not; other files (trend scripts, the tables edition) are left out."""
    keys = set(context.partition_keys)
    for page in pages:
        if page.stem in keys:
            file = str(page.relative_to(site))
            context.add_asset_metadata({"path": dg.MetadataValue.path(str(profiles_dir / file)), "file": file,
                                        "bytes": dg.MetadataValue.int(page.stat().st_size),
                                        "release_id": dg.MetadataValue.text(release_id)}, partition_key=page.stem)


@profile_asset(COUNCIL_PAGE, MART_DEPS, partitioned=True)
def council_page(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """The HTML data profile of each council in the run's partitions (keys ``<LA code>-<name slug>``,
    e.g. ``868-windsor-and-maidenhead``; each partition's materialization names its own page).

    How: reads the marts read-only for those councils only (``data.load_profile_data``), builds
    each page's content (``views.CouncilViews.council``: the first screen's five questions,
    lines of enquiry, concerns, strengths and areas for development, changes, every indicator
    once by service area and topic with a spine strip per row, neighbours and peer groups) and
    renders ``templates/council.html`` to ``councils/<code>-<slug>.html`` of the site being built
    (``site.staging_site``, published whole by ``overviews``),
    with the council's trend series beside it (``councils/trends/<code>.js``, loaded only when a
    reader opens a trend chart). plotly.js, the stylesheet and the page script are shipped once
    to the site's ``assets`` folder.
    """
    with council_build(context, warehouse) as build:
        ship_assets(build.site)
        build.written = build_councils(build.views, build.site, build.codes)
    return dg.MaterializeResult(metadata=build.metadata())


@dataclass
class CouncilBuild:
    """What a council step builds in: its councils, their page content, the site being built and
    the release it shows; the step sets ``written`` (the files it wrote) before the build closes."""

    codes: list[int]
    views: "CouncilViews"
    release_id: str
    site: Path
    written: list[Path] = field(default_factory=list)
    published: bool = False

    def metadata(self) -> dict:
        return {"release_id": dg.MetadataValue.text(self.release_id),
                "folder": dg.MetadataValue.path(str(self.site)), "published": self.published}


@contextmanager
def council_build(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> Iterator[CouncilBuild]:
    """The frame of a council step (pages or PDFs): under the site lock (exclusive when the run
    covers some councils only, ``some_councils_only``), read the run's councils' page content, tag
    the run with its release and open the site being built; once the step has written its files,
    name each partition's file on its materialization and, for a run over some councils only,
    publish the build (``publish_some_councils``)."""
    some = some_councils_only(context)
    profiles_dir = warehouse.paths.profiles_dir
    with site_lock(profiles_dir, exclusive=some):
        codes = [council_code(key) for key in context.partition_keys]
        views = read_views(warehouse, codes)
        release_id = views.data.release.release_id
        tag_run_with_release(context, release_id)
        build = CouncilBuild(codes, views, release_id, staging_site(profiles_dir, release_id))
        yield build
        add_page_metadata(context, build.written, build.site, profiles_dir, release_id)
        build.published = some and publish_some_councils(context, warehouse, release_id)


def some_councils_only(context: dg.AssetExecutionContext) -> bool:
    """Whether the run covers some councils only, on its own (as the UI's Materialize of one
    partition does): not every council, and not a part of a build of the whole site
    (``WHOLE_SITE_TAG``: ``peerdata materialize`` may split the councils over several runs)."""
    every = set(context.instance.get_dynamic_partitions(council_partitions.name))
    return not every <= set(context.partition_keys) and not WHOLE_SITE_TAG.items() <= context.run.tags.items()


def publish_some_councils(context: dg.AssetExecutionContext, warehouse: WarehouseResource, release_id: str) -> bool:
    """Publish, whole, the build of a run over some councils only (``some_councils_only``), as
    ``peerdata profile`` refreshes a page: the build holds the published site of the same release
    with these councils' new files. A build that lacks pages (the site shows an older release) is
    left to the overviews step, which publishes once every page is built. The caller holds the
    site lock exclusively."""
    profiles_dir = warehouse.paths.profiles_dir
    site = staging_site(profiles_dir, release_id)
    with warehouse.connect(read_only=True) as con:
        missing = [p for p in expected_files(con, site) if not p.exists()]
    if site_release(profiles_dir) != release_id or missing:
        context.log.info(f"not published: the site shows release {site_release(profiles_dir)} and this build lacks "
                         f"{len(missing)} page(s); the overviews step publishes it once every page is built")
        return False
    publish_site(profiles_dir, release_id)
    context.log.info(f"published the site of release {release_id} with the new files of {len(context.partition_keys)} "
                     "council(s)")
    return True


class PdfConfig(dg.Config):
    """``appendix``: also print each council's full tables edition (every indicator), beside its pack."""

    appendix: bool = False


@profile_asset(COUNCIL_PDF, [COUNCIL_PAGE, *MART_DEPS], partitioned=True, kind="pdf", output_required=False)
def council_pdf(context: dg.AssetExecutionContext, config: PdfConfig, warehouse: WarehouseResource):
    """The pre-visit pack of each council in the run's partitions: A4, at most 12 pages.

    What: the first screen's five questions (Ofsted's last judgement, the inspection-risk signal
    (``marts.risk_signal``), strengths, changes since the previous release, the headline set or the bands by
    service area), the lines of enquiry, every concern with its evidence, strengths and areas
    for development, the headline set with a spine strip per indicator, and the neighbours with
    their judgements (``views.CouncilViews.council``, ``templates/council.html`` with
    ``print=True``), to ``profiles/pdf/<code>-<slug>.pdf``. With ``appendix: true`` in the run
    config, also the full tables edition (every indicator by service area, a spine strip per
    row) to ``profiles/pdf/<code>-<slug>-tables.pdf``. Definitions, the same for every council,
    are printed once to ``profiles/pdf/definitions.pdf``.

    How: one headless Chromium for the whole run (``pdf.py``). Without Chromium nothing is
    printed and nothing is materialized: the step logs an error saying what to install and is
    reported as skipped, never as built; the HTML is unaffected.
    """
    # Imported here, like the page code in read_views: loading the definitions needs neither.
    from assets.profiles.pdf import NO_CHROMIUM, find_chromium, write_pdfs

    chromium = find_chromium()
    if chromium is None:
        context.log.error(NO_CHROMIUM)
        return
    with council_build(context, warehouse) as build:
        site, names = build.site, build.views.councils
        build.written = write_pdfs(
            build.views, build.codes, lambda code, tables: pdf_path(site, code, names[code]["area_name"], tables),
            site / "pdf" / "definitions.pdf", chromium, appendix=config.appendix)
    yield dg.MaterializeResult(metadata=build.metadata())


@profile_asset(OVERVIEWS, [COUNCIL_PAGE, *MART_DEPS], partitioned=False)
def overviews(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    """Regional overviews, the national index, the definitions and methods pages and the peer-group packs.

    How: ``profiles/regions/<slug>.html`` lists every council of the region with its
    inspection-risk signal, Ofsted's last judgement and the headline indicators' values (sortable tables) and
    the changes since the previous release; ``profiles/index.html`` finds a council as the
    reader types and links every region and pack; ``profiles/definitions.html`` holds every
    indicator's definition once; ``profiles/methods.html`` explains how to read a profile and how
    every number is worked out, with the first iteration's score's backtest against Ofsted's judgements (ROC
    and calibration charts from ``marts.backtest_roc`` and ``marts.backtest_summary``, the AUCs in
    words; without those marts the page says the backtest is not available);
    ``profiles/peer-groups/<slug>.html`` sets each group's members
    (``marts.peer_group``) side by side: a one-screen summary, then every indicator. Council
    pages (and trend series) of councils no longer current are removed. Then, when every page of
    the site is there, the site is published whole (``site.publish_site``); a missing page fails
    the step and leaves the previous site as it was.
    """
    profiles_dir = warehouse.paths.profiles_dir
    with site_lock(profiles_dir, exclusive=True):  # it publishes the build: no step may write into it meanwhile
        views = read_views(warehouse)
        release_id = views.data.release.release_id
        tag_run_with_release(context, release_id)
        site = staging_site(profiles_dir, release_id)
        written = [*ship_assets(site), *build_index(views, site),
                   *build_regions(views, site), *build_peer_groups(views, site), *print_group_packs(views, site)]
        current = [council_page_path(site, code, c["area_name"]) for code, c in views.councils.items()]
        removed = prune(site / "councils", current, "*.html")
        trends = site / "councils" / "trends"
        prune(trends, [trends / f"{code}.js" for code in views.councils], "*.js")
        with warehouse.connect(read_only=True) as con:
            missing = [str(p.relative_to(site)) for p in expected_files(con, site) if not p.exists()]
        if missing:
            raise dg.Failure(
                description=f"the pages of release {release_id} were not published: {len(missing)} page(s) were not "
                f"built ({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}); readers still see the pages "
                f"of release {site_release(profiles_dir) or '(none)'}. Run `peerdata materialize` to build every page.",
                metadata={"missing": dg.MetadataValue.md(markdown_table(["file"], [(m,) for m in missing]))},
            )
        metadata = files_metadata(written, site, release_id)
        metadata["removed_council_pages"] = dg.MetadataValue.int(len(removed))
        publish_site(profiles_dir, release_id)
    metadata["folder"] = dg.MetadataValue.path(str(profiles_dir))
    return dg.MaterializeResult(metadata=metadata)


def print_group_packs(views: "CouncilViews", site: Path) -> list[Path]:
    """The peer groups' PDF packs, when this machine prints PDFs (``pdf.pdfs_expected``)."""
    from assets.profiles.pdf import find_chromium, pdfs_expected, write_group_pdfs

    return write_group_pdfs(views, site, find_chromium()) if pdfs_expected() else []


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


@dg.asset_check(asset=OVERVIEWS, description="Every council page is under 400 KB of HTML.")
def profile_page_size(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No council page reaches 400 KB: definitions live on one shared page, and the trend series
    and plotly.js are loaded only when a reader opens a trend chart, so they are not counted."""
    pages = sorted((p.stat().st_size, p.name) for p in (warehouse.paths.profiles_dir / "councils").glob("*.html"))
    too_big = [(name, size) for size, name in pages if size >= MAX_PAGE_BYTES]
    return dg.AssetCheckResult(
        passed=bool(pages) and not too_big,
        metadata={"pages": len(pages), "largest_bytes": pages[-1][0] if pages else 0,
                  "too_big": dg.MetadataValue.md(markdown_table(["file", "bytes"], too_big))},
    )


@dg.asset_check(asset=OVERVIEWS, description="The pages show the release the warehouse holds (they do not lag it).")
def pages_show_warehouse_release(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """The release in the published site's manifest (``profiles/site.json``) is the warehouse's."""
    from assets.core.build import published_release_id

    with warehouse.connect(read_only=True) as con:
        held = published_release_id(con)
    shown = site_release(warehouse.paths.profiles_dir)
    return dg.AssetCheckResult(
        passed=shown == held,
        metadata={"warehouse_release": str(held), "pages_release": str(shown)},
        description=None if shown == held else f"the pages show release {shown}, the warehouse holds {held}",
    )


PROFILE_ASSETS = [council_page, council_pdf, overviews]
PROFILE_CHECKS = [profiles_complete, profile_page_size, pages_show_warehouse_release]
