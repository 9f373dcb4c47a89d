"""As a user would: `dagster dev` on a free loopback port with a temporary DAGSTER_HOME, a
materialization of everything launched through the GraphQL API (``refresh_all``, then the
profile runs the daemon's run status sensors start), then its checks and the profiles read
back, and every process this test started stopped."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import sys
import time

import dagster as dg
import pytest
import requests
from dagster_graphql import DagsterGraphQLClient
from test_operations_helpers import REPO, kill_group, pipeline_env, tail

from pipeline.definitions import defs

STARTUP_SECONDS = 180
RUN_SECONDS = 420
POLL_SECONDS = 0.5  # between GraphQL polls: waiting only, the deadlines above bound the waits


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(url: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"dagster dev ended with {process.returncode}:\n{tail(log)}")
        try:
            if requests.get(f"{url}/server_info", timeout=2).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"dagster dev did not answer within {STARTUP_SECONDS} s:\n{tail(log)}")


def wait_for_run(client: DagsterGraphQLClient, run_id: str) -> dg.DagsterRunStatus:
    deadline = time.monotonic() + RUN_SECONDS
    while time.monotonic() < deadline:
        status = client.get_run_status(run_id)
        if status in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED):
            return status
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"run {run_id} not finished within {RUN_SECONDS} s (last status {status})")


INSTIGATORS = """
{ repositoriesOrError { ... on RepositoryConnection { nodes {
    sensors { id name sensorState { status ticks(limit: 1) { status skipReason } } }
    schedules { name scheduleState { status } } } } } }
"""
RUNS_OF_JOB = """
query ($job: String) { runsOrError(filter: {pipelineName: $job}) {
    ... on Runs { results { runId status tags { key value } } } } }
"""
STOP_SENSOR = """
mutation ($id: String) { stopSensor(id: $id) {
    ... on StopSensorMutationResult { instigationState { status } }
    ... on PythonError { message } } }
"""


def graphql(port: int, query: str, **variables) -> dict:
    answer = requests.post(
        f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": variables}, timeout=60
    ).json()
    assert "errors" not in answer, answer
    return answer["data"]


def instigators(port: int) -> tuple[dict[str, str], dict]:
    """The status of every sensor and schedule the webserver shows, and the sensor's id and ticks."""
    (repository,) = graphql(port, INSTIGATORS)["repositoriesOrError"]["nodes"]
    statuses = {s["name"]: s["sensorState"]["status"] for s in repository["sensors"]}
    statuses.update({s["name"]: s["scheduleState"]["status"] for s in repository["schedules"]})
    (sensor,) = [s for s in repository["sensors"] if s["name"] == "new_release_sensor"]
    return statuses, sensor


def first_sensor_tick(port: int) -> dict:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        _, sensor = instigators(port)
        if sensor["sensorState"]["ticks"]:
            return sensor
        time.sleep(POLL_SECONDS)
    raise AssertionError("the daemon never ran new_release_sensor")


