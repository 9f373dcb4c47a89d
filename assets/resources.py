"""Dagster resources: the warehouse and the release source, configured from the environment."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path

import dagster as dg
import duckdb

from base.settings import NO_INSPECTIONS, Paths, ReleaseFiles, inspections_from_env, self_evaluations_from_env, source_from_env
from base.warehouse import WarehouseFile
from base.warehouse_lock import WAIT_SECONDS


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file and the home folder that holds ``data/`` and ``profiles/``.

    DuckDB allows one writing process per file: writers open it through ``connect()``, which
    holds the exclusive warehouse lock (``base/warehouse_lock.py``) while the connection is
    open; readers such as ``peerdata status`` and the profile builders use
    ``connect(read_only=True)`` and share the lock, so they wait for a writer instead of failing.
    """

    home: str
    warehouse_path: str

    @classmethod
    def from_env(cls) -> "WarehouseResource":
        paths = Paths.from_env()
        return cls(home=str(paths.home), warehouse_path=str(paths.warehouse))

    @property
    def file(self) -> WarehouseFile:
        """The same warehouse as a plain object, usable outside Dagster."""
        return WarehouseFile(home=Path(self.home), path=Path(self.warehouse_path))

    @property
    def paths(self) -> Paths:
        return self.file.paths

    def connect(
        self, read_only: bool = False, wait_seconds: float = WAIT_SECONDS
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
        return self.file.connect(read_only=read_only, wait_seconds=wait_seconds)


class ReleaseSourceResource(dg.ConfigurableResource):
    """Where a LAIT release comes from (a folder or a base URL) and its four file names."""

    source: str
    bds_file: str
    dictionary_file: str
    neighbours_file: str
    councils_file: str

    @classmethod
    def from_env(cls) -> "ReleaseSourceResource":
        files = ReleaseFiles.from_env()
        return cls(
            source=source_from_env(),
            bds_file=files.bds,
            dictionary_file=files.dictionary,
            neighbours_file=files.neighbours,
            councils_file=files.councils,
        )

    @property
    def files(self) -> ReleaseFiles:
        return ReleaseFiles(
            bds=self.bds_file,
            dictionary=self.dictionary_file,
            neighbours=self.neighbours_file,
            councils=self.councils_file,
        )


class InspectionSourceResource(dg.ConfigurableResource):
    """Where the Ofsted inspection outcomes come from: a file, a folder or a file's URL, or ``none``."""

    source: str

    @classmethod
    def from_env(cls) -> "InspectionSourceResource":
        return cls(source=inspections_from_env())

    @property
    def configured(self) -> bool:
        return self.source.strip().lower() != NO_INSPECTIONS


class SelfEvaluationSourceResource(dg.ConfigurableResource):
    """Where the councils' self-evaluations come from: a file or a folder of ``.csv`` and ``.docx``
    files, or ``none``."""

    source: str = NO_INSPECTIONS

    @classmethod
    def from_env(cls) -> "SelfEvaluationSourceResource":
        return cls(source=self_evaluations_from_env())

    @property
    def configured(self) -> bool:
        return self.source.strip().lower() != NO_INSPECTIONS
