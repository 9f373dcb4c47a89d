"""The registered selection of the inspection-risk signal (docs/methods.md, "Inspection-risk
signal: pre-registration"): candidates, repeated stratified cross-validation with everything
fitted inside the folds, the bootstrap interval, calibration and the final fit.

Pure functions of numpy arrays (features ``X``, outcome ``y``): no warehouse here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from assets.marts.backtest import bootstrap_auc
from assets.risk.features import AREAS

SEED = 22
FOLDS, REPEATS = 5, 20
CS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
TIE = 0.005
BINS = 5
REFITS = 500
AREA_LEVELS = tuple(f"{area}_level" for area in AREAS)


@dataclass(frozen=True)
class Candidate:
    """One registered candidate: a fixed number (one column, calibrated by Platt) or a model."""

    name: str
    label: str
    kind: str  # 'rival' or 'indicators'
    columns: tuple[str, ...]
    model: str = "score"  # 'score' or 'logistic'
    plain: str = ""  # a rival in words, for the sentence naming it ("knowing ...")

    @property
    def is_rival(self) -> bool:
        return self.kind == "rival"


# The registered order: the tie rule's order.
CANDIDATES = (
    Candidate("inspection_type", "inspection type (standard or short)", "rival", ("inspection_type_standard",),
              plain="whether the inspection is a standard or a short one (which follows the last judgement)"),
    Candidate("previous_grade_or_type", "previous judgement (or inspection type)", "rival",
              ("previous_grade_or_type",), plain="the last judgement"),
    Candidate("deprivation", "deprivation (free school meals share)", "rival", ("deprivation",),
              plain="how deprived the area is (free school meals share)"),
    Candidate("band_d_share", "share of headline figures in band D", "rival", ("band_d_share",),
              plain="the share of headline figures in the worst quarter"),
    Candidate("current_score", "first iteration's early-warning score", "rival", ("current_score",),
              plain="the first iteration's early-warning score"),
    Candidate("workforce_level", "workforce level", "indicators", ("workforce_level",)),
    Candidate("help_and_protection_level", "help and protection level", "indicators", ("help_and_protection_level",)),
    Candidate("children_in_care_level", "children in care level", "indicators", ("children_in_care_level",)),
    Candidate("care_leavers_level", "care leavers level", "indicators", ("care_leavers_level",)),
    Candidate("social_care_level", "social-care level", "indicators", ("social_care_level",)),
    Candidate("area_model", "regularised logistic model on the seven area levels", "indicators", AREA_LEVELS,
              "logistic"),
    Candidate("area_model_with_type", "regularised logistic model on the seven area levels and the inspection type",
              "indicators",
              (*AREA_LEVELS, "inspection_type_standard"), "logistic"),
)


def estimator(candidate: Candidate, seed: int = SEED) -> Pipeline:
    """What is fitted on training folds: median imputation, then Platt calibration of the one
    number, or standardisation and an L2 logistic regression with C chosen by inner 5-fold CV."""
    if candidate.model == "score":
        return make_pipeline(SimpleImputer(strategy="median"), LogisticRegression())
    inner = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    return make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                         LogisticRegressionCV(Cs=list(CS), cv=inner, scoring="roc_auc", l1_ratios=(0.0,),
                                              max_iter=2000, use_legacy_attributes=False))


@dataclass
class CVResult:
    candidate: Candidate
    fold_aucs: np.ndarray  # one per held-out fold
    oof: np.ndarray  # (repeats, n): out-of-fold likelihoods

    @property
    def cv_auc(self) -> float:
        return float(self.fold_aucs.mean())

    @property
    def mean_oof(self) -> np.ndarray:
        return self.oof.mean(axis=0)


def fold_auc(candidate: Candidate, fitted: Pipeline, X_test: np.ndarray, y_test: np.ndarray,
             X_train: np.ndarray) -> float:
    """The held-out fold's AUC: of the number itself (missing -> training median) for a score,
    of the model's likelihood for a model."""
    if candidate.model == "score":
        column = np.where(np.isnan(X_test[:, 0]), np.nanmedian(X_train[:, 0]), X_test[:, 0])
        return float(roc_auc_score(y_test, column))
    return float(roc_auc_score(y_test, fitted.predict_proba(X_test)[:, 1]))


