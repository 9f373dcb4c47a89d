"""Where peerdata reads from and writes to, taken from environment variables.

Nothing else in the code names a machine path: every location is derived here.

- ``PEERDATA_HOME``: folder holding ``data/`` and ``profiles/`` (default: the repository).
- ``PEERDATA_SOURCE``: a local folder or a base URL holding one LAIT release.
- ``PEERDATA_FILE_BDS``, ``PEERDATA_FILE_DICTIONARY``, ``PEERDATA_FILE_NEIGHBOURS``,
  ``PEERDATA_FILE_COUNCILS``: the four file names in the source (the neighbour file is
  renamed with each new statistical-neighbour model).
- ``PEERDATA_WAREHOUSE``: the DuckDB file (default ``<home>/data/marts/warehouse.duckdb``).
- ``PEERDATA_CACHE``: the folder of results kept by their inputs, reused by a rebuild whose inputs
  are unchanged (default ``<home>/data/cache``; the inspection-risk selection, ``assets/risk/cache.py``).
- ``PEERDATA_PDFS``: ``off`` leaves the PDF profiles out of the runs the sensors start.
- ``PEERDATA_INSPECTIONS``: the Ofsted inspections: a file, a folder or a file's URL (default:
  ``../shared/ofsted`` beside the repository when it exists; ``none`` for no inspections).
- ``PEERDATA_SELF_EVALUATIONS``: the councils' self-evaluations: a file or a folder of ``.csv`` and
  ``.docx`` files (default: ``data/self-evaluations/`` under the home when it exists; ``none``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

DEFAULT_SOURCE = (
    "https://raw.githubusercontent.com/dfe-analytical-services/"
    "local-authority-interactive-tool/main/01_data/02_prod/"
)


# The inspections published beside the repository, read when PEERDATA_INSPECTIONS is not set.
SHARED_INSPECTIONS = REPO_ROOT.parent / "shared" / "ofsted"
NO_INSPECTIONS = "none"  # the word that configures no inspections (and no self-evaluations)


@dataclass(frozen=True)
class ReleaseFiles:
    """The names of the four files that make up one LAIT release."""

    bds: str = "bds_long_0.parquet"
    dictionary: str = "lait_data_dictionary.csv"
    neighbours: str = "sn_may_2025.xlsx"
    councils: str = "la_code_list.xlsx"

    def as_dict(self) -> dict[str, str]:
        return {
            "bds": self.bds,
            "dictionary": self.dictionary,
            "neighbours": self.neighbours,
            "councils": self.councils,
        }

    @classmethod
    def from_env(cls) -> "ReleaseFiles":
        defaults = cls()
        return cls(
            bds=os.environ.get("PEERDATA_FILE_BDS", defaults.bds),
            dictionary=os.environ.get("PEERDATA_FILE_DICTIONARY", defaults.dictionary),
            neighbours=os.environ.get("PEERDATA_FILE_NEIGHBOURS", defaults.neighbours),
            councils=os.environ.get("PEERDATA_FILE_COUNCILS", defaults.councils),
        )


@dataclass(frozen=True)
class Paths:
    """Every folder and file the pipeline writes, under one home folder."""

    home: Path

    @property
    def raw_dir(self) -> Path:
        return self.home / "data" / "raw"

    @property
    def marts_dir(self) -> Path:
        return self.home / "data" / "marts"

    @property
    def warehouse(self) -> Path:
        override = os.environ.get("PEERDATA_WAREHOUSE")
        return Path(override) if override else self.marts_dir / "warehouse.duckdb"

    @property
    def cache_dir(self) -> Path:
        override = os.environ.get("PEERDATA_CACHE")
        return Path(override) if override else self.home / "data" / "cache"

    @property
    def profiles_dir(self) -> Path:
        return self.home / "profiles"

    @classmethod
    def from_env(cls) -> "Paths":
        return cls(home=Path(os.environ.get("PEERDATA_HOME", REPO_ROOT)).resolve())


def source_from_env() -> str:
    """The configured release source: a local folder or a base URL."""
    return os.environ.get("PEERDATA_SOURCE") or DEFAULT_SOURCE


def inspections_from_env() -> str:
    """The configured inspections source (a file, a folder or a URL), or ``none``."""
    configured = os.environ.get("PEERDATA_INSPECTIONS", "").strip()
    if configured:
        return configured
    return str(SHARED_INSPECTIONS) if SHARED_INSPECTIONS.is_dir() else NO_INSPECTIONS


def self_evaluations_from_env() -> str:
    """The configured self-evaluations source (a file or a folder), or ``none`` when it is not set
    and the home has no ``data/self-evaluations/`` folder."""
    configured = os.environ.get("PEERDATA_SELF_EVALUATIONS", "").strip()
    if configured:
        return configured
    default = Paths.from_env().home / "data" / "self-evaluations"
    return str(default) if default.is_dir() else NO_INSPECTIONS


def pdfs_wanted() -> bool:
    """Whether the runs the sensors start build the PDF profiles (``PEERDATA_PDFS``, default on)."""
    return os.environ.get("PEERDATA_PDFS", "on").strip().lower() not in ("off", "0", "false", "no")


DEFAULT_STALE_AFTER_DAYS = 120


def stale_after_days() -> int:
    """PEERDATA_STALE_AFTER_DAYS: how old the newest data of the release may get before it is stale."""
    return int(os.environ.get("PEERDATA_STALE_AFTER_DAYS", DEFAULT_STALE_AFTER_DAYS))
