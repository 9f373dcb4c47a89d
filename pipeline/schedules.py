"""``weekly_checks_schedule``: re-run the checks weekly even when no new release arrives.

The cron comes from ``PEERDATA_SCHEDULE_CRON`` (default ``0 6 * * 1``, Monday 06:00), in
Europe/London time. Besides the raw-file and mart checks, the job evaluates
``release_is_fresh``: a warning when the newest data of the published release was published
by DfE (the dictionary's "Last Update") more than ``PEERDATA_STALE_AFTER_DAYS`` days ago
(default 120), so a stalled source gets noticed. The day the files were landed says nothing
about how old they are, so it is not used.
"""

import os
from datetime import date

import dagster as dg

from pipeline.jobs import RELEASE_IS_FRESH, weekly_checks
from assets.resources import WarehouseResource
from base.settings import stale_after_days

PUBLISHED_SQL = """
SELECT (SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1),
       max(last_update), min(next_update) FILTER (WHERE next_update >= current_date)
FROM core.dim_indicator WHERE source_name = 'LAIT'
"""

DEFAULT_CRON = "0 6 * * 1"
@dg.asset_check(
    asset=RELEASE_IS_FRESH.asset_key,  # the published dictionary, which carries the publication dates
    name=RELEASE_IS_FRESH.name,
    description="The newest LAIT data in the warehouse was published (the dictionary's Last Update) within "
    "PEERDATA_STALE_AFTER_DAYS days (default 120).",
)
def release_is_fresh(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    limit = stale_after_days()
    if not warehouse.paths.warehouse.exists():
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN,
                                   description="no release has been published into the warehouse yet")
    with warehouse.connect(read_only=True) as con:
        release_id, last_update, next_update = con.execute(PUBLISHED_SQL).fetchone()
    if last_update is None:
        return dg.AssetCheckResult(passed=False, severity=dg.AssetCheckSeverity.WARN,
                                   description=f"release {release_id}: the dictionary gives no Last Update date")
    age_days = (date.today() - last_update).days
    expected = f"; next update expected {next_update}" if next_update else ""
    return dg.AssetCheckResult(
        passed=age_days <= limit,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"release {release_id}: newest data published {last_update} ({age_days} days ago, "
        f"stale after {limit}){expected}",
        metadata={"release_id": release_id, "last_update": str(last_update), "age_days": age_days,
                  "next_update": str(next_update) if next_update else "none announced"},
    )


weekly_checks_schedule = dg.ScheduleDefinition(
    name="weekly_checks_schedule",
    job=weekly_checks,
    cron_schedule=os.environ.get("PEERDATA_SCHEDULE_CRON", DEFAULT_CRON),
    execution_timezone="Europe/London",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="The raw-file, mart and freshness checks on the warehouse as it is, weekly by default.",
)
