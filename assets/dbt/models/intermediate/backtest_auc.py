"""The AUCs of the inspection backtest with their bootstrap intervals (``marts.backtest_summary``).

One row per split and method: ROC AUC of requires improvement / inadequate against good /
outstanding, with a 95% percentile bootstrap interval (``assets/marts/backtest.py``: the only
statistics computed in Python), for the early-warning score and the two naive baselines.
"""

from assets.marts.model_rows import rows_relation

COLUMNS = {"split": "VARCHAR", "method": "VARCHAR", "metric": "VARCHAR", "value": "DOUBLE", "ci_low": "DOUBLE",
           "ci_high": "DOUBLE", "n": "INTEGER"}


def model(dbt, session):
    from assets.marts.backtest import auc_rows

    inspections = dbt.ref("backtest_inspection")
    rows = auc_rows([dict(zip(inspections.columns, row)) for row in inspections.fetchall()])
    return rows_relation(session, "backtest_auc", COLUMNS, rows)
