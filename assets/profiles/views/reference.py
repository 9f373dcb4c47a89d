"""The pages that are the same for every council: the indicator definitions and the methods' backtest."""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from assets.profiles.backtest_words import auc_sentence, concern_sentences, risk_sentences
from assets.profiles.charts import calibration_figure, risk_calibration_figure, risk_roc_figure, roc_figure
from assets.profiles.formatting import slug
from assets.profiles.views.common import POLARITY_WORDS, json_for_html, year_span
from assets.profiles.views.shared import SharedViews


def definitions_page(views: SharedViews) -> dict:
    """Every indicator's definition, source and update dates, in service order (the same for every council)."""
    topics: dict[str, list[dict]] = defaultdict(list)
    for ind in views.shown_indicators:
        topics[views.topic_of[ind["indicator_code"]].name].append(indicator_facts(ind))
    return {"topics": [{"name": name, "rows": rows} for name, rows in topics.items()],
            "release": views.data.release}


def indicator_facts(ind: dict) -> dict:
    """What the data dictionary says about an indicator, as the definitions page shows it."""
    return {
        "code": ind["indicator_code"],
        "id": f"def-{slug(ind['indicator_code'].replace('%', ' pct'))}",
        "name": ind["indicator_name"],
        "dictionary_name": ind["dictionary_name"],
        "unit": ind["unit"],
        "polarity": POLARITY_WORDS.get(ind["polarity"], ind["polarity"]),
        "definition": ind["description"],
        "source_link": ind["source_link"],
        "last_update": ind["last_update"] or ind["last_update_note"],
        "next_update": ind["next_update"] or ind["next_update_note"],
        "discontinued": ind["discontinued"],
    }


def methods_page(views: SharedViews) -> dict | None:
    """The backtest on the methods page: the ROC and calibration figures (as Plotly JSON), the
    AUCs in words, fit and test side by side, and whether concerns foresaw a further fall (and
    why not); None when the warehouse has no backtest."""
    data = views.data
    if data.backtest_roc is None or data.backtest_summary is None or data.backtest_years is None:
        return None
    years = {r["split"]: r for r in data.backtest_years.iter_rows(named=True)}
    names = {split: f"{year_span(r['first_year'], r['last_year'])} ({split})" for split, r in years.items()}
    summary = data.backtest_summary
    aucs = summary.filter(pl.col("metric") == "auc")
    return {
        "roc": json_for_html(roc_figure(data.backtest_roc, names).to_plotly_json()),
        "calibration": json_for_html(calibration_figure(
            summary.filter(pl.col("metric") == "outcome_rate"), names).to_plotly_json()),
        "splits": [{"split": split, "sentence": auc_sentence(
                    aucs.filter(pl.col("split") == split), year_span(r["first_year"], r["last_year"]))}
                   for split, r in years.items()],
        "concerns": concern_sentences(data.backtest_signal, data.backtest_persistence),
        "risk": risk_section(views),
    }


def risk_section(views: SharedViews) -> dict | None:
    """The registered inspection-risk selection on the methods page: its words, the ROC curves of
    the signal and its rivals and the calibration chart (as Plotly JSON); None without it."""
    data = views.data
    if data.risk_selection is None or data.risk_calibration is None or data.risk_roc is None:
        return None
    labels = dict(data.risk_selection.select("candidate", "label").iter_rows())
    signal = data.risk_selection.filter(pl.col("is_signal"))["candidate"][0]
    return {
        "words": risk_sentences(data.risk_selection, data.risk_calibration),
        "roc": json_for_html(risk_roc_figure(data.risk_roc, labels, signal).to_plotly_json()),
        "calibration": json_for_html(risk_calibration_figure(data.risk_calibration).to_plotly_json()),
    }
