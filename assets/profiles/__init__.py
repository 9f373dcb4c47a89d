"""The profiles layer: per-council HTML and PDF profiles, regional overviews, peer-group packs.

``profile_assets``, ``profile_checks``, ``council_partitions`` and ``council_partitions_sensor``
are what ``pipeline/definitions.py`` registers; ``materialize_profiles`` builds them in process
(``peerdata materialize``), ``PROFILES_GROUP`` names their asset group.

These names are imported on first use (PEP 562), so that importing one module of the package
without Dagster, as ``peerdata profile`` does with ``assets.profiles.build``, does not load the
Dagster definitions.
"""

from importlib import import_module

_EXPORTS = {  # name: (module, attribute)
    "PROFILES_GROUP": ("assets.profiles.assets", "GROUP"),
    "profile_assets": ("assets.profiles.assets", "PROFILE_ASSETS"),
    "profile_checks": ("assets.profiles.assets", "PROFILE_CHECKS"),
    "council_partitions": ("assets.profiles.partitions", "council_partitions"),
    "council_partitions_sensor": ("assets.profiles.partitions", "council_partitions_sensor"),
    "sync_council_partitions": ("assets.profiles.partitions", "sync_council_partitions"),
    "materialize_profiles": ("assets.profiles.runs", "materialize_profiles"),
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    return getattr(import_module(module), attribute)
