"""Run a command and measure its whole process tree: wall time, CPU time and peak memory (Linux).

- CPU time is user + system of the process and of every descendant it (or they) waited for,
  from ``os.wait4``: Chromium's processes, started and reaped by the pipeline, are included.
- Peak memory of the tree is the largest sum, over the process and all its live descendants,
  of their resident set sizes (``/proc/<pid>/statm``), sampled every ``SAMPLE_SECONDS``. Pages
  shared between processes (Chromium's share many) count once per process, so the figure is
  an upper bound; reading it costs little (the proportional set size, exact but read from
  ``smaps_rollup``, cost the sampler a quarter of a core). A peak shorter than the interval
  can be missed.
- ``max_rss_kib`` is the kernel's figure: the largest single process of the tree, not a sum.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.2


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    exit_code: int
    wall_s: float
    cpu_s: float
    max_rss_kib: int
    peak_tree_rss_kib: int


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


PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def rss_kib(pid: int) -> int:
    """The resident set size of one process, 0 when it has gone."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_KIB
    except (OSError, ValueError, IndexError):
        return 0


def run(argv: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Run ``argv`` to the end, sampling its tree's memory in a thread meanwhile."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_SECONDS):
            peak[0] = max(peak[0], sum(rss_kib(pid) for pid in descendants(proc.pid)))

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
    done.set()
    sampler.join()
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(output["stdout"], output["stderr"], proc.returncode, wall, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss, peak[0])
