"""The ``peerdata`` command line and the Dagster definitions, as an analyst uses them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
from conftest import FOUNDATION, failure_text, resources_for

REPO = Path(__file__).resolve().parents[1]


def peerdata(*args: str, home: Path, source: str | Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PEERDATA_HOME": str(home), "DAGSTER_HOME": str(home / ".dagster_home")}
    if source is not None:
        env["PEERDATA_SOURCE"] = str(source)
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def test_definitions_load_with_every_asset_and_check():
    from pipeline.definitions import defs

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {"raw/lait_release", "core/fact_indicator_value", "core/dim_area", "marts/benchmark"} <= keys
    checks = {key.name for key in graph.asset_check_keys}
    assert {"bds_file_valid", "source_rows_valid", "great_expectations_suite"} <= checks
    assert isinstance(defs.resources["warehouse"], dg.ConfigurableResource)


def test_fetch_lands_once_then_reports_unchanged(tmp_path, lait):
    first = peerdata("fetch", home=tmp_path, source=lait / "current")
    assert first.returncode == 0, first.stderr
    assert "landed" in first.stdout and "unchanged" not in first.stdout
    second = peerdata("fetch", home=tmp_path, source=lait / "current")
    assert second.returncode == 0 and "unchanged" in second.stdout
    assert len([p for p in (tmp_path / "data" / "raw").iterdir() if (p / "manifest.json").exists()]) == 1
    # The inspections beside the repository are landed with the release, once.
    assert "inspections" in first.stdout and "inspections" in second.stdout
    assert len(list((tmp_path / "data" / "raw" / "inspections").glob("*/manifest.json"))) == 1


def test_fetch_from_a_dead_url_names_it_and_fails(tmp_path):
    result = peerdata("fetch", home=tmp_path, source="http://127.0.0.1:9/lait")
    assert result.returncode == 1
    assert "http://127.0.0.1:9/lait/bds_long_0.parquet" in result.stderr


def test_status_reports_release_and_row_counts(current_home, copy_home):
    home = copy_home(current_home)
    release_id = next(p.name for p in (home / "data" / "raw").iterdir() if (p / "manifest.json").exists())
    result = peerdata("status", home=home)
    assert result.returncode == 0, result.stderr
    assert f"release loaded: {release_id}" in result.stdout
    assert "core.fact_indicator_value" in result.stdout and "640,900 rows" in result.stdout
    assert "previous release" not in result.stdout  # one release published: nothing to compare with


def landed_from(home: Path, source: Path) -> str:
    """The id of the release landed in ``home`` from ``source``, read from its manifest."""
    (folder,) = [p for p in (home / "data" / "raw").glob("*/manifest.json")
                 if json.loads(p.read_text())["source"] == str(source)]
    return folder.parent.name


def test_status_names_the_previous_release_after_a_forced_republish(current_home, copy_home, lait):
    """Release A (current), then B (2025-07-22), then B again with force: the previous release
    is still A (``core.previous_release``), not B, the second-newest row of the history."""
    home = copy_home(current_home)
    resources = resources_for(home, lait / "2025-07-22")
    second = dg.materialize(FOUNDATION, resources=resources, raise_on_error=False)
    assert second.success, failure_text(second)
    forced = dg.materialize(FOUNDATION, resources=resources, raise_on_error=False,
                            run_config={"ops": {"raw__lait_release": {"config": {"force": True}}}})
    assert forced.success, failure_text(forced)
    release_a, release_b = landed_from(home, lait / "current"), landed_from(home, lait / "2025-07-22")
    assert release_a != release_b
    result = peerdata("status", home=home)
    assert result.returncode == 0, result.stderr
    assert f"release loaded: {release_b}" in result.stdout
    assert f"previous release: {release_a}\n" in result.stdout
    assert f"previous release: {release_b}" not in result.stdout


def test_status_without_a_previous_release_table_names_none(current_home, copy_home):
    """A warehouse published before ``core.previous_release`` existed."""
    home = copy_home(current_home)
    con = duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"))
    try:
        con.execute("DROP TABLE core.previous_release")
    finally:
        con.close()
    result = peerdata("status", home=home)
    assert result.returncode == 0, result.stderr
    assert "release loaded: " in result.stdout and "previous release" not in result.stdout


def test_status_without_a_warehouse_says_what_to_do(tmp_path):
    result = peerdata("status", home=tmp_path)
    assert result.returncode == 1
    assert "peerdata materialize" in result.stdout


def test_status_shows_the_last_real_check_result_after_a_run_that_skipped_it(materialized_home, copy_home, lait):
    """A run over an unchanged release skips every step (the check results become "Skipped");
    status still reports the warning the last real evaluation gave (290 percentages above 100)."""
    home = copy_home(materialized_home)
    before = peerdata("status", home=home)
    assert "warning  core/fact_indicator_value:percentages_within_0_100" in before.stdout, before.stdout
    lines = before.stdout.splitlines()
    at = lines.index("  warning  core/fact_indicator_value:percentages_within_0_100")
    assert "(percentages_within_0_100) failed: 290 row(s)" in lines[at + 1]  # the warning's details, under its name
    # Built with --no-pdf: every council's page is materialized, no PDF (counted from the warehouse).
    with duckdb.connect(str(home / "data" / "marts" / "warehouse.duckdb"), read_only=True) as con:
        (n,) = con.execute("SELECT count(*) FROM core.dim_area WHERE area_kind = 'la' AND is_current").fetchone()
    assert f"council pages: {n} of {n} councils materialized; PDF profiles: 0 of {n}" in before.stdout
    with dg.DagsterInstance.from_config(str(home / ".dagster_home")) as instance:
        noop = dg.materialize(FOUNDATION, resources=resources_for(home, lait / "current"), instance=instance)
        assert noop.success and noop.get_asset_materialization_events() == []
    after = peerdata("status", home=home)
    checks = before.stdout[before.stdout.index("checks:"):]
    assert ", 0 failed, " in checks and checks == after.stdout[after.stdout.index("checks:"):]


def test_help_lists_every_command_with_a_line_each():
    result = subprocess.run([sys.executable, "-m", "pipeline.cli", "--help"], cwd=REPO, capture_output=True, text=True)
    lines = [line.split() for line in result.stdout.splitlines()]
    for command in ("fetch", "materialize", "profile", "export", "status", "validate-local"):
        (at,) = [i for i, words in enumerate(lines) if words[:1] == [command]]
        help_words = lines[at][1:] or lines[at + 1]  # a long name puts its help on the next line
        assert len(help_words) >= 5, (command, help_words)
    export = subprocess.run([sys.executable, "-m", "pipeline.cli", "export", "--help"], cwd=REPO, capture_output=True, text=True)
    assert "--format {xlsx,csv,parquet}" in export.stdout and "xlsx: one workbook" in export.stdout
