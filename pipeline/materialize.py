"""``peerdata materialize``: every asset and check in this process, then the profiles.

It first observes the inputs and asks ``pipeline.freshness`` what is to be built; when nothing
is (an unchanged source, a published release, nothing stale, every page written) it says so and
starts no run, so no check result is replaced by a "Skipped". Otherwise one ``refresh_all`` run
builds what is stale (the landing asset decides when the release itself may have changed), and,
when that run rebuilt something or the profiles are stale or incomplete,
``materialize_profiles`` builds the profiles in their own runs. Every run is recorded in the
Dagster instance with its job name and a ``peerdata/launched_by: cli`` tag, as from the UI.
"""

from __future__ import annotations

import time
from pathlib import Path

import dagster as dg

from assets.inputs import observe_inputs
from assets.profiles import PROFILES_GROUP, materialize_profiles
from assets.profiles.runs import built_keys
from pipeline.definitions import defs
from pipeline.freshness import Freshness
from pipeline.jobs import CLI_TAGS
from pipeline.progress import Stage, console, print_summary, run_stage, write_log

QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}  # the events go to the log file


def materialize_all(select: str | None, force: bool, pdf: bool) -> int:
    """Build what ``select`` names (default: everything, profiles included); 0 when every run succeeded."""
    graph = defs.resolve_asset_graph()
    selection = dg.AssetSelection.from_string(select) if select else (
        dg.AssetSelection.all() - dg.AssetSelection.groups(PROFILES_GROUP))
    profile_keys = [] if select else built_keys(pdf)  # the profiles are built only with everything else
    source, warehouse = defs.resources["source"], defs.resources["warehouse"]
    with dg.DagsterInstance.get() as instance:
        changed = observe_inputs(instance)
        if changed:
            console.print(f"inputs changed: {', '.join(k.to_user_string() for k in changed)}")
        freshness = Freshness(instance, graph, warehouse.file)
        keys = {k for k in selection.resolve(graph) if graph.get(k).is_materializable}
        plan = None if force else freshness.plan(keys, profile_keys, source.source, source.files)
        if plan is not None and plan.nothing_to_do:
            print(f"release {plan.release_id or '(not selected)'} is unchanged and already published, and nothing "
                  "is stale: nothing to do (use --force to rebuild)")
            return 0
        stages: list[Stage] = []
        to_build = keys if plan is None else plan.keys
        if to_build:
            job = defs.resolve_job_def("refresh_all")
            config = {**QUIET, "ops": {"raw__lait_release": {"config": {"force": True}}}} if force else QUIET
            stages.append(run_stage("warehouse", lambda: job.execute_in_process(
                instance=instance, asset_selection=sorted(to_build), run_config=config,
                tags=CLI_TAGS, raise_on_error=False)))
        rebuilt = force or bool(stages and stages[0].result.get_asset_materialization_events())
        if all(s.result.success for s in stages) and profile_keys and (
                rebuilt or (plan is not None and plan.profiles) or freshness.profiles_outdated(profile_keys)):
            stages += materialize_profiles(instance, defs.resources, pdf=pdf, run=run_stage,
                                           tags=CLI_TAGS, run_config=QUIET)
        log = write_log(stages, warehouse.paths.home / "data" / "logs" / time.strftime("materialize-%Y%m%d-%H%M%S.log"))
        print_summary(stages, log)
    return 0 if all(s.result.success for s in stages) else 1
