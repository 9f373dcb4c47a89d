"""An unchanged source rebuilds nothing; ``force`` rebuilds from the landed release.

In Dagster (the landing asset's skip logic) and in ``peerdata materialize``, which decides
before starting a run (``pipeline/freshness.py``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import FOUNDATION, OFSTED, resources_for
from test_operations_helpers import REPO, pipeline_env, run_peerdata, tail

from assets.raw.landing import land_release
from pipeline.freshness import source_matches
from base.settings import ReleaseFiles


def published(home):
    con = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute("SELECT release_id FROM core.release_history ORDER BY published_at").fetchall()
    finally:
        con.close()


def last_published_at(home):
    """When the warehouse's release was last published (re-publishing a release updates its one
    core.release_history row, dd65398)."""
    con = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute("SELECT max(published_at) FROM core.release_history").fetchall()[0][0]
    finally:
        con.close()


def test_unchanged_source_materializes_nothing(current_home, copy_home, lait):
    home = copy_home(current_home)
    before = published(home)
    result = dg.materialize(FOUNDATION, resources=resources_for(home, lait / "current"))
    assert result.success
    assert result.get_asset_materialization_events() == []
    assert result.get_asset_check_evaluations() == []
    assert published(home) == before


def test_force_rebuilds_the_published_release(current_home, copy_home, lait):
    home = copy_home(current_home)
    before, before_at = published(home), last_published_at(home)
    result = dg.materialize(
        FOUNDATION,
        resources=resources_for(home, lait / "current"),
        run_config={"ops": {"raw__lait_release": {"config": {"force": True}}}},
    )
    assert result.success
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert {"raw/lait_release", "core/fact_indicator_value"} <= materialized
    # the same release republished: its one release_history row is updated, not repeated
    assert published(home) == before and last_published_at(home) > before_at


# --- `peerdata materialize` decides before starting a run -----------------------------------
# An unchanged, published and up-to-date release starts no run and rewrites nothing; a changed
# source, --force, a missing page, stale marts or a failed last run go through a run.


def test_source_matches_the_landed_release_by_content_not_by_date(tmp_path, lait):
    release = land_release(str(lait / "current"), tmp_path / "raw", ReleaseFiles())
    source = tmp_path / "source"
    shutil.copytree(lait / "current", source)  # new modification times, same content
    for f in source.iterdir():
        f.chmod(0o644)
    assert source_matches(str(source), ReleaseFiles(), release.manifest["files"])
    with (source / "lait_data_dictionary.csv").open("a") as f:
        f.write('"99999","Extra","A new indicator"\n')
    assert not source_matches(str(source), ReleaseFiles(), release.manifest["files"])
    assert not source_matches(str(tmp_path / "nowhere"), ReleaseFiles(), release.manifest["files"])


@pytest.fixture
def home(materialized_home, tmp_path) -> Path:
    """A private copy of the session's home built by ``peerdata materialize --no-pdf`` (warehouse,
    profiles, Dagster history; ``conftest.materialized_home``)."""
    target = tmp_path / "home"
    shutil.copytree(materialized_home, target)
    return target


MATERIALIZE = ("materialize", "--no-pdf")
CORE_ONLY = ("--select", "key:raw/* or key:core/*")
WAREHOUSE_ONLY = ("--select", "key:raw/* or key:core/* or key:marts/*")  # everything but the profiles
NOTHING_TO_DO = "nothing to do"


def peerdata(home: Path, source: Path, *args: str, **env: str) -> str:
    """Run ``peerdata <args>`` on ``home``; its output (the test fails if it fails)."""
    log = home.parent / "peerdata.log"
    log.unlink(missing_ok=True)
    assert run_peerdata(pipeline_env(home, source, **env), log, *args, timeout=900) == 0, tail(log)
    return log.read_text()


# What a plain ``peerdata materialize --no-pdf`` would build next, asked of ``Freshness.plan`` as
# ``pipeline.materialize.materialize_all`` asks it (everything but the profiles, then the pages),
# in a process with the definitions of the environment (its extra sources included).
PLAN = """
import json
import dagster as dg
from assets.profiles.runs import built_keys
from pipeline.definitions import defs
from pipeline.freshness import Freshness
from pipeline.materialize import plan_of, selected_keys
graph = defs.resolve_asset_graph()
with dg.DagsterInstance.get() as instance:
    freshness = Freshness(instance, graph, defs.resources["warehouse"].file)
    plan = plan_of(freshness, selected_keys(graph, None), built_keys(pdf=False))
