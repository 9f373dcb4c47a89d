"""The backtest's inputs and its discrimination figures (ROC AUC with a bootstrap interval).

``load_inspection_rows`` puts ``core.inspection`` (empty when no inspections are configured)
into the temporary table ``inspection_row``, numbered.
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
    con.execute("""CREATE OR REPLACE TEMP TABLE inspection_row AS
        SELECT row_number() OVER (ORDER BY inspection_end_date, current_area_code)::INTEGER AS as_of_key,
               current_area_code, local_authority, inspection_start_date, inspection_end_date,
               overall_grade, overall_effectiveness
        FROM core.inspection""")


def auc(outcome: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC: the chance a random positive outscores a random negative (ties count one half)."""
    outcome = np.asarray(outcome, dtype=bool)
    positives, negatives = outcome.sum(), (~outcome).sum()
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(score)
    return float((ranks[outcome].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def bootstrap_auc(outcome: np.ndarray, score: np.ndarray, seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """2.5% and 97.5% percentiles of the AUC over resamples of the inspections (with replacement).

    All resamples at once: with ``wins[i, j]`` = 1 when inspection i outscores j (one half when
    tied) and ``counts[b, i]`` = how often resample b drew inspection i, the AUC of resample b
    is the count-weighted share of its (positive, negative) pairs that the positive wins.
    Resamples without a positive or without a negative are left out.
    """
    rng = np.random.default_rng(seed)
    outcome, score = np.asarray(outcome, dtype=bool), np.asarray(score, dtype=float)
    n = len(outcome)
    draws = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
    counts = np.zeros((BOOTSTRAP_RESAMPLES, n))
    np.add.at(counts, (np.repeat(np.arange(BOOTSTRAP_RESAMPLES), n), draws.ravel()), 1)
    wins = (score[:, None] > score[None, :]) + 0.5 * (score[:, None] == score[None, :])
    positive, negative = counts * outcome, counts * ~outcome
    pairs = positive.sum(axis=1) * negative.sum(axis=1)
    won = np.einsum("bi,ij,bj->b", positive, wins, negative)
    values = won[pairs > 0] / pairs[pairs > 0]
    if values.size == 0:
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
