"""The one readable name of every indicator, which every mart, page, chart, PDF and export gives it.

Worked out in Python (``assets/marts/indicator_names.py``): the headline set's curated short name
(``pipeline/headline_indicators.yaml``, through ``headline_entry``), else the dictionary's name tidied.
"""

from assets.marts.model_rows import rows_relation

COLUMNS = {"indicator_code": "VARCHAR", "indicator_name": "VARCHAR", "dictionary_name": "VARCHAR",
           "curated": "BOOLEAN", "sort_name": "VARCHAR"}


def model(dbt, session):
    from assets.marts.indicator_names import name_rows

    dictionary = dbt.ref("dim_indicator").project("indicator_code, indicator_name, is_percentage")
    short_names = dict(dbt.ref("headline_entry").project("indicator_code, short_name").fetchall())
    rows = name_rows(dictionary.fetchall(), short_names)
    return rows_relation(session, "indicator_name", COLUMNS, rows)
