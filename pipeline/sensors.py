"""The sensors that keep the warehouse and the profiles up to date without anyone watching.

- ``new_release_sensor`` observes the inputs and starts ``refresh_all`` over exactly what is
  stale when one of them changed;
- ``profiles_after_refresh`` starts ``council_profiles`` when a ``refresh_all`` run rebuilt the
  marts (as ``PEERDATA_COUNCIL_RUNS`` runs over parts of the councils, so that several Celery
  workers share them), and ``overviews_after_profiles`` then starts ``overview_pages``, after the
  last of them.

``new_release_sensor``:

Each tick observes every input (``assets/inputs.py``: the LAIT release at ``PEERDATA_SOURCE``,
the Ofsted inspections at ``PEERDATA_INSPECTIONS``, the extra-sources list and each extra
source), recording a new data version (a content hash) for each that changed, and asks
``pipeline.freshness`` what is to be built, as ``peerdata materialize`` does. Nothing to build
(an unchanged source, e.g. on the first tick after ``make dev`` starts): a skip, and no run, so
no check result is hidden behind a "Skipped". Otherwise one run of ``refresh_all``: the whole
job when the release or the inspections changed (landing decides), else exactly the stale
assets. The run key is the inputs' versions, so the same state of the inputs is never requested
twice. It never downloads or lands anything itself: the run does.
"""

from __future__ import annotations

import dagster as dg

from assets.inputs import INPUTS, InputUnreadable, last_version, lait_release_version, observe_inputs
from assets.profiles.assets import COUNCIL_PAGE, COUNCIL_PDF
from assets.profiles.partitions import council_keys, partition_range_tags, partition_requests
from assets.profiles.runs import chunks
from pipeline.executor import council_runs
from pipeline.freshness import Freshness
from pipeline import jobs
from pipeline.jobs import CLI_TAGS, council_profiles, overview_pages, refresh_all
from assets.resources import InspectionSourceResource, ReleaseSourceResource, WarehouseResource
from base.settings import pdfs_wanted

TICK_SECONDS = 300
AFTER_RUN_TICK_SECONDS = 10  # the run status sensors only read the finished run's events
AFTER_RUN = "peerdata/after_run"  # on the runs the sensors start: the run they follow
COUNCIL_RUNS_TAG = "peerdata/council_runs"  # on council page runs: how many share the councils


@dg.sensor(
    jobs=[refresh_all, jobs.observe_inputs],  # it starts refresh_all; observe_inputs shows it on the inputs' pages
    minimum_interval_seconds=TICK_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Observes the inputs (LAIT release, inspections, extra sources) and starts refresh_all over "
    "what is stale when one changed; an unchanged source starts no run.",
)
def new_release_sensor(context: dg.SensorEvaluationContext, source: ReleaseSourceResource,
                       inspections: InspectionSourceResource, warehouse: WarehouseResource):
    try:
        lait_release_version()
    except InputUnreadable as exc:
        return dg.SkipReason(f"cannot read the source: {exc}")
    changed = observe_inputs(context.instance)
    graph = context.repository_def.asset_graph
    keys = set(refresh_all.selection.resolve(graph))
    keys = {k for k in keys if graph.get(k).is_materializable}
    plan = Freshness(context.instance, graph, warehouse.file).plan(
        keys, [], source.source, source.files, inspections.source if inspections.configured else None)
    if plan.nothing_to_do:
        return dg.SkipReason(f"inputs unchanged ({', '.join(k.to_user_string() for k in changed) or 'no change'} "
                             "observed) and nothing is stale: no run")
    versions = "-".join(last_version(context.instance, i.key) or "none" for i in INPUTS)
    whole = plan.keys == keys
    return dg.RunRequest(run_key=versions, job_name=refresh_all.name, asset_selection=None if whole else sorted(plan.keys),
                         tags={"peerdata/input_versions": versions})


def run_rebuilt_marts(instance: dg.DagsterInstance, run_id: str) -> bool:
    """Whether run ``run_id`` materialized any mart (an unchanged release materializes none)."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
    return any(r.event_log_entry.asset_materialization.asset_key.path[0] == "marts" for r in records)


def after_success(monitored_job, request_job, description: str):
    """Decorates a sensor that runs, by default, after each successful run of ``monitored_job``
    and may request ``request_job`` (both jobs from ``pipeline.jobs``)."""
    return dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitored_jobs=[monitored_job],
        request_job=request_job,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=AFTER_RUN_TICK_SECONDS,
        description=description,
    )


@after_success(
    refresh_all, council_profiles,
    "When refresh_all has rebuilt the marts: sync the council partitions and rebuild every council profile.",
)
def profiles_after_refresh(context: dg.RunStatusSensorContext, warehouse: WarehouseResource):
    """Requests one ``council_profiles`` run over every current council after a rebuilding ``refresh_all``.

    The council partitions are brought in step with the warehouse in the same evaluation (added
    before the run request is launched). ``PEERDATA_PDFS=off`` leaves the PDFs out of the run.
    """
    run = context.dagster_run
    if CLI_TAGS.items() <= run.tags.items():
        return dg.SkipReason(f"refresh_all run {run.run_id} was started by peerdata materialize, which builds the profiles")
    if not run_rebuilt_marts(context.instance, run.run_id):
        return dg.SkipReason(f"refresh_all run {run.run_id} rebuilt no mart: the profiles are up to date")
    with warehouse.connect(read_only=True) as con:
        wanted = council_keys(con)
    assets = [COUNCIL_PAGE, COUNCIL_PDF] if pdfs_wanted() else [COUNCIL_PAGE]
    parts = chunks(wanted, council_runs())  # one part unless PEERDATA_COUNCIL_RUNS (or Celery) says more
    return dg.SensorResult(
        dynamic_partitions_requests=partition_requests(context.instance, wanted),
        run_requests=[dg.RunRequest(
            run_key=f"profiles-after-{run.run_id}" + (f"-{i}" if i else ""), asset_selection=assets,
            tags={**partition_range_tags(part), AFTER_RUN: run.run_id, COUNCIL_RUNS_TAG: str(len(parts))},
        ) for i, part in enumerate(parts)],
    )


@after_success(
    council_profiles, overview_pages,
    "When the council profiles are rebuilt: rebuild the overviews, index and peer-group packs.",
)
def overviews_after_profiles(context: dg.RunStatusSensorContext):
    """Requests one ``overview_pages`` run after each successful ``council_profiles`` run; when the
    council pages were shared between several runs, once the last of them has succeeded."""
    run = context.dagster_run
    after, parts = run.tags.get(AFTER_RUN), int(run.tags.get(COUNCIL_RUNS_TAG, "1"))
    if after is None or parts == 1:
        return dg.RunRequest(run_key=f"overviews-after-{run.run_id}", tags={AFTER_RUN: run.run_id})
    siblings = context.instance.get_runs(dg.RunsFilter(job_name=council_profiles.name, tags={AFTER_RUN: after}))
    done = [r for r in siblings if r.status == dg.DagsterRunStatus.SUCCESS]
    if len(done) < parts:
        return dg.SkipReason(f"{len(done)} of the {parts} council page runs after run {after} have succeeded")
    return dg.RunRequest(run_key=f"overviews-after-{after}", tags={AFTER_RUN: after})
