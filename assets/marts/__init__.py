"""The marts layer: benchmark, trend, decline/improvement flags, summaries, peer groups and
the changes since the previous release.

``marts_assets`` and ``marts_checks`` are what ``pipeline/definitions.py`` registers. They are
imported on first use (PEP 562), so that ``assets.marts.councils`` alone (``peerdata profile``,
``peerdata export``) does not load Dagster.
"""

__all__ = ["marts_assets", "marts_checks"]


def __getattr__(name: str) -> object:
    if name == "marts_assets":
        from assets.marts.assets import MART_ASSETS
        from assets.marts.release_changes import release_changes

        return [*MART_ASSETS, release_changes]
    if name == "marts_checks":
        from assets.marts.checks import MART_CHECK_DEFS

        return MART_CHECK_DEFS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
