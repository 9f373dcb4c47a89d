"""The one entry point Dagster loads: every asset, check, resource, schedule and sensor."""

from __future__ import annotations

import dagster as dg

from assets.core.assets import core_model
from assets.inputs import inputs_asset
from assets.marts import marts_assets
from assets.profiles import council_partitions_sensor, profile_assets, profile_checks
from assets.raw.assets import inspections_file_valid, lait_release, raw_file_checks
from assets.risk.assets import risk_signal
from pipeline.executor import executor_def
from pipeline.jobs import council_profiles, observe_inputs, overview_pages, refresh_all, weekly_checks
from assets.resources import (
    InspectionSourceResource,
    ReleaseSourceResource,
    SelfEvaluationSourceResource,
    WarehouseResource,
)
from pipeline.schedules import release_is_fresh, weekly_checks_schedule
from pipeline.sensors import new_release_sensor, overviews_after_profiles, profiles_after_refresh

defs = dg.Definitions(
    assets=[inputs_asset, lait_release, core_model, *marts_assets, risk_signal, *profile_assets],
    asset_checks=[*raw_file_checks, inspections_file_valid, *profile_checks, release_is_fresh],
    jobs=[refresh_all, council_profiles, overview_pages, weekly_checks, observe_inputs],
    schedules=[weekly_checks_schedule],
    sensors=[council_partitions_sensor, new_release_sensor, profiles_after_refresh, overviews_after_profiles],
    resources={
        "warehouse": WarehouseResource.from_env(),
        "source": ReleaseSourceResource.from_env(),
        "inspections": InspectionSourceResource.from_env(),
        "self_evaluations": SelfEvaluationSourceResource.from_env(),
    },
    executor=executor_def(),  # None (Dagster's default) unless PEERDATA_EXECUTOR=celery
)
