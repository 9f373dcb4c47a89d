"""Time the inspection-risk selection (``assets/risk``: 12 candidates, 20 x 5 repeated CV, the
bootstrap, 500 refits) on a built warehouse (its marts and core.inspection), in this process.

Usage: uv run python bench/risk_signal.py <warehouse.duckdb> [--repeat 3]
Prints wall and CPU seconds per run and their medians; the figures are copied into RESULTS.md
("Inspection-risk signal"). Reads the warehouse only (the tables are computed, not written).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time

import duckdb


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("warehouse")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from assets.risk.tables import compute

    walls, cpus = [], []
    with duckdb.connect(args.warehouse, read_only=True) as con:
        for _ in range(args.repeat):
            wall, cpu = time.perf_counter(), cpu_s()
            compute(con)
            walls.append(time.perf_counter() - wall)
            cpus.append(cpu_s() - cpu)
    print(json.dumps({"wall_s": walls, "cpu_s": cpus, "median_wall_s": statistics.median(walls),
                      "median_cpu_s": statistics.median(cpus)}))


if __name__ == "__main__":
    main()
