"""The marts step's cost, this checkout against another commit, side by side in one run.

Each version is measured by its own ``bench/run.py`` marts script (``MARTS_SETUP`` then
``MARTS_MATERIALIZE``, read from that version's file): in a fresh process with that version's code,
the release's core model (with the inspections) is built into a temporary home, then every mart
and its checks run as one ``dg.materialize`` on it, timed alone (wall and CPU, dbt included). So
each version runs its own marts on its own core, as it did when it was main, and a version from
before the dbt project (820b2a6, the 6.1 s issue 21 measures against) runs too. The versions take
turns for each repeat; on a shared machine compare the CPU times, on a quiet one the wall times.

With ``--sql-alone``, a third row: this checkout's SQL without dbt or Dagster, in its own fresh
process taking the same turns. After the same core and one untimed build of the marts (the Python
models' tables, the SQL functions), every ``intermediate`` and ``marts`` SQL model as dbt compiles
it, run as ``CREATE OR REPLACE TABLE ... AS (...)`` in build order on one DuckDB connection, then
every test's query (its failing rows counted), timed together. The five Python models are left
out. The step's figure less this one is what dbt and Dagster add to the same SQL.

Usage: uv run python bench/marts_step.py [--before 820b2a6] [--release ../shared/lait/current] [--repeat 3] [--sql-alone]
"""

from __future__ import annotations

import argparse
import ast
import graphlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SQL_ALONE_ROW = "this checkout's SQL alone"
FIGURES = {"marts_with_checks_s": "marts step, wall (s)", "marts_with_checks_cpu_s": "CPU, dbt included (s)"}


def marts_script(code: Path) -> str:
    """The version's own marts benchmark: its ``MARTS_SETUP`` and ``MARTS_MATERIALIZE`` strings."""
    constants = {node.targets[0].id: node.value.value for node in ast.parse((code / "bench" / "run.py").read_text()).body
                 if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                 and isinstance(node.value, ast.Constant)}
    return constants["MARTS_SETUP"] + constants["MARTS_MATERIALIZE"] + "print(json.dumps(out))\n"


# The SQL alone (--sql-alone), appended to this checkout's marts script after its timed build:
# the project compiled into the home, then its SQL models and tests timed on the warehouse.
SQL_ALONE = """
from bench.marts_step import run_sql_alone
out = run_sql_alone(warehouse, home, cpu_s)
"""


def run_sql_alone(warehouse: Path, home: Path, cpu_s) -> dict[str, float]:
    """Every SQL model of ``intermediate`` and ``marts`` and every test on them, as dbt compiles
    them, run on ``warehouse`` in build order on one connection: wall and CPU seconds."""
    import duckdb

    from assets.dbt_project import DBT_EXECUTABLE, PROJECT_DIR, dbt_env
    from assets.marts.dbt_plugin import DATABASE_ENV

    target = home / "compiled"
    subprocess.run([DBT_EXECUTABLE, "compile", "--quiet", "--select", "fqn:peerdata.intermediate", "fqn:peerdata.marts",
                    "--project-dir", str(PROJECT_DIR), "--target-path", str(target)],
                   env=dbt_env(**{DATABASE_ENV: str(warehouse)}), check=True, capture_output=True)
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    models = {key: node for key, node in nodes.items()
              if node["resource_type"] == "model" and node["fqn"][1] in ("intermediate", "marts")}
    order = graphlib.TopologicalSorter(
        {key: [d for d in node["depends_on"]["nodes"] if d in models] for key, node in models.items()}).static_order()
    statements = [f"CREATE OR REPLACE TABLE {models[key]['relation_name']} AS ({models[key]['compiled_code']})"
                  for key in order if models[key]["language"] == "sql"]
    statements += [f"SELECT count(*) FROM ({node['compiled_code']})" for node in nodes.values()
                   if node["resource_type"] == "test" and set(node["depends_on"]["nodes"]) & set(models)]
    with duckdb.connect(str(warehouse)) as con:
        t, cpu = time.perf_counter(), cpu_s()
        for statement in statements:
            con.execute(statement).fetchall()
        return {"marts_with_checks_s": time.perf_counter() - t, "marts_with_checks_cpu_s": cpu_s() - cpu,
                "statements": len(statements)}


def measure(code: Path, release: str, sql_alone: bool = False) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(code), "GX_ANALYTICS_ENABLED": "false",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    script = marts_script(code)
    if sql_alone:
        script = script.replace("print(json.dumps(out))\n", SQL_ALONE + "print(json.dumps(out))\n")
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run([sys.executable, "-c", script, release, home, str(code / "bench" / "sql")],
                             cwd=code, env=env, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"the marts benchmark of {code} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", default="820b2a6", help="the commit to compare with (default: 820b2a6, before dbt)")
    parser.add_argument("--release", default=str(REPO.parent / "shared" / "lait" / "current"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sql-alone", action="store_true", help="also time this checkout's SQL without dbt or Dagster")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.before], cwd=REPO, check=True,
                       capture_output=True)
        runs: dict[str, list[dict[str, float]]] = {args.before: [], "this checkout": []}
        if args.sql_alone:
            runs[SQL_ALONE_ROW] = []
        try:
            for _ in range(args.repeat):
                runs[args.before].append(measure(before, args.release))
                runs["this checkout"].append(measure(REPO, args.release))
                if args.sql_alone:
                    runs[SQL_ALONE_ROW].append(measure(REPO, args.release, sql_alone=True))
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
    if args.sql_alone:
        print(f"this checkout / its SQL alone, median wall: {wall['this checkout'] / wall[SQL_ALONE_ROW]:.2f}x")
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
