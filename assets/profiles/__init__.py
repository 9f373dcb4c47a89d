"""The profiles layer: per-council HTML and PDF profiles, regional overviews, peer-group packs.

``profile_assets``, ``profile_checks``, ``council_partitions`` and ``council_partitions_sensor``
are what ``pipeline/definitions.py`` registers; ``materialize_profiles`` builds them in process
(``peerdata materialize``), ``PROFILES_GROUP`` names their asset group.
"""

from assets.profiles.assets import GROUP as PROFILES_GROUP
from assets.profiles.assets import PROFILE_ASSETS, PROFILE_CHECKS
from assets.profiles.partitions import council_partitions, council_partitions_sensor, sync_council_partitions
from assets.profiles.runs import materialize_profiles

profile_assets = PROFILE_ASSETS
profile_checks = PROFILE_CHECKS

__all__ = [
    "council_partitions", "council_partitions_sensor", "materialize_profiles", "PROFILES_GROUP", "profile_assets",
    "profile_checks", "sync_council_partitions",
]
