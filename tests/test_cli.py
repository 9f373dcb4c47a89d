"""The ``peerdata`` command line and the Dagster definitions, as an analyst uses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

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
    assert len([p for p in (tmp_path / "data" / "raw").iterdir() if not p.name.startswith(".")]) == 1


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


def test_status_without_a_warehouse_says_what_to_do(tmp_path):
    result = peerdata("status", home=tmp_path)
    assert result.returncode == 1
    assert "peerdata materialize" in result.stdout
