"""``weekly_checks_schedule``: re-run the checks weekly even when no new release arrives.

The cron comes from ``PEERDATA_SCHEDULE_CRON`` (default ``0 6 * * 1``, Monday 06:00), in
Europe/London time. Besides the raw-file and mart checks, the job evaluates
``release_is_fresh``: a warning when no new release has been landed for
``PEERDATA_STALE_AFTER_DAYS`` days (default 120), so a stalled source gets noticed.
"""

import os
import time

import dagster as dg

from assets.raw.assets import RELEASE_KEY
from pipeline.jobs import weekly_checks

DEFAULT_CRON = "0 6 * * 1"
DEFAULT_STALE_AFTER_DAYS = 120


def stale_after_days() -> int:
    return int(os.environ.get("PEERDATA_STALE_AFTER_DAYS", DEFAULT_STALE_AFTER_DAYS))


@dg.asset_check(
    asset=RELEASE_KEY,
    name="release_is_fresh",
    description="A new release has been landed within PEERDATA_STALE_AFTER_DAYS days (default 120).",
)
def release_is_fresh(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
    event = context.instance.get_latest_materialization_event(RELEASE_KEY)
    limit = stale_after_days()
    if event is None:
        return dg.AssetCheckResult(
            passed=False, severity=dg.AssetCheckSeverity.WARN, description="no release has been landed yet"
        )
    age_days = (time.time() - event.timestamp) / 86400
    release_id = event.asset_materialization.metadata["release_id"].value
    return dg.AssetCheckResult(
        passed=age_days <= limit,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"release {release_id} was landed {age_days:.0f} days ago (stale after {limit})",
        metadata={"release_id": release_id, "age_days": round(age_days, 1)},
    )


weekly_checks_schedule = dg.ScheduleDefinition(
    name="weekly_checks_schedule",
    job=weekly_checks,
    cron_schedule=os.environ.get("PEERDATA_SCHEDULE_CRON", DEFAULT_CRON),
    execution_timezone="Europe/London",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The raw-file, mart and freshness checks on the warehouse as it is, weekly by default.",
)
