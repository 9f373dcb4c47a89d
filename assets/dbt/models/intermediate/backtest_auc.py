"""The AUCs of the inspection backtest with their bootstrap intervals (``marts.backtest_summary``).

One row per split and method: ROC AUC of requires improvement / inadequate against good /
outstanding, with a 95% percentile bootstrap interval (``assets/marts/backtest.py``: the only
statistics computed in Python), for the early-warning score and the two naive baselines.
"""

import pyarrow as pa

SCHEMA = pa.schema([("split", pa.string()), ("method", pa.string()), ("metric", pa.string()),
                    ("value", pa.float64()), ("ci_low", pa.float64()), ("ci_high", pa.float64()),
                    ("n", pa.int32())])


def model(dbt, session):
    from assets.marts.backtest import auc_rows

    dbt.config(materialized="table")
    inspections = dbt.ref("backtest_inspection").to_arrow_table()
    rows = auc_rows(inspections.to_pylist())
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, row)) for row in rows], schema=SCHEMA)
