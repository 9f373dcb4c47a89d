"""The curated headline set as listed in ``pipeline/headline_indicators.yaml``: one row per entry.

Read and validated in Python (``assets/marts/headline.py``: every code an indicator of the
release, every service area one of the eight, every short name at most 70 characters; all
problems reported at once, naming the file and the entry), joined to the dictionary by
``marts.headline_indicator``; the short names are the indicators' names in ``marts.indicator_name``.
"""

import pyarrow as pa

SCHEMA = pa.schema([("indicator_code", pa.string()), ("service_area", pa.string()),
                    ("service_order", pa.int32()), ("position", pa.int32()), ("reason", pa.string()),
                    ("short_name", pa.string())])


def model(dbt, session):
    from assets.marts.headline import headline_rows

    dbt.config(materialized="table")
    dbt.ref("dim_indicator")  # headline_rows checks the codes against it
    rows = headline_rows(session.cursor())  # a DuckDB connection of its own
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row)) for row in rows], schema=SCHEMA)
