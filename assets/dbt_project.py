"""The warehouse's dbt project (``assets/dbt``) on disk: where it is, its manifest, its compiled SQL.

Shared by the core step (which runs the compiled core models itself: ``assets/core/models.py``)
and the marts step (``assets/marts``), so it sits below both.

``manifest_path()`` returns ``assets/dbt/target/manifest.json``, running dbt first when it is
missing or older than a file of the project (a clean clone, an edited model), by a whole parse; its
saved parse (``partial_parse.msgpack``; partial parsing is on in ``dbt_project.yml``) spares each
build's dbt the parse. No network is
needed: the project has no packages. No Dagster here: ``peerdata early-warning`` reads the
compiled analyses without loading it (``assets/marts/score_as_of.py``).
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent / "dbt"
TARGET_DIR = PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
PARTIAL_PARSE = TARGET_DIR / "partial_parse.msgpack"  # dbt's saved parse, which dagster-dbt hands to each build
# dbt installed beside this Python (the project's environment), whether or not it is on PATH
DBT_EXECUTABLE = str(Path(sys.executable).with_name("dbt"))
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests", "analyses")
# What manifest_path compiles: the analyses, and the core step's models and the tests of its seeds,
# which it runs itself (assets/core/models.py)
COMPILED = ("resource_type:analysis", "path:models/staging", "path:models/core", "path:seeds")
COMPILED_MARKER = TARGET_DIR / "compiled" / "peerdata" / "analyses" / "value_rules.sql"


def dbt_env(**extra: str) -> dict[str, str]:
    """The environment dbt runs in: no usage statistics, the project's profile."""
    return {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DBT_PROFILES_DIR": str(PROJECT_DIR), **extra}


def _newest_source_time() -> float:
    times = []
    for name in PROJECT_FILES:
        path = PROJECT_DIR / name
        if path.is_file():
            times.append(path.stat().st_mtime)
        elif path.is_dir():
            times += [p.stat().st_mtime for p in path.rglob("*") if p.is_file()]
    return max(times)


def manifest_path() -> Path:
    """The project's manifest, made again (by a whole parse) when a project file is newer than it.

    ``dbt compile`` of the analyses and the core step's models: it parses the project (the manifest)
    and compiles the analyses (``compiled_analysis``) and the core models (``assets/core/models.py``),
    on an empty in-memory database. Processes that start together (test
    workers, a run and the UI) take turns on a lock, so one compiles and the others read its result;
    a reader waits for a compile under way, because dbt writes the manifest twice (parsed, then
    with the compiled SQL the core step runs).
    """
    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    with open(TARGET_DIR / ".compile.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_SH)  # released when the file closes
        if _is_fresh():
            return MANIFEST
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _is_fresh():
            # a whole parse, not a partial one: after a macro was edited, dbt's partial re-parse
            # dropped a singular test's properties given in a model's YAML (the Dagster check of
            # early_warning_one_row_per_council vanished). Each build's dbt then starts from this
            # file and re-parses nothing.
            PARTIAL_PARSE.unlink(missing_ok=True)
            result = subprocess.run(
                [DBT_EXECUTABLE, "compile", "--quiet", "--select", *COMPILED, "--project-dir", str(PROJECT_DIR)],
                env=dbt_env(), capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise RuntimeError(f"dbt could not compile {PROJECT_DIR}:\n{result.stdout}{result.stderr}")
    return MANIFEST


def _is_fresh() -> bool:
    """The manifest and the SQL compiled with it are newer than every project file."""
    newest = _newest_source_time()
    return all(path.exists() and path.stat().st_mtime >= newest for path in (MANIFEST, COMPILED_MARKER))


def compiled_analysis(name: str, catalog: str = "warehouse") -> str:
    """The SQL of ``analyses/<name>.sql`` as compiled, reading the warehouse attached as ``catalog``.

    The compiled SQL names every table in the profile's catalog, ``"warehouse"`` (the file name
    of the warehouse by default); a warehouse file of another name is its own catalog.
    """
    manifest_path()
    sql = (TARGET_DIR / "compiled" / "peerdata" / "analyses" / f"{name}.sql").read_text()
    return sql.replace('"warehouse".', f'"{catalog}".')
