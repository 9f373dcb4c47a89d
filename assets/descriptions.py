"""What every column of every mart means, read from the dbt project's YAML (the one source).

Each model's ``assets/dbt/models/<layer>/<table>.yml`` describes the model and its columns; the
core tables the export shows (``dim_indicator``, ``dim_stat_neighbour``) are described in
``assets/dbt/models/sources.yml``. The Dagster column schema (dagster-dbt reads the manifest),
the export's glossary (``pipeline/export.py``) and ``dbt docs`` all show these texts. Read with
PyYAML, without dbt or Dagster, so that ``peerdata export`` starts quickly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

MODELS_DIR = Path(__file__).resolve().parent / "dbt" / "models"


@cache
def column_descriptions(layers: tuple[str, ...] = ("marts",)) -> dict[str, dict[str, str]]:
    """``{table: {column: description}}`` for the models of ``layers`` and the described core tables,
    columns in the tables' order."""
    described: dict[str, dict[str, str]] = {}
    for path in sorted(MODELS_DIR.rglob("*.yml")):
        spec = yaml.safe_load(path.read_text()) or {}
        if path.parent.name in layers:
            for model in spec.get("models", []):
                described[model["name"]] = {c["name"]: c["description"] for c in model.get("columns", [])}
        for source in spec.get("sources", []):
            for table in source.get("tables", []):
                if table.get("columns"):
                    described[table["name"]] = {c["name"]: c["description"] for c in table["columns"]}
    return described
