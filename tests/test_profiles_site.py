"""Shared by the profile, export and browser tests (no tests here): one built site per session.

``marts_home`` copies the session's ``current_home`` (current release, core model) and builds
the marts in it; ``built_site`` then materializes every council page (one run over the whole
dynamic council partition range) and the overviews with their checks, through Dagster
(``assets.profiles.runs.materialize_profiles``).
Both are cached on disk under pytest's session temp folder, so each test module's fixture
reuses the first build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg

from assets.marts import marts_assets, marts_checks
from assets.profiles.runs import materialize_profiles
from conftest import failure_text, resources_for

READY = ".built"


def _once(target: Path, build) -> Path:
    if not (target / READY).exists():
        if target.exists():
            shutil.rmtree(target)
        build(target)
        (target / READY).touch()
    return target


def marts_home(tmp_path_factory, current_home: Path, lait: Path) -> Path:
    """A copy of ``current_home`` with the marts built (read-only use)."""

    def build(target: Path) -> None:
        shutil.copytree(current_home, target)
        result = dg.materialize([*marts_assets, *marts_checks], resources=resources_for(target, lait / "current"),
                                raise_on_error=False)
        assert result.success, failure_text(result)

    return _once(tmp_path_factory.getbasetemp() / "profiles_marts_home", build)


def built_site(tmp_path_factory, current_home: Path, lait: Path) -> Path:
    """A home whose ``profiles/`` holds every council page, overview and pack (returns the home)."""
    source = marts_home(tmp_path_factory, current_home, lait)

    def build(target: Path) -> None:
        shutil.copytree(source, target)
        results = materialize_profiles(dg.DagsterInstance.ephemeral(), resources_for(target, lait / "current"), pdf=False)
        assert len(results) == 2 and all(r.success for r in results), failure_text(results[0])
        assert all(c.passed for c in results[1].get_asset_check_evaluations()), failure_text(results[1])

    return _once(tmp_path_factory.getbasetemp() / "profiles_site_home", build)
