"""The jobs the sensor and the schedule start.

- ``refresh_all``: every asset and check but the profiles. Landing decides what to rebuild: an
  unchanged, already-published release materializes nothing, so nothing downstream runs. The
  profiles are partitioned by council, and one run cannot mix them with unpartitioned assets
  without a partition key; they are built by their own runs, which ``pipeline/sensors.py``
  requests when a ``refresh_all`` run has rebuilt the marts:
- ``council_profiles``: every council's HTML page and PDF, over a range of council partitions
  in one run (one read of the marts, one browser for the PDFs);
- ``overview_pages``: the regional overviews, the national index, the peer-group packs and
  the profile checks, once the council pages are written.
- ``observe_inputs``: observe the inputs, as the sensor does at every tick (the sensor targets it
  too, so the inputs' page in the UI lists the sensor that watches them);
- ``weekly_checks``: the checks that can run on what is already built (the raw files, the
  marts, the release's freshness), with no rebuild. The core checks run inside the core
  build, on the staged tables, so they run with every new release instead (all but
  ``release_is_fresh``, which reads the published dictionary).
"""

from __future__ import annotations

import dagster as dg

from assets.core.assets import core_model
from assets.inputs import INPUTS
from assets.profiles import PROFILES_GROUP
from assets.profiles.assets import COUNCIL_PAGE, COUNCIL_PDF, OVERVIEWS

# Runs started by `peerdata materialize` (which builds the profiles itself) carry this tag.
CLI_TAGS = {"peerdata/launched_by": "cli"}

# Observing the inputs on demand (the sensor observes them itself at every tick). It is also a
# target of the sensor, so that the UI lists the sensor among the inputs' automations.
observe_inputs = dg.define_asset_job(
    "observe_inputs",
    selection=dg.AssetSelection.assets(*(i.key for i in INPUTS)),
    description="Observe the inputs (LAIT release, inspections, extra sources): hash what each holds now.",
)

refresh_all = dg.define_asset_job(
    "refresh_all",
    selection=dg.AssetSelection.all() - dg.AssetSelection.groups(PROFILES_GROUP),
    description="Land the configured release and rebuild the warehouse where it changed, with every check.",
)

# The release's age, measured on the published dictionary (``pipeline/schedules.py``).
RELEASE_IS_FRESH = dg.AssetCheckKey(dg.AssetKey(["core", "dim_indicator"]), "release_is_fresh")

weekly_checks = dg.define_asset_job(
    "weekly_checks",
    selection=dg.AssetSelection.all_asset_checks() - dg.AssetSelection.checks_for_assets(core_model)
    | dg.AssetSelection.checks(RELEASE_IS_FRESH),
    description="Re-run the checks on the warehouse as it is, and whether the release is stale.",
)

council_profiles = dg.define_asset_job(
    "council_profiles",
    selection=dg.AssetSelection.assets(COUNCIL_PAGE, COUNCIL_PDF),  # partitioned by council, as the assets are
    description="Every council's HTML profile and PDF, for a range of council partitions in one run.",
)

overview_pages = dg.define_asset_job(
    "overview_pages",
    selection=dg.AssetSelection.assets(OVERVIEWS),
    description="Regional overviews, national index and peer-group packs, with the profile checks.",
)
