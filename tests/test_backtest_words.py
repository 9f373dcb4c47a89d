"""The methods page's words on the flag backtest, on small frames written out by hand."""

from __future__ import annotations

import polars as pl
import pytest

from assets.profiles.backtest_words import concern_sentences, flag_sentence, persistence_sentence

pytestmark = pytest.mark.fast


def flag_rows() -> pl.DataFrame:
    # 2 concerns of 10 fell further (20 in 100), 50 of 100 others did: lift 0.2 / 0.5 = 0.4
    return pl.DataFrame({
        "split": ["fit"] * 4,
        "as_of": ["2019-09-01", "2021-09-01", "all", "all"],
        "flag_group": ["flagged", "flagged", "flagged", "not_flagged"],
        "n": [4, 6, 10, 100],
        "share_worsened": [0.25, 1 / 6, 0.2, 0.5],
        "lift": [None, None, 0.4, None],
        "share_still_worse": [0.5, 0.5, 0.7, 0.3],
    })


def test_flag_sentence_gives_the_shares_in_100_the_lift_and_the_years():
    text = flag_sentence("fit", flag_rows())
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


def test_no_flag_backtest_means_no_words():
    assert concern_sentences(None, None) is None
    assert concern_sentences(flag_rows(), None)["why"] is None
