"""Benchmark the pipeline on the real release and write bench/RESULTS.md.

Each figure is the median of --repeat runs (default 3) with min and max, measured side by
side in one invocation so that ratios compare like with like on a noisy machine:

- baseline: a plain DuckDB read of the parquet into a table (the floor for landing + core),
  timed inside a fresh process and as the whole process;
- foundation stages, timed inside a fresh process: imports, the Great Expectations import,
  landing, validation of the raw files, core build + checks + publish;
- the whole foundation as a user runs it: `peerdata materialize` of raw + core in a fresh
  process with a fresh home, wall time and peak memory (max RSS of the process).

Usage: uv run python bench/run.py [--release ../shared/lait/current] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_RELEASE = REPO.parent / "shared" / "lait" / "current"

PLAIN_READ = """
import json, sys, time
t0 = time.perf_counter()
import duckdb
con = duckdb.connect()
con.execute("CREATE TABLE t AS SELECT * FROM read_parquet(?)", [sys.argv[1]])
print(json.dumps({"plain_read_s": time.perf_counter() - t0}))
"""

FOUNDATION_STAGES = """
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
import duckdb
from assets.raw.landing import land_release
from assets.raw.assets import _frame_for
from assets.core.build import build_staging, publish
from assets.core.checks import run_checks
from assets.validation.gx_suites import validate_frame
from pipeline.settings import ReleaseFiles
files, home = ReleaseFiles(), Path(sys.argv[2])
out = {"imports_s": time.perf_counter() - t0}
t = time.perf_counter(); import great_expectations; out["great_expectations_import_s"] = time.perf_counter() - t
t = time.perf_counter(); release = land_release(sys.argv[1], home / "raw", files); out["landing_s"] = time.perf_counter() - t
t = time.perf_counter()
for role, name in files.as_dict().items():
    assert validate_frame(f"raw_{role}", _frame_for(role, release.path / name), name).success
out["raw_validation_s"] = time.perf_counter() - t
t = time.perf_counter()
con = duckdb.connect(str(home / "warehouse.duckdb"))
build_staging(con, release.path, files)
outcomes = run_checks(con, files)
assert not any(o.failed_blocking for o in outcomes)
publish(con, release.release_id)
out["core_build_checks_publish_s"] = time.perf_counter() - t
out["stages_total_s"] = time.perf_counter() - t0
print(json.dumps(out))
"""


MARTS = """
import json, sys, time
from pathlib import Path
import dagster as dg
import duckdb
from assets.core.build import build_staging, publish
from assets.marts import marts_assets, marts_checks
from pipeline.resources import WarehouseResource
from pipeline.settings import ReleaseFiles
release, home, sql_dir = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
warehouse = home / "warehouse.duckdb"
con = duckdb.connect(str(warehouse))
build_staging(con, release, ReleaseFiles())
publish(con, "bench")
out = {}
t = time.perf_counter()
con.execute((sql_dir / "baseline_bands.sql").read_text())
out["baseline_bands_s"] = time.perf_counter() - t
con.execute((sql_dir / "baseline_bands_and_neighbours.sql").read_text())
out["baseline_bands_and_neighbours_s"] = time.perf_counter() - t
con.close()
resource = WarehouseResource(home=str(home), warehouse_path=str(warehouse))
t = time.perf_counter()
result = dg.materialize([*marts_assets, *marts_checks], resources={"warehouse": resource})
assert result.success
out["marts_with_checks_s"] = time.perf_counter() - t
print(json.dumps(out))
"""


SCALE = """
import json, sys, time
from pathlib import Path
import dagster as dg
import duckdb
from assets.core.build import build_staging, publish
from assets.marts import marts_assets
from pipeline.resources import WarehouseResource
from pipeline.settings import ReleaseFiles
release, home, sql_dir, copies = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
warehouse = home / "warehouse.duckdb"
con = duckdb.connect(str(warehouse))
build_staging(con, release, ReleaseFiles())
publish(con, "bench")
con.execute(f"SET VARIABLE copies = {copies}")
con.execute((sql_dir / "scale_councils.sql").read_text())
councils, facts = con.execute(
    "SELECT (SELECT count(*) FROM core.dim_area WHERE is_current), (SELECT count(*) FROM core.fact_indicator_value)"
).fetchall()[0]
con.close()
t = time.perf_counter()
result = dg.materialize(marts_assets, resources={"warehouse": WarehouseResource(home=str(home), warehouse_path=str(warehouse))})
assert result.success
print(json.dumps({"councils": councils, "fact_rows": facts, "marts_s": time.perf_counter() - t}))
"""


PROFILES = """
import json, sys, time
from pathlib import Path
import dagster as dg
import duckdb
from assets.core.build import build_staging, publish
from assets.marts import marts_assets
from assets.profiles import materialize_profiles
from pipeline.export import build_profile
from pipeline.resources import WarehouseResource
from pipeline.settings import ReleaseFiles
release, home = Path(sys.argv[1]), Path(sys.argv[2])
warehouse = home / "data" / "marts" / "warehouse.duckdb"
warehouse.parent.mkdir(parents=True)
con = duckdb.connect(str(warehouse))
build_staging(con, release, ReleaseFiles())
publish(con, "bench")
con.close()
resources = {"warehouse": WarehouseResource(home=str(home), warehouse_path=str(warehouse))}
assert dg.materialize(marts_assets, resources=resources).success
out = {}
with dg.DagsterInstance.ephemeral() as instance:
    t = time.perf_counter()
    assert all(r.success for r in materialize_profiles(instance, resources, pdf=False))
    out["all_html_profiles_and_overviews_s"] = time.perf_counter() - t
