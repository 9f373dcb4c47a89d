"""The inspection-risk selection kept by its inputs, so that a rebuild with unchanged inputs reuses it.

The registered procedure (``assets/risk/tables.py``: 12 candidates x 100 folds, 500 bootstrap
refits) costs about 40 s of CPU and is a pure function of its input frames (the inspections and
councils with their features, the shortfalls, the indicator names) and of its code. Its four
tables are kept under ``<cache>/risk/<key>/`` (``PEERDATA_CACHE``, default ``<home>/data/cache``),
where the key is the SHA-256 of

- every input frame, byte for byte (Arrow IPC: columns, types and values, floats to the last bit);
- the source of the modules that compute the tables from the frames (``COMPUTING_MODULES``);
- the versions of the libraries that do the arithmetic (``LIBRARIES``).

A changed figure, inspection or line of that code gives another key, so the procedure runs again;
the same key gives the very tables it computed (Arrow IPC files, read back type for type). An
entry is written into a temporary folder and renamed into place, so a reader never sees half of
one, and two processes computing the same key at once both succeed (the second's copy is dropped).
Only the newest ``KEEP`` entries are kept.
"""

from __future__ import annotations

import hashlib
import inspect
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from importlib import import_module
from importlib.metadata import version
from pathlib import Path

import polars as pl

COMPUTING_MODULES = ("assets.risk.model", "assets.risk.tables", "assets.marts.backtest")
LIBRARIES = ("numpy", "scipy", "scikit-learn", "polars")
KEEP = 8


def cache_key(frames: Mapping[str, pl.DataFrame]) -> str:
    """SHA-256 of the input frames (by name), the computing code and the libraries' versions."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        buffer = io.BytesIO()
        frames[name].rechunk().write_ipc(buffer, compression="uncompressed")
        digest.update(f"frame {name} {buffer.tell()}\n".encode())
        digest.update(buffer.getvalue())
    for module in COMPUTING_MODULES:
        digest.update(f"module {module}\n{inspect.getsource(import_module(module))}".encode())
    for library in LIBRARIES:
        digest.update(f"library {library} {version(library)}\n".encode())
    return digest.hexdigest()


def reuse_or_compute(folder: Path, frames: Mapping[str, pl.DataFrame],
                     compute: Callable[[], dict[str, pl.DataFrame]]) -> tuple[dict[str, pl.DataFrame], str, bool]:
    """(the tables, the key, whether they were reused): read from ``folder/<key>`` when there,
    else ``compute()`` and kept there."""
    key = cache_key(frames)
    entry = folder / key
    if entry.is_dir():
        os.utime(entry)  # newest again: kept by _prune
        return {path.stem: pl.read_ipc(path.read_bytes()) for path in sorted(entry.glob("*.arrow"))}, key, True
    tables = dict(sorted(compute().items()))  # by name, as read back
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=folder))
    try:
        for name, table in tables.items():
            table.write_ipc(staging / f"{name}.arrow")
        staging.rename(entry)
    except OSError:  # another process kept the same key first: its tables are these
        shutil.rmtree(staging, ignore_errors=True)
    _prune(folder)
    return tables, key, False


def _prune(folder: Path) -> None:
    """Drop all but the ``KEEP`` newest entries (and nothing being written)."""
    entries = sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")),
                     key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
