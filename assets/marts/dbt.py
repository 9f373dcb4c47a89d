"""How Dagster sees the marts' dbt project: asset keys for its models and sources.

``MartsTranslator`` gives each mart the key ``marts/<table>``, each intermediate model
``marts/intermediate/<table>`` (part of the marts step: ``key:marts/*`` selects it), each core model
the key of the core asset that publishes it (``core/dim_area``: the core step builds them,
``assets/core``) and each source the key of the core table it is (``core/release_history``), so the
lineage in Dagster is the one the SQL's ``ref()`` and ``source()`` declare. The project itself: ``assets/dbt_project.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings


def key_of(schema: str, table: str) -> dg.AssetKey:
    """The asset key of the model written to ``<schema>.<table>``: the core models are the core step's tables."""
    return dg.AssetKey([schema, table] if schema in ("marts", "core") else ["marts", schema, table])


def relation_of(key: dg.AssetKey) -> str:
    """``<schema>.<table>`` of a model's asset key (the inverse of ``key_of``)."""
    return ".".join(key.path[-2:])


class MartsTranslator(DagsterDbtTranslator):
    """``marts/<table>``, ``marts/intermediate/<table>``, and the core models and sources as the core assets (``core/<table>``)."""

    def __init__(self) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        return key_of(dbt_resource_props["config"]["schema"], dbt_resource_props["name"])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return "marts"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return ["team:peerdata"]
