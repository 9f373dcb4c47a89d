"""Run a command and measure its whole process tree: wall time, CPU time and peak memory (Linux).

Chromium's processes outlive their parents when the browser closes: they are re-parented and
their CPU time would be lost to the parent's accounting. So the measuring process makes itself
a child subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``): orphans of the tree become its children,
and it reaps every one of them before the figures are read.

- CPU time is user + system of every process of the tree (``RUSAGE_CHILDREN`` after the whole
  tree is reaped).
- Peak memory of the tree is the largest sum, over the live processes of the tree, of their
  proportional set size (PSS, ``/proc/<pid>/smaps_rollup``: pages shared between processes,
  as Chromium's are, counted once in the sum), sampled every ``SAMPLE_SECONDS`` (reading it
  costs a few per cent of a core at this rate). A peak shorter than the interval can be missed.
- ``max_rss_kib`` is the kernel's figure: the largest single process of the tree, not a sum.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 1.0
PR_SET_CHILD_SUBREAPER = 36
ORPHAN_WAIT_SECONDS = 60


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    exit_code: int
    wall_s: float
    cpu_s: float
    max_rss_kib: int
    peak_tree_pss_kib: int


def become_subreaper() -> None:
    """Adopt the orphans of every process this one starts (so their CPU time is accounted here)."""
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def reap_orphans() -> None:
    """Wait for every remaining child (adopted orphans included) to exit."""
    deadline = time.monotonic() + ORPHAN_WAIT_SECONDS
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                raise RuntimeError(f"processes still running {ORPHAN_WAIT_SECONDS} s after the run: "
                                   f"{descendants(os.getpid())[1:]}")
            time.sleep(0.1)


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def descendants(root: int) -> list[int]:
    """``root`` and every live process below it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def pss_kib(pid: int) -> int:
    """The proportional set size of one process, 0 when it has gone."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run(argv: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run ``argv`` to the end (and its orphans), sampling the tree's memory in a thread meanwhile."""
    become_subreaper()
    me, cpu_before, start = os.getpid(), children_cpu_s(), time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = [0], threading.Event()

    def sample() -> None:  # every process below this one: the command and any orphan it left
        while not done.wait(SAMPLE_SECONDS):
            peak[0] = max(peak[0], sum(pss_kib(pid) for pid in descendants(me)[1:]))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # Read the pipes in threads so a chatty child cannot block on a full pipe before wait4.
    output: dict[str, str] = {}
    readers = [threading.Thread(target=lambda name=name, pipe=pipe: output.__setitem__(name, pipe.read()))
               for name, pipe in (("stdout", proc.stdout), ("stderr", proc.stderr))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    reap_orphans()
    done.set()
    sampler.join()
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(output["stdout"], output["stderr"], proc.returncode, wall, children_cpu_s() - cpu_before,
               usage.ru_maxrss, peak[0])
