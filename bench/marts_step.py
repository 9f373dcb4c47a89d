"""The marts step's cost, this checkout against another commit, side by side in one run.

Each version is measured by its own ``bench/run.py`` marts script (``MARTS_SETUP`` then
``MARTS_MATERIALIZE``, read from that version's file): in a fresh process with that version's code,
the release's core model (with the inspections) is built into a temporary home, then every mart
and its checks run as one ``dg.materialize`` on it, timed alone (wall and CPU, dbt included). So
each version runs its own marts on its own core, as it did when it was main, and a version from
before the dbt project (820b2a6, the 6.1 s issue 21 measures against) runs too. The versions take
turns for each repeat; on a shared machine compare the CPU times, on a quiet one the wall times.

Usage: uv run python bench/marts_step.py [--before 820b2a6] [--release ../shared/lait/current] [--repeat 3]
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIGURES = {"marts_with_checks_s": "marts step, wall (s)", "marts_with_checks_cpu_s": "CPU, dbt included (s)"}


def marts_script(code: Path) -> str:
    """The version's own marts benchmark: its ``MARTS_SETUP`` and ``MARTS_MATERIALIZE`` strings."""
    constants = {node.targets[0].id: node.value.value for node in ast.parse((code / "bench" / "run.py").read_text()).body
                 if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                 and isinstance(node.value, ast.Constant)}
    return constants["MARTS_SETUP"] + constants["MARTS_MATERIALIZE"] + "print(json.dumps(out))\n"


def measure(code: Path, release: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code), "GX_ANALYTICS_ENABLED": "false",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run([sys.executable, "-c", marts_script(code), release, home, str(code / "bench" / "sql")],
                             cwd=code, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"the marts benchmark of {code} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="820b2a6", help="the commit to compare with (default: 820b2a6, before dbt)")
    parser.add_argument("--release", default=str(REPO.parent / "shared" / "lait" / "current"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.before], cwd=REPO, check=True,
                       capture_output=True)
        runs: dict[str, list[dict[str, float]]] = {args.before: [], "this checkout": []}
        try:
            for _ in range(args.repeat):
                runs[args.before].append(measure(before, args.release))
                runs["this checkout"].append(measure(REPO, args.release))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=REPO, check=False)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print(f"| code | {' | '.join(FIGURES.values())} |")
    print("|---|" + "---|" * len(FIGURES))
    for name, figures in runs.items():
        cells = []
        for key in FIGURES:
            values = [f[key] for f in figures]
            cells.append(f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})")
        print(f"| {name} | {' | '.join(cells)} |")
    wall = {name: statistics.median(f["marts_with_checks_s"] for f in figures) for name, figures in runs.items()}
    print(f"this checkout / {args.before}, median wall: {wall['this checkout'] / wall[args.before]:.2f}x")
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
