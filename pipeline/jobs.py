"""The jobs the sensor and the schedule start.

- ``refresh_all``: every asset and check but the profiles. Landing decides what to rebuild: an
  unchanged, already-published release materializes nothing, so nothing downstream runs. The
  profiles are partitioned by council, and one run cannot mix them with unpartitioned assets
  without a partition key; they are built by their own runs (``assets.profiles.runs``).
- ``weekly_checks``: the checks that can run on what is already built (the raw files, the
  marts, the release's freshness), with no rebuild. The core checks run inside the core
  build, on the staged tables, so they run with every new release instead.
"""

from __future__ import annotations

import dagster as dg

from assets.core.assets import core_model
from assets.profiles import PROFILES_GROUP

refresh_all = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(PROFILES_GROUP),
    description="Land the configured release and rebuild the warehouse where it changed, with every check.",
)

weekly_checks = dg.define_asset_job(
    "weekly_checks",
    selection=dg.AssetSelection.all_asset_checks() - dg.AssetSelection.checks_for_assets(core_model),
    description="Re-run the checks on the warehouse as it is, and whether the release is stale.",
)
