"""What ``peerdata materialize`` and ``input_sensor`` have to build, told before any run is started.

Re-running on an unchanged source is the common case, and a run that does nothing is worse than
no run: every step is skipped, and the UI then shows each check's latest result as "Skipped",
hiding the real one. So nothing is started unless something is to be built:

1. the inputs (``assets/inputs.py``: the LAIT release, the inspections, the extra-sources list
   and each extra source) are observed first, recording a new data version for each that changed;
2. the landing (the LAIT release and the inspections, one step) is needed when the source does
   not hold the files of the last landed release (a folder: the SHA-256 of each file; a URL: each
   file's ETag), that release is not the one published in the warehouse, the configured
   inspections files do not hash as the last landed ones or those are not the published ones
   (none configured: none published; a URL of inspections cannot be compared without
   downloading), or an input of the landing was observed with another version than it was built
   from: then the whole selection runs and landing decides;
3. otherwise an asset is stale when it was never built, was built before one of its parents, or
   was built from another version of an input than the one last observed (the version Dagster
   recorded on its materialization); what depends on a stale asset is stale too. Exactly those
   assets are built, without the landing;
4. when the profiles are built too, the same for their assets, and every page of the site exists
   and shows the release the warehouse holds.

Any doubt (an unreadable source, no warehouse, no history) means "build": the run then decides,
through the landing asset's own skip logic, exactly as runs started by Dagster do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import dagster as dg
import duckdb

from assets.core.build import published_inspections_id, published_release_id
from assets.inputs import INPUTS, built_from_version, last_version
from assets.profiles.build import expected_files
from base.site import site_release
from assets.raw.assets import INSPECTIONS_KEY, RELEASE_KEY
from assets.raw.inspection_landing import latest_inspections, source_hashes
from assets.raw.landing import LandingError, latest_landed, manifest_hashes, source_fingerprint
from base.settings import ReleaseFiles
from base.warehouse import WarehouseFile

INPUT_KEYS = {i.key for i in INPUTS}
LANDING_KEYS = {RELEASE_KEY, INSPECTIONS_KEY}  # one step lands both

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

    def built_from_another_input(self, key: dg.AssetKey, parents: Iterable[dg.AssetKey]) -> bool:
        """Whether ``key``'s last materialization recorded another version of one of its observed
        inputs than the latest observed (or none: built before the input was first observed)."""
        observed = {p: last_version(self.instance, p) for p in parents if p in INPUT_KEYS}
        return any(v is not None and built_from_version(self.instance, key, p) != v for p, v in observed.items())

    def stale(self, keys: Iterable[dg.AssetKey]) -> list[str]:
        """The assets among ``keys`` never materialized, materialized before one of their parents or
        from another version of an input, and those among ``keys`` downstream of them."""
        keys = set(keys)
        parents = {key: self.graph.get(key).parent_keys for key in keys}
        records = self.instance.get_asset_records(list(keys.union(*parents.values())))
        last = {r.asset_entry.asset_key: r.asset_entry.last_materialization_storage_id for r in records}
        stale = {
            key for key in keys
            if last.get(key) is None or any((last.get(parent) or 0) > last[key] for parent in parents[key])
            or self.built_from_another_input(key, parents[key])
        }
        for key in self.graph.toposorted_asset_keys:  # parents first: staleness flows downstream
            if key in keys and parents[key] & stale:
                stale.add(key)
        return sorted(key.to_user_string() for key in stale)

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
        if landed is None or now != manifest_hashes(landed.manifest["files"]):
            return False
        return published == landed.release_id

    def missing_pages(self) -> bool:
        """Whether a page of the profile site is missing or the site shows another release than the
        warehouse (or the warehouse cannot say which are due)."""
        profiles_dir = self.warehouse.paths.profiles_dir
        try:
            with self.warehouse.connect(read_only=True) as con:
                expected = expected_files(con, profiles_dir)
                held = published_release_id(con)
        except duckdb.Error:
            return True
        return site_release(profiles_dir) != held or not all(path.exists() for path in expected)

    def profiles_outdated(self, profile_keys: list[dg.AssetKey]) -> bool:
        """Whether the profile assets are older than the marts, or a page is missing."""
        return bool(self.stale(profile_keys)) or self.missing_pages()

    def release_in_place(self, source: str, files: ReleaseFiles, inspections: str | None = None) -> str | None:
        """The published release id when the source holds the files of the last landed release,
        that release is the published one, and the inspections at ``inspections`` (None: none
        configured) are those published; None when landing has something to do or decide."""
        try:
            landed = latest_landed(self.warehouse.paths.raw_dir)
        except LandingError:
            return None
        if landed is None or not source_matches(source, files, landed.manifest["files"]):
            return None
        if self.published_release() != landed.release_id or not self.inspections_published(inspections):
            return None
        return landed.release_id

    def plan(
        self,
        keys: set[dg.AssetKey],
        profile_keys: list[dg.AssetKey],
        source: str,
        files: ReleaseFiles,
        inspections: str | None = None,
    ) -> Plan:
        """What a run over ``keys`` (then the profiles ``profile_keys``, if any) has to build, the
        inspections read from ``inspections`` (None: none configured)."""
        landing = keys & LANDING_KEYS
        release_id = self.release_in_place(source, files, inspections) if landing else None
        if landing and (release_id is None or any(
                self.built_from_another_input(key, self.graph.get(key).parent_keys) for key in landing)):
            return Plan(keys, bool(profile_keys), None)  # a new release or inspections, or doubt: landing decides
        stale = {dg.AssetKey.from_user_string(k) for k in self.stale(keys - LANDING_KEYS)}
        # An asset computed with others that cannot be built apart (the core model's tables) takes
        # them all along: one stale core table rebuilds the core model.
        stale |= {k for key in stale for k in self.graph.get(key).execution_set_asset_keys}
        profiles = bool(profile_keys) and (bool(stale) or self.profiles_outdated(profile_keys))
        return Plan(stale, profiles, release_id)


@dataclass(frozen=True)
class Plan:
    """The assets a run has to build (empty: none), whether the profiles follow, and the
    published release when it is unchanged."""

    keys: set[dg.AssetKey]
    profiles: bool
    release_id: str | None

    @property
    def nothing_to_do(self) -> bool:
        return not self.keys and not self.profiles
