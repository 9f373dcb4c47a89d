"""The backtest's inputs and its discrimination figures (ROC AUC with a bootstrap interval).

``load_inspection_rows`` puts ``core.inspection`` (or an empty table of its shape, when the
inspections have not been landed) into the temporary table ``inspection_row``, numbered.
``auc`` and ``bootstrap_auc`` are the only statistics computed in Python: the rank form of the
AUC (the Mann-Whitney U divided by the number of positive-negative pairs, ties counting one half)
and a percentile bootstrap over inspections with a fixed seed, so the figures are reproducible.
"""

from __future__ import annotations

import duckdb
import numpy as np
from scipy.stats import rankdata

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 14
# method -> (column of marts.backtest_inspection, its description)
METHODS = {
    "early_warning": "score",
    "band_d_share": "baseline_band_d_share",
    "previous_judgement": "previous_grade",
}


def load_inspection_rows(con: duckdb.DuckDBPyConnection) -> None:
    """``inspection_row``: core.inspection with ``as_of_key`` = its rank by end date and council."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'core' AND table_name = 'inspection'"
    ).fetchone()[0]
    source = "core.inspection" if exists else (
        "(SELECT NULL::INTEGER AS current_area_code, NULL::VARCHAR AS local_authority, "
        "NULL::DATE AS inspection_start_date, NULL::DATE AS inspection_end_date, "
        "NULL::INTEGER AS overall_grade, NULL::VARCHAR AS overall_effectiveness WHERE false)")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE inspection_row AS
        SELECT row_number() OVER (ORDER BY inspection_end_date, current_area_code)::INTEGER AS as_of_key,
               current_area_code, local_authority, inspection_start_date, inspection_end_date,
               overall_grade, overall_effectiveness
        FROM {source}""")


def auc(outcome: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC: the chance a random positive outscores a random negative (ties count one half)."""
    outcome = np.asarray(outcome, dtype=bool)
    positives, negatives = outcome.sum(), (~outcome).sum()
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[outcome].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def bootstrap_auc(outcome: np.ndarray, score: np.ndarray) -> tuple[float, float]:
    """2.5% and 97.5% percentiles of the AUC over resamples of the inspections (with replacement)."""
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    outcome, score = np.asarray(outcome, dtype=bool), np.asarray(score, dtype=float)
    values = []
    for _ in range(BOOTSTRAP_RESAMPLES):
        pick = rng.integers(0, len(outcome), len(outcome))
        value = auc(outcome[pick], score[pick])
        if not np.isnan(value):
            values.append(value)
    if not values:
        return float("nan"), float("nan")
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def load_auc_rows(con: duckdb.DuckDBPyConnection) -> None:
    """``backtest_auc``: (split, method, metric 'auc', value, ci_low, ci_high, n) from marts.backtest_inspection."""
    con.execute("""CREATE OR REPLACE TEMP TABLE backtest_auc (split VARCHAR, method VARCHAR, metric VARCHAR,
        value DOUBLE, ci_low DOUBLE, ci_high DOUBLE, n INTEGER)""")
    rows = []
    for split in ("fit", "test"):
        for method, column in METHODS.items():
            data = con.execute(
                f"SELECT is_ri_or_inadequate, {column} FROM marts.backtest_inspection "
                f"WHERE split = ? AND {column} IS NOT NULL", [split]).fetchall()
            if not data:
                continue
            outcome = np.array([r[0] for r in data])
            score = np.array([r[1] for r in data], dtype=float)
            value = auc(outcome, score)
            low, high = bootstrap_auc(outcome, score)
            rows.append((split, method, "auc", *(None if np.isnan(v) else v for v in (value, low, high)), len(data)))
    if rows:
        con.executemany("INSERT INTO backtest_auc VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
