"""``peerdata materialize``: every asset and check in this process, then the profiles.

Unless ``force``, it first asks ``pipeline.freshness`` whether there is anything to build, and
on an unchanged source whose release is published and whose marts and profiles are up to date
it says so and starts no run. Otherwise one run builds every asset but the profiles (the
landing asset still skips what the release does not need), and, when that run rebuilt
something or the profiles are stale or incomplete, ``materialize_profiles`` builds the
profiles in their own runs. Every run is recorded in the Dagster instance, as from the UI.
"""

from __future__ import annotations

import dagster as dg

from assets.profiles import PROFILES_GROUP, materialize_profiles
from assets.profiles.runs import built_keys
from pipeline.definitions import defs
from pipeline.freshness import Freshness
from pipeline.progress import print_run_summary


def materialize_all(select: str | None, force: bool, pdf: bool) -> int:
    """Build what ``select`` names (default: everything, profiles included); 0 when every run succeeded."""
    graph = defs.resolve_asset_graph()
    selection = dg.AssetSelection.from_string(select) if select else (
        dg.AssetSelection.all() - dg.AssetSelection.groups(PROFILES_GROUP))
    profile_keys = [] if select else built_keys(pdf)  # the profiles are built only with everything else
    source, warehouse, inspections = defs.resources["source"], defs.resources["warehouse"], defs.resources["inspections"]
    with dg.DagsterInstance.get() as instance:
        freshness = Freshness(instance, graph, warehouse.file)
        release_id = None if force else freshness.nothing_to_do(
            selection.resolve(graph), profile_keys, source.source, source.files,
            inspections.source if inspections.configured else None)
        if release_id:
            print(f"release {release_id} is unchanged and already published, and nothing is stale: "
                  "nothing to do (use --force to rebuild)")
            return 0
        result = dg.materialize(
            assets=list(defs.assets or []) + list(defs.asset_checks or []),
            resources=defs.resources,
            instance=instance,
            selection=selection,
            run_config={"ops": {"raw__lait_release": {"config": {"force": True}}}} if force else None,
            raise_on_error=False,
        )
        print_run_summary(result)
        results = [result]
        rebuilt = bool(result.get_asset_materialization_events()) or force
        if result.success and profile_keys and (rebuilt or freshness.profiles_outdated(profile_keys)):
            results += materialize_profiles(instance, defs.resources, pdf=pdf)
            for profile_result in results[1:]:
                print_run_summary(profile_result)
    return 0 if all(r.success for r in results) else 1
