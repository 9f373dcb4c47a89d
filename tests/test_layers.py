"""The layers import one way: pipeline/ (entry points) -> assets/ -> base/, and base/ imports no Dagster;
every package the code imports is declared in pyproject.toml, and every declared one is used.

The contracts are in pyproject.toml (``[tool.importlinter]``, ``[tool.deptry]``); ``lint-imports``
and ``deptry`` check them. Each is also run on a copy of the tree broken on purpose, so the check
on the real tree is known to be able to fail.
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
DEPTRY = Path(sys.executable).with_name("deptry")


def tree_copy(root: Path) -> Path:
    """The packages, bench/ and pyproject.toml under ``root``, to break without touching the repository."""
    for folder in (*PACKAGES, "bench"):
        shutil.copytree(REPO / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(REPO / "pyproject.toml", root)
    return root


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages under ``root`` (found there first: PYTHONPATH)."""
    env = os.environ | {"PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_layers_import_one_way_and_base_imports_no_dagster():
    result = lint_imports(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout, result.stdout


def test_an_import_against_the_layers_or_of_dagster_in_base_breaks_the_contracts(tmp_path):
    tree_copy(tmp_path)
    (tmp_path / "base" / "upward.py").write_text("from pipeline import cli\n")
    (tmp_path / "base" / "runs.py").write_text("import dagster\n")
    (tmp_path / "assets" / "core" / "pages.py").write_text("from assets.profiles import formatting\n")

    result = lint_imports(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 1 kept, 3 broken." in result.stdout, result.stdout
    assert "base.upward -> pipeline.cli" in result.stdout, result.stdout
    assert "base.runs -> dagster" in result.stdout, result.stdout
    assert "assets.core.pages -> assets.profiles.formatting" in result.stdout, result.stdout


def deptry(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(DEPTRY), "--no-ansi", "."], cwd=root, capture_output=True, text=True, timeout=120)


def test_every_imported_package_is_declared_and_every_declared_one_used():
    result = deptry(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_undeclared_import_and_an_unused_dependency_are_named(tmp_path):
    tree_copy(tmp_path)
    (tmp_path / "base" / "certificates.py").write_text("import certifi\n")  # installed with requests only
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('dependencies = [\n', 'dependencies = [\n    "tabulate",\n', 1))

    result = deptry(tmp_path)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "base/certificates.py:1:8: DEP003 'certifi' imported but it is a transitive dependency" in output
    assert "DEP002 'tabulate' defined as a dependency but not used in the codebase" in output
    assert "Found 2 dependency issues." in output
