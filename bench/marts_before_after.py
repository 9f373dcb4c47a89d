"""Are the core and the marts the same before and after a change of how they are built? Both real releases.

For each of two versions of the code (a git commit, default 820b2a6: the marts as SQL files
before dbt; and this working tree), in a fresh home: land and build the July 2025 release
(raw, core and marts, with the Ofsted inspections), keep a copy of the warehouse, then the
current release the same way (so ``signal_history`` and ``release_changes`` see two releases),
as the release-changes tests do. Then every table of the two versions' schemas (``--schemas``,
default core and marts) is compared after each release (``compare_marts.py``: columns and types,
row counts, EXCEPT ALL both ways, floats to 1e-9; the publish times not compared; a column renamed
between the two, ``--renamed TABLE.OLD=NEW``, compared under its new name).

Usage: uv run python bench/marts_before_after.py [--before 820b2a6] [--lait ../shared/lait] [--schemas core marts]
           [--renamed region_theme.councils_flagged=councils_of_concern ...]
Exit status 1 when any table differs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from compare_marts import BUILD_TIME_COLUMNS, compare, parse_renamed

REPO = Path(__file__).resolve().parent.parent
RELEASES = ("2025-07-22", "current")
PUBLISHED_AT = (*BUILD_TIME_COLUMNS, "published_at")  # core.release_history: when each release was published


def checkout(ref: str, into: Path) -> Path:
    """The tree of ``ref`` (git archive), without touching the working tree."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def build_releases(code: Path, home: Path, lait: Path, inspections: Path) -> dict[str, Path]:
    """raw + core + marts of each release in turn with the code in ``code``; the warehouse after each."""
    env = {**os.environ, "PYTHONPATH": str(code), "PEERDATA_HOME": str(home), "DAGSTER_HOME": str(home / ".dagster"),
           "PEERDATA_INSPECTIONS": str(inspections), "PEERDATA_PDFS": "off", "GX_ANALYTICS_ENABLED": "false",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    env.pop("PEERDATA_WAREHOUSE", None)
    (home / ".dagster").mkdir(parents=True)
    kept = {}
    for release in RELEASES:
        log = home / f"{release}.log"
        with open(log, "w") as out:
            status = subprocess.run(
                [sys.executable, "-m", "pipeline.cli", "materialize", "--select", "key:raw/* or key:core/* or key:marts/*"],
                cwd=code, env={**env, "PEERDATA_SOURCE": str(lait / release)}, stdout=out, stderr=subprocess.STDOUT)
        if status.returncode:
            raise SystemExit(f"{code}: the build of {release} failed; see {log}")
        kept[release] = home / f"warehouse_{release}.duckdb"
        shutil.copyfile(home / "data" / "marts" / "warehouse.duckdb", kept[release])
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default="820b2a6", help="git commit of the code before (default 820b2a6)")
    parser.add_argument("--lait", type=Path, default=REPO.parent / "shared" / "lait")
    parser.add_argument("--inspections", type=Path, default=REPO.parent / "shared" / "ofsted")
    parser.add_argument("--schemas", nargs="+", default=["core", "marts"])
    parser.add_argument("--renamed", nargs="*", default=[], help="TABLE.OLD=NEW: a column renamed between the two")
    args = parser.parse_args()
    renamed = parse_renamed(args.renamed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        before = build_releases(checkout(args.before, tmp / "before-code"), tmp / "before", args.lait, args.inspections)
        after = build_releases(REPO, tmp / "after", args.lait, args.inspections)
        differs = False
        for release in RELEASES:
            print(f"## {release}" + (" (after 2025-07-22)" if release != RELEASES[0] else ""))
            lines = [line for schema in args.schemas
                     for line in compare(str(before[release]), str(after[release]), schema, PUBLISHED_AT, renamed)]
            print("\n".join(lines))
            differs |= any(line.startswith(("DIFFERS", "MISSING")) for line in lines)
    return 1 if differs else 0


if __name__ == "__main__":
    sys.exit(main())
