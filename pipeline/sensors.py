"""``new_release_sensor``: start ``refresh_all`` when the configured source has changed.

Each tick describes the source cheaply with ``source_fingerprint`` (a folder: sizes, mtimes
and SHA-256 of the four files; a URL: one HEAD request per file for ETag, Last-Modified and
Content-Length), hashes that description and compares it with the sensor's cursor. It never
downloads or lands anything itself: the run it starts does. The hash is the run key, so the
same release is never requested twice.
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from assets.raw.landing import LandingError, source_fingerprint
from pipeline.jobs import refresh_all
from pipeline.resources import ReleaseSourceResource

TICK_SECONDS = 300


def fingerprint_hash(source: ReleaseSourceResource) -> str:
    """A short hash of what the source looks like now (changes when any of its files does)."""
    described = json.dumps(source_fingerprint(source.source, source.files), sort_keys=True)
    return hashlib.sha256(described.encode()).hexdigest()[:16]


@dg.sensor(
    job=refresh_all,
    minimum_interval_seconds=TICK_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Starts refresh_all when a file of the configured release source (PEERDATA_SOURCE) changes.",
)
def new_release_sensor(context: dg.SensorEvaluationContext, source: ReleaseSourceResource):
    try:
        current = fingerprint_hash(source)
    except LandingError as exc:
        return dg.SkipReason(f"cannot read the source: {exc}")
    if current == context.cursor:
        return dg.SkipReason(f"source unchanged since the last tick (fingerprint {current})")
    context.update_cursor(current)
    return dg.RunRequest(run_key=current, tags={"peerdata/source_fingerprint": current})
