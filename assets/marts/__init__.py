"""The marts layer: benchmark, trend, the signal per series and the early warning, summaries,
peer groups and the changes since the previous release.

``marts_assets`` is what ``pipeline/definitions.py`` registers: the one ``marts`` multi-asset,
which defines every mart and its checks. It is imported on first use (PEP 562), so that
``assets.marts.score_as_of`` alone (``peerdata early-warning``) does not load Dagster.
"""

__all__ = ["marts_assets"]


def __getattr__(name: str) -> object:
    if name == "marts_assets":
        from assets.marts.assets import marts

        return [marts]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
