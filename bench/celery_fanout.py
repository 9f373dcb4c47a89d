"""The council fan-out on Celery workers: every council page (and the overviews) of the real
release, in process and on one and two ``peerdata worker`` processes on this machine.

One home is built once in process (``peerdata materialize --no-pdf``, not timed); then, side by
side in each round so that the machine's load falls on every configuration alike, the profiles
are rebuilt (``materialize_profiles``: the council page runs, then the overviews run) with:

- ``in process``: nothing set (one run over every council, in the driver's process);
- ``celery, 1 worker`` and ``celery, 2 workers``: ``PEERDATA_EXECUTOR=celery`` with a Redis broker
  (Debian's ``redis-server`` on 127.0.0.1), the councils in ``PEERDATA_COUNCIL_RUNS`` runs.

The instance is SQLite and the lock the file lock: one machine. Prints a markdown table of the
wall times (median, min-max) for bench/RESULTS.md.

Usage: uv run python bench/celery_fanout.py [--release ../shared/lait/current] [--rounds 2] [--pdf]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
from servers import redis_server  # noqa: E402  the test suite's Redis, started the same way

DRIVER = """
import json, sys, time
import dagster as dg
from assets.profiles import materialize_profiles
from pipeline.definitions import defs
from pipeline.executor import council_runs, distributed
from pipeline.job_runs import job_runner
with dg.DagsterInstance.get() as instance, job_runner(instance, distributed(), sys.argv[1], council_runs()) as run_job:
    started = time.perf_counter()
    stages = materialize_profiles(instance, defs.resources, pdf=sys.argv[2] == "pdf", run_job=run_job,
                                  council_runs=council_runs())
    print(json.dumps({"seconds": time.perf_counter() - started, "ok": all(s.success for s in stages)}))
"""


def environment(home: Path, release: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERDATA_", "DAGSTER_"))}
    env.update(PEERDATA_HOME=str(home), PEERDATA_SOURCE=str(release), DAGSTER_HOME=str(home / ".dagster_home"),
               GX_ANALYTICS_ENABLED="false", PYTHONPATH=str(REPO), PEERDATA_WAREHOUSE_LOCK="file", **extra)
    return env


def start_worker(env: dict, name: str, logs: Path) -> subprocess.Popen:
    log = logs / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "worker", "--name", name], cwd=REPO,
                                   env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    while "ready." not in log.read_text(errors="replace"):
        if process.poll() is not None:
            raise RuntimeError(f"worker {name} ended: {log.read_text()[-2000:]}")
        time.sleep(0.5)
    return process


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)  # Celery's warm shutdown
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def profiles(env: dict, logs: Path, pdf: bool) -> float:
    out = subprocess.run([sys.executable, "-c", DRIVER, str(logs / "driver.log"), "pdf" if pdf else "html"],
                         cwd=REPO, env=env, capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["ok"]:
        raise RuntimeError(f"a profile run failed: see {logs / 'driver.log'}")
    return result["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--release", default=str(REPO.parent / "shared" / "lait" / "current"))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--council-runs", default="4")
    parser.add_argument("--pdf", action="store_true", help="the PDFs too (needs Chromium on the workers)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="peerdata-fanout-"))
    home, logs = root / "home", root / "logs"
    logs.mkdir(parents=True)
    base = environment(home, Path(args.release), PEERDATA_PDFS="on" if args.pdf else "off")
    build = subprocess.run([sys.executable, "-m", "pipeline.cli", "materialize", "--no-pdf"], cwd=REPO, env=base,
                           capture_output=True, text=True)
    if build.returncode:
        raise RuntimeError(build.stdout[-3000:])
    times: dict[str, list[float]] = {"in process": [], "celery, 1 worker": [], "celery, 2 workers": []}
    with redis_server(root / "redis") as redis:
        celery = {**base, "PEERDATA_EXECUTOR": "celery", "PEERDATA_BROKER": redis.url,
                  "PEERDATA_COUNCIL_RUNS": args.council_runs}
        first = start_worker(celery, "w1", logs)
        try:
            for _ in range(args.rounds):
                times["in process"].append(profiles(base, logs, args.pdf))
                times["celery, 1 worker"].append(profiles(celery, logs, args.pdf))
                second = start_worker(celery, "w2", logs)
                try:
                    times["celery, 2 workers"].append(profiles(celery, logs, args.pdf))
                finally:
                    stop(second)
        finally:
            stop(first)
    print(f"load average before/after: {os.getloadavg()}")
    print("| configuration | wall time of the council pages and overviews (s): median (min-max) | vs in process |")
    print("|---|---|---|")
    reference = statistics.median(times["in process"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.1f} ({min(values):.1f}-{max(values):.1f}) | {median / reference:.2f}x |")
    print(json.dumps(times))


if __name__ == "__main__":
    main()
