"""Several runs starting the same build of the site at once (the council pages shared between
runs on several workers, ``PEERDATA_COUNCIL_RUNS``): one starts it, none wipes what another has
already written (``base/site.py``, ``staging_site``)."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import pytest

from base.site import publish_site, staging_site

pytestmark = pytest.mark.fast
RUNS = 6


def write_a_page(profiles: str, release: str, name: str, start) -> None:
    start.wait()  # every run asks for the build at the same moment
    site = staging_site(Path(profiles), release)
    (site / "councils").mkdir(exist_ok=True)
    (site / "councils" / f"{name}.html").write_text(name)
    time.sleep(0.5)  # the slower runs are still starting the build


def test_runs_starting_the_build_together_keep_each_other_s_pages(tmp_path):
    profiles = tmp_path / "profiles"
    old = staging_site(profiles, "lait-old")
    (old / "regions").mkdir()
    for i in range(3000):  # enough files for starting a build to take a while
        (old / "regions" / f"{i}.html").write_text("a page of every release")
    publish_site(profiles, "lait-old")  # a published site of another release, copied into each new build
    start = multiprocessing.get_context("fork").Barrier(RUNS)
    runs = [multiprocessing.get_context("fork").Process(target=write_a_page,
                                                         args=(str(profiles), "lait-new", f"run{i}", start))
            for i in range(RUNS)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
        assert run.exitcode == 0
    site = staging_site(profiles, "lait-new")
    assert sorted(p.name for p in (site / "councils").iterdir()) == sorted(f"run{i}.html" for i in range(RUNS))
    assert json.loads((site / ".building.json").read_text()) == {"release_id": "lait-new"}
