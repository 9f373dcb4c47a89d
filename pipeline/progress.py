"""What ``peerdata materialize`` prints: one line per stage with counts, then warnings and failures.

Dagster's own event stream (a line per step event, most of them DEBUG) goes to the command's log
file, not to the console (``pipeline.materialize`` points standard error there while the runs
last). The console shows, per stage (a Dagster run), a Rich spinner, or one bar for the council
pages and PDFs, while it runs, then one line: what was built (assets, or councils for a
partitioned stage) and how its checks went; at the end, every check warning and every failure,
by name, and the log file's path.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assets.profiles.build import COUNCIL_WRITTEN

def _terminal():
    """Standard output as it is now, kept past the runs: while a step runs, Dagster captures file
    descriptors 1 and 2 into the step's log, which would hide the progress until the step ends."""
    try:
        return open(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", closefd=True)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):  # e.g. stdout replaced by a test
        return sys.stdout


console = Console(file=_terminal(), highlight=False, soft_wrap=True)


def check_state(passed: bool, severity: dg.AssetCheckSeverity) -> str:
    """'passed', 'FAILED', or 'warning' for a failed check that does not block (WARN severity)."""
    if passed:
        return "passed"
    return "warning" if severity == dg.AssetCheckSeverity.WARN else "FAILED"


def plural(count: int, word: str) -> str:
    """``1 warning``, ``2 warnings``."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass
class Stage:
    """One finished run of ``peerdata materialize``, with what the summary needs from it."""

    name: str
    result: dg.ExecuteInProcessResult
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        materializations = [e.step_materialization_data.materialization
                            for e in self.result.get_asset_materialization_events()]
        partitions = {m.partition for m in materializations if m.partition}
        built = plural(len(partitions), "council") if partitions else plural(len(materializations), "asset")
        selected = sorted(self.result.job_def.asset_layer.selected_asset_keys)  # what the run set out to build
        per_asset = ""
        if partitions and len(selected) > 1:  # e.g. pages and PDFs: a PDF not printed shows as 0
            counts = {key: len({m.partition for m in materializations if m.asset_key == key}) for key in selected}
            per_asset = " (" + ", ".join(f"{key.path[-1]} {count}" for key, count in counts.items()) + ")"
        states = [check_state(e.passed, e.severity) for e in self.result.get_asset_check_evaluations()]
        checks = f", {plural(len(states), 'check')} ({states.count('passed')} passed, " \
                 f"{plural(states.count('warning'), 'warning')}, {states.count('FAILED')} failed)" if states else ""
        outcome = "done" if self.result.success else "FAILED"
        return f"{self.name:22s} {outcome:6s} {built} built{per_asset}{checks}"

    def warnings_and_failures(self) -> list[str]:
        lines = [f"{check_state(e.passed, e.severity)}: {e.asset_key.to_user_string()}:{e.check_name}"
                 + (f" ({e.description})" if e.description else "")
                 for e in self.result.get_asset_check_evaluations() if not e.passed]
        for event in self.result.all_events:
            if event.is_step_failure and event.step_failure_data:
                lines.append(f"FAILED: step {event.step_key}: {failure_text(event.step_failure_data)}")
        return lines


@contextmanager
def council_bar(name: str, total: int) -> Iterator[None]:
    """One bar for the stage's council files, moved on as each page or PDF is written."""
    columns = (TextColumn(f"{name:22s}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, auto_refresh=False,
                  disable=not console.is_terminal) as progress:
        task = progress.add_task(name, total=total)

        def advance(_path: Path) -> None:
            progress.advance(task)
            progress.refresh()  # the pages are written by this thread: no refresh thread needed

        COUNCIL_WRITTEN.append(advance)
        try:
            yield
        finally:
            COUNCIL_WRITTEN.remove(advance)


def failure_text(data) -> str:
    """What went wrong in a failed step: a ``dg.Failure``'s description, else the error the code
    raised (not Dagster's wrapper around it) with its root cause, e.g. "OSError: No space left on device"."""
    if data.user_failure_data and data.user_failure_data.description:
        return data.user_failure_data.description
    error = data.error
    if error.cause is not None and error.cls_name.startswith("Dagster"):
        error = error.cause
    root = error
    while root.cause is not None:
        root = root.cause
    return error.message.strip() + (f" (cause: {root.message.strip()})" if root is not error else "")


def run_stage(name: str, run, total: int | None = None) -> Stage:
    """Run ``run()`` (a Dagster in-process run) under a spinner, or a bar over ``total`` council
    files, then print the stage's line."""
    with council_bar(name, total) if total else console.status(f"{name}: running"):
        result = run()
    stage = Stage(name, result)
    console.print(stage.line())
    return stage


def print_summary(stages: list[Stage], log: Path) -> None:
    """Warnings and failures last, by name, and where the full log is."""
    problems = [line for stage in stages for line in stage.warnings_and_failures()]
    for line in problems:
        console.print(f"  {line}", markup=False)
    console.print(f"log of every event: {log}", markup=False)
