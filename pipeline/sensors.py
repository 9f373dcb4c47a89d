"""The sensors that keep the warehouse and the profiles up to date without anyone watching.

- ``new_release_sensor`` starts ``refresh_all`` when the configured source has changed;
- ``profiles_after_refresh`` starts ``council_profiles`` when a ``refresh_all`` run rebuilt the
  marts, and ``overviews_after_profiles`` then starts ``overview_pages``.

``new_release_sensor``:

Each tick describes the source cheaply with ``source_fingerprint`` (a folder: sizes, mtimes
and SHA-256 of the four files; a URL: one HEAD request per file for ETag, Last-Modified and
Content-Length) and the inspections by the SHA-256 of their files (a URL of inspections is not
looked at: a change there is picked up with the next release or a forced run), hashes that
description and compares it with the sensor's cursor. It never
downloads or lands anything itself: the run it starts does. The hash is the run key, so the
same release is never requested twice.
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from assets.profiles.assets import COUNCIL_PAGE, COUNCIL_PDF
from assets.profiles.partitions import council_keys, partition_range_tags, partition_requests
from assets.raw.inspection_landing import source_hashes
from assets.raw.landing import LandingError, source_fingerprint
from pipeline.jobs import council_profiles, overview_pages, refresh_all
from pipeline.resources import InspectionSourceResource, ReleaseSourceResource, WarehouseResource
from pipeline.settings import pdfs_wanted

TICK_SECONDS = 300
AFTER_RUN_TICK_SECONDS = 10  # the run status sensors only read the finished run's events


def fingerprint_hash(source: ReleaseSourceResource, inspections: InspectionSourceResource) -> str:
    """A short hash of what the sources look like now (changes when any of their files does)."""
    described = source_fingerprint(source.source, source.files)
    described["inspections"] = source_hashes(inspections.source) if inspections.configured else None
    described = json.dumps(described, sort_keys=True)
    return hashlib.sha256(described.encode()).hexdigest()[:16]


@dg.sensor(
    job=refresh_all,
    minimum_interval_seconds=TICK_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts refresh_all when a file of the configured release source (PEERDATA_SOURCE) or of the "
    "inspections (PEERDATA_INSPECTIONS) changes.",
)
def new_release_sensor(
    context: dg.SensorEvaluationContext, source: ReleaseSourceResource, inspections: InspectionSourceResource
):
    try:
        current = fingerprint_hash(source, inspections)
    except LandingError as exc:
        return dg.SkipReason(f"cannot read the source: {exc}")
    if current == context.cursor:
        return dg.SkipReason(f"source unchanged since the last tick (fingerprint {current})")
    context.update_cursor(current)
    return dg.RunRequest(run_key=current, tags={"peerdata/source_fingerprint": current})


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
    if not run_rebuilt_marts(context.instance, run.run_id):
        return dg.SkipReason(f"refresh_all run {run.run_id} rebuilt no mart: the profiles are up to date")
    with warehouse.connect(read_only=True) as con:
        wanted = council_keys(con)
    assets = [COUNCIL_PAGE, COUNCIL_PDF] if pdfs_wanted() else [COUNCIL_PAGE]
    return dg.SensorResult(
        dynamic_partitions_requests=partition_requests(context.instance, wanted),
        run_requests=[dg.RunRequest(
            run_key=f"profiles-after-{run.run_id}", asset_selection=assets,
            tags={**partition_range_tags(wanted), "peerdata/after_run": run.run_id},
        )],
    )


@after_success(
    council_profiles, overview_pages,
    "When the council profiles are rebuilt: rebuild the overviews, index and peer-group packs.",
)
def overviews_after_profiles(context: dg.RunStatusSensorContext):
    """Requests one ``overview_pages`` run after each successful ``council_profiles`` run."""
    return dg.RunRequest(run_key=f"overviews-after-{context.dagster_run.run_id}",
                         tags={"peerdata/after_run": context.dagster_run.run_id})
