"""The steps on Celery workers (``PEERDATA_EXECUTOR=celery``), with a real Redis broker and the
Dagster instance and warehouse lock on a real PostgreSQL, all on 127.0.0.1 (``tests/servers.py``).

Two workers (``peerdata worker``) build a small release (``tests/tiny_release.py``: the headline
set of every council, without the inspections: the steps are the same, and none lasts minutes) through
``peerdata materialize``; one of them is killed with SIGKILL while it builds the core model (it
holds the warehouse lock). What must hold, read from the run's event log and the files: steps ran on
both workers; the killed worker's step was handed to the other and the run completed; the
published site is the one an in-process build of the same release publishes; one writer at a
time held the warehouse. Then, with Redis stopped, a run fails naming the broker, and the
warehouse and pages are as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

import dagster as dg
import pytest
from servers import postgres_server, redis_server
from test_operations_helpers import REPO, kill_group, pipeline_env, run_peerdata, start_peerdata, tail, wait_for_text
from tiny_release import headline_codes, write_tiny_release

# Seconds: longer than any step, or a slow step would be handed out twice (the test checks that no
# step but the killed one ran twice); the killed worker's step waits this long for the other worker,
# most of this test's time. Without the inspections the risk selection selects nothing (seconds, not
# the minutes of its cross-validation), and the longest step is the marts: 39.6 s at load 9 on 2
# cores (the council pages 20 s a run, every other step under 20 s), 79 s once at load 11. The
# in-process build (100 s at load 9) is over before the killed step is handed on, so it does not
# slow the cluster's steps.
REDELIVER_AFTER = 90
BUILD_ENV = {"PEERDATA_INSPECTIONS": "none"}
COUNCIL_RUNS = 2  # the 153 council pages in two runs (each run's start costs 15-20 s at load 11)
EXECUTING = re.compile(r'Executing steps (\S+) in celery worker')
LOCK = re.compile(r"warehouse lock (taken|released): write pid (\d+) on (\S+)")


def site_files(home: Path) -> dict[str, str]:
    """Every file of the published site, by path, as a hash of its content with the build's time
    taken out (``site.json``'s ``built_at``; a page's footer says the day the release was landed).
    Every figure is compared to the last bit: two builds of the same release compute the same
    floats (the score's means add in a fixed order, ``assets/dbt/macros/score_rule.sql``)."""
    site = (home / "profiles").resolve()
    files = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.name == "site.json":
            data = json.dumps({k: v for k, v in json.loads(data).items() if k != "built_at"}).encode()
        elif path.suffix == ".html":
            data = re.sub(rb"landed \d{1,2} \w+ \d{4}", b"landed (day)", data)
        files[str(path.relative_to(site))] = hashlib.sha256(data).hexdigest()
    return files


def fingerprint(home: Path) -> tuple:
    """The warehouse file and the published site, byte for byte, and where the site link points."""
    warehouse = home / "data" / "marts" / "warehouse.duckdb"
    site = (home / "profiles").resolve()
    return (hashlib.sha256(warehouse.read_bytes()).hexdigest(), str(site),
            {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()})


@pytest.fixture(scope="module")
def release(tmp_path_factory, lait) -> Path:
    return write_tiny_release(lait / "current", tmp_path_factory.mktemp("tiny") / "release", headline_codes(),
                              councils=None)


@pytest.fixture(scope="module")
def in_process_build(tmp_path_factory, release):
    """The tiny release built as a user who sets nothing builds it (in process, file lock, SQLite),
    started at once in the background; yields a function that waits for it and returns its home."""
    home = tmp_path_factory.mktemp("in_process") / "home"
    log = home.parent / "build.log"
    process = start_peerdata(pipeline_env(home, release, **BUILD_ENV), log, "materialize", "--no-pdf")

    def finished() -> Path:
        assert process.wait(timeout=600) == 0, tail(log)
        return home

    try:
        yield finished
    finally:
        if process.poll() is None:
            kill_group(process)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, release):
    """PostgreSQL (instance and lock), Redis and two workers sharing one home; yields
    (home, environment, redis, {worker name: process}, logs folder)."""
    root = tmp_path_factory.mktemp("celery")
    home, dagster_home = root / "home", root / "dagster_home"
    dagster_home.mkdir()
    shutil.copy(REPO / "pipeline" / "instance" / "postgres.dagster.yaml", dagster_home / "dagster.yaml")
    with postgres_server() as pg, redis_server(root / "redis") as redis:
        env = pipeline_env(home, release, dagster_home, **pg, PEERDATA_EXECUTOR="celery", PEERDATA_BROKER=redis.url,
                           PEERDATA_REDELIVER_AFTER=str(REDELIVER_AFTER), PEERDATA_COUNCIL_RUNS=str(COUNCIL_RUNS),
                           PEERDATA_PDFS="off", **BUILD_ENV)
        workers = {name: start_peerdata(env, root / f"{name}.log", "worker", "--name", name) for name in ("w1", "w2")}
        try:
            for name, process in workers.items():
                wait_for_text(root / f"{name}.log", "ready.", process, timeout=180)
            yield home, env, redis, workers, root
        finally:
            for process in workers.values():
                if process.poll() is None:
                    kill_group(process)


