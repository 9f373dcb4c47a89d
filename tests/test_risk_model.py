"""The registered selection's statistics on small fixtures, against scikit-learn's own
cross-validation and AUC computed independently here, and its rules on hand-made results."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from assets.risk import model
from assets.risk.tables import is_early_warning, rival_sentence


@pytest.fixture
def fixture():
    """60 inspections, three features (one informative), a few values missing."""
    rng = np.random.default_rng(7)
    y = np.array([1] * 24 + [0] * 36)
    X = rng.normal(size=(60, 3))
    X[:, 0] += 0.9 * y
    X[rng.random((60, 3)) < 0.08] = np.nan
    return X, y


@pytest.mark.fast
def test_cv_auc_of_a_fixed_number_is_the_mean_fold_auc_of_the_number(fixture):
    X, y = fixture
    candidate = model.Candidate("x", "x", "indicators", ("x",))
    expected = []
    for train, test in RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=22).split(X, y):
        column = X[:, 0].copy()
        column[np.isnan(column)] = np.nanmedian(X[train, 0])
        expected.append(roc_auc_score(y[test], column[test]))
    result = model.cross_validate(candidate, X[:, :1], y, repeats=3)
    assert result.fold_aucs.shape == (15,)
    assert result.cv_auc == pytest.approx(np.mean(expected), abs=1e-12)
    assert not np.isnan(result.oof).any()


def test_cv_auc_of_the_model_agrees_with_scikit_learns_cross_val_score(fixture):
    X, y = fixture
    candidate = model.Candidate("m", "m", "indicators", ("a", "b", "c"), "logistic")
    pipeline = make_pipeline(
        SimpleImputer(strategy="median"), StandardScaler(),
        LogisticRegressionCV(Cs=[0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0], l1_ratios=(0.0,), scoring="roc_auc",
                             cv=StratifiedKFold(5, shuffle=True, random_state=22), max_iter=2000,
                             use_legacy_attributes=False))
    expected = cross_val_score(pipeline, X, y, scoring="roc_auc",
                               cv=RepeatedStratifiedKFold(n_splits=5, n_repeats=2, random_state=22))
    result = model.cross_validate(candidate, X, y, repeats=2)
    assert result.fold_aucs == pytest.approx(expected, abs=1e-12)


@pytest.mark.fast
def test_an_auc_counted_by_hand():
    # positives 0.9, 0.4; negatives 0.5, 0.1, 0.4: pairs won 3 + 1.5 (0.4 ties 0.4, beats 0.1) = 4.5 of 6
    assert roc_auc_score([1, 1, 0, 0, 0], [0.9, 0.4, 0.5, 0.1, 0.4]) == pytest.approx(0.75)


def result(name: str, kind: str, auc: float) -> model.CVResult:
    return model.CVResult(model.Candidate(name, name, kind, (name,), plain=f"the {name}"),
                          np.array([auc, auc]), np.zeros((1, 4)))


@pytest.mark.fast
def test_the_choice_goes_to_the_highest_cv_auc_and_a_tie_to_the_earlier_candidate():
    a, b, c = result("a", "rival", 0.70), result("b", "indicators", 0.704), result("c", "indicators", 0.69)
    assert model.choose([a, b, c]) is a  # within 0.005 of the best: the earlier one
    assert model.choose([a, b, c], [b, c]) is b
    assert model.choose([result("d", "rival", 0.60), b]) is b


@pytest.mark.fast
def test_early_warning_only_at_0_75_and_above_every_rival():
    rival = result("type", "rival", 0.70)
    strong, weak = result("model", "indicators", 0.78), result("level", "indicators", 0.72)
    assert is_early_warning(strong, strong, [rival, strong])
    assert not is_early_warning(weak, weak, [rival, weak])  # beats the rival, but below 0.75
    assert not is_early_warning(strong, rival, [result("type", "rival", 0.80), strong])
    assert rival_sentence(weak, rival) == (
        "Knowing the type alone does about as well: it ranks a council later judged requires improvement or "
        "inadequate above one judged good or better in 70 of 100 such pairs, the signal in 72.")
    assert rival_sentence(rival, strong).startswith("Knowing the model alone does as well or better")
    assert rival_sentence(strong, result("deprivation", "rival", 0.5)) == (
        "The signal ranks a council later judged requires improvement or inadequate above one judged good or "
        "better in 78 of 100 such pairs; the best rival, the deprivation alone, in 50.")


@pytest.mark.fast
def test_calibration_bins_hold_equal_counts_and_their_outcomes():
    likelihood = np.linspace(0.05, 0.95, 10)
    y = np.array([0, 0, 0, 1, 0, 1, 0, 1, 1, 1])
    bins = model.calibration(model.CVResult(None, np.zeros(1), likelihood[None, :]), y)
    assert [b["inspections"] for b in bins] == [2] * 5
    assert [b["judged_ri_or_inadequate"] for b in bins] == [0, 1, 1, 1, 2]
    assert bins[0]["mean_likelihood"] == pytest.approx(0.1)
