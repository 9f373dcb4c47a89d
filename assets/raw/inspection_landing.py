"""Land a source of files: fetch them, hash them, and keep them under data/raw/<folder>.

Two sources are landed this way (``FileSource``): the Ofsted inspections (``PEERDATA_INSPECTIONS``,
``.csv`` and ``.xlsx`` files, under data/raw/inspections) and the councils' self-evaluations
(``PEERDATA_SELF_EVALUATIONS``, ``.csv`` and ``.docx`` files, under data/raw/self-evaluations).
A source is one file, a folder (every file of its kinds in it), or the http(s) URL of one file. As for a LAIT release (``landing``), the files are
fetched into a temporary ``.incoming-*`` folder, hashed (SHA-256) and sniffed, and the folder
is renamed to ``<raw_dir>/inspections/<landing_id>`` with ``manifest.json`` inside, unless the
hashes equal the last landed ones. Which layout a file has is decided when it is read
(``assets.inspections.read``), by its columns.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlparse

from assets.raw.landing import (
    LandedRelease,
    LandingError,
    _download,
    _is_url,
    _session,
    _sniff,
    content_hash,
    land_into,
    latest_landed,
)
from base.hashing import file_sha256



@dataclass(frozen=True)
class FileSource:
    """A source of files landed the same way: what it is called, the setting that locates it,
    the folder under data/raw it is landed in and the kinds of file it holds."""

    what: str
    setting: str
    folder: str
    suffixes: tuple[str, ...]


INSPECTIONS = FileSource("inspections", "PEERDATA_INSPECTIONS", "inspections", (".csv", ".xlsx"))
SELF_EVALUATIONS = FileSource("self-evaluations", "PEERDATA_SELF_EVALUATIONS", "self-evaluations", (".csv", ".docx"))


def files_dir(raw_dir: Path, kind: FileSource) -> Path:
    """Where the source's files are landed, beside the LAIT releases."""
    return Path(raw_dir) / kind.folder


def land_files(source: str, raw_dir: Path, kind: FileSource) -> LandedRelease:
    """Fetch the files at ``source`` into ``files_dir(raw_dir, kind)``; the last landing
    unchanged (``newly_landed=False``) when every file hashes the same."""
    return land_into(files_dir(raw_dir, kind), source, lambda incoming: _fetch(source, incoming, kind),
                     lambda _incoming, entries: f"{datetime.now(timezone.utc):%Y-%m-%d}-{content_hash(entries)}")


def latest_files(raw_dir: Path, kind: FileSource) -> LandedRelease | None:
    """The last landed files of the source, if any."""
    return latest_landed(files_dir(raw_dir, kind))


def land_inspections(source: str, raw_dir: Path) -> LandedRelease:
    """Land the inspections files at ``source`` (see ``land_files``)."""
    return land_files(source, raw_dir, INSPECTIONS)


def latest_inspections(raw_dir: Path) -> LandedRelease | None:
    """The last landed inspections files, if any."""
    return latest_files(raw_dir, INSPECTIONS)


def landed_files(landing: LandedRelease) -> list[Path]:
    """The landed files of ``landing``, in the order of its manifest."""
    return [landing.path / entry["name"] for entry in landing.manifest["files"].values()]


def source_files(source: str, kind: FileSource = INSPECTIONS) -> list[str]:
    """The file names ``source`` holds: one for a file or URL; a folder's files of the source's
    kinds (not hidden ones, nor the ``~$`` lock file Office keeps beside an open document)."""
    if _is_url(source):
        return [_url_name(source, kind)]
    path = _local(source, kind)
    if path.is_file():
        return [path.name]
    names = sorted(
        p.name for p in path.iterdir()
        if p.is_file() and p.suffix.lower() in kind.suffixes and not p.name.startswith((".", "~$"))  # hidden, Office locks
    )
    if not names and kind == INSPECTIONS:  # a council may have no self-evaluation: an empty folder is none
        raise LandingError(f"The {kind.what} folder {path} holds no {' or '.join(kind.suffixes)} file. Check {kind.setting}.")
    return names


def source_hashes(source: str, kind: FileSource = INSPECTIONS) -> dict[str, str] | None:
    """The SHA-256 of each file of a local ``source`` by name (None for a URL: not downloaded)."""
    if _is_url(source):
        return None
    path = _local(source, kind)
    files = [path] if path.is_file() else [path / name for name in source_files(source, kind)]
    return {f.name: file_sha256(f) for f in files}


def _fetch(source: str, incoming: Path, kind: FileSource) -> dict[str, dict]:
    """Copy or download the source's files into ``incoming``; the manifest entries by file name."""
    entries = {}
    if _is_url(source):
        name = _url_name(source, kind)
        with _session() as session:
            headers = _download(session, source, name, incoming / name)
        entries[name] = _describe(name, source, incoming / name, kind) | headers
        return entries
    path = _local(source, kind)
    folder = path if path.is_dir() else path.parent
    for name in source_files(source, kind):
        try:
            shutil.copyfile(folder / name, incoming / name)
        except OSError as exc:
            raise LandingError(f"Could not copy {name} from {folder}: {exc}.") from exc
        entries[name] = _describe(name, str(folder / name), incoming / name, kind)
    return entries


def _describe(name: str, where: str, path: Path, kind: FileSource) -> dict:
    """Check the fetched file is a CSV, workbook or Word document (not empty, not an HTML page);
    its manifest entry."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(512)
    file_kind = Path(name).suffix.lower().lstrip(".")
    problem = _sniff(file_kind if file_kind in ("xlsx", "docx") else "csv", size, head, b"")
    if problem:
        advice = problem.replace("PEERDATA_SOURCE and the PEERDATA_FILE_* names", kind.setting)
        raise LandingError(f"Rejected {name} from {where}: {advice}")
    return {"name": name, "sha256": file_sha256(path), "bytes": size, "url_or_path": where}


def _local(source: str, kind: FileSource) -> Path:
    path = Path(source).expanduser().resolve()
    if not path.exists():
        raise LandingError(
            f"Cannot land the {kind.what}: {path} is neither an http(s) URL nor an existing file or "
            f"folder. Check {kind.setting}."
        )
    return path


def _url_name(url: str, kind: FileSource) -> str:
    name = Path(unquote(urlparse(url).path)).name
    if not name:
        raise LandingError(f"The {kind.what} URL {url} names no file. Set {kind.setting} to a file's URL.")
    return name
