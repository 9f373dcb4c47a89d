"""Land one LAIT release: fetch its four files, check them, and keep them under data/raw.

A release is fetched from a local folder or an http(s) base URL into a temporary
``.incoming-*`` folder inside ``raw_dir``, where every file is hashed and sniffed.
If the content equals the last landed release nothing changes; otherwise the
folder is renamed to ``raw_dir/<release_id>`` in one step, with ``manifest.json``
already inside it. Only folders with a manifest count as landed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin

from base.hashing import file_sha256
from base.settings import ReleaseFiles

if TYPE_CHECKING:
    import requests

MANIFEST = "manifest.json"
INCOMING_PREFIX = ".incoming-"
TIMEOUT = (10, 120)  # seconds: connect, read
STALE_AFTER_SECONDS = 3600  # an .incoming-* folder this old is left over from a crash

# What each role's file must be; the names are configurable, the formats are not.
_KINDS = {"bds": "parquet", "dictionary": "csv", "neighbours": "xlsx", "councils": "xlsx"}
_HTML_STARTS = (b"<!doctype html", b"<html")


class LandingError(Exception):
    """A release could not be landed; the message says which file, where, and what to do."""


@dataclass(frozen=True)
class LandedRelease:
    """One landed release: its folder ``raw_dir/<release_id>`` and its manifest."""

    release_id: str
    path: Path
    manifest: dict
    newly_landed: bool


def land_release(source: str, raw_dir: Path, files: ReleaseFiles) -> LandedRelease:
    """Fetch the release at ``source`` (folder or base URL) into ``raw_dir``.

    Returns the last landed release unchanged (``newly_landed=False``) when the
    fetched files have the same SHA-256 by role; raises LandingError on any problem,
    leaving previously landed releases untouched.
    """
    return land_into(
        Path(raw_dir), source, lambda incoming: _fetch_all(source, files, incoming),
        lambda incoming, entries: release_id_for(incoming / files.dictionary, entries))


def land_into(target_dir: Path, source: str, fetch: Callable[[Path], dict[str, dict]],
              name: Callable[[Path, dict[str, dict]], str]) -> LandedRelease:
    """The landing itself, for a LAIT release and for the inspections files alike.

    ``fetch(incoming)`` puts the files into a fresh ``.incoming-*`` folder of ``target_dir`` and
    returns their manifest entries; when they hash the same as the last landing's, that landing
    is returned unchanged (``newly_landed=False``). Otherwise the folder gets ``manifest.json``
    and is renamed in one step to ``target_dir/<name(incoming, entries)>``. The incoming folder
    never outlives the call, whatever happens.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_incoming(target_dir)
    incoming = Path(tempfile.mkdtemp(prefix=INCOMING_PREFIX, dir=target_dir))
    try:
        entries = fetch(incoming)
        latest = latest_landed(target_dir)
        if latest is not None and manifest_hashes(latest.manifest["files"]) == manifest_hashes(entries):
            return LandedRelease(latest.release_id, latest.path, latest.manifest, False)
        landing_id = name(incoming, entries)
        manifest = {
            "release_id": landing_id,
            "source": source,
            "landed_at": datetime.now(timezone.utc).isoformat(),
            "files": entries,
        }
        _write_json(incoming / MANIFEST, manifest)
        target = target_dir / landing_id
        _move_into_place(incoming, target)
        return LandedRelease(landing_id, target, manifest, True)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)


def latest_landed(raw_dir: Path) -> LandedRelease | None:
    """The release under ``raw_dir`` whose manifest has the newest ``landed_at``, if any."""
    releases = []
    for folder in Path(raw_dir).glob(f"*/{MANIFEST}"):
        folder = folder.parent
        if folder.name.startswith("."):
            continue
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            landed_at = datetime.fromisoformat(manifest["landed_at"])
        except (ValueError, KeyError) as exc:
            raise LandingError(
                f"The manifest {folder / MANIFEST} is unreadable ({exc}). "
                f"Delete the folder {folder} and land the release again."
            ) from exc
        releases.append((landed_at, folder.name, folder, manifest))
    if not releases:
        return None
    _, _, folder, manifest = max(releases, key=lambda r: (r[0], r[1]))
    return LandedRelease(manifest["release_id"], folder, manifest, False)


