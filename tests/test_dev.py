"""`make dev` as an analyst or a service manager runs it: it starts `dg dev` without warnings and
stops, with everything it started, on one SIGTERM to `make`, even when SIGINT was ignored by
whoever started it (as a `&` in a script does)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest
from test_e2e import free_port, wait_for_server
from test_operations_helpers import REPO, kill_group, tail

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine")


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_make_dev_starts_without_warnings_and_stops_on_sigterm(tmp_path):
    port, log = free_port(), tmp_path / "dev.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PEERDATA_", "DAGSTER_", "VIRTUAL_ENV"))}
    # No release to land: the sensor skips, so no run is under way when make is stopped. No
    # DAGSTER_HOME: the UI must read the history `peerdata` writes, $PEERDATA_HOME/.dagster_home.
    env.update(PEERDATA_HOME=str(tmp_path / "home"), PEERDATA_SOURCE=str(tmp_path / "no-release"))

    def ignore_sigint() -> None:  # as a shell does for a command started with `&`
        os.setsid()
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    with log.open("w") as out:
        process = subprocess.Popen(["make", "dev", f"DEV_PORT={port}"], cwd=REPO, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, preexec_fn=ignore_sigint)
    try:
        wait_for_server(f"http://127.0.0.1:{port}", process, log)
        time.sleep(5)  # the daemon's first sensor ticks
        text = log.read_text(errors="replace")
        assert "Warning" not in text and "WARNING" not in text, tail(log)
        process.send_signal(signal.SIGTERM)  # to make alone, not to its group
        process.wait(timeout=60)
        deadline = time.monotonic() + 60
        while group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not group_alive(process.pid), f"processes of make dev still running after SIGTERM:\n{tail(log)}"
        assert "Dagster services shut down" in log.read_text(errors="replace")
        assert (tmp_path / "home" / ".dagster_home" / "dagster.yaml").exists()
        assert (tmp_path / "home" / ".dagster_home" / "history" / "runs.db").exists(), sorted((tmp_path / "home").rglob("*"))
    finally:
        if group_alive(process.pid):
            kill_group(process)
