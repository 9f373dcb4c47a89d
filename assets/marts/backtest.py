"""The backtest's inputs and its discrimination figures (ROC AUC with a bootstrap interval).

Used by the dbt Python model ``backtest_auc`` (``assets/dbt/models/intermediate/backtest_auc.py``).
``auc`` and ``bootstrap_auc`` are the only statistics computed in Python: the AUC as the share of
positive-negative pairs the positive wins (the Mann-Whitney U over the pairs, ties counting one half)
and a percentile bootstrap over inspections with a fixed seed, so the figures are reproducible.
"""

from __future__ import annotations

import numpy as np

BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 14
# method -> (column of marts.backtest_inspection, its description)
METHODS = {
    "early_warning": "score",
    "band_d_share": "baseline_band_d_share",
    "previous_judgement": "previous_grade",
}


def wins(score: np.ndarray) -> np.ndarray:
    """``wins[i, j]`` = 1 when inspection i outscores j, one half when they tie, else 0."""
    return (score[:, None] > score[None, :]) + 0.5 * (score[:, None] == score[None, :])


def auc(outcome: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC: the chance a random positive outscores a random negative (ties count one half),
    the mean of ``wins`` over every (positive, negative) pair: the Mann-Whitney U over the pairs."""
    outcome = np.asarray(outcome, dtype=bool)
    if outcome.all() or not outcome.any():
        return float("nan")
    return float(wins(np.asarray(score, dtype=float))[outcome][:, ~outcome].mean())


def bootstrap_auc(outcome: np.ndarray, score: np.ndarray, seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """2.5% and 97.5% percentiles of the AUC over resamples of the inspections (with replacement).

    All resamples at once: with ``counts[b, i]`` = how often resample b drew inspection i, the AUC
    of resample b is the count-weighted share of its (positive, negative) pairs that the positive
    wins (``wins``).
    Resamples without a positive or without a negative are left out.
    """
    rng = np.random.default_rng(seed)
    outcome, score = np.asarray(outcome, dtype=bool), np.asarray(score, dtype=float)
    n = len(outcome)
    draws = rng.integers(0, n, size=(BOOTSTRAP_RESAMPLES, n))
    counts = np.zeros((BOOTSTRAP_RESAMPLES, n))
    np.add.at(counts, (np.repeat(np.arange(BOOTSTRAP_RESAMPLES), n), draws.ravel()), 1)
    positive, negative = counts * outcome, counts * ~outcome
    pairs = positive.sum(axis=1) * negative.sum(axis=1)
    # sum over i, j of positive[b, i] * wins[i, j] * negative[b, j], as one matrix product (the
    # terms are whole counts and halves: exact in floating point, in any order)
    won = ((positive @ wins(score)) * negative).sum(axis=1)
    values = won[pairs > 0] / pairs[pairs > 0]
    if values.size == 0:
        return float("nan"), float("nan")
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def auc_rows(inspections: list[dict]) -> list[tuple]:
    """(split, method, 'auc', value, ci_low, ci_high, n) per split and method with figures, from the
    rows of ``marts.backtest_inspection``; NaN (no positive or no negative) given as None."""
    rows = []
    for split in ("fit", "test"):
        for method, column in METHODS.items():
            data = [(r["is_ri_or_inadequate"], r[column]) for r in inspections
                    if r["split"] == split and r[column] is not None]
            if not data:
                continue
            outcome = np.array([d[0] for d in data])
            score = np.array([d[1] for d in data], dtype=float)
            value = auc(outcome, score)
            low, high = bootstrap_auc(outcome, score)
            rows.append((split, method, "auc", *(None if np.isnan(v) else v for v in (value, low, high)), len(data)))
    return rows
