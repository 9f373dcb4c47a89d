"""Shared by the profile, export and browser tests (no tests here).

The built site is the session's ``materialized_home`` (``conftest.py``): a home built once per
session by ``peerdata materialize --no-pdf`` on the current release, with the marts, every
council page (one run over the whole dynamic council partition range), the overviews and
packs, and the profile checks passed. The rerun tests start from copies of the same home, so
the whole site is built once for the session (read-only use: copy it before changing it).
"""

from __future__ import annotations

import shutil
from pathlib import Path


def warehouse_copy(home: Path, target: Path) -> Path:
    """A new home at ``target`` with a copy of ``home``'s ``data`` folder only: the landed release
    and the warehouse with its core model and marts, no profiles and no Dagster history (for a
    test that changes the warehouse or builds pages of its own)."""
    shutil.copytree(home / "data", target / "data")
    return target
