"""``peerdata validate-local FILE [--metadata META]``: check a local indicator file, load nothing.

The file is read exactly as the pipeline reads it: the latest landed LAIT release and the local
source are built in a throw-away in-memory DuckDB by ``assets.core.build.build_staging`` (the
same council matching, period and value parsing, metadata rules and code-clash checks), and
every problem found in the local files is reported with its row (header = row 1) and column.
The warehouse is not opened. Without ``--metadata`` the data rows alone are checked (periods
are then read without the indicator's year type, so only their form is checked).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from assets.core.build import build_staging, describe_problems, source_problems
from assets.core.sources import SourceFileError
from assets.raw.landing import latest_landed
from assets.sources.config import LocalSource
from assets.sources.reading import file_name
from base.settings import Paths, ReleaseFiles


class NoReleaseLanded(RuntimeError):
    """Councils are matched against a release's council list, and none has been landed."""


def local_problems(data: Path, metadata: Path | None, release_dir: Path, files: ReleaseFiles) -> list[dict]:
    """Every problem in ``data`` (and ``metadata``), as dicts with file, row, column, value, problem."""
    source = LocalSource(name=data.stem, data=data, metadata=metadata)
    own_files = {file_name(data)} | ({file_name(metadata)} if metadata else set())
    with duckdb.connect() as con:
        build_staging(con, release_dir, files, [source])
        return [p for p in source_problems(con, files, "error") if p["file"] in own_files]


def latest_release_dir(paths: Paths) -> Path:
    release = latest_landed(paths.raw_dir)
    if release is None:
        raise NoReleaseLanded(
            f"no LAIT release is landed under {paths.raw_dir}: run `peerdata fetch` first "
            "(council names are matched against the release's council list)."
        )
    return release.path


def validate_local_command(data: Path, metadata: Path | None) -> int:
    """Print every problem of a local indicator file; 0 when there is none, 1 otherwise."""
    try:
        problems = local_problems(data, metadata, latest_release_dir(Paths.from_env()), ReleaseFiles.from_env())
    except (SourceFileError, NoReleaseLanded) as exc:
        print(f"peerdata validate-local: {exc}", file=sys.stderr)
        return 1
    checked = f"{data}" + (f" and {metadata}" if metadata else " (data rows only: no --metadata given)")
    if problems:
        print(f"{len(problems)} problem(s) in {checked}; nothing was loaded:", file=sys.stderr)
        print(describe_problems(problems, limit=len(problems)), file=sys.stderr)
        return 1
    print(f"no problems in {checked}.")
    return 0