def cross_validate(candidate: Candidate, X: np.ndarray, y: np.ndarray, folds: int = FOLDS,
                   repeats: int = REPEATS, seed: int = SEED) -> CVResult:
    """Repeated stratified k-fold: every fit on the training folds only, AUC on the held-out fold."""
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    oof = np.full((repeats, len(y)), np.nan)
    aucs = []
    for index, (train, test) in enumerate(splitter.split(X, y)):
        fitted = estimator(candidate, seed).fit(X[train], y[train])
        oof[index // folds, test] = fitted.predict_proba(X[test])[:, 1]
        aucs.append(fold_auc(candidate, fitted, X[test], y[test], X[train]))
    return CVResult(candidate, np.array(aucs), oof)


def choose(results: list[CVResult], among: list[CVResult] | None = None) -> CVResult:
    """The highest CV AUC; within ``TIE`` of it, the first in the registered order."""
    pool = among if among is not None else results
    best = max(r.cv_auc for r in pool)
    return next(r for r in pool if r.cv_auc >= best - TIE)


def oof_interval(result: CVResult, y: np.ndarray) -> tuple[float, float, float]:
    """AUC of the repeat-averaged out-of-fold likelihoods, with its 95% bootstrap interval."""
    value = float(roc_auc_score(y, result.mean_oof))
    low, high = bootstrap_auc(y, result.mean_oof, seed=SEED)
    return value, low, high


def number_auc(candidate: Candidate, X: np.ndarray, y: np.ndarray) -> tuple[float | None, float | None, float | None]:
    """For a fixed number (nothing fitted), its AUC over all the inspections with a 95% bootstrap
    interval (missing values at the median). Added after the registered figures were first seen:
    the out-of-fold likelihoods of a fixed number are its per-fold Platt calibrations averaged over
    repeats, which break its ties against the outcome and understate a weak or two-valued number
    (docs/methods.md). None for a model."""
    if candidate.model != "score":
        return None, None, None
    column = np.where(np.isnan(X[:, 0]), np.nanmedian(X[:, 0]), X[:, 0])
    low, high = bootstrap_auc(y, column, seed=SEED)
    return float(roc_auc_score(y, column)), low, high


def quantile_bins(values: np.ndarray, bins: int = BINS) -> np.ndarray:
    """Bin 1..bins of each value: equal-count groups by rank (ties broken by order)."""
    order = np.argsort(values, kind="stable")
    labels = np.empty(len(values), dtype=int)
    for number, chunk in enumerate(np.array_split(order, bins), start=1):
        labels[chunk] = number
    return labels


def calibration(result: CVResult, y: np.ndarray, bins: int = BINS) -> list[dict]:
    """Reliability: per quantile bin of the out-of-fold likelihood, inspections, mean likelihood,
    share judged requires improvement or inadequate, and the bin's likelihood range."""
    likelihood = result.mean_oof
    labels = quantile_bins(likelihood, bins)
    return [{"bin": b, "inspections": int((labels == b).sum()), "judged_ri_or_inadequate": int(y[labels == b].sum()),
             "mean_likelihood": float(likelihood[labels == b].mean()), "observed_share": float(y[labels == b].mean()),
             "likelihood_from": float(likelihood[labels == b].min()), "likelihood_to": float(likelihood[labels == b].max())}
            for b in range(1, bins + 1)]


def bands_in_order(result: CVResult, y: np.ndarray) -> bool:
    """True when the share judged RI or inadequate rises over the thirds of the out-of-fold likelihood."""
    labels = quantile_bins(result.mean_oof, 3)
    shares = [y[labels == b].mean() for b in (1, 2, 3)]
    return shares[0] < shares[1] < shares[2]


def final_fit(candidate: Candidate, X: np.ndarray, y: np.ndarray) -> Pipeline:
    return estimator(candidate).fit(X, y)


def refit_interval(candidate: Candidate, fitted: Pipeline, X: np.ndarray, y: np.ndarray,
                   X_new: np.ndarray, refits: int = REFITS) -> tuple[np.ndarray, np.ndarray]:
    """2.5% and 97.5% percentiles of each new point's likelihood over ``refits`` bootstrap refits
    (resampled inspections, seed 22); a model keeps the regularisation chosen on all inspections."""
    rng = np.random.default_rng(SEED)
    if candidate.model == "logistic":
        chosen_c = float(np.ravel(fitted[-1].C_)[0])
        make = lambda: make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),  # noqa: E731
                                     LogisticRegression(C=chosen_c, max_iter=2000))
    else:
        make = lambda: estimator(candidate)  # noqa: E731
    draws = []
    for _ in range(refits):
        sample = rng.integers(0, len(y), len(y))
        if y[sample].min() == y[sample].max():
            continue
        draws.append(make().fit(X[sample], y[sample]).predict_proba(X_new)[:, 1])
    low, high = np.percentile(np.array(draws), [2.5, 97.5], axis=0)
    return low, high


def contributions(candidate: Candidate, fitted: Pipeline, X_new: np.ndarray) -> np.ndarray:
    """Per new point and feature, how much it pushes the likelihood up: the standardised value
    times the coefficient for a model; the value itself for a one-number candidate."""
    if candidate.model == "score":
        return np.nan_to_num(X_new, nan=0.0)
    imputed = fitted[0].transform(X_new)
    return fitted[1].transform(imputed) * np.ravel(fitted[-1].coef_)
