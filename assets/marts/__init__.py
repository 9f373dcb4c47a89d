"""The marts layer: benchmark, trend, decline/improvement flags, summaries and peer groups.

``marts_assets`` and ``marts_checks`` are what ``pipeline/definitions.py`` registers.
"""

from assets.marts.assets import MART_ASSETS
from assets.marts.checks import MART_CHECK_DEFS

marts_assets = MART_ASSETS
marts_checks = MART_CHECK_DEFS

__all__ = ["marts_assets", "marts_checks"]
