"""The SHA-256 of a file: what the landing manifests record and the observed inputs compare."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """The file's SHA-256 as 64 hex digits, read in chunks (a release's data file is 100+ MB)."""
    with Path(path).open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()