print(json.dumps({"keys": sorted(k.to_user_string() for k in plan.keys), "profiles": plan.profiles}))
"""


def next_plan(home: Path, source: Path, **env: str) -> dict:
    """What a plain ``peerdata materialize --no-pdf`` on ``home`` would build now: the assets of
    its first run (``keys``) and whether the profiles follow (``profiles``)."""
    done = subprocess.run([sys.executable, "-c", PLAN], cwd=REPO, env=pipeline_env(home, source, **env),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


def pages(home: Path) -> dict[str, int]:
    """Every profile page and its modification time (ns)."""
    return {str(p.relative_to(home)): p.stat().st_mtime_ns for p in (home / "profiles").rglob("*.html")}


def run_count(home: Path) -> int:
    with dg.DagsterInstance.from_config(str(home / ".dagster_home")) as instance:
        return len(instance.get_run_records())


def test_unchanged_release_starts_no_run_and_rewrites_nothing(home, lait):
    before = (published(home), pages(home), run_count(home))
    output = peerdata(home, lait / "current", *MATERIALIZE)
    assert NOTHING_TO_DO in output and "release " in output
    assert (published(home), pages(home), run_count(home)) == before
    assert NOTHING_TO_DO in peerdata(home, lait / "current", "materialize", *CORE_ONLY)


@pytest.fixture(scope="module")
def forced(materialized_home, tmp_path_factory, lait) -> dict:
    """A copy of the built home after one ``peerdata materialize --force`` of the core model only:
    the published releases before and after it, and what it printed. The forced run is shared:
    ``test_force_republishes_the_unchanged_release`` reads what was recorded here, and
    ``test_marts_older_than_the_core_are_rebuilt_with_the_profiles`` goes on from this home, whose
    core model is now newer than its marts (it is the only test that changes the home)."""
    home = tmp_path_factory.mktemp("forced") / "home"
    shutil.copytree(materialized_home, home)
    before, before_at = published(home), last_published_at(home)
    output = peerdata(home, lait / "current", "materialize", "--force", *CORE_ONLY)
    return {"home": home, "before": before, "after": published(home), "output": output,
            "before_at": before_at, "after_at": last_published_at(home)}


def materialized(output: str) -> set[str]:
    """The assets the runs of a ``peerdata materialize`` built, read from the log file it names
    (Dagster's event lines: "... - ASSET_MATERIALIZATION - Materialized value core dim_area.")."""
    (log,) = set(re.findall(r"^log of every event: (.+)$", output, re.MULTILINE))
    values = re.findall(r" - ASSET_MATERIALIZATION - Materialized value (.+?)\.?$", Path(log).read_text(), re.MULTILINE)
    return {"/".join(value.split(" partition ")[0].split()) for value in values}


def test_force_republishes_the_unchanged_release(forced):
    before, output = forced["before"], forced["output"]
    assert NOTHING_TO_DO not in output and "core/fact_indicator_value" in materialized(output)
    # one release_history row per release (dd65398): the same row, published again
    assert forced["after"] == before and forced["after_at"] > forced["before_at"]


def test_changed_source_lands_and_publishes_the_new_release(home, lait):
    before = published(home)
    output = peerdata(home, lait / "2025-07-22", "materialize", *CORE_ONLY)
    assert NOTHING_TO_DO not in output
    after = published(home)
    assert after[:-1] == before and after[-1] != before[-1]


def test_a_missing_page_rebuilds_the_profiles_but_not_the_warehouse(home, lait):
    before_release, before_pages = published(home), pages(home)
    page = home / min(p for p in before_pages if p.startswith("profiles/councils/"))
    page.unlink()
    output = peerdata(home, lait / "current", *MATERIALIZE)
    assert NOTHING_TO_DO not in output
    assert page.exists() and published(home) == before_release
    assert pages(home)[str(page.relative_to(home))] > before_pages[str(page.relative_to(home))]


def test_marts_older_than_the_core_are_rebuilt_with_the_profiles(forced, lait):
    """As after a run that published the core model and then stopped (killed or failed): the
    home of ``forced``, just republished by ``materialize --force`` of the core model only."""
    home = forced["home"]
    before = pages(home)
    output = peerdata(home, lait / "current", *MATERIALIZE)
    assert NOTHING_TO_DO not in output and "marts/benchmark" in materialized(output)
    assert not any(key.startswith(("raw/", "core/")) for key in materialized(output))  # only what was behind
    after = pages(home)
    councils = [p for p in before if p.startswith("profiles/councils/")]
    assert after.keys() == before.keys() and councils and all(after[p] > before[p] for p in councils)


def test_a_failed_run_that_changed_nothing_leaves_nothing_to_do(home, lait):
    """A run that failed before building anything (a missing file) leaves nothing stale: the next
    run on the good source starts nothing (a run would only skip every step and hide the checks'
    results), and the failure and its file are printed last."""
    log = home.parent / "failed.log"
    env = pipeline_env(home, lait / "current", PEERDATA_FILE_BDS="missing.parquet")
    assert run_peerdata(env, log, "materialize", "--force", *CORE_ONLY) == 1, tail(log)
    assert "FAILED: step raw__lait_release" in log.read_text() and "missing.parquet" in log.read_text()
    runs = run_count(home)
    assert NOTHING_TO_DO in peerdata(home, lait / "current", *MATERIALIZE) and run_count(home) == runs


def test_a_changed_extra_source_rebuilds_exactly_what_depends_on_it(home, lait, tmp_path):
    """An extra source is an observed input: adding it, then changing its data file, rebuilds the
    core model, the marts and the profiles (not the landing), without --force; unchanged again,
    nothing is to do. The change is built as far as the core model (``--select``, the same
    freshness code path as a plain run: no page is built twice here); what a plain run would then
    build, the marts and the profiles, is read from the plan it would follow (``next_plan``)."""
    from fixtures_extra import local_entry, write_sources, write_worked_local

    data, metadata = write_worked_local(tmp_path)
    sources = write_sources(tmp_path / "sources.yaml", [local_entry("worked", data, metadata)])
    added = peerdata(home, lait / "current", *MATERIALIZE, PEERDATA_EXTRA_SOURCES=str(sources))
    assert "inputs changed: inputs/extra_sources, inputs/extra_worked" in added
    # A quiet console: a line per stage, no Dagster event, no line per council.
    assert len(added.splitlines()) < 12 and "DEBUG" not in added and "council_page" not in added, added
    assert "council pages          done   153 councils built" in added
    built = materialized(added)
    assert {"core/fact_indicator_value", "marts/benchmark", "profiles/overviews"} <= built
    assert "raw/lait_release" not in built
    windsor = "Windsor & Maidenhead,NW_CAMHS_Wait,2020-21,2\n"  # 868's 2020-21 value: now 3
    assert windsor in data.read_text()
    data.write_text(data.read_text().replace(windsor, windsor.replace(",2\n", ",3\n")))
    changed = peerdata(home, lait / "current", "materialize", *CORE_ONLY, PEERDATA_EXTRA_SOURCES=str(sources))
    assert "inputs changed: inputs/extra_worked\n" in changed
    built = materialized(changed)
    assert "core/fact_indicator_value" in built and "raw/lait_release" not in built
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT value FROM core.fact_indicator_value WHERE indicator_code = 'NW_CAMHS_Wait' "
                           "AND period_label = '2020-21' AND area_code = 868").fetchall() == [(3.0,)]
    # Next, a plain run would build the marts and the profiles from the new core model, nothing before it.
    plan = next_plan(home, lait / "current", PEERDATA_EXTRA_SOURCES=str(sources))
    assert "marts/benchmark" in plan["keys"] and plan["profiles"], plan
    assert not any(key.startswith(("raw/", "core/")) for key in plan["keys"]), plan
    assert NOTHING_TO_DO in peerdata(home, lait / "current", "materialize", *CORE_ONLY,
                                     PEERDATA_EXTRA_SOURCES=str(sources))


