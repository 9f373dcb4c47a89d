"""Split the marts' time into computing, storing and Dagster, beside the hand-written query.

Each run, in a fresh process and a fresh warehouse built from the release (as ``bench/run.py``'s
marts section builds it), measures:

- the hand-written query (``bench/sql/baseline_bands*.sql``), as ``bench/run.py`` times it;
- compute only: every mart's SQL, in build order, into an in-memory catalog attached as
  ``marts`` (the same statements; nothing is written to the warehouse file), in all and
  for each mart;
- storage only: the finished marts copied from memory into a warehouse file, one
  transaction each as the marts step commits them, then the close (the checkpoint);
- as built: every mart built as the marts step builds it (``Mart.build``), then the close;
- ``dg.materialize`` of the marts and their checks, as ``bench/run.py`` times it.

The CPU time (of DuckDB's threads and Python together) of the three middle ones is given too:
on 2 cores, half of it is the least wall time any ordering of the same work could take.

Usage: uv run python bench/profiling/marts_floor.py [--release ../shared/lait/current] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
from run import MARTS_MATERIALIZE, MARTS_SETUP  # noqa: E402  (bench/ is not a package)

# Between bench/run.py's setup and its materialize: the marts built on copies of the published
# core model (the warehouse itself is left for the materialize).
FLOOR = """
import shutil
from assets.marts.assets import MARTS
from assets.marts.build import MACROS, sql_text

def copy_of_core(name):
    path = home / name
    shutil.copy(warehouse, path)
    return path

con = duckdb.connect(str(copy_of_core("compute.duckdb")))
con.execute("ATTACH ':memory:' AS marts")
con.execute(sql_text(MACROS))
computed = {}
cpu = time.process_time()
for m in MARTS:
    t = time.perf_counter()
    if m.prepare is not None:
        m.prepare(con)
    for file_name in m.sql_files:
        con.execute(sql_text(file_name))
    computed[f"compute only: {m.table}"] = time.perf_counter() - t
out["compute only"] = sum(computed.values())
out["compute only, CPU time"] = time.process_time() - cpu

con.execute(f"ATTACH '{copy_of_core('storage.duckdb')}' AS warehouse")
con.execute("CREATE SCHEMA warehouse.marts")
t, cpu = time.perf_counter(), time.process_time()
for m in MARTS:
    con.execute(f"BEGIN; CREATE TABLE warehouse.marts.{m.table} AS FROM marts.{m.table}; COMMIT")
con.execute("DETACH warehouse")
out["storage only"] = time.perf_counter() - t
out["storage only, CPU time"] = time.process_time() - cpu
con.close()

con = duckdb.connect(str(copy_of_core("built.duckdb")))
t, cpu = time.perf_counter(), time.process_time()
for m in MARTS:
    m.build(con)
con.close()
out["as built"] = time.perf_counter() - t
out["as built, CPU time"] = time.process_time() - cpu
"""

LABELS = {"baseline_bands_and_neighbours_s": "hand-written query", "marts_with_checks_s": "dg.materialize with checks"}
SKIPPED = {"baseline_bands_s", "dagster_instance_creation_s"}

ONE_RUN = MARTS_SETUP + FLOOR + MARTS_MATERIALIZE + "print(json.dumps(out | computed))\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", type=Path, default=REPO.parent / "shared" / "lait" / "current")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as home:
            argv = [sys.executable, "-c", ONE_RUN, str(args.release.resolve()), home, str(REPO / "bench" / "sql")]
            done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO, check=True)
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    runs = [{LABELS.get(k, k): v for k, v in r.items() if k not in SKIPPED} for r in runs]
    query = statistics.median(r["hand-written query"] for r in runs)
    print(f"{args.repeat} runs; median (min-max) in seconds, and the median against the hand-written query\n")
    print("| measure | seconds | x the query |")
    print("|---|---|---|")
    for name in runs[0]:
        values = [r[name] for r in runs]
        median = statistics.median(values)
        print(f"| {name} | {median:.2f} ({min(values):.2f}-{max(values):.2f}) | {median / query:.1f}x |")


if __name__ == "__main__":
    main()
