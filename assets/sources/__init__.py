"""Indicator sources beyond the LAIT release: EES tidy CSV files and local indicator files.

``pipeline/sources.yaml`` (or the file named by ``PEERDATA_EXTRA_SOURCES``) lists them
(``config``); each adapter (``ees``, ``local``) turns one entry into rows of the same three
shapes (``rows``); ``load`` writes them into ``src.extra_indicator``, ``src.extra_value`` and
``src.extra_problem``, which the core models (``assets/dbt/models/staging/stg_extra_*``) union into the
core model through the same period and value parsing as the LAIT data.
"""
