"""Every indicator of the release matched to its collection in ``pipeline/publication_calendar.yaml``.

Read and matched in Python (``assets/marts/publication_calendar.py``: a malformed entry fails the
run naming the file and the entry): when each collection's figures count as public, which
``marts.series_position`` turns into ``available_from``.
"""

from assets.marts.model_rows import rows_relation

COLUMNS = {"indicator_code": "VARCHAR", "collection": "VARCHAR", "period_end_month": "INTEGER",
           "period_end_day": "INTEGER", "available_month": "INTEGER", "available_day": "INTEGER",
           "years_after_end": "INTEGER", "approximate": "BOOLEAN"}


def model(dbt, session):
    from assets.marts.publication_calendar import calendar_rows

    dbt.ref("indicator_topic")  # calendar_rows matches collections by the indicators' topics
    dbt.ref("dim_indicator")  # and year types
    rows = calendar_rows(session.cursor())  # a DuckDB connection of its own
    return rows_relation(session, "publication_row", COLUMNS, rows)