t = time.perf_counter()
page = build_profile(868, resources["warehouse"])
out["one_council_html_in_process_s"] = time.perf_counter() - t
pages = sorted((home / "profiles" / "councils").glob("*.html"))
out["profile_pages"] = len(pages)
out["largest_profile_mib"] = max(p.stat().st_size for p in pages) / 2**20
out["warehouse_mib"] = warehouse.stat().st_size / 2**20
# Floor for rendering: plotly alone writing the same number of spine charts (one per topic,
# four traces over the topic's indicators) to HTML, for every council, with no pipeline.
import plotly.graph_objects as go
con = duckdb.connect(str(warehouse), read_only=True)
topics = con.execute(
    "SELECT topic, count(*) FROM core.indicator_topic GROUP BY 1"
).fetchall()
councils = [r[0] for r in con.execute("SELECT area_code FROM core.dim_area WHERE is_current").fetchall()]
con.close()
t = time.perf_counter()
folder = home / "plotly_only"
folder.mkdir()
for code in councils:
    parts = []
    for topic, n in topics:
        ys = list(range(n))
        fig = go.Figure([
            go.Bar(orientation="h", y=ys, x=[50] * n, base=[25] * n),
            go.Scatter(mode="markers", y=ys, x=[50] * n),
            go.Scatter(mode="markers", y=ys, x=[60] * n),
            go.Scatter(mode="markers", y=ys, x=[40] * n, text=[topic] * n),
        ])
        parts.append(fig.to_html(full_html=False, include_plotlyjs=False))
    (folder / f"{code}.html").write_text("<html><body>" + "".join(parts) + "</body></html>")