def source_fingerprint(source: str, files: ReleaseFiles) -> dict:
    """Describe the source cheaply, to notice a new release without downloading it.

    For a folder: each file's size, mtime_ns and SHA-256. For a URL: each file's
    ETag, Last-Modified and Content-Length from a HEAD request.
    """
    described = {}
    if _is_url(source):
        with _session() as session:
            for role, name in files.as_dict().items():
                url = _file_url(source, name)
                response = _request(session, "HEAD", url, name)
                described[role] = {
                    "name": name,
                    "etag": response.headers.get("ETag"),
                    "last_modified": response.headers.get("Last-Modified"),
                    "content_length": response.headers.get("Content-Length"),
                }
    else:
        for role, name in files.as_dict().items():
            path = _local_file(source, name)
            stat = path.stat()
            described[role] = {
                "name": name,
                "bytes": stat.st_size,
                "mtime_ns": stat.st_mtime_ns,
                "sha256": file_sha256(path),
            }
    return {"source": source, "files": described}


# --- fetching -------------------------------------------------------------------------


def _fetch_all(source: str, files: ReleaseFiles, incoming: Path) -> dict[str, dict]:
    """Copy or download every file into ``incoming``; return the manifest's file entries."""
    entries = {}
    if _is_url(source):
        with _session() as session:
            for role, name in files.as_dict().items():
                url = _file_url(source, name)
                headers = _download(session, url, name, incoming / name)
                entries[role] = _describe(role, name, url, incoming / name)
                entries[role].update(headers)
    else:
        for role, name in files.as_dict().items():
            path = _local_file(source, name)
            try:
                shutil.copyfile(path, incoming / name)
            except OSError as exc:
                raise LandingError(f"Could not copy {name} from {path}: {exc}.") from exc
            entries[role] = _describe(role, name, str(path), incoming / name)
    return entries


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def _file_url(base: str, name: str) -> str:
    """``name`` URL-quoted under ``base``, whether or not ``base`` ends with a slash."""
    return urljoin(base if base.endswith("/") else base + "/", quote(name))


def _local_file(source: str, name: str) -> Path:
    folder = Path(source).expanduser().resolve()
    if not folder.is_dir():
        raise LandingError(
            f"Cannot land {name}: the source {folder} is neither an http(s) URL nor an "
            "existing folder. Check PEERDATA_SOURCE."
        )
    path = folder / name
    if not path.is_file():
        raise LandingError(
            f"Cannot land {name}: the file {path} does not exist. Check PEERDATA_SOURCE "
            "and the PEERDATA_FILE_* names (the neighbour file is renamed with each model)."
        )
    return path


def _session() -> requests.Session:
    """A session that retries a failed connection twice, and nothing else."""
    # requests is imported where it is used: a folder source (and the Dagster definitions) never needs it.
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    session = requests.Session()
    retry = Retry(total=None, connect=2, read=0, status=0, other=0, backoff_factor=0.5)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def _request(session: requests.Session, method: str, url: str, name: str) -> requests.Response:
    """Send one request; turn connection and HTTP errors into a LandingError."""
    import requests

    try:
        response = session.request(method, url, timeout=TIMEOUT, stream=True, allow_redirects=True)
    except requests.ConnectionError as exc:
        cause = getattr(exc.args[0], "reason", exc) if exc.args else exc  # urllib3's own error
        raise LandingError(
            f"Could not download {name} from {url}: the connection failed ({cause}). "
            "Check the network, or set PEERDATA_SOURCE to a local folder holding the release."
        ) from exc
    except requests.RequestException as exc:
        raise LandingError(f"Could not download {name} from {url}: {exc}.") from exc
    if not response.ok:
        response.close()
        raise LandingError(
            f"Could not download {name} from {url}: the server answered HTTP "
            f"{response.status_code} {response.reason}. The file may have been renamed or "
            "moved: check PEERDATA_SOURCE and the PEERDATA_FILE_* names."
        )
    return response


def _download(session: requests.Session, url: str, name: str, dest: Path) -> dict:
    """Stream ``url`` to ``dest``; return the ETag/Last-Modified headers that were sent."""
    import requests

    with _request(session, "GET", url, name) as response:
        try:
            with dest.open("wb") as out:
                for chunk in response.iter_content(chunk_size=1 << 20):
                    out.write(chunk)
        except requests.RequestException as exc:
            raise LandingError(
                f"The download of {name} from {url} broke off ({exc}). Try again later."
            ) from exc
        seen = {"etag": response.headers.get("ETag"),
                "last_modified": response.headers.get("Last-Modified")}
    return {key: value for key, value in seen.items() if value}


