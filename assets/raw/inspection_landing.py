"""Land the inspections files: fetch them, hash them, and keep them under data/raw/inspections.

The source (``PEERDATA_INSPECTIONS``) is one file, a folder (every ``.csv`` and ``.xlsx`` file
in it), or the http(s) URL of one file. As for a LAIT release (``landing``), the files are
fetched into a temporary ``.incoming-*`` folder, hashed (SHA-256) and sniffed, and the folder
is renamed to ``<raw_dir>/inspections/<landing_id>`` with ``manifest.json`` inside, unless the
hashes equal the last landed ones. Which layout a file has is decided when it is read
(``assets.inspections.read``), by its columns.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlparse

from assets.raw.landing import (
    LandedRelease,
    LandingError,
    _download,
    _is_url,
    _session,
    _sha256,
    _sniff,
    content_hash,
    land_into,
    latest_landed,
)

SUFFIXES = (".csv", ".xlsx")


def inspections_dir(raw_dir: Path) -> Path:
    """Where the inspections files are landed, beside the LAIT releases."""
    return Path(raw_dir) / "inspections"


def land_inspections(source: str, raw_dir: Path) -> LandedRelease:
    """Fetch the inspections files at ``source`` into ``inspections_dir(raw_dir)``; the last
    landing unchanged (``newly_landed=False``) when every file hashes the same."""
    return land_into(inspections_dir(raw_dir), source, lambda incoming: _fetch(source, incoming),
                     lambda _incoming, entries: f"{datetime.now(timezone.utc):%Y-%m-%d}-{content_hash(entries)}")


def latest_inspections(raw_dir: Path) -> LandedRelease | None:
    """The last landed inspections files, if any."""
    return latest_landed(inspections_dir(raw_dir))


def landed_files(landing: LandedRelease) -> list[Path]:
    """The landed files of ``landing``, in the order of its manifest."""
    return [landing.path / entry["name"] for entry in landing.manifest["files"].values()]


def source_files(source: str) -> list[str]:
    """The file names ``source`` holds: one for a file or URL; a folder's ``.csv`` and ``.xlsx``
    files (not hidden ones, nor the ``~$`` lock file Excel keeps beside an open workbook)."""
    if _is_url(source):
        return [_url_name(source)]
    path = _local(source)
    if path.is_file():
        return [path.name]
    names = sorted(
        p.name for p in path.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))  # hidden, Office locks
    )
    if not names:
        raise LandingError(f"The inspections folder {path} holds no .csv or .xlsx file. Check PEERDATA_INSPECTIONS.")
    return names


def source_hashes(source: str) -> dict[str, str] | None:
    """The SHA-256 of each file of a local ``source`` by name (None for a URL: not downloaded)."""
    if _is_url(source):
        return None
    path = _local(source)
    files = [path] if path.is_file() else [path / name for name in source_files(source)]
    return {f.name: _sha256(f) for f in files}


def _fetch(source: str, incoming: Path) -> dict[str, dict]:
    """Copy or download the source's files into ``incoming``; the manifest entries by file name."""
    entries = {}
    if _is_url(source):
        name = _url_name(source)
        with _session() as session:
            headers = _download(session, source, name, incoming / name)
        entries[name] = _describe(name, source, incoming / name) | headers
        return entries
    path = _local(source)
    folder = path if path.is_dir() else path.parent
    for name in source_files(source):
        try:
            shutil.copyfile(folder / name, incoming / name)
        except OSError as exc:
            raise LandingError(f"Could not copy {name} from {folder}: {exc}.") from exc
        entries[name] = _describe(name, str(folder / name), incoming / name)
    return entries


def _describe(name: str, where: str, path: Path) -> dict:
    """Check the fetched file is a CSV or workbook (not empty, not an HTML page); its manifest entry."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(512)
    kind = "xlsx" if name.lower().endswith(".xlsx") else "csv"
    problem = _sniff(kind, size, head, b"")
    if problem:
        advice = problem.replace("PEERDATA_SOURCE and the PEERDATA_FILE_* names", "PEERDATA_INSPECTIONS")
        raise LandingError(f"Rejected {name} from {where}: {advice}")
    return {"name": name, "sha256": _sha256(path), "bytes": size, "url_or_path": where}


def _hashes(entries: dict[str, dict]) -> dict[str, str]:
    return {name: entry["sha256"] for name, entry in entries.items()}


def _local(source: str) -> Path:
    path = Path(source).expanduser().resolve()
    if not path.exists():
        raise LandingError(
            f"Cannot land the inspections: {path} is neither an http(s) URL nor an existing file or "
            "folder. Check PEERDATA_INSPECTIONS."
        )
    return path


def _url_name(url: str) -> str:
    name = Path(unquote(urlparse(url).path)).name
    if not name:
        raise LandingError(f"The inspections URL {url} names no file. Set PEERDATA_INSPECTIONS to a file's URL.")
    return name
