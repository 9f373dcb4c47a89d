"""The layers import one way: pipeline/ (entry points) -> assets/ -> base/, and base/ imports no Dagster.

The contracts are in pyproject.toml (``[tool.importlinter]``); ``lint-imports`` checks them. The
second test breaks a copy of the tree both ways, so the first one is known to be able to fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("pipeline", "assets", "base")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages under ``root`` (found there first: PYTHONPATH)."""
    env = os.environ | {"PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_layers_import_one_way_and_base_imports_no_dagster():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout, result.stdout


def test_an_import_against_the_layers_or_of_dagster_in_base_breaks_the_contracts(tmp_path):
    for package in PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    (tmp_path / "base" / "upward.py").write_text("from pipeline import cli\n")
    (tmp_path / "base" / "runs.py").write_text("import dagster\n")

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 2 broken." in result.stdout, result.stdout
    assert "base.upward -> pipeline.cli" in result.stdout, result.stdout
    assert "base.runs -> dagster" in result.stdout, result.stdout
