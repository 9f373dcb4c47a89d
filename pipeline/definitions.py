"""The one entry point Dagster loads: every asset, check, resource, schedule and sensor."""

from __future__ import annotations

import dagster as dg

from assets.core.assets import core_model
from assets.marts import marts_assets, marts_checks
from assets.profiles import council_partitions_sensor, profile_assets, profile_checks
from assets.raw.assets import lait_release, raw_file_checks
from pipeline.resources import ReleaseSourceResource, WarehouseResource

defs = dg.Definitions(
    assets=[lait_release, core_model, *marts_assets, *profile_assets],
    asset_checks=[*raw_file_checks, *marts_checks, *profile_checks],
    sensors=[council_partitions_sensor],
    resources={
        "warehouse": WarehouseResource.from_env(),
        "source": ReleaseSourceResource.from_env(),
    },
)
