"""Helpers shared by the operations, fault, PostgreSQL and end-to-end tests (no tests here):
run ``peerdata`` in a child process on a temporary home, wait for what it prints, and read
the warehouse the way a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
MART_TABLES = {
    "benchmark", "council_summary", "signal_history",
    "peer_group", "release_changes", "strengths_weaknesses", "trend",
    "headline_indicator", "series_position", "series_signal", "concerns", "backtest_inspection",
    "backtest_summary", "backtest_roc", "backtest_signal", "backtest_persistence", "lines_of_enquiry",
    "risk_model_selection", "risk_calibration", "risk_roc", "risk_signal",
    "service_area_evidence", "self_evaluation_check", "region_theme", "learn_from", "indicator_name",
}


def pipeline_env(home: Path, source: Path | str, dagster_home: Path | None = None, **extra: str) -> dict:
    """The environment of a ``peerdata`` process on ``home`` reading the release at ``source`` (and
    the session's ``PEERDATA_CACHE``, conftest.py)."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PEERDATA_", "DAGSTER_")) or key == "PEERDATA_CACHE"}
    env.update(
        PEERDATA_HOME=str(home),
        PEERDATA_SOURCE=str(source),
        DAGSTER_HOME=str(dagster_home or home / ".dagster_home"),
        GX_ANALYTICS_ENABLED="false",
        PYTHONPATH=str(REPO),
        **extra,
    )
    return env


def start_peerdata(env: dict, log: Path, *args: str) -> subprocess.Popen:
    """``python -m pipeline.cli <args>`` in its own process group, writing everything to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", *args],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )


def run_peerdata(env: dict, log: Path, *args: str, timeout: float = 300) -> int:
    """Run ``peerdata <args>`` to the end; its exit code (the process group is killed on timeout)."""
    process = start_peerdata(env, log, *args)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        raise AssertionError(f"peerdata {' '.join(args)} still running after {timeout} s; its log:\n{tail(log)}")


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process group this test started, and reap it."""
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)


def wait_for_text(log: Path, text: str, process: subprocess.Popen, timeout: float = 240) -> None:
    """Wait until ``text`` appears in ``log``; fail if ``process`` ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        if process.poll() is not None:
            raise AssertionError(f"process ended (rc {process.returncode}) before {text!r}:\n{tail(log)}")
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not seen in {timeout} s:\n{tail(log)}")


def wait_for_event(log: Path, text: str, process: subprocess.Popen, timeout: float = 240) -> None:
    """Wait until ``text`` appears in the event log of the ``peerdata materialize`` writing ``log``
    (the file it names on its first line; the console shows only a line per stage)."""
    wait_for_text(log, "log of every event: ", process, timeout)
    (events,) = [line.split(": ", 1)[1] for line in log.read_text().splitlines() if line.startswith("log of every event: ")][:1]
    wait_for_text(Path(events.strip()), text, process, timeout)


def tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"


def warehouse_tables(warehouse: Path) -> dict[str, int]:
    """Row count of every table in schemas core and marts, read through a read-only connection."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE schema_name IN ('core', 'marts')"
        ).fetchall()
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for (t,) in tables}
    finally:
        con.close()


def published_releases(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("SELECT list(release_id ORDER BY published_at) FROM core.release_history").fetchall()[0][0]
    finally:
        con.close()
