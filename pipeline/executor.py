"""Where a run's steps execute: on this machine (the default) or on Celery workers.

- ``PEERDATA_EXECUTOR``: unset or ``in_process`` (default): nothing changes, Dagster's own
  default executor (``peerdata materialize`` runs in its process; runs the daemon launches use
  the multiprocess executor). ``celery``: every job's steps go through ``dagster-celery``'s
  ``celery_executor`` to the workers started with ``peerdata worker`` (any number, on any
  machine that sees the same storage: docs/operations.md).
- ``PEERDATA_BROKER``: the Redis URL of the broker, ``redis://HOST:PORT/0``; it also keeps the
  steps' results (the Celery result backend).
- ``PEERDATA_COUNCIL_RUNS`` (default 1; 4 with Celery): the council pages are one step over every
  council; this many runs over parts of the councils, started together, let several workers
  build them at once.
- ``PEERDATA_REDELIVER_AFTER`` (seconds, default 3600, Celery's own): a step whose worker died
  without acknowledging it (a SIGKILL, a lost machine) is handed to another worker after this
  long. It must be longer than the longest step, or a slow step would run twice. A worker
  process killed under a living worker (the out-of-memory killer) is handed on at once.

Why late acknowledgement rather than Dagster's ``RetryPolicy``: under dagster-celery a step
whose worker dies never reports a failure, so a retry policy never sees it (a lost pool process
fails the run with ``WorkerLostError``; a lost worker leaves the step waiting for ever). With
``task_acks_late`` and ``task_reject_on_worker_lost`` the broker keeps each step until it has
finished, and gives it to another worker when its worker is gone.
"""

from __future__ import annotations

import os

import dagster as dg

EXECUTOR_ENV = "PEERDATA_EXECUTOR"
BROKER_ENV = "PEERDATA_BROKER"
REDELIVER_ENV = "PEERDATA_REDELIVER_AFTER"
COUNCIL_RUNS_ENV = "PEERDATA_COUNCIL_RUNS"
CELERY = "celery"
IN_PROCESS = "in_process"
DEFAULT_REDELIVER_SECONDS = 3600


class ExecutorSettingError(ValueError):
    """``PEERDATA_EXECUTOR`` or ``PEERDATA_BROKER`` is set to something that cannot work."""


class BrokerUnreachable(ConnectionError):
    """The Celery broker did not answer."""


def executor_name() -> str:
    name = os.environ.get(EXECUTOR_ENV, "").strip().lower() or IN_PROCESS
    if name not in (IN_PROCESS, CELERY):
        raise ExecutorSettingError(f"{EXECUTOR_ENV}={name!r}: use {IN_PROCESS!r} (the default) or {CELERY!r}")
    return name


def distributed() -> bool:
    """Whether the steps run on Celery workers (``PEERDATA_EXECUTOR=celery``)."""
    return executor_name() == CELERY


def council_runs() -> int:
    """How many runs share the council pages (``PEERDATA_COUNCIL_RUNS``)."""
    configured = os.environ.get(COUNCIL_RUNS_ENV, "").strip()
    if not configured:
        return 4 if distributed() else 1
    if not configured.isdigit() or int(configured) < 1:
        raise ExecutorSettingError(f"{COUNCIL_RUNS_ENV}={configured!r}: a whole number of runs, 1 or more")
    return int(configured)


def broker_url() -> str:
    url = os.environ.get(BROKER_ENV, "").strip()
    if not url.startswith(("redis://", "rediss://")):
        raise ExecutorSettingError(
            f"{EXECUTOR_ENV}=celery needs {BROKER_ENV}=redis://HOST:PORT/0 (the Redis broker the workers use); "
            f"it is {'unset' if not url else 'not a redis:// URL'}")
    return url


def shown_url(url: str) -> str:
    """The broker URL with any password masked, for messages."""
    from kombu.utils.url import maybe_sanitize_url

    return maybe_sanitize_url(url)


def celery_config() -> dict:
    """The ``celery_executor`` config: the same on the machine that starts runs and on every worker."""
    from dagster_celery.defaults import broker_transport_options

    url = broker_url()
    redeliver = int(os.environ.get(REDELIVER_ENV, DEFAULT_REDELIVER_SECONDS))
    return {
        "broker": url,
        "backend": url,
        "config_source": {
            "task_acks_late": True,  # a step leaves the broker only once it has finished...
            "task_reject_on_worker_lost": True,  # ...and goes back to it when its worker process dies
            "worker_prefetch_multiplier": 1,  # a worker holds one step at a time, the others stay free
            "broker_connection_retry_on_startup": True,
            "broker_transport_options": {
                **broker_transport_options,  # dagster-celery's: give up publishing after 3 quick retries
                "visibility_timeout": redeliver,
                # idle workers look for steps left by a dead worker every few seconds
                "unacked_restore_interval": max(1, min(10, redeliver // 3)),
                "unacked_restore_throttle": 1,
            },
            "result_backend_transport_options": {"retry_policy": {"timeout": 5.0}},
        },
    }


def executor_def() -> dg.ExecutorDefinition | None:
    """The executor of every job (None: Dagster's default), from ``PEERDATA_EXECUTOR``."""
    if not distributed():
        return None
    from dagster_celery import celery_executor

    return celery_executor.configured(celery_config(), name="peerdata_celery")


def check_broker(timeout: float = 5.0) -> None:
    """Raise BrokerUnreachable, naming the broker, when it does not answer within ``timeout``."""
    from kombu import Connection

    url = broker_url()
    try:
        with Connection(url, connect_timeout=timeout) as connection:
            connection.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:  # kombu raises the transport's own errors (redis, socket)
        raise BrokerUnreachable(
            f"the Celery broker {shown_url(url)} ({BROKER_ENV}) does not answer: {exc}. Start Redis there, "
            f"or unset {EXECUTOR_ENV} to run the steps on this machine") from exc


def celery_app():
    """The Celery app a worker serves: dagster-celery's step task, with the executor's config."""
    from dagster_celery.executor import CeleryExecutor
    from dagster_celery.make_app import make_app
    from dagster_celery.tasks import create_task

    config = celery_config()
    app = make_app(CeleryExecutor.for_cli(**config).app_args())
    create_task(app)
    return app
