"""Tests for the landing step, on the real LAIT files in ../shared/lait beside the repo."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import socket
import threading
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from assets.raw.landing import LandingError, land_release, latest_landed, source_fingerprint
from base.settings import ReleaseFiles

LAIT = Path(__file__).resolve().parents[2] / "shared" / "lait"
CURRENT = LAIT / "current"
OLDER = LAIT / "2025-07-22"
FILES = ReleaseFiles()

pytestmark = [pytest.mark.fast, pytest.mark.skipif(not CURRENT.is_dir(), reason=f"no LAIT data at {LAIT}")]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_id(landed_at: str, folder: Path, files: ReleaseFiles = FILES) -> str:
    """The release id computed independently from the source files: the newest "Last Update" of
    the dictionary (Excel serial days after 1899-12-30, read by DuckDB) and the files' hashes.
    It does not depend on ``landed_at``, the day the files were landed."""
    import duckdb

    roles = sorted(files.as_dict().items())
    pairs = "\n".join(f"{role}:{sha256(folder / name)}" for role, name in roles)
    (day,) = duckdb.execute(
        "SELECT DATE '1899-12-30' + CAST(max(TRY_CAST(\"Last Update\" AS DOUBLE)) AS INTEGER) "
        "FROM read_csv(?, all_varchar = true, header = true)", [str(folder / files.dictionary)]).fetchone()
    return f"lait-{day.isoformat()}-{hashlib.sha256(pairs.encode()).hexdigest()[:10]}"


def release_folders(raw_dir: Path) -> list[Path]:
    return sorted(p for p in raw_dir.iterdir() if p.is_dir())


def copy_release(dest: Path, files: ReleaseFiles = FILES, skip: str | None = None) -> Path:
    """Copy the current release into ``dest`` under ``files``' names, leaving out ``skip``."""
    dest.mkdir(parents=True, exist_ok=True)
    for source_name, name in zip(FILES.as_dict().values(), files.as_dict().values()):
        if name != skip:
            shutil.copyfile(CURRENT / source_name, dest / name)
    return dest


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass


