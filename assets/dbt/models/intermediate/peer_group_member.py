"""The named peer groups of ``pipeline/peer_groups.yaml``: one row per council of each group.

Each council is resolved in Python (``assets/marts/peer_groups.py``, ``resolve_council``: current
councils only; every unmatched name reported at once with its close matches); the mart
``marts.peer_group`` orders them.
"""

from assets.marts.model_rows import rows_relation

COLUMNS = {"group_name": "VARCHAR", "region_name": "VARCHAR", "area_code": "INTEGER", "area_name": "VARCHAR"}


def model(dbt, session):
    from assets.marts.peer_groups import PEER_GROUPS_FILE, peer_group_rows

    dbt.ref("dim_area")  # peer_group_rows resolves the names against it
    rows = peer_group_rows(session.cursor(), PEER_GROUPS_FILE)  # a DuckDB connection of its own
    return rows_relation(session, "peer_group_member", COLUMNS, rows)