def test_changed_inspections_rebuild_what_depends_on_them(home, lait, tmp_path):
    """The inspections file is an observed input: the same files in another folder change nothing;
    a changed judgement lands the inspections again and rebuilds the core model, the marts and the
    profiles from them, without --force; unchanged again, nothing is to do. The change is built as
    far as the marts (``--select``, the same freshness code path as a plain run); that the profiles
    follow is read from the plan a plain run would then follow (``next_plan``)."""
    ofsted = tmp_path / "ofsted"
    shutil.copytree(OFSTED, ofsted)
    assert NOTHING_TO_DO in peerdata(home, lait / "current", *MATERIALIZE, PEERDATA_INSPECTIONS=str(ofsted))
    csv = ofsted / "ilacs_inspections.csv"
    camden = "202,Camden,2022-04-25,2022-04-29,2022-06-21,short,outstanding,outstanding,good,outstanding,\n"
    assert camden in csv.read_text()  # children in care judged outstanding; here: good
    csv.write_text(csv.read_text().replace(camden, camden.replace("good,outstanding,\n", "good,good,\n")))
    changed = peerdata(home, lait / "current", "materialize", *WAREHOUSE_ONLY, PEERDATA_INSPECTIONS=str(ofsted))
    assert "inputs changed: inputs/inspections\n" in changed
    built = materialized(changed)
    assert {"raw/ilacs_inspections", "core/inspection", "marts/backtest_inspection"} <= built
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("SELECT in_care FROM core.inspection WHERE area_code = 202 "
                           "AND inspection_end_date = DATE '2022-04-29'").fetchall() == [("good",)]
    assert next_plan(home, lait / "current", PEERDATA_INSPECTIONS=str(ofsted)) == {"keys": [], "profiles": True}
    assert NOTHING_TO_DO in peerdata(home, lait / "current", "materialize", *WAREHOUSE_ONLY,
                                     PEERDATA_INSPECTIONS=str(ofsted))
