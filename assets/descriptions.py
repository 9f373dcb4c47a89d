"""What every column of every mart means, read from the dbt project's YAML (the one source).

Each model's ``assets/dbt/models/<layer>/<table>.yml`` describes the model and its columns (the
core tables the export shows, ``dim_indicator`` and ``dim_stat_neighbour``, in ``models/core``); a
seed's ``seeds/<layer>/<table>.yml`` likewise (``core.value_status``). The Dagster column schema (dagster-dbt reads the manifest),
the export's glossary (``pipeline/export.py``) and ``dbt docs`` all show these texts. Read with
PyYAML, without dbt or Dagster, so that ``peerdata export`` starts quickly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parent / "dbt"


@cache
def column_descriptions(layers: tuple[str, ...] = ("marts", "core")) -> dict[str, dict[str, str]]:
    """``{table: {column: description}}`` for the models and seeds of ``layers``, columns in the tables' order."""
    described: dict[str, dict[str, str]] = {}
    for layer in layers:
        for kind in ("models", "seeds"):
            for path in sorted((PROJECT_DIR / kind / layer).glob("*.yml")):
                for model in (yaml.safe_load(path.read_text()) or {}).get(kind, []):
                    described[model["name"]] = {c["name"]: c["description"] for c in model.get("columns", [])}
    return described
