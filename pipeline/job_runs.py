"""How ``peerdata materialize`` starts one run of a job: in its own process (the default), or,
with ``PEERDATA_EXECUTOR=celery``, through the job's Celery executor from a child process.

A run through an executor other than the in-process one needs ``dagster.execute_job`` on a
reconstructable job. Each such run is orchestrated in a process of its own (spawned, reused from
a small pool), never in a thread: Dagster configures Python's logging when a run starts, which
deadlocks with another run logging in a thread beside it. The child only hands out the steps and
collects their events; its Dagster log goes to the command's log file. The parent then reads the
finished run back from the instance, as a result like the in-process one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import dagster as dg
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster._core.execution.job_execution_result import JobExecutionResult

DEFINITIONS = "pipeline.definitions"


@contextlib.contextmanager
def job_runner(instance: dg.DagsterInstance, distributed: bool, log: Path, parallel: int):
    """Yields ``run_job(name, asset_selection=, tags=, run_config=, raise_on_error=)``, which runs the
    definitions' job ``name`` and returns its result; up to ``parallel`` runs at once when distributed."""
    from pipeline.definitions import defs

    if not distributed:
        yield lambda name, **run: defs.resolve_job_def(name).execute_in_process(instance=instance, **run)
        return
    with ProcessPoolExecutor(max_workers=parallel, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_log_to, initargs=(str(log),)) as pool:
        def run_job(name: str, **run) -> JobExecutionResult:
            run_id = pool.submit(_execute, name, run).result()
            return finished_run(instance, defs.resolve_job_def(name), run_id, run.get("asset_selection"))

        yield run_job


def finished_run(instance: dg.DagsterInstance, job: dg.JobDefinition, run_id: str, asset_selection) -> JobExecutionResult:
    """The finished run ``run_id`` of ``job`` (over ``asset_selection``), read back from the instance."""
    events = [entry.dagster_event for entry in instance.all_logs(run_id) if entry.is_dagster_event]
    subset = job.get_subset(asset_selection=set(asset_selection)) if asset_selection else job
    return JobExecutionResult(subset, contextlib.nullcontext(), events, instance.get_run_by_id(run_id))


def _log_to(path: str) -> None:
    """The child's standard error (file descriptor 2, so loggers set up on import too) goes to ``path``."""
    log = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    os.dup2(log, sys.stderr.fileno())
    os.close(log)


def _execute(name: str, run: dict) -> str:
    """In the child: one run of job ``name`` through its executor; its run id."""
    job = ReconstructableRepository.for_module(DEFINITIONS, "defs").get_reconstructable_job(name)
    with dg.DagsterInstance.get() as instance:
        return dg.execute_job(job, instance, **run).run_id