def instance_for(env: dict, monkeypatch) -> dg.DagsterInstance:
    for key in ("DAGSTER_PG_HOST", "DAGSTER_PG_PORT", "DAGSTER_PG_DB", "DAGSTER_PG_USERNAME", "DAGSTER_PG_PASSWORD"):
        monkeypatch.setenv(key, env[key])
    return dg.DagsterInstance.from_config(env["DAGSTER_HOME"])


def step_placements(instance: dg.DagsterInstance) -> list[tuple[float, str, str, str]]:
    """(time, run id, step key, worker) of every step a Celery worker started, in time order."""
    placed = []
    for run in instance.get_runs():
        for entry in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
            found = EXECUTING.search(entry.dagster_event.message or "")
            if found:
                worker = entry.dagster_event.event_specific_data.metadata["Celery worker"].value
                placed.append((entry.timestamp, run.run_id, found.group(1), worker.split("@")[0]))
    return sorted(placed)


def lock_log(instance: dg.DagsterInstance) -> list[tuple[float, str, str, str]]:
    """(time, taken/released, pid@host, step) of every writer's log line about the warehouse lock, in time order."""
    lines = []
    for run in instance.get_runs():
        for entry in instance.all_logs(run.run_id):
            found = LOCK.search(entry.user_message or "")
            if found and entry.dagster_event is None:
                lines.append((entry.timestamp, found.group(1), f"{found.group(2)}@{found.group(3)}", entry.step_key))
    return sorted(lines)


@pytest.mark.timeout(1800)  # ten minutes or more on a 2-core machine shared with other builds
def test_steps_run_on_both_workers_a_killed_worker_s_step_is_redone_and_the_site_is_whole(
        in_process_build, cluster, monkeypatch):
    home, env, _, workers, root = cluster
    log = root / "materialize.log"
    run = start_peerdata(env, log, "materialize", "--no-pdf")
    instance = instance_for(env, monkeypatch)
    killed = None
    try:
        deadline = time.monotonic() + 600
        while killed is None and time.monotonic() < deadline and run.poll() is None:
            core = [worker for _, _, step, worker in step_placements(instance) if step == "core_model"]
            holding = [line for line in lock_log(instance) if line[1] == "taken" and line[3] == "core_model"]
            if core and holding:  # the worker building the core model holds the warehouse: kill it there
                killed_at, killed = time.time(), core[0]
                os.killpg(workers[killed].pid, signal.SIGKILL)
                workers[killed].wait(timeout=30)
            time.sleep(0.2)
        assert killed, f"no worker took the warehouse for the core model:\n{tail(log)}"
        assert run.wait(timeout=900) == 0, tail(log)
    finally:
        if run.poll() is None:
            kill_group(run)

    runs = instance.get_runs()
    assert {r.job_name for r in runs} == {"refresh_all", "council_profiles", "overview_pages"}
    assert all(r.status == dg.DagsterRunStatus.SUCCESS for r in runs), [(r.job_name, r.status) for r in runs]
    placements = step_placements(instance)
    survivor = ({"w1", "w2"} - {killed}).pop()
    # Both workers ran steps; the core model was started on the killed worker, then again on the other,
    # which also ran every step after it.
    assert {worker for *_, worker in placements} == {"w1", "w2"}, placements
    assert [w for _, _, step, w in placements if step == "core_model"] == [killed, survivor], placements
    assert {w for t, *_, w in placements if t > killed_at} == {survivor}, placements
    council_steps = [w for _, _, step, w in placements if step == "profiles__council_page"]
    assert len(council_steps) == COUNCIL_RUNS, placements  # each run's step once: none handed out twice
    started = [(run_id, step) for _, run_id, step, _ in placements if step != "core_model"]
    assert len(started) == len(set(started)), placements  # nor any other step (none outlasted REDELIVER_AFTER)
    # One writer at a time: each taking of the lock is released by the same process before the next is
    # taken, except the killed worker's, whose hold ended with it (before the next was taken).
    lines = lock_log(instance)
    assert lines, "no writer logged the warehouse lock"
    holds = []
    for when, what, who, _ in lines:
        if what == "taken":
            assert not holds or holds[-1][2] is not None or holds[-1][0] <= killed_at <= when, lines
            holds.append([when, who, None])
        else:
            assert holds and holds[-1][1] == who and holds[-1][2] is None, lines
            holds[-1][2] = when
    unreleased = [h for h in holds if h[2] is None]
    assert len(unreleased) == 1 and unreleased[0][0] <= killed_at, lines  # only the killed worker's
    assert len({who for _, who, _ in holds}) >= 2, holds  # written by more than one process
    # The published site is whole: exactly what the in-process build of the same release published.
    assert site_files(home) == site_files(in_process_build())
    assert json.loads((home / "profiles" / "site.json").read_text())["release_id"].startswith("lait-")


def test_with_redis_stopped_a_run_fails_naming_the_broker_and_touches_nothing(cluster):
    home, env, redis, _, root = cluster
    if not (home / "profiles" / "site.json").exists():
        pytest.skip("needs the site the test above publishes")
    before = fingerprint(home)
    redis.stop()
    log = root / "no-broker.log"
    assert run_peerdata(env, log, "materialize", "--no-pdf", "--force", timeout=120) == 1, tail(log)
    text = log.read_text()
    assert f"the Celery broker {redis.url} (PEERDATA_BROKER) does not answer" in text, text
    assert "the warehouse is unchanged: it still holds release lait-" in text, text
    assert "Traceback" not in text, text
    assert fingerprint(home) == before
