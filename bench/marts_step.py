"""The marts step's cost, this checkout against another commit, on one warehouse, side by side.

The core model (with the inspections) of the release is built once into a temporary home with this
checkout's code (``run.MARTS_SETUP``); then, alternately for each repeat, the marts step (every dbt
model and test, ``dg.materialize(marts_assets)`` on a fresh copy of that warehouse, an ephemeral
Dagster instance) runs with the code of ``--before`` (a temporary git worktree of that commit, run
with this environment) and with this checkout. Measured in a fresh process each time: wall time,
CPU time of the Dagster process, and CPU time of its children (dbt's processes). On a shared
machine the CPU times are the figures to compare; the wall times follow the load.

Usage: uv run python bench/marts_step.py [--before main] [--release ../shared/lait/current] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from run import MARTS_SETUP, REPO

STEP = """
import json, resource, shutil, sys, tempfile, time
from pathlib import Path
import dagster as dg
from assets.marts import marts_assets
from assets.resources import WarehouseResource

def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime

home = Path(tempfile.mkdtemp())
warehouse = home / "warehouse.duckdb"
shutil.copyfile(sys.argv[1], warehouse)
instance = dg.DagsterInstance.ephemeral()
(own, children), started = cpu(), time.perf_counter()
result = dg.materialize(marts_assets, resources={"warehouse": WarehouseResource(home=str(home), warehouse_path=str(warehouse))},
                        instance=instance)
assert result.success
own_after, children_after = cpu()
print(json.dumps({"wall_s": time.perf_counter() - started, "dagster_cpu_s": own_after - own,
                  "dbt_cpu_s": children_after - children}))
shutil.rmtree(home)
"""


def measure(code: Path, warehouse: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code), "GX_ANALYTICS_ENABLED": "false"}
    out = subprocess.run([sys.executable, "-c", STEP, str(warehouse)], cwd=code, env=env, capture_output=True,
                         text=True, check=True)
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    figures["cpu_s"] = figures["dagster_cpu_s"] + figures["dbt_cpu_s"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="main", help="the commit to compare with (default: main)")
    parser.add_argument("--release", default=str(REPO.parent / "shared" / "lait" / "current"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        subprocess.run([sys.executable, "-c", MARTS_SETUP, args.release, str(root), str(REPO / "bench" / "sql")],
                       cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True, capture_output=True)
        before = root / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.before], cwd=REPO, check=True,
                       capture_output=True)
        runs: dict[str, list[dict[str, float]]] = {args.before: [], "this checkout": []}
        try:
            for _ in range(args.repeat):
                runs[args.before].append(measure(before, root / "warehouse.duckdb"))
                runs["this checkout"].append(measure(REPO, root / "warehouse.duckdb"))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=REPO, check=False)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    print("| code | marts step, wall (s) | CPU, Dagster process + dbt (s) | of which dbt (s) |")
    print("|---|---|---|---|")
    for name, figures in runs.items():
        cells = []
        for key in ("wall_s", "cpu_s", "dbt_cpu_s"):
            values = [f[key] for f in figures]
            cells.append(f"{statistics.median(values):.1f} ({min(values):.1f}-{max(values):.1f})")
        print(f"| {name} | {' | '.join(cells)} |")
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
