"""Real servers for the tests, started on 127.0.0.1 on a free port from Debian's packages:
PostgreSQL (``postgresql``, for the Dagster instance and the warehouse's advisory lock) and Redis
(``redis-server``, the Celery broker). ``.ci/run`` installs both. Where one is missing a test
is skipped saying what to install, except in CI (``CI`` set), where it fails: CI must run them."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing(what: str) -> None:
    """Skip (on a developer's machine) or fail (in CI) because ``what`` is not installed."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{what} (CI must run this test: .ci/run installs it)")
    pytest.skip(what)


def postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = shutil.which("initdb") or next(iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)), None)
    return Path(found).resolve().parent if found else None


@contextmanager
def postgres_server() -> Iterator[dict]:
    """A PostgreSQL server with a password-protected user; its ``DAGSTER_PG_*`` settings."""
    bindir = postgres_bin()
    if bindir is None:
        missing("PostgreSQL server binaries not found: apt-get install -y postgresql")
    # PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="peerdata-pg-"))
    settings = {
        "DAGSTER_PG_HOST": "127.0.0.1",
        "DAGSTER_PG_PORT": str(free_port()),
        "DAGSTER_PG_DB": "postgres",
        "DAGSTER_PG_USERNAME": "dagster",
        "DAGSTER_PG_PASSWORD": secrets.token_hex(16),
    }
    (root / "pw").write_text(settings["DAGSTER_PG_PASSWORD"])
    if as_user:
        shutil.chown(root, "postgres")
        shutil.chown(root / "pw", "postgres")

    def run(program: str, *args: str) -> None:
        subprocess.run([*as_user, str(bindir / program), *args], check=True, capture_output=True, text=True, cwd=root)

    run("initdb", "-D", str(root / "data"), "-U", "dagster", "--auth=scram-sha-256", f"--pwfile={root / 'pw'}")
    run("pg_ctl", "-D", str(root / "data"), "-l", str(root / "server.log"), "-w", "start", "-o",
        f"-p {settings['DAGSTER_PG_PORT']} -c listen_addresses=127.0.0.1 -k {root}")
    try:
        yield settings
    finally:
        run("pg_ctl", "-D", str(root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)


class Redis:
    """A Redis server started by ``redis_server``: its URL, and ``stop()`` to take it away."""

    def __init__(self, process: subprocess.Popen, port: int):
        self.process, self.port = process, port
        self.url = f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


@contextmanager
def redis_server(folder: Path) -> Iterator[Redis]:
    """Debian's ``redis-server`` on 127.0.0.1, with no persistence, its files in ``folder``."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server not found: apt-get install -y redis-server")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "redis.log").open("wb") as log:
        process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "",
                                    "--appendonly", "no", "--dir", str(folder)], stdout=log, stderr=subprocess.STDOUT)
    server = Redis(process, port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"redis-server did not start: {(folder / 'redis.log').read_text()}")
                time.sleep(0.1)
        yield server
    finally:
        server.stop()
