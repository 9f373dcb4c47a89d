"""Where the profile pages are written, and how a finished site replaces the one readers see.

Readers open ``<home>/profiles``: a symbolic link to one finished build of the whole site under
``<home>/.profiles-builds/``. Each page of it, and its manifest ``site.json``, name the release
the site was built from. A run never writes into it: the council pages, the PDFs and the
overviews are written into the build in progress, ``.profiles-builds/next`` (``staging_site``),
and only the overviews step, once every page is there, makes it the site readers see by
replacing the link in one atomic rename (``publish_site``). A run that fails part-way leaves the
previous site in place, whole, and the next run for the same release adds to the build in
progress (a run over some councils only, as ``peerdata materialize --select`` or the UI starts,
keeps the pages of the others).

A build in progress starts as a hard-link copy of the published site (no bytes copied); when
that site shows another release its council pages and PDFs are left out, so a page of an
older release can never be published beside the new ones: the completeness check before the
swap finds them missing instead. ``peerdata profile COUNCIL`` writes into the published site
only when it shows the warehouse's release (``page_target``).

Beside the builds, ``.profiles-builds/warehouse.js`` names the release the warehouse holds
(``note_warehouse_release``, written when the core model or the site is published): the index
page loads it and says so when its pages show an older release. It is not part of any build, so
writing it never changes the published pages.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from base.files import write_atomic
from base.warehouse_lock import WAIT_SECONDS, across_machines

MANIFEST = "site.json"  # in a published site: the release it shows and when it was built
PENDING = ".building.json"  # in a build in progress: the release it is for
BUILDS = ".profiles-builds"
NEXT = "next"
WAREHOUSE_NOTE = "warehouse.js"  # in .profiles-builds/: the release the warehouse holds, for the index page
OLD_RELEASE_PAGES = ("councils/*.html", "pdf/*.pdf")  # what a build of a new release must rebuild
SITE_LOCK = "site.lock"  # in .profiles-builds/: held by every step that writes or publishes a build (site_lock)


class SiteLagsWarehouse(RuntimeError):
    """The published pages show another release than the warehouse holds."""


def builds_dir(profiles_dir: Path) -> Path:
    return profiles_dir.parent / BUILDS


def staging_dir(profiles_dir: Path) -> Path:
    return builds_dir(profiles_dir) / NEXT


def site_manifest(profiles_dir: Path) -> dict | None:
    """The manifest of the published site (release_id, built_at), or None before the first one."""
    path = profiles_dir / MANIFEST
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def site_release(profiles_dir: Path) -> str | None:
    manifest = site_manifest(profiles_dir)
    return manifest.get("release_id") if manifest else None


def staging_site(profiles_dir: Path, release_id: str) -> Path:
    """The folder a run writes the pages of ``release_id`` into (see the module docstring).

    Several runs may ask at once (the council pages shared between runs, on several workers):
    one of them starts the build, under an exclusive lock on ``.profiles-builds/next.lock``,
    and the others find it started."""
    folder = staging_dir(profiles_dir)
    builds_dir(profiles_dir).mkdir(parents=True, exist_ok=True)
    lock_file = builds_dir(profiles_dir) / f"{NEXT}.lock"
    with _across_machines(lock_file, exclusive=True), lock_file.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if _read_json(folder / PENDING).get("release_id") != release_id:
            _start_build(profiles_dir, folder, release_id)
    return folder


def _start_build(profiles_dir: Path, folder: Path, release_id: str) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if profiles_dir.is_dir():
        shutil.copytree(profiles_dir, folder, copy_function=os.link, ignore=shutil.ignore_patterns(MANIFEST))
        if site_release(profiles_dir) != release_id:
            for pattern in OLD_RELEASE_PAGES:
                for page in folder.glob(pattern):
                    page.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PENDING).write_text(json.dumps({"release_id": release_id}))


@contextmanager
def site_lock(profiles_dir: Path, exclusive: bool) -> Iterator[None]:
    """Hold the build in progress: shared while a step only writes files into it (the parts of a
    build of every council write together), exclusive for a step that publishes it, so that no
    step writes into ``next`` while another renames it away. Waits for a conflicting holder; the
    operating system releases the lock when its process ends, however it ends (this machine's
    processes: ``flock``). Where the steps run on several machines (the warehouse lock's
    ``postgres`` backend, the default with ``PEERDATA_EXECUTOR=celery``) the same lock is first
    taken in PostgreSQL, as the warehouse's is (``base/advisory_lock.py``)."""
    folder = builds_dir(profiles_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with _across_machines(folder / SITE_LOCK, exclusive), (folder / SITE_LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield


def _across_machines(lock_file: Path, exclusive: bool):
    """``lock_file``'s lock in PostgreSQL too, with the ``postgres`` lock backend (keyed by its path)."""
    return across_machines(f"the profile site lock {lock_file}", exclusive, WAIT_SECONDS, lambda holder: None)


def publish_site(profiles_dir: Path, release_id: str) -> Path:
    """Make the build in progress of ``release_id`` the site readers see, in one rename.

    Writes its manifest, moves it to ``.profiles-builds/<time>``, points a new link at it and
    renames the link over ``profiles`` (atomic); then removes the builds no longer linked. A
    ``profiles`` left as a plain folder by an earlier version is first moved aside.
    """
    folder = staging_dir(profiles_dir)
    if _read_json(folder / PENDING).get("release_id") != release_id:
        raise RuntimeError(f"{folder} holds no build of release {release_id}")
    built_at = datetime.now(timezone.utc)
    (folder / MANIFEST).write_text(json.dumps({"release_id": release_id, "built_at": built_at.isoformat()}))
    (folder / PENDING).unlink()
    final = builds_dir(profiles_dir) / built_at.strftime("%Y%m%dT%H%M%S%fZ")
    folder.rename(final)
    if profiles_dir.exists() and not profiles_dir.is_symlink():
        profiles_dir.rename(builds_dir(profiles_dir) / f"{final.name}-before")
    link = profiles_dir.parent / f".{profiles_dir.name}.link"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(BUILDS) / final.name)
    os.replace(link, profiles_dir)
    for old in builds_dir(profiles_dir).iterdir():
        if old.is_dir() and old.name not in (final.name, NEXT):
            shutil.rmtree(old, ignore_errors=True)
    note_warehouse_release(profiles_dir, release_id)
    return final


def note_warehouse_release(profiles_dir: Path, release_id: str | None) -> None:
    """Write ``.profiles-builds/warehouse.js``: the release the warehouse holds, for the index page."""
    write_atomic(builds_dir(profiles_dir) / WAREHOUSE_NOTE,
                 f"window.peerdataWarehouse = {json.dumps({'release_id': release_id})};\n")


def page_target(profiles_dir: Path, warehouse_release: str) -> Path:
    """Where ``peerdata profile`` refreshes one page: the published site, when it shows the
    warehouse's release (or there is none yet); otherwise one page would mix releases."""
    shown = site_release(profiles_dir)
    if shown is not None and shown != warehouse_release:
        raise SiteLagsWarehouse(
            f"the pages in {profiles_dir} show release {shown} but the warehouse holds release "
            f"{warehouse_release}; one page of the new release would mix the two: run `peerdata materialize` "
            "to rebuild the whole site."
        )
    return profiles_dir


def lag_lines(profiles_dir: Path, warehouse_release: str | None) -> list[str]:
    """What a reader of the pages sees compared with the warehouse, in plain lines."""
    manifest = site_manifest(profiles_dir)
    if manifest is None:
        return [f"pages: no finished site in {profiles_dir} yet"]
    shown = manifest.get("release_id")
    line = f"pages: release {shown} (built {manifest.get('built_at', '?')[:16].replace('T', ' ')} UTC)"
    if warehouse_release is None or shown == warehouse_release:
        return [line]
    return [line, f"pages LAG the warehouse: it holds release {warehouse_release}, the pages still show "
                  f"release {shown}; run `peerdata materialize` to rebuild them"]


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
