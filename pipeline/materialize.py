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

import contextlib
import time

import dagster as dg

from assets.inputs import observe_inputs
from assets.profiles import PROFILES_GROUP, materialize_profiles
from assets.profiles.runs import built_keys
from pipeline.definitions import defs
from pipeline.executor import BrokerUnreachable, check_broker, council_runs, distributed
from pipeline.freshness import Freshness, Plan
from pipeline.job_runs import job_runner
from pipeline.jobs import CLI_TAGS, refresh_all
from pipeline.outcome import failed_run_outcome, warehouse_state
from pipeline.progress import Stage, console, print_summary, run_stage


def job_for(keys: set[dg.AssetKey], graph) -> str:
    """``refresh_all`` when it holds ``keys`` (the usual case), else Dagster's job of every asset
    (a ``--select`` naming profile assets)."""
    return "refresh_all" if keys <= refresh_all.selection.resolve(graph) else "__ASSET_JOB"


def selected_keys(graph, select: str | None) -> set[dg.AssetKey]:
    """The materializable assets ``select`` names; without it, every asset but the profiles (which
    follow the rest in runs of their own)."""
    selection = dg.AssetSelection.from_string(select) if select else (
        dg.AssetSelection.all() - dg.AssetSelection.groups(PROFILES_GROUP))
    return {k for k in selection.resolve(graph) if graph.get(k).is_materializable}


def plan_of(freshness: Freshness, keys: set[dg.AssetKey], profile_keys: list) -> Plan:
    """What a run of ``keys`` (then the profiles' ``profile_keys``) must build: the stale assets,
    judged against the configured release, inspections and extra sources."""
    source, inspections = defs.resources["source"], defs.resources["inspections"]
    return freshness.plan(keys, profile_keys, source.source, source.files,
                          inspections.source if inspections.configured else None)


def materialize_all(select: str | None, force: bool, pdf: bool, appendix: bool = False) -> int:
    """Build what ``select`` names (default: everything, profiles included; with ``pdf`` and
    ``appendix``, the full tables edition of each council's PDF too); 0 when every run succeeded."""
    graph = defs.resolve_asset_graph()
    profile_keys = [] if select else built_keys(pdf)  # the profiles are built only with everything else
    warehouse = defs.resources["warehouse"]
    with dg.DagsterInstance.get() as instance:
        changed = observe_inputs(instance)
        if changed:
            console.print(f"inputs changed: {', '.join(k.to_user_string() for k in changed)}")
        freshness = Freshness(instance, graph, warehouse.file)
        keys = selected_keys(graph, select)
        plan = None if force else plan_of(freshness, keys, profile_keys)
        if plan is not None and plan.nothing_to_do:
            unchanged = f"release {plan.release_id} is unchanged and already published, and " if plan.release_id else ""
            print(f"{unchanged}nothing selected is stale: nothing to do (use --force to rebuild)")
            return 0
        before = warehouse_state(warehouse.file)
        if distributed():
            try:
                check_broker()  # before anything runs: a broker that does not answer fails here, by name
            except BrokerUnreachable as exc:
                console.print(f"run FAILED: {exc}", markup=False)
                for line in failed_run_outcome(warehouse.file, before):
                    console.print(line, markup=False)
                return 1
        log = warehouse.paths.home / "data" / "logs" / time.strftime("materialize-%Y%m%d-%H%M%S.log")
        log.parent.mkdir(parents=True, exist_ok=True)
        console.print(f"log of every event: {log}", markup=False)
        stages: list[Stage] = []
        # Dagster's console logger (every event, DEBUG included) writes to stderr: here, the log file.
        with log.open("w", encoding="utf-8") as events, contextlib.redirect_stderr(events), \
                job_runner(instance, distributed(), log, council_runs()) as run_job:
            to_build = keys if plan is None else plan.keys
            if to_build:
                config = {"ops": {"raw__lait_release": {"config": {"force": True}}}} if force else None
                stages.append(run_stage("warehouse", lambda: run_job(
                    job_for(to_build, graph), asset_selection=sorted(to_build), run_config=config,
                    tags=CLI_TAGS, raise_on_error=False)))
            rebuilt = force or bool(stages and stages[0].result.get_asset_materialization_events())
            if all(s.result.success for s in stages) and profile_keys and (
                    rebuilt or (plan is not None and plan.profiles) or freshness.profiles_outdated(profile_keys)):
                stages += materialize_profiles(instance, defs.resources, pdf=pdf, appendix=appendix, run=run_stage,
                                               tags=CLI_TAGS, run_job=run_job, council_runs=council_runs())
        print_summary(stages, log)
    if pdf and any(s.name.startswith("council pages") for s in stages):
        from assets.profiles.pdf import NO_CHROMIUM, find_chromium  # the page code: only once pages were built

        if find_chromium() is None:  # council_pdf then materializes nothing and logs why: say it here too
            console.print(NO_CHROMIUM, markup=False)
    if all(s.result.success for s in stages):
        return 0
    for line in failed_run_outcome(warehouse.file, before):  # what the warehouse and the pages hold now
        console.print(line, markup=False)
    return 1