# --- checking -------------------------------------------------------------------------


def _describe(role: str, name: str, where: str, path: Path) -> dict:
    """Check the fetched file is what its role needs; return its manifest entry."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(512)
        f.seek(max(size - 4, 0))
        tail = f.read()
    problem = _sniff(_KINDS[role], size, head, tail)
    if problem:
        raise LandingError(f"Rejected {name} from {where}: {problem}")
    return {"name": name, "sha256": file_sha256(path), "bytes": size, "url_or_path": where}


def _sniff(kind: str, size: int, head: bytes, tail: bytes) -> str | None:
    """Why these bytes are not a file of ``kind``, or None if they look right."""
    if size == 0:
        return "the file is empty. The release is incomplete: check the source."
    if head.lstrip().lower().startswith(_HTML_STARTS):
        return (
            f"it is an HTML page, not a {kind} file: the URL is probably wrong or the file "
            "moved. Check PEERDATA_SOURCE and the PEERDATA_FILE_* names."
        )
    if kind == "parquet" and not (head.startswith(b"PAR1") and tail == b"PAR1" and size >= 8):
        return (
            "it is not a complete parquet file (it must start and end with PAR1): it is "
            "probably truncated. Land it again, or check the source copy."
        )
    if kind in ("xlsx", "docx") and not head.startswith(b"PK\x03\x04"):
        program = "an Excel .xlsx" if kind == "xlsx" else "a Word .docx"
        return f"it is not {program} file (not a zip archive). Check the source."
    return None


# --- bookkeeping ----------------------------------------------------------------------


def manifest_hashes(entries: dict[str, dict]) -> dict[str, str]:
    """Each file of a manifest's ``files`` (by role or name) -> its SHA-256."""
    return {role: entry["sha256"] for role, entry in entries.items()}


EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's serial dates (as the dictionary writes them)


def dictionary_updated(dictionary: Path) -> date | None:
    """The newest "Last Update" of the data dictionary (an Excel serial date): when the newest
    data of the release was published. None when no row carries a date."""
    with dictionary.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        serials = [row.get("Last Update") or "" for row in csv.DictReader(f)]
    days = [int(float(s)) for s in serials if re.fullmatch(r"\s*\d+(\.\d+)?\s*", s)]
    return EXCEL_EPOCH + timedelta(days=max(days)) if days else None


def release_id_for(dictionary: Path, entries: dict[str, dict]) -> str:
    """``lait-<YYYY-MM-DD>-<10 hex>``: the release's newest publication date by its dictionary's
    "Last Update" (``undated`` when it has none) and a hash of the sorted role:sha256 pairs. The
    same files get the same id on any machine and any day."""
    updated = dictionary_updated(dictionary)
    return f"lait-{updated.isoformat() if updated else 'undated'}-{content_hash(entries)}"


def content_hash(entries: dict[str, dict]) -> str:
    """10 hex digits of a hash of the sorted name:sha256 pairs of manifest entries."""
    pairs = "\n".join(f"{name}:{entries[name]['sha256']}" for name in sorted(entries))
    return hashlib.sha256(pairs.encode()).hexdigest()[:10]


def _write_json(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` through a temporary name, so it is whole or absent."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)


def _move_into_place(incoming: Path, target: Path) -> None:
    """Rename ``incoming`` to ``target``; an existing ``target`` (same content, re-landed
    the same day) is first moved aside into a new ``.incoming-*`` folder and removed."""
    if target.exists():
        aside = Path(tempfile.mkdtemp(prefix=INCOMING_PREFIX, dir=target.parent))
        os.replace(target, aside / target.name)
        os.replace(incoming, target)
        shutil.rmtree(aside, ignore_errors=True)
    else:
        os.replace(incoming, target)


def _remove_stale_incoming(raw_dir: Path) -> None:
    """Delete ``.incoming-*`` folders left by a crash (older than STALE_AFTER_SECONDS)."""
    cutoff = time.time() - STALE_AFTER_SECONDS
    for folder in raw_dir.glob(INCOMING_PREFIX + "*"):
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)