@pytest.fixture(autouse=True)
def no_proxy_for_localhost(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture
def serve(request):
    """``serve(folder)`` starts an HTTP server on 127.0.0.1 and returns its base URL."""

    def start(folder: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        thread.start()

        def stop():
            server.shutdown()
            server.server_close()
            thread.join()

        request.addfinalizer(stop)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    return start


@pytest.fixture
def raw_dir(tmp_path) -> Path:
    return tmp_path / "data" / "raw"


def test_land_local_folder(raw_dir):
    landed = land_release(str(CURRENT), raw_dir, FILES)

    assert landed.newly_landed
    assert re.fullmatch(r"lait-\d{4}-\d{2}-\d{2}-[0-9a-f]{10}", landed.release_id)
    assert landed.release_id == expected_id(landed.manifest["landed_at"], CURRENT)
    assert landed.path == raw_dir / landed.release_id
    assert release_folders(raw_dir) == [landed.path]

    on_disk = json.loads((landed.path / "manifest.json").read_text())
    assert on_disk == landed.manifest
    assert on_disk["release_id"] == landed.release_id
    assert on_disk["source"] == str(CURRENT)
    assert datetime.fromisoformat(on_disk["landed_at"]).utcoffset().total_seconds() == 0
    assert set(on_disk["files"]) == {"bds", "dictionary", "neighbours", "councils"}
    for role, name in FILES.as_dict().items():
        entry = on_disk["files"][role]
        source = CURRENT / name
        assert (landed.path / name).read_bytes() == source.read_bytes()
        assert entry == {
            "name": name,
            "sha256": sha256(source),
            "bytes": source.stat().st_size,
            "url_or_path": str(source.resolve()),  # the file's own path, with any symlink followed
        }
    expected_names = sorted([*FILES.as_dict().values(), "manifest.json"])
    assert sorted(p.name for p in landed.path.iterdir()) == expected_names


def test_same_source_twice_lands_once(raw_dir):
    first = land_release(str(CURRENT), raw_dir, FILES)
    second = land_release(str(CURRENT), raw_dir, FILES)

    assert not second.newly_landed
    assert second.release_id == first.release_id
    assert second.path == first.path
    assert second.manifest == first.manifest
    assert release_folders(raw_dir) == [first.path]
    assert not list(raw_dir.glob(".incoming-*"))


def test_older_then_current_gives_two_releases(raw_dir):
    older = land_release(str(OLDER), raw_dir, FILES)
    current = land_release(str(CURRENT), raw_dir, FILES)

    assert older.newly_landed and current.newly_landed
    assert older.release_id != current.release_id
    assert older.release_id == expected_id(older.manifest["landed_at"], OLDER)
    assert release_folders(raw_dir) == sorted([older.path, current.path])
    latest = latest_landed(raw_dir)
    assert latest.release_id == current.release_id
    assert latest.path == current.path
    assert latest.manifest == current.manifest


def test_relanding_older_content_makes_it_latest_again(raw_dir):
    first = land_release(str(OLDER), raw_dir, FILES)
    land_release(str(CURRENT), raw_dir, FILES)
    again = land_release(str(OLDER), raw_dir, FILES)

    assert again.newly_landed
    assert again.release_id == first.release_id  # same content, same day
    assert again.manifest["landed_at"] > first.manifest["landed_at"]
    assert latest_landed(raw_dir).release_id == first.release_id
    assert len(release_folders(raw_dir)) == 2
    assert (again.path / FILES.bds).read_bytes() == (OLDER / FILES.bds).read_bytes()


def test_latest_landed_ignores_folders_without_manifest(raw_dir):
    assert latest_landed(raw_dir / "absent") is None
    landed = land_release(str(CURRENT), raw_dir, FILES)
    (raw_dir / "9999-12-31-0000000000").mkdir()  # half-landed: no manifest
    assert latest_landed(raw_dir).release_id == landed.release_id


def test_land_from_url(raw_dir, serve):
    base = serve(CURRENT)
    landed = land_release(base, raw_dir, FILES)

    assert landed.newly_landed
    assert landed.release_id == expected_id(landed.manifest["landed_at"], CURRENT)
    for role, name in FILES.as_dict().items():
        entry = landed.manifest["files"][role]
        assert entry["sha256"] == sha256(CURRENT / name)
        assert entry["bytes"] == (CURRENT / name).stat().st_size
        assert entry["url_or_path"] == base + name
        assert entry["last_modified"]  # http.server sends Last-Modified (no ETag)
        assert (landed.path / name).read_bytes() == (CURRENT / name).read_bytes()

    # The same content again, by folder this time: nothing new is landed.
    assert not land_release(str(CURRENT), raw_dir, FILES).newly_landed


def test_url_without_trailing_slash_and_quoted_names(raw_dir, serve, tmp_path):
    files = ReleaseFiles(dictionary="lait data dictionary.csv", neighbours="sn #2025.xlsx")
    base = serve(copy_release(tmp_path / "served", files)).rstrip("/")
    landed = land_release(base, raw_dir, files)

    entries = landed.manifest["files"]
    assert entries["dictionary"]["url_or_path"] == base + "/lait%20data%20dictionary.csv"
    assert entries["neighbours"]["url_or_path"] == base + "/sn%20%232025.xlsx"
    assert entries["dictionary"]["sha256"] == sha256(CURRENT / FILES.dictionary)
    assert (landed.path / "sn #2025.xlsx").read_bytes() == (CURRENT / FILES.neighbours).read_bytes()


def test_source_fingerprint(serve):
    local = source_fingerprint(str(CURRENT), FILES)
    served = source_fingerprint(serve(CURRENT), FILES)
    for role, name in FILES.as_dict().items():
        stat = (CURRENT / name).stat()
        assert local["files"][role] == {
            "name": name,
            "bytes": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "sha256": sha256(CURRENT / name),
        }
        assert served["files"][role]["content_length"] == str(stat.st_size)
        assert served["files"][role]["last_modified"]


# --- failures: each leaves the good release in place and no .incoming folder ----------


@pytest.fixture
def good(raw_dir):
    """A release landed before the failing attempt; it must survive the failure."""
    return land_release(str(OLDER), raw_dir, FILES)


def assert_good_release_intact(raw_dir: Path, good) -> None:
    latest = latest_landed(raw_dir)
    assert latest is not None and latest.release_id == good.release_id
    assert release_folders(raw_dir) == [good.path]
    assert not list(raw_dir.glob(".incoming-*"))
    for name in FILES.as_dict().values():
        assert sha256(good.path / name) == sha256(OLDER / name)


HTML_PAGE = b"  \n<!DOCTYPE html>\n<html><head><title>404: Not Found</title></head></html>\n"

BROKEN = {
    "html": (FILES.bds, lambda: HTML_PAGE, "HTML page"),
    "truncated": (FILES.bds, lambda: (CURRENT / FILES.bds).read_bytes()[:1000], "truncated"),
    "empty_csv": (FILES.dictionary, lambda: b"", "empty"),
}


@pytest.mark.parametrize("over_http", [False, True], ids=["folder", "http"])
@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_is_rejected(case, over_http, raw_dir, good, serve, tmp_path):
    name, content, reason = BROKEN[case]
    folder = copy_release(tmp_path / "broken", skip=name)
    (folder / name).write_bytes(content())
    source = serve(folder) if over_http else str(folder)
    where = source + name if over_http else str(folder.resolve() / name)

    with pytest.raises(LandingError) as caught:
        land_release(source, raw_dir, FILES)

    message = str(caught.value)
    assert name in message and where in message and reason in message
    assert_good_release_intact(raw_dir, good)


def test_http_404_names_url_and_status(raw_dir, good, serve, tmp_path):
    base = serve(copy_release(tmp_path / "partial", skip=FILES.neighbours))

    with pytest.raises(LandingError) as caught:
        land_release(base, raw_dir, FILES)

    message = str(caught.value)
    assert base + FILES.neighbours in message and "404" in message
    assert_good_release_intact(raw_dir, good)


def test_offline_url_says_check_network(raw_dir, good):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again on exit: nothing listens there
    base = f"http://127.0.0.1:{port}/"

    with pytest.raises(LandingError) as caught:
        land_release(base, raw_dir, FILES)

    message = str(caught.value)
    assert base + FILES.bds in message
    assert "network" in message and "PEERDATA_SOURCE" in message
    assert_good_release_intact(raw_dir, good)


def test_missing_local_file_names_full_path(raw_dir, good, tmp_path):
    folder = copy_release(tmp_path / "partial", skip=FILES.councils)

    with pytest.raises(LandingError) as caught:
        land_release(str(folder), raw_dir, FILES)

    assert str(folder.resolve() / FILES.councils) in str(caught.value)
    assert_good_release_intact(raw_dir, good)


def test_missing_source_folder(raw_dir, good, tmp_path):
    with pytest.raises(LandingError, match="PEERDATA_SOURCE") as caught:
        land_release(str(tmp_path / "nowhere"), raw_dir, FILES)

    assert str((tmp_path / "nowhere").resolve()) in str(caught.value)
    assert_good_release_intact(raw_dir, good)


def test_stale_incoming_folder_is_cleaned(raw_dir, good):
    stale = raw_dir / ".incoming-crashed"
    stale.mkdir()
    (stale / FILES.bds).write_bytes(b"PAR1")
    os.utime(stale, (0, 0))
    fresh = raw_dir / ".incoming-running"  # another landing in progress: left alone
    fresh.mkdir()

    land_release(str(OLDER), raw_dir, FILES)

    assert not stale.exists() and fresh.exists()


def test_the_release_input_shows_its_folder_data_date_and_release_id(raw_dir, monkeypatch):
    """The UI's ``inputs/lait_release`` says where the release is read from, the date of its newest
    data (the current dictionary's latest "Last Update" is 1 April 2026, its README's April 2026
    release) and the id landing gives it, not only hashes."""
    from assets.inputs import LAIT_INPUT, INPUTS, observation

    monkeypatch.setenv("PEERDATA_SOURCE", str(CURRENT))
    metadata = observation(next(i for i in INPUTS if i.key == LAIT_INPUT)).metadata
    assert metadata["source"].value == str(CURRENT.resolve())
    assert metadata["data_published"].value == "2026-04-01"
    assert metadata["release_id"].value == land_release(str(CURRENT), raw_dir, FILES).release_id
    assert set(metadata["content"].value) == {"bds", "dictionary", "neighbours", "councils"}
