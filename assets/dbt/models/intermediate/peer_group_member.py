"""The named peer groups of ``pipeline/peer_groups.yaml``: one row per council of each group.

Each council is resolved in Python (``assets/marts/peer_groups.py``, ``resolve_council``: current
councils only; every unmatched name reported at once with its close matches); the mart
``marts.peer_group`` orders them.
"""

import pyarrow as pa

SCHEMA = pa.schema([("group_name", pa.string()), ("region_name", pa.string()),
                    ("area_code", pa.int32()), ("area_name", pa.string())])


def model(dbt, session):
    from assets.marts.peer_groups import PEER_GROUPS_FILE, peer_group_rows

    dbt.config(materialized="table")
    dbt.ref("dim_area")  # peer_group_rows resolves the names against it
    rows = peer_group_rows(session.cursor(), PEER_GROUPS_FILE)  # a DuckDB connection of its own
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row)) for row in rows], schema=SCHEMA)
