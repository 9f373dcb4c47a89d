"""The methods page's words on the signal backtest and the inspection-risk selection, and a council's
signal in words, on small frames written out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from assets.profiles.backtest_words import (
    concern_sentences,
    persistence_sentence,
    risk_sentences,
    risk_signal_lines,
    signal_backtest_sentence,
)

pytestmark = pytest.mark.fast


def backtest_rows() -> pl.DataFrame:
    # 2 concerns of 10 fell further (20 in 100), 50 of 100 others did: lift 0.2 / 0.5 = 0.4
    return pl.DataFrame({
        "split": ["fit"] * 4,
        "as_of": ["2019-09-01", "2021-09-01", "all", "all"],
        "signal_group": ["concern", "concern", "concern", "not_concern"],
        "n": [4, 6, 10, 100],
        "share_worsened": [0.25, 1 / 6, 0.2, 0.5],
        "lift": [None, None, 0.4, None],
        "share_still_worse": [0.5, 0.5, 0.7, 0.3],
    })


def test_signal_backtest_sentence_gives_the_shares_in_100_the_lift_and_the_years():
    text = signal_backtest_sentence("fit", backtest_rows())
    assert text.startswith("As of 1 September 2019-2021 (the years the rules were chosen on): 10 headline series")
    assert "20 in 100 of them had fallen further behind England, against 50 in 100 of the other 100 series" in text
    assert "0.40 times as often" in text
    assert "70 in 100 concerns were still clearly behind England" in text and "against 30 in 100 of the others" in text


def test_persistence_sentence_names_the_indicators_that_do_not_recover():
    persistence = pl.DataFrame({
        "split": ["fit", "fit", "fit", "test", "test", "test"],
        "indicator_code": [None, "A", "B", None, "A", "B"],
        "indicator_name": [None, "Re-referrals", "Alcohol admissions", None, "Re-referrals", "Alcohol admissions"],
        "move_correlation": [-0.3, -0.4, -0.1, -0.3, -0.2, 0.2],
        "share_fell_after_fall": [0.41, 0.4, 0.45, 0.41, 0.4, 0.55],
        "share_fell_after_rise": [0.57, 0.6, 0.5, 0.59, 0.6, 0.5],
    })
    text = persistence_sentence(persistence)
    assert ("after a fall the next figure fell again 41 times in 100, in the figures published before 2022 and "
            "since alike; after a rise, 57 and 59 times in 100 (figures published before 2022, and since)") in text
    assert "1 of the 2 headline indicators behave so throughout (the exceptions: Alcohol admissions)" in text


def test_no_signal_backtest_means_no_words():
    assert concern_sentences(None, None) is None
    assert concern_sentences(backtest_rows(), None)["why"] is None


def risk_selection(model_auc: float) -> pl.DataFrame:
    """Two rivals and one model, the model chosen; figures chosen here."""
    return pl.DataFrame([
        {"candidate_order": 1, "candidate": "inspection_type", "label": "inspection type", "kind": "rival",
         "cv_auc": 0.70, "oof_auc": 0.57, "oof_auc_low": 0.48, "oof_auc_high": 0.66, "inspections": 168,
         "judged_ri_or_inadequate": 63, "is_chosen": False, "is_signal": False},
        {"candidate_order": 2, "candidate": "deprivation", "label": "deprivation", "kind": "rival",
         "cv_auc": 0.50, "oof_auc": 0.22, "oof_auc_low": 0.15, "oof_auc_high": 0.30, "inspections": 168,
         "judged_ri_or_inadequate": 63, "is_chosen": False, "is_signal": False},
        {"candidate_order": 3, "candidate": "model", "label": "a model", "kind": "indicators",
         "cv_auc": model_auc, "oof_auc": 0.77, "oof_auc_low": 0.69, "oof_auc_high": 0.84, "inspections": 168,
         "judged_ri_or_inadequate": 63, "is_chosen": True, "is_signal": True},
    ])


RISK_BINS = pl.DataFrame([
    {"role": "chosen", "bin": b, "inspections": n, "judged_ri_or_inadequate": k, "mean_likelihood": m, "base_rate": 0.375}
    for b, n, k, m in ((1, 34, 4, 0.15), (2, 34, 5, 0.26), (3, 34, 11, 0.39), (4, 33, 21, 0.48), (5, 33, 22, 0.62))])


def test_risk_sentences_give_the_choice_the_rivals_the_name_and_the_calibration():
    words = risk_sentences(risk_selection(0.775), RISK_BINS)
    assert "12" not in words[0] and "with 3 candidates" in words[0] and "168 inspections" in words[0]
    assert "The chosen method (a model) puts" in words[1] and "78 times in 100" in words[1]
    assert "interval 69-84" in words[1]
    assert words[2] == ("The rivals it had to beat: inspection type 70 times in 100; deprivation 50 times in 100. "
                        "A coin toss would do 50.")
    assert "may be called an early warning and ranked nationally" in words[3]
    assert "about 15 in 100), 4 of 34" in words[4] and "about 62 in 100), 22 of 33" in words[4]
    assert words[4].endswith("38 in 100.")
    below = risk_sentences(risk_selection(0.72), RISK_BINS)[3]
    assert "inspection-risk signal" in below and "no national rank" in below


def test_a_councils_risk_signal_in_words():
    row = {"signal_name": "inspection-risk signal", "likelihood": 0.537, "likelihood_low": 0.417,
           "likelihood_high": 0.651, "rank_national": None,
           "like_this_text": "of the 33 inspections in 2018-2023 with a likelihood like this, 22 were judged requires "
                             "improvement or inadequate; of all 168, 63 (38%)",
           "drivers": "Percentage of agency social workers (3.0 spreads worse than England, 2025)",
           "rival_sentence": "Knowing the last judgement alone does about as well (cross-validated AUC 0.70 against 0.72)."}
    lines = risk_signal_lines(row)
    assert lines[0] == ("Inspection-risk signal: a likelihood of 54 in 100 that the next inspection finds requires "
                        "improvement or inadequate (95% interval 42-65); of the 33 inspections in 2018-2023 with a "
                        "likelihood like this, 22 were judged requires improvement or inadequate; of all 168, 63 (38%).")
    assert lines[1] == "What drives it: Percentage of agency social workers (3.0 spreads worse than England, 2025)."
    assert lines[2].startswith("Knowing the last judgement alone does about as well")
    ranked = risk_signal_lines(row | {"signal_name": "early warning", "rank_national": 5})
    assert ranked[0].startswith("Early warning: a likelihood of 54 in 100") and ranked[0].endswith(
        "; rank 5 in England (1 = most likely).")


def test_under_its_heading_a_councils_signal_opens_with_the_likelihood():
    row = {"signal_name": "early warning", "likelihood": 0.308, "likelihood_low": 0.232, "likelihood_high": 0.394,
           "rank_national": 84, "like_this_text": "of the 34 inspections in 2018-2023 with a likelihood like this, 5 were "
                                                  "judged requires improvement or inadequate; of all 168, 63 (38%)",
           "drivers": None, "rival_sentence": "The signal beats the best rival."}
    lines = risk_signal_lines(row, named=False)
    assert lines[0].startswith("A likelihood of 31 in 100 that the next inspection finds requires improvement or "
                               "inadequate (95% interval 23-39); of the 34 inspections")
    assert lines[0].endswith("63 (38%); rank 84 in England (1 = most likely).")
    assert lines[1:] == ["The signal beats the best rival."]  # no drivers: no line for them
