"""Build, check and publish the core model, checking each part while the next one is built.

The checks are mostly Great Expectations (Python, holding the GIL); the build and the publish
are DuckDB statements, which release the GIL and leave a core idle much of the time. So the
checks of each stage's tables (``build.STAGES``) run in a worker thread while the next stage is
built: the dimensions' while the facts are built, the facts' while their rejected cells are
listed and the publish copies every table into ``core``, in a transaction that commits only when
every blocking check has passed. A failed check, an error or a killed process leaves
``core`` exactly as it was, as a publish after the checks would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from assets.core.build import STAGES, copy_into_core, discard_build_area, finish_publish, run_stage, stage_sources, staged_counts
from assets.core.checks import CheckOutcome, run_checks
from base.settings import ReleaseFiles

if TYPE_CHECKING:
    from assets.raw.landing import LandedRelease
    from assets.sources.config import ExtraSource

@dataclass(frozen=True)
class CheckedBuild:
    """What a checked build did: staged row counts, every check's outcome, whether it published."""

    counts: dict[str, int]
    outcomes: list[CheckOutcome]
    published: bool


def build_check_publish(
    con: duckdb.DuckDBPyConnection,
    release_dir: Path,
    release_id: str,
    files: ReleaseFiles,
    extra_sources: Sequence[ExtraSource] = (),
    on_staged: Callable[[dict[str, int]], None] | None = None,
    inspections: LandedRelease | None = None,
    self_evaluations: LandedRelease | None = None,
) -> CheckedBuild:
    """Stage the release, run every core check, and publish it into ``core`` when no blocking
    check failed (see the module docstring for the order). ``on_staged`` is told the staged row
    counts once every table is staged, before anything is published. ``inspections``: the landed
    inspections files (none: ``core.inspection`` is published empty); ``self_evaluations`` likewise
    the landed self-evaluation files."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="core-checks") as checker:
        checks: list[Future[list[CheckOutcome]]] = []
        try:
            counts = stage_sources(con, release_dir, files, extra_sources, inspections, self_evaluations)
            for stage in STAGES:
                built = run_stage(con, stage)
                checks.append(_submit(checker, con, files, built))
            counts |= staged_counts(con)
            if on_staged is not None:
                on_staged(counts)
            copy_into_core(con, release_id)
        except BaseException:
            wait(checks)  # the worker reads the build area: let it finish before freeing it
            discard_build_area(con)
            raise
        try:
            outcomes = [outcome for check in checks for outcome in check.result()]
        except BaseException:
            finish_publish(con, commit=False)
            raise
    published = not any(o.failed_blocking for o in outcomes)
    finish_publish(con, commit=published)
    return CheckedBuild(counts, outcomes, published)


def _submit(
    checker: ThreadPoolExecutor, con: duckdb.DuckDBPyConnection, files: ReleaseFiles, tables: set[str]
) -> Future[list[CheckOutcome]]:
    """Run the checks of ``tables`` in the worker, on a cursor of its own."""
    cursor = con.cursor()

    def checks() -> list[CheckOutcome]:
        try:
            return run_checks(cursor, files, tables)
        finally:
            cursor.close()

    return checker.submit(checks)
