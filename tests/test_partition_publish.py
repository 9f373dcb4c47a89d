"""A council re-run on its own (one partition, as the UI's "Materialize" on
``868-windsor-and-maidenhead`` starts it) publishes what it built with the rest of the site, whole,
as ``peerdata profile`` does; the run is tagged with the release it paged."""

from __future__ import annotations

import json

import dagster as dg
from conftest import resources_for

from assets.profiles.assets import council_page

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