def run_started_by_sensor(port: int, job: str) -> str:
    """The id of the first run of ``job`` (started by a sensor, not by this test), once it exists."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        runs = graphql(port, RUNS_OF_JOB, job=job)["runsOrError"]["results"]
        if runs:
            return runs[-1]["runId"]
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"no sensor started a run of {job} within {STARTUP_SECONDS} s")


def non_loopback_addresses() -> list[str]:
    found = {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)}
    return sorted(a for a in found if not a.startswith("127."))


@pytest.fixture
def dagster_dev(tmp_path):
    """`dagster dev` serving pipeline.definitions on 127.0.0.1:<free port>, reading its release
    from a folder that is still empty; stopped afterwards."""
    home, dagster_home, port = tmp_path / "home", tmp_path / "dagster_home", free_port()
    release = tmp_path / "release"
    release.mkdir()
    dagster_home.mkdir()
    # The default run coordinator of `dagster dev` (queued), checking its queue every second
    # instead of every 5 s: each of the three runs otherwise waits up to 5 s to be launched.
    (dagster_home / "dagster.yaml").write_text(
        "telemetry:\n  enabled: false\n"
        "run_coordinator:\n  module: dagster._core.run_coordinator\n  class: QueuedRunCoordinator\n"
        "  config:\n    dequeue_interval_seconds: 1\n"
    )
    secret = secrets.token_hex(16)
    env = pipeline_env(home, release, dagster_home, DAGSTER_PG_PASSWORD=secret, PEERDATA_PDFS="off")
    log = tmp_path / "dagster_dev.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-m", "pipeline.definitions", "--host", "127.0.0.1", "--port", str(port)],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        wait_for_server(f"http://127.0.0.1:{port}", process, log)
        yield port, home, release, dagster_home, secret, log
    finally:
        kill_group(process)  # the process group: webserver, daemon, code server and run workers


def test_dagster_dev_materializes_everything_through_graphql(dagster_dev, lait):
    port, home, release, dagster_home, secret, log = dagster_dev
    for address in non_loopback_addresses():
        with socket.socket() as s:
            assert s.connect_ex((address, port)) != 0, f"the webserver answers on {address}, not only on loopback"

    # The sensor and the schedule are on by default, as the UI shows them. The sensor's first
    # tick finds no release yet and skips, saying why; it is then stopped so that it does not
    # start a second build beside the run this test launches.
    statuses, _ = instigators(port)
    assert (statuses["new_release_sensor"], statuses["weekly_checks_schedule"]) == ("RUNNING", "RUNNING")
    sensor = first_sensor_tick(port)
    (tick,) = sensor["sensorState"]["ticks"]
    assert tick["status"] == "SKIPPED" and "does not exist" in tick["skipReason"], tick
    stopped = graphql(port, STOP_SENSOR, id=sensor["id"])["stopSensor"]
    assert stopped == {"instigationState": {"status": "STOPPED"}}, stopped
    shutil.copytree(lait / "current", release, dirs_exist_ok=True)

    client = DagsterGraphQLClient("127.0.0.1", port_number=port)
    # In one run process (in_process executor): the same steps, without a process start per step.
    run_id = client.submit_job_execution("refresh_all", run_config={"execution": {"config": {"in_process": {}}}})
    assert wait_for_run(client, run_id) == dg.DagsterRunStatus.SUCCESS, tail(log)

    graph = defs.resolve_asset_graph()
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
        evaluations = [r.event_log_entry.dagster_event.event_specific_data for r in records]
        materialized = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION).records
    in_job = graph.materializable_asset_keys - {k for k in graph.materializable_asset_keys if k.path[0] == "profiles"}
    assert {e.asset_check_key for e in evaluations} == {k for k in graph.asset_check_keys if k.asset_key in in_job}
    failed = [e.asset_check_key.to_user_string() for e in evaluations
              if not e.passed and e.severity != dg.AssetCheckSeverity.WARN]
    assert failed == []
    assert {r.event_log_entry.asset_materialization.asset_key for r in materialized} == in_job

    # The marts were rebuilt, so the run status sensors start the council profiles (every
    # council partition, one run) and then the overviews, whose checks want every page.
    for job in ("council_profiles", "overview_pages"):
        job_run = run_started_by_sensor(port, job)
        assert wait_for_run(client, job_run) == dg.DagsterRunStatus.SUCCESS, tail(log)
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        checks = instance.get_records_for_run(job_run, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
        assert {c.event_log_entry.dagster_event.event_specific_data.asset_check_key.name:
                c.event_log_entry.dagster_event.event_specific_data.passed for c in checks} \
            == {"profiles_complete": True, "profile_page_size": True, "pages_show_warehouse_release": True}
        councils = instance.get_dynamic_partitions("council")
    pages = list((home / "profiles" / "councils").glob("*.html"))
    assert len(pages) == len(councils) == 153
    assert (home / "profiles" / "index.html").exists()
    assert secret not in log.read_text(errors="replace")
    for folder in (home, dagster_home):
        for f in folder.rglob("*"):
            if f.is_file() and f.suffix != ".duckdb":
                assert secret.encode() not in f.read_bytes(), f
