"""The one readable name of every indicator, which every mart, page, chart, PDF and export gives it.

Worked out in Python (``assets/marts/indicator_names.py``): the headline set's curated short name
(``pipeline/headline_indicators.yaml``, through ``headline_entry``), else the dictionary's name tidied.
"""

import pyarrow as pa

SCHEMA = pa.schema([("indicator_code", pa.string()), ("indicator_name", pa.string()),
                    ("dictionary_name", pa.string()), ("curated", pa.bool_()), ("sort_name", pa.string())])


def model(dbt, session):
    from assets.marts.indicator_names import name_rows

    dbt.config(materialized="table")
    dictionary = dbt.ref("dim_indicator").project("indicator_code, indicator_name, is_percentage")
    short_names = dict(dbt.ref("headline_entry").project("indicator_code, short_name").fetchall())
    rows = name_rows(dictionary.fetchall(), short_names)
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row)) for row in rows], schema=SCHEMA)
