"""Where the steps run (``pipeline/executor.py``), without servers: the settings, how the council
pages are shared between runs, the broker's error, and the overviews waiting for every part.
The real Celery runs with Redis and two workers are in ``test_celery.py``."""

from __future__ import annotations

import dagster as dg
import pytest
from servers import free_port

from assets.profiles.runs import chunks
from pipeline.executor import (BrokerUnreachable, ExecutorSettingError, celery_config, check_broker, council_runs,
                               executor_def)
from pipeline.sensors import AFTER_RUN, COUNCIL_RUNS_TAG, overviews_after_profiles

pytestmark = pytest.mark.fast


def test_nothing_set_means_dagster_s_default_executor_and_one_council_run(monkeypatch):
    for name in ("PEERDATA_EXECUTOR", "PEERDATA_BROKER", "PEERDATA_COUNCIL_RUNS"):
        monkeypatch.delenv(name, raising=False)
    assert executor_def() is None and council_runs() == 1


def test_celery_needs_a_redis_broker_and_keeps_each_step_until_it_is_done(monkeypatch):
    monkeypatch.setenv("PEERDATA_EXECUTOR", "celery")
    monkeypatch.delenv("PEERDATA_BROKER", raising=False)
    with pytest.raises(ExecutorSettingError, match="needs PEERDATA_BROKER=redis://HOST:PORT/0"):
        executor_def()
    monkeypatch.setenv("PEERDATA_BROKER", "redis://queue.example:6379/0")
    monkeypatch.setenv("PEERDATA_REDELIVER_AFTER", "600")
    config = celery_config()
    assert config["broker"] == config["backend"] == "redis://queue.example:6379/0"
    source = config["config_source"]
    assert source["task_acks_late"] and source["task_reject_on_worker_lost"]
    assert source["broker_transport_options"]["visibility_timeout"] == 600
    assert executor_def().name == "peerdata_celery" and council_runs() == 4
    monkeypatch.setenv("PEERDATA_EXECUTOR", "kubernetes")
    with pytest.raises(ExecutorSettingError, match="'in_process'"):
        executor_def()


def test_councils_are_cut_into_consecutive_parts_of_nearly_equal_length():
    keys = [str(i) for i in range(10)]
    assert chunks(keys, 3) == [["0", "1", "2", "3"], ["4", "5", "6"], ["7", "8", "9"]]
    assert chunks(keys, 1) == [keys]
    assert chunks(["a", "b"], 4) == [["a"], ["b"]]


def test_a_broker_that_does_not_answer_is_named_with_its_password_hidden(monkeypatch):
    url = f"redis://:s3cret@127.0.0.1:{free_port()}/0"  # nothing listens there
    monkeypatch.setenv("PEERDATA_BROKER", url)
    with pytest.raises(BrokerUnreachable) as refused:
        check_broker(timeout=1)
    message = str(refused.value)
    assert message.startswith(f"the Celery broker redis://:**@127.0.0.1:{url.rsplit(':', 1)[1]} (PEERDATA_BROKER) does not answer")
    assert "s3cret" not in message


def test_the_overviews_wait_for_the_last_of_the_council_page_runs():
    tags = {AFTER_RUN: "r0", COUNCIL_RUNS_TAG: "2"}
    success = dg.DagsterEvent(dg.DagsterEventType.PIPELINE_SUCCESS.value, "council_profiles")
    with dg.instance_for_test() as instance:
        runs = [instance.add_run(dg.DagsterRun(job_name="council_profiles", tags=tags, status=status))
                for status in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.STARTED)]

        def after(run: dg.DagsterRun):
            return overviews_after_profiles(dg.build_run_status_sensor_context(
                sensor_name=overviews_after_profiles.name, dagster_event=success, dagster_instance=instance,
                dagster_run=instance.get_run_by_id(run.run_id)))

        assert after(runs[0]).skip_message == "1 of the 2 council page runs after run r0 have succeeded"
        instance.handle_run_event(runs[1].run_id, success)
        request = after(runs[1])
        assert isinstance(request, dg.RunRequest) and request.run_key == "overviews-after-r0"


def test_every_job_the_sensors_and_the_schedule_start_uses_the_configured_executor():
    """The definitions as the daemon loads them: with PEERDATA_EXECUTOR=celery every job runs on
    Celery; with nothing set, on Dagster's default executor."""
    import json
    import os
    import subprocess
    import sys

    from test_operations_helpers import REPO

    show = ("import json; from pipeline.definitions import defs; print(json.dumps({name: defs.resolve_job_def(name)"
            ".executor_def.name for name in ('refresh_all', 'council_profiles', 'overview_pages', 'weekly_checks')}))")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PEERDATA_")}

    def executors(**extra: str) -> set[str]:
        out = subprocess.run([sys.executable, "-c", show], cwd=REPO, env={**env, **extra}, capture_output=True,
                             text=True, check=True)
        return set(json.loads(out.stdout.strip().splitlines()[-1]).values())

    assert executors(PEERDATA_EXECUTOR="celery", PEERDATA_BROKER="redis://127.0.0.1:6379/0") == {"peerdata_celery"}
    assert executors() == {"multi_or_in_process_executor"}
