"""The curated headline set as listed in ``pipeline/headline_indicators.yaml``: one row per entry.

Read and validated in Python (``assets/marts/headline.py``: every code an indicator of the
release, every service area one of the eight, every short name at most 70 characters; all
problems reported at once, naming the file and the entry), joined to the dictionary by
``marts.headline_indicator``; the short names are the indicators' names in ``marts.indicator_name``.
"""

from assets.marts.model_rows import rows_relation

COLUMNS = {"indicator_code": "VARCHAR", "service_area": "VARCHAR", "service_order": "INTEGER", "position": "INTEGER",
           "reason": "VARCHAR", "short_name": "VARCHAR"}


def model(dbt, session):
    from assets.marts.headline import headline_rows

    dbt.ref("dim_indicator")  # headline_rows checks the codes against it
    rows = headline_rows(session.cursor())  # a DuckDB connection of its own
    return rows_relation(session, "headline_entry", COLUMNS, rows)
