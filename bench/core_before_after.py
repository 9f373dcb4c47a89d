"""The core step's cost before and after a change of how it is built: build, check and publish.

For each of two versions of the code (a git commit, default c3b010e: the core as SQL files in
``assets/sql/core``; and this working tree), in a fresh process: land the release, import what the
core step imports (Polars, GX), then time ``build_check_publish`` (load the files, build every
core table, run every core check, publish into ``core``) into a fresh warehouse, as the
foundation section of ``bench/run.py`` does. The two versions run in turn, ``--repeat`` times
each, so that both see the same load on a shared machine; wall time and the process's CPU time
of the step. The dbt manifest is compiled before the first run (``manifest_path``: once per edit
of the project, not per build), as loading the Dagster definitions does.

Usage: uv run python bench/core_before_after.py [--before c3b010e] [--release ../shared/lait/current] [--repeat 5]
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

from marts_before_after import checkout

REPO = Path(__file__).resolve().parent.parent

CORE_STEP = """
import json, sys, time
from pathlib import Path
import duckdb
import polars, great_expectations  # imported by the step before it builds: not its cost
from assets.raw.landing import land_release
from assets.core.checked_build import build_check_publish
from base.settings import ReleaseFiles
try:
    from assets.dbt_project import manifest_path
    manifest_path()  # the compiled project, as loading the definitions leaves it
except ImportError:
    pass
files, home = ReleaseFiles(), Path(sys.argv[2])
release = land_release(sys.argv[1], home / "raw", files)
con = duckdb.connect(str(home / "warehouse.duckdb"))
cpu, wall = time.process_time(), time.perf_counter()
assert build_check_publish(con, release.path, release.release_id, files).published
print(json.dumps({"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu}))
"""


def run(code: Path, release: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code), "GX_ANALYTICS_ENABLED": "false", "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    with tempfile.TemporaryDirectory() as home:
        done = subprocess.run([sys.executable, "-c", CORE_STEP, str(release), home], cwd=code, env=env,
                              capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="c3b010e")
    parser.add_argument("--release", type=Path, default=REPO.parent / "shared" / "lait" / "current")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        versions = {f"before ({args.before})": checkout(args.before, Path(tmp) / "before"), "after (working tree)": REPO}
        figures: dict[str, dict[str, list[float]]] = {name: {"wall_s": [], "cpu_s": []} for name in versions}
        for name, code in versions.items():
            run(code, args.release)  # warm: the file cache, and the after's compiled project
        for _ in range(args.repeat):
            for name, code in versions.items():
                for key, value in run(code, args.release).items():
                    figures[name][key].append(value)
    print("| version | core step wall (s) | core step CPU (s) |\n|---|---|---|")
    for name, measured in figures.items():
        print(f"| {name} | {summary(measured['wall_s'])} | {summary(measured['cpu_s'])} |")
    before, after = (statistics.median(f["wall_s"]) for f in figures.values())
    print(f"\nafter / before (median wall): {after / before:.2f}x")


if __name__ == "__main__":
    main()
