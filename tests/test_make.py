"""``make run`` on a machine without Chromium: the ``chromium`` target and the run's last words.

No pipeline is run and nothing is installed: ``make`` runs with a PATH of shims only (a
recording ``apt-get`` that "installs" Chromium as a script, an ``id`` that says who we are),
and ``UV`` pointing at a script that records the ``peerdata`` commands instead of running them.
What ``make chromium`` must install is read from ``.ci/run``, not from the Makefile.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="no make on this machine")
NOTE = "NOTE: the PDF profiles were NOT built (no Chromium). To build them:"


def script(path: Path, body: str) -> Path:
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path


def ci_chromium_commands() -> list[str]:
    """The apt-get commands ``.ci/run`` runs when Chromium is missing (its first ``if`` block)."""
    block = re.search(r"if ! command -v chromium.*?\nfi\n", (REPO / ".ci" / "run").read_text(), re.S).group(0)
    return [" ".join(line.split()[line.split().index("apt-get"):]) for line in block.splitlines() if "apt-get" in line]


def make(tmp_path: Path, target: str, uid: int, apt: bool, *args: str
         ) -> tuple[subprocess.CompletedProcess, list[str], list[str]]:
    """``make target`` as user ``uid``, with ``apt-get`` on PATH or not and no Chromium until
    apt-get installs one; returns the process, apt-get's calls and the peerdata commands run."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    calls, commands = tmp_path / "apt-get.calls", tmp_path / "uv.calls"
    script(bin_dir / "id", f'[ "$1" = -u ] && echo {uid}\n')
    for tool in ("mkdir", "touch"):  # the sync stamp
        if not (bin_dir / tool).exists():
            (bin_dir / tool).symlink_to(shutil.which(tool))
    if apt:
        script(bin_dir / "apt-get", f'echo "apt-get $*" >> {calls}\n'
               f'case " $* " in *" install "*" chromium"*) printf "#!/bin/sh\\n" > {bin_dir}/chromium; '
               f'/bin/chmod +x {bin_dir}/chromium;; esac\n')
    uv = script(tmp_path / "uv", f'echo "$*" >> {commands}\n')
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path), "DAGSTER_HOME": str(tmp_path / "dagster")}
    process = subprocess.run([MAKE, "--no-print-directory", target, f"UV={uv}", f"SYNCED={tmp_path / 'synced'}", *args],
                             cwd=REPO, env=env,
                             capture_output=True, text=True, timeout=60)
    read = lambda p: p.read_text().splitlines() if p.exists() else []  # noqa: E731
    return process, read(calls), read(commands)


def test_ci_installs_chromium_with_apt_get():
    assert ci_chromium_commands() == ["apt-get update -q", "apt-get install -y -q chromium"]


def test_root_with_apt_get_installs_chromium_as_ci_does_then_builds_the_pdfs(tmp_path):
    process, apt_calls, commands = make(tmp_path, "run", uid=0, apt=True)
    assert process.returncode == 0, process.stderr
    assert apt_calls == ci_chromium_commands()
    assert (tmp_path / "bin" / "chromium").exists()
    assert commands == ["sync --frozen --compile-bytecode", "run peerdata materialize", "run peerdata status"]
    assert NOTE not in process.stdout.splitlines()


@pytest.mark.parametrize("uid, apt", [(1000, True), (0, False)], ids=["not-root", "no-apt-get"])
def test_without_a_way_to_install_the_run_builds_the_rest_and_ends_saying_what_to_run(tmp_path, uid, apt):
    process, apt_calls, commands = make(tmp_path, "run", uid=uid, apt=apt)
    assert process.returncode == 0, process.stderr
    assert apt_calls == []
    assert commands == ["sync --frozen --compile-bytecode", "run peerdata materialize", "run peerdata status"]
    lines = process.stdout.strip().splitlines()
    assert "the PDF profiles will not be built" in process.stdout
    assert lines[-2] == NOTE  # the run's last words: what happened, then what to run
    assert "apt-get install chromium" in lines[-1] and "make run" in lines[-1]


def test_pdfs_off_neither_installs_nor_warns(tmp_path):
    process, apt_calls, commands = make(tmp_path, "run", 0, True, "PDFS=off")
    assert process.returncode == 0, process.stderr
    assert apt_calls == [] and NOTE not in process.stdout.splitlines() and "No Chromium" not in process.stdout
    assert commands == ["sync --frozen --compile-bytecode", "run peerdata materialize", "run peerdata status"]


def test_a_second_run_does_not_sync_again_until_the_lock_file_changes(tmp_path):
    """The environment is synced (bytecode compiled: 22 s) once, not at every `make run`/`dev`."""
    make(tmp_path, "run", 0, True, "PDFS=off")
    (tmp_path / "uv.calls").unlink()
    _, _, commands = make(tmp_path, "run", 0, True, "PDFS=off")
    assert commands == ["run peerdata materialize", "run peerdata status"]
    (tmp_path / "uv.calls").unlink()
    (tmp_path / "synced").touch()
    os.utime(tmp_path / "synced", (0, 0))  # older than uv.lock: as after a `git pull` that changed it
    _, _, commands = make(tmp_path, "run", 0, True, "PDFS=off")
    assert commands == ["sync --frozen --compile-bytecode", "run peerdata materialize", "run peerdata status"]
