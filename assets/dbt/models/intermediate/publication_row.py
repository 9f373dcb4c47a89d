"""Every indicator of the release matched to its collection in ``pipeline/publication_calendar.yaml``.

Read and matched in Python (``assets/marts/publication_calendar.py``: a malformed entry fails the
run naming the file and the entry): when each collection's figures count as public, which
``marts.series_position`` turns into ``available_from``.
"""

import pyarrow as pa

SCHEMA = pa.schema([("indicator_code", pa.string()), ("collection", pa.string()), ("period_end_month", pa.int32()),
                    ("period_end_day", pa.int32()), ("available_month", pa.int32()), ("available_day", pa.int32()),
                    ("years_after_end", pa.int32()), ("approximate", pa.bool_())])


def model(dbt, session):
    from assets.marts.publication_calendar import calendar_rows

    dbt.config(materialized="table")
    dbt.ref("indicator_topic")  # calendar_rows matches collections by the indicators' topics
    dbt.ref("dim_indicator")  # and year types
    rows = calendar_rows(session.cursor())  # a DuckDB connection of its own
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row)) for row in rows], schema=SCHEMA)
