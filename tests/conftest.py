"""Shared fixtures: the real LAIT releases beside the repo and a runner for the pipeline."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import pytest

from assets.core.assets import core_model
from assets.raw.assets import inspections_file_valid, lait_release, raw_file_checks
from assets.resources import (
    InspectionSourceResource,
    ReleaseSourceResource,
    SelfEvaluationSourceResource,
    WarehouseResource,
)
from base.settings import ReleaseFiles

LAIT = Path(__file__).resolve().parents[2] / "shared" / "lait"
OFSTED = Path(__file__).resolve().parents[2] / "shared" / "ofsted"
FOUNDATION = [lait_release, core_model, *raw_file_checks, inspections_file_valid]


def session_root(tmp_path_factory) -> Path:
    """The temporary folder of the whole test session, shared by its pytest-xdist workers (each
    worker's own base folder is inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def shared_result_cache(tmp_path_factory) -> Iterator[Path]:
    """One ``PEERDATA_CACHE`` for every build of the session, in process or in a ``peerdata``
    process (``pipeline_env`` passes it on): the inspection-risk selection is computed once per
    distinct input (``assets/risk/cache.py``), not in every build of the same release."""
    folder = session_root(tmp_path_factory) / "peerdata-cache"
    before = os.environ.get("PEERDATA_CACHE")
    os.environ["PEERDATA_CACHE"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("PEERDATA_CACHE")
    else:
        os.environ["PEERDATA_CACHE"] = before


@pytest.fixture(scope="session")
def lait() -> Path:
    """``../shared/lait``: the real releases ``current`` and ``2025-07-22``."""
    assert (LAIT / "current" / "bds_long_0.parquet").exists(), f"real LAIT files missing under {LAIT}"
    return LAIT


def resources_for(
    home: Path, source: str | Path, files: ReleaseFiles = ReleaseFiles(), inspections: str | Path = OFSTED,
    self_evaluations: str | Path = "none",
) -> dict:
    """The pipeline's resources pointed at a temporary home and a chosen source (and inspections:
    by default the real ones beside the repository; self-evaluations: by default none)."""
    return {
        "warehouse": WarehouseResource(home=str(home), warehouse_path=str(home / "data" / "marts" / "warehouse.duckdb")),
        "source": ReleaseSourceResource(
            source=str(source),
            bds_file=files.bds,
            dictionary_file=files.dictionary,
            neighbours_file=files.neighbours,
            councils_file=files.councils,
        ),
        "inspections": InspectionSourceResource(source=str(inspections)),
        "self_evaluations": SelfEvaluationSourceResource(source=str(self_evaluations)),
    }


def run_foundation(
    home: Path, source: str | Path, assets: list | None = None, inspections: str | Path = OFSTED,
    self_evaluations: str | Path = "none",
) -> dg.ExecuteInProcessResult:
    """Land ``source``, the inspections and the self-evaluations and build the core model in ``home``
    (a temporary DuckDB warehouse)."""
    return dg.materialize(
        assets or FOUNDATION,
        resources=resources_for(home, source, inspections=inspections, self_evaluations=self_evaluations),
        raise_on_error=False,
    )


def failure_text(result: dg.ExecuteInProcessResult) -> str:
    """Everything a failed run told the user: step failures and failed check descriptions."""
    parts = [
        e.step_failure_data.user_failure_data.description
        for e in result.all_events
        if e.is_step_failure and e.step_failure_data.user_failure_data
    ]
    parts += [
        str(e.description) for e in result.get_asset_check_evaluations() if not e.passed
    ]
    return "\n".join(parts)


@contextmanager
def built_once(tmp_path_factory, name: str) -> Iterator[tuple[Path, bool]]:
    """(the folder ``name`` of the whole test session, whether it still has to be built). The first
    pytest-xdist worker to ask builds it, holding a lock; the others wait for it and read the same
    build (session fixtures are otherwise per worker: two workers built the same home twice). A
    build that fails is left unmarked, so the next to ask builds it again from an empty folder (and
    fails the same way)."""
    folder = session_root(tmp_path_factory) / name
    folder.mkdir(exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        done = folder / ".built"
        if not done.exists():
            for left in folder.iterdir():  # what a failed build left
                if left.is_dir():
                    shutil.rmtree(left)
                elif left.name != ".lock":
                    left.unlink()
        yield folder, not done.exists()
        done.touch()


@pytest.fixture(scope="session")
def current_home(tmp_path_factory, lait) -> Path:
    """A home with the current release landed and its core model published (read-only use; built
    once for the session's workers)."""
    with built_once(tmp_path_factory, "current_home") as (folder, to_build):
        home = folder / "home"
        if to_build:
            home.mkdir()
            result = run_foundation(home, lait / "current")
            assert result.success, failure_text(result)
    return home


@pytest.fixture(scope="session")
def materialized_home(tmp_path_factory, lait) -> Path:
    """A home built by ``peerdata materialize --no-pdf`` on the current release: warehouse, marts,
    every profile page and the Dagster history in ``<home>/.dagster_home`` (read-only use: copy
    it with ``copy_home`` or ``shutil.copytree`` before changing it). Built once per session (for
    both pytest-xdist workers under ``make test``: ``built_once``) for every test module that needs
    what a user's ``peerdata materialize`` leaves behind."""
    from test_operations_helpers import pipeline_env, run_peerdata, tail

    with built_once(tmp_path_factory, "materialized") as (folder, to_build):
        home, log = folder / "home", folder / "build.log"
        if to_build:
            env = pipeline_env(home, lait / "current")
            assert run_peerdata(env, log, "materialize", "--no-pdf", timeout=900) == 0, tail(log)
    # Three successful runs (everything but the profiles, every council page, the overviews),
    # and every profile check passed: profiles_complete and profile_page_size.
    with dg.DagsterInstance.from_config(str(home / ".dagster_home")) as instance:
        runs = [r.dagster_run for r in instance.get_run_records()]
        assert len(runs) == 3 and all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), tail(log)
        evaluations = [
            record.event_log_entry.dagster_event.event_specific_data
            for run in runs
            for record in instance.get_records_for_run(
                run.run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
        ]
    profile_checks = {e.asset_check_key.name: e.passed
                      for e in evaluations if e.asset_check_key.asset_key.path[0] == "profiles"}
    assert profile_checks and all(profile_checks.values()), profile_checks
    return home


@pytest.fixture
def copy_home(tmp_path) -> Callable[[Path], Path]:
    """A private copy of a built home, for tests that change it."""

    def copy(home: Path) -> Path:
        target = tmp_path / "home"
        shutil.copytree(home, target)
        return target

    return copy


# The test files that take minutes, longest first (seconds of one loaded run, 2026-12-07, before
# the Celery test's shorter redelivery). ``make test`` hands whole files to its two pytest-xdist
# workers in collection order (``--dist loadfile --no-loadscope-reorder``): started first, they
# end with short files on both workers instead of one worker running a long file alone at the
# end. The first two need no shared build of the other worker: test_rerun builds the session's
# ``materialized_home`` while the other worker runs the Celery and new-release builds. A file
# missing here only runs later, after these in its usual order.
LONGEST_FILES = [
    "test_rerun.py",  # 643
    "test_celery.py",  # 397
    "test_new_release.py",  # 311
    "test_e2e.py",  # 240
    "test_profiles.py",  # 222
    "test_faults.py",  # 193
    "test_faults_values.py",  # 191
    "test_pages_as_read.py",  # 189
    "test_marts.py",  # 133
    "test_fuzz_release.py",  # 122
    "test_cli.py",  # 117
    "test_operations.py",  # 110
    "test_self_evaluations.py",  # 101
    "test_local.py",  # 78
    "test_inspections.py",  # 75
    "test_browser.py",  # 58
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest files first (``LONGEST_FILES``), the others after them in their usual order."""
    rank = {name: i for i, name in enumerate(LONGEST_FILES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