out["plotly_only_same_charts_s"] = time.perf_counter() - t
print(json.dumps(out))
"""


def run_python(code: str, *args: str, env: dict | None = None) -> tuple[dict, float, int]:
    """Run ``code`` in a fresh interpreter; returns its JSON output, wall seconds and max RSS (KiB)."""
    return run_process([sys.executable, "-c", code, *args], env=env, parse_json=True)


def run_process(argv: list[str], env: dict | None = None, parse_json: bool = False) -> tuple[dict, float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv[:3]} failed:\n{stderr[-3000:]}")
    data = json.loads(stdout.strip().splitlines()[-1]) if parse_json else {}
    return data, wall, usage.ru_maxrss


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def machine() -> str:
    mem_kib = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
    return f"{os.cpu_count()} cores, {mem_kib / 1024 / 1024:.1f} GiB memory, {platform.platform()}, Python {platform.python_version()}"


def bench_foundation(release: Path, repeat: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}

    def record(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    for _ in range(repeat):
        data, wall, rss = run_python(PLAIN_READ, str(release / "bds_long_0.parquet"))
        record("baseline: plain DuckDB read, in process (s)", data["plain_read_s"])
        record("baseline: plain DuckDB read, whole process (s)", wall)
        record("baseline: plain DuckDB read, peak RSS (MiB)", rss / 1024)
        with tempfile.TemporaryDirectory() as tmp:
            data, wall, rss = run_python(FOUNDATION_STAGES, str(release), tmp)
            for key, value in data.items():
                record(f"stage: {key.removesuffix('_s').replace('_', ' ')} (s)", value)
        with tempfile.TemporaryDirectory() as tmp:
            env = {**os.environ, "PEERDATA_HOME": tmp, "PEERDATA_SOURCE": str(release),
                   "DAGSTER_HOME": str(Path(tmp) / "dagster"), "GX_ANALYTICS_ENABLED": "false"}
            _, wall, rss = run_process(
                [sys.executable, "-m", "pipeline.cli", "materialize", "--select", "key:raw/* or key:core/*"], env=env
            )
            record("foundation: `peerdata materialize` raw + core, whole process (s)", wall)
            record("foundation: peak RSS (MiB)", rss / 1024)
    return figures


def bench_marts(release: Path, repeat: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            data, _, rss = run_python(MARTS, str(release), tmp, str(REPO / "bench" / "sql"))
        for key, value in data.items():
            figures.setdefault(f"{key.removesuffix('_s').replace('_', ' ')} (s)", []).append(value)
        figures.setdefault("peak RSS of the process (MiB)", []).append(rss / 1024)
    return figures


def bench_scale(release: Path, copies: list[int]) -> list[dict]:
    """Marts on the release grown to each multiple of the councils: time and peak memory."""
    rows = []
    for n in copies:
        with tempfile.TemporaryDirectory() as tmp:
            data, _, rss = run_python(SCALE, str(release), tmp, str(REPO / "bench" / "sql"), str(n))
        rows.append({"copies": n, **data, "peak_rss_mib": rss / 1024})
    return rows


def bench_profiles(release: Path, repeat: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            data, _, rss = run_python(PROFILES, str(release), tmp)
            env = {**os.environ, "PEERDATA_HOME": tmp, "PEERDATA_SOURCE": str(release),
                   "DAGSTER_HOME": str(Path(tmp) / "dagster")}
            _, one_council, _ = run_process([sys.executable, "-m", "pipeline.cli", "profile", "868"], env=env)
        for key, value in data.items():
            figures.setdefault(key.removesuffix("_s").replace("_", " ") + (" (s)" if key.endswith("_s") else ""), []).append(value)
        figures.setdefault("`peerdata profile 868`, whole process (s)", []).append(one_council)
        figures.setdefault("peak RSS of the process (MiB)", []).append(rss / 1024)
    return figures


def bench_start_up(release: Path, repeat: int) -> dict[str, list[float]]:
    """Import of the definitions, and a re-run on an unchanged, already published release."""
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PEERDATA_HOME": tmp, "PEERDATA_SOURCE": str(release),
               "DAGSTER_HOME": str(Path(tmp) / "dagster")}
        run_process([sys.executable, "-m", "pipeline.cli", "materialize", "--select", "key:raw/* or key:core/*"], env=env)
        for _ in range(repeat):
            _, wall, _ = run_python("import json, time; t = time.perf_counter(); import pipeline.definitions; "
                                    "print(json.dumps({'s': time.perf_counter() - t}))", env=env)
            figures.setdefault("import of pipeline.definitions, whole process (s)", []).append(wall)
            _, wall, _ = run_process([sys.executable, "-m", "pipeline.cli", "materialize", "--select",
                                      "key:raw/* or key:core/*"], env=env)
            figures.setdefault("re-run on an unchanged, published release, whole process (s)", []).append(wall)
    return figures


def table(figures: dict[str, list[float]]) -> list[str]:
    return ["| measure | median (min–max) |", "|---|---|", *[f"| {k} | {summary(v)} |" for k, v in figures.items()]]


def write_results(
    figures: dict[str, list[float]], marts: dict[str, list[float]], scale: list[dict],
    profiles: dict[str, list[float]], start_up: dict[str, list[float]], release: Path, repeat: int
) -> str:
    med = {k: statistics.median(v) for k, v in figures.items()}
    ratio_process = med["foundation: `peerdata materialize` raw + core, whole process (s)"] / med[
        "baseline: plain DuckDB read, whole process (s)"
    ]
    work = med["stage: landing (s)"] + med["stage: raw validation (s)"] + med["stage: core build checks publish (s)"]
    ratio_work = work / med["baseline: plain DuckDB read, in process (s)"]
    lines = [
        "# Benchmark results",
        "",
        f"Command: `uv run python bench/run.py --release {release} --repeat {repeat}`",
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
        "Figures: median (min–max) of the runs.",
        "",
        "## Foundation: landing + validation + core model",
        "",
        *table(figures),
        "",
        f"- Whole foundation as a user runs it: **{med['foundation: `peerdata materialize` raw + core, whole process (s)']:.1f} s** "
        f"(target < 20 s), **{ratio_process:.1f}x** the plain read as a whole process.",
        f"- The work itself (landing + validation + core, without the interpreter, Dagster and GX imports): "
        f"{work:.2f} s, **{ratio_work:.1f}x** the plain read inside a process (target within 10x).",
        "",
        "## Marts (from a published core model)",
        "",
        *table(marts),
        "",
        f"- All marts with their checks: **{statistics.median(marts['marts with checks (s)']):.1f} s** (target < 15 s); "
        f"**{statistics.median(marts['marts with checks (s)']) / statistics.median(marts['baseline bands (s)']):.0f}x** "
        "the bands-only query, "
        f"**{statistics.median(marts['marts with checks (s)']) / statistics.median(marts['baseline bands and neighbours (s)']):.0f}x** "
        "the bands + neighbour-means query (target within 5x).",
        "",
        "## Profiles (HTML only; PDFs are not measured by this script yet)",
        "",
        *table(profiles),
        "",
        f"- All HTML profiles and overviews: **{statistics.median(profiles['all html profiles and overviews (s)']):.1f} s** "
        f"(target < 60 s), {statistics.median(profiles['all html profiles and overviews (s)']) / statistics.median(profiles['plotly only same charts (s)']):.1f}x "
        "plotly alone writing the same number of charts.",
        "",
        "## Start-up and re-runs",
        "",
        *table(start_up),
        "",
        "## How the marts grow with the number of councils",
        "",
        "The current release with every current council copied under new codes (one run each size;",
        "the process includes building and growing the core model, so peak memory is the whole process).",
        "",
        "| size | councils | fact rows | marts (s) | peak RSS (MiB) |",
        "|---|---|---|---|---|",
        *[
            f"| {r['copies']}x | {r['councils']:,} | {r['fact_rows']:,} | {r['marts_s']:.1f} | {r['peak_rss_mib']:.0f} |"
            for r in scale
        ],
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--release", type=Path, default=DEFAULT_RELEASE)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    figures = bench_foundation(args.release.resolve(), args.repeat)
    marts = bench_marts(args.release.resolve(), args.repeat)
    scale = bench_scale(args.release.resolve(), [1, 2, 4, 8])
    profiles = bench_profiles(args.release.resolve(), args.repeat)
    start_up = bench_start_up(args.release.resolve(), args.repeat)
    text = write_results(figures, marts, scale, profiles, start_up, args.release.resolve(), args.repeat)
    (REPO / "bench" / "RESULTS.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
