"""Whether ``peerdata materialize`` has anything to build, told before any run is started.

Re-running on an unchanged source is the common case, and a Dagster run costs seconds even
when every step skips: the run, a planned event per asset and check and a skip per step are
written to the instance. ``Freshness.nothing_to_do`` answers from what is already recorded:

1. the landing asset is selected (without it nothing gates the run: it builds what was asked);
2. the last run recorded in the Dagster instance succeeded (after a failed, killed or
   unfinished run, the run decides);
3. the source holds the files of the last landed release (a folder: the SHA-256 of each file,
   as landing compares them; a URL: each file's ETag against the one recorded at landing);
4. that release is the one published in the warehouse, and likewise the inspections: the
   configured files hash as the last landed ones, which are those published (none configured:
   none published; a URL of inspections cannot be compared without downloading: the run decides);
5. every asset to build was materialized after each of its upstream assets, as the instance
   records it: nothing is stale, e.g. after a run that stopped between the core and the marts;
6. when the profiles are built too, the same for their assets, and every page of the site exists.

Any doubt (an unreadable source, no warehouse, no history) means "build": the run then
decides, through the landing asset's own skip logic, exactly as runs started by Dagster do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dagster as dg
import duckdb

from assets.core.build import published_inspections_id, published_release_id
from assets.profiles.build import expected_files
from assets.raw.assets import RELEASE_KEY
from assets.raw.inspection_landing import latest_inspections, source_hashes
from assets.raw.landing import LandingError, latest_landed, source_fingerprint
from pipeline.settings import ReleaseFiles
from pipeline.warehouse import WarehouseFile

if TYPE_CHECKING:
    from dagster._core.definitions.assets.graph.asset_graph import AssetGraph


def source_matches(source: str, files: ReleaseFiles, manifest_files: dict[str, dict]) -> bool:
    """Whether ``source`` holds the files a landed manifest lists, told without downloading them."""
    try:
        described = source_fingerprint(source, files)["files"]
    except LandingError:
        return False  # the run reports what is wrong with the source

    def same(role: str) -> bool:
        now, then = described[role], manifest_files.get(role, {})
        field = "sha256" if "sha256" in now else "etag"  # a folder is hashed; a URL has headers only
        return now.get(field) is not None and now[field] == then.get(field)

    return all(same(role) for role in described)


@dataclass(frozen=True)
class Freshness:
    """What is already built, as the Dagster instance, the landed releases and the warehouse record it."""

    instance: dg.DagsterInstance
    graph: AssetGraph
    warehouse: WarehouseFile

    def last_run_succeeded(self) -> bool:
        runs = self.instance.get_runs(limit=1)
        return not runs or runs[0].status == dg.DagsterRunStatus.SUCCESS

    def stale(self, keys: Iterable[dg.AssetKey]) -> list[str]:
        """The assets among ``keys`` never materialized, or materialized before one of their parents."""
        keys = set(keys)
        parents = {key: self.graph.get(key).parent_keys for key in keys}
        records = self.instance.get_asset_records(list(keys.union(*parents.values())))
        last = {r.asset_entry.asset_key: r.asset_entry.last_materialization_storage_id for r in records}
        return sorted(
            key.to_user_string() for key in keys
            if last.get(key) is None or any((last.get(parent) or 0) > last[key] for parent in parents[key])
        )

    def published_release(self) -> str | None:
        if not self.warehouse.path.exists():
            return None
        with self.warehouse.connect(read_only=True) as con:
            return published_release_id(con)

    def inspections_published(self, inspections: str | None) -> bool:
        """Whether the inspections at ``inspections`` (None: none configured) are those published."""
        if not self.warehouse.path.exists():
            return False
        with self.warehouse.connect(read_only=True) as con:
            published = published_inspections_id(con)
        if inspections is None:
            return published is None
        try:
            landed = latest_inspections(self.warehouse.paths.raw_dir)
            now = source_hashes(inspections)
        except LandingError:
            return False
        if landed is None or now != {name: entry["sha256"] for name, entry in landed.manifest["files"].items()}:
            return False
        return published == landed.release_id

    def missing_pages(self) -> bool:
        """Whether a page of the profile site is missing (or the warehouse cannot say which are due)."""
        try:
            with self.warehouse.connect(read_only=True) as con:
                expected = expected_files(con, self.warehouse.paths.profiles_dir)
        except duckdb.Error:
            return True
        return not all(path.exists() for path in expected)

    def profiles_outdated(self, profile_keys: list[dg.AssetKey]) -> bool:
        """Whether the profile assets are older than the marts, or a page is missing."""
        return bool(self.stale(profile_keys)) or self.missing_pages()

    def nothing_to_do(
        self,
        keys: set[dg.AssetKey],
        profile_keys: list[dg.AssetKey],
        source: str,
        files: ReleaseFiles,
        inspections: str | None = None,
    ) -> str | None:
        """The published release id when ``keys`` (and ``profile_keys``, if any) are all up to date
        with an unchanged source and unchanged inspections (``inspections``: their source, None when
        none are configured); None when a run has something to build or to decide."""
        if RELEASE_KEY not in keys or not self.last_run_succeeded():
            return None
        try:
            landed = latest_landed(self.warehouse.paths.raw_dir)
        except LandingError:
            return None
        if landed is None or not source_matches(source, files, landed.manifest["files"]):
            return None
        if self.published_release() != landed.release_id or self.stale(keys):
            return None
        if not self.inspections_published(inspections):
            return None
        if profile_keys and self.profiles_outdated(profile_keys):
            return None
        return landed.release_id
