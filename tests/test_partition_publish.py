"""A council re-run on its own (one partition, as the UI's "Materialize" on
``868-windsor-and-maidenhead`` starts it) publishes what it built with the rest of the site, whole,
as ``peerdata profile`` does; the run is tagged with the release it paged."""

from __future__ import annotations

import json

import dagster as dg
from conftest import resources_for

from assets.profiles.assets import council_page
from assets.profiles.partitions import WHOLE_SITE_TAG

WINDSOR = "868-windsor-and-maidenhead"


def test_one_council_run_publishes_its_page_with_the_whole_site(materialized_home, copy_home, lait):
    home = copy_home(materialized_home)
    profiles = home / "profiles"
    site = json.loads((profiles / "site.json").read_text())
    release = site["release_id"]
    pages = sorted(p.name for p in (profiles / "councils").glob("*.html"))
    page = profiles / "councils" / f"{WINDSOR}.html"
    old_time = page.stat().st_mtime_ns
    with dg.DagsterInstance.from_config(str(home / ".dagster_home")) as instance:
        result = dg.materialize([council_page], partition_key=WINDSOR, instance=instance,
                                resources=resources_for(home, lait / "current"))
        assert result.success
        tags = instance.get_run_by_id(result.run_id).tags
    assert tags["peerdata/release_id"] == release
    assert json.loads((profiles / "site.json").read_text())["built_at"] > site["built_at"]  # a new build is published
    assert page.stat().st_mtime_ns > old_time  # with the page this run wrote
    assert sorted(p.name for p in (profiles / "councils").glob("*.html")) == pages  # and every other page
    assert json.loads((profiles / "site.json").read_text())["release_id"] == release
    (materialization,) = result.asset_materializations_for_node("profiles__council_page")
    assert materialization.metadata["published"].value is True

    # One part of a build of the whole site (`peerdata materialize` may split the councils over
    # several runs): the overviews step publishes, once; the part does not.
    site = json.loads((profiles / "site.json").read_text())
    with dg.DagsterInstance.from_config(str(home / ".dagster_home")) as instance:
        part = dg.materialize([council_page], partition_key=WINDSOR, instance=instance, tags=WHOLE_SITE_TAG,
                              resources=resources_for(home, lait / "current"))
    (materialization,) = part.asset_materializations_for_node("profiles__council_page")
    assert materialization.metadata["published"].value is False
    assert json.loads((profiles / "site.json").read_text()) == site


def test_the_site_lock_lets_writers_share_and_keeps_a_publisher_alone(tmp_path):
    """Steps that only write into the build share the lock; one that publishes waits for them all."""
    import fcntl

    from base.site import SITE_LOCK, builds_dir, site_lock

    profiles = tmp_path / "profiles"
    lock_file = builds_dir(profiles) / SITE_LOCK

    def can_take(mode: int) -> bool:  # another open file: as another process would
        with lock_file.open("a") as other:
            try:
                fcntl.flock(other, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

    with site_lock(profiles, exclusive=False):
        assert can_take(fcntl.LOCK_SH) and not can_take(fcntl.LOCK_EX)
    with site_lock(profiles, exclusive=True):
        assert not can_take(fcntl.LOCK_SH)
    assert can_take(fcntl.LOCK_EX)
