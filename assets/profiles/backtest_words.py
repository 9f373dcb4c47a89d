"""The backtests in words, for the methods page, and the inspection-risk signal in words.

``auc_sentence``: how well the first iteration's score told apart the inspections judged requires
improvement or inadequate (``marts.backtest_summary``). ``concern_sentences``: whether a concern foresaw a
further fall against England (``marts.backtest_signal``) and why it does not
(``marts.backtest_persistence``). Figures are given as "N in 100", which a non-statistician reads.
"""

from __future__ import annotations

import polars as pl

from assets.profiles.charts import METHOD_NAMES

SPLIT_WORDS = {"fit": "the years the rules were chosen on", "test": "the later years, kept for the test"}


def in_100(value: float | None) -> str:
    return "no figure" if value is None else f"{round(100 * value)}"


def auc_sentence(aucs: pl.DataFrame, years: str) -> str:
    """The AUCs of one split in words: how often in 100 pairs (one inspection judged requires
    improvement or inadequate, one good or outstanding) each method ranks the first higher."""
    by_method = {r["method"]: r for r in aucs.iter_rows(named=True)}

    def figure(row: dict) -> str:
        interval = (f" (95% interval {in_100(row['ci_low'])}-{in_100(row['ci_high'])})"
                    if row["ci_low"] is not None else "")
        return f"{in_100(row['value'])} times in 100{interval}"

    score = by_method.get("early_warning")
    if score is None:
        return f"The inspections of {years} have no first-iteration score to judge."
    text = (f"On the {score['n']} inspections of {years}, set a council judged requires improvement or "
            f"inadequate beside one judged good or outstanding: the first iteration's score put the first "
            f"higher {figure(score)}")
    others = [f"the {METHOD_NAMES[m][0].lower()}{METHOD_NAMES[m][1:]} did so {figure(by_method[m])}"
              + (f", on the {by_method[m]['n']} inspections with one" if by_method[m]["n"] != score["n"] else "")
              for m in ("band_d_share", "previous_judgement") if m in by_method]
    return text + ("; " + "; ".join(others) if others else "") + ". A coin toss would do so 50 times in 100."


def signal_backtest_sentence(split: str, rows: pl.DataFrame) -> str | None:
    """One split of ``marts.backtest_signal``: how often concerns, and the other series, fell further
    behind England at their next figure, and how often they were still behind."""
    totals = {r["signal_group"]: r for r in rows.filter(pl.col("as_of") == "all").iter_rows(named=True)}
    concerns, others = totals.get("concern"), totals.get("not_concern")
    if concerns is None or others is None:
        return None
    years = sorted({as_of[:4] for as_of in rows["as_of"] if as_of != "all"})
    span = years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"
    lift = concerns["lift"]
    return (f"As of 1 September {span} ({SPLIT_WORDS[split]}): {concerns['n']:,} headline series were concerns. "
            f"At their next figure {in_100(concerns['share_worsened'])} in 100 of them had fallen further behind "
            f"England, against {in_100(others['share_worsened'])} in 100 of the other {others['n']:,} series"
            + (f", {lift:.2f} times as often (the aim was at least 1.5 times)" if lift is not None else "")
            + f". But {in_100(concerns['share_still_worse'])} in 100 concerns were still clearly behind England "
              f"at their next figure, against {in_100(others['share_still_worse'])} in 100 of the others.")


def persistence_sentence(persistence: pl.DataFrame) -> str | None:
    """Why a concern does not foresee a further fall (``marts.backtest_persistence``): after a fall
    against England the next figure falls less often than after a rise, on nearly every indicator."""
    overall = {r["split"]: r for r in persistence.filter(pl.col("indicator_code").is_null()).iter_rows(named=True)}
    if not overall:
        return None
    per_indicator = persistence.filter(pl.col("indicator_code").is_not_null())
    recovering = per_indicator.group_by("indicator_code").agg(
        name=pl.col("indicator_name").first(), always=(pl.col("move_correlation") < 0).all())
    exceptions = sorted(recovering.filter(~pl.col("always"))["name"].to_list())
    splits = [s for s in ("fit", "test") if s in overall]

    def shares(column: str) -> str:
        figures = list(dict.fromkeys(in_100(overall[s][column]) for s in splits))
        if len(splits) == 1:
            return f"{figures[0]} times in 100"
        if len(figures) == 1:
            return f"{figures[0]} times in 100, in the figures published before 2022 and since alike"
        return f"{figures[0]} and {figures[1]} times in 100 (figures published before 2022, and since)"

    text = (f"Why: a figure that falls against England is more often followed by a partial recovery than by a "
            f"further fall. Across the headline indicators, after a fall the next figure fell again "
            f"{shares('share_fell_after_fall')}; after a rise, {shares('share_fell_after_rise')}. "
            f"{recovering.height - len(exceptions)} of the {recovering.height} headline indicators behave so "
            f"throughout")
    text += f" (the exceptions: {', '.join(exceptions)})." if exceptions else "."
    return text + (" A concern therefore marks a council that is behind, has slipped further and is likely to stay "
                   "behind; it does not say that its next figure will be worse.")


def concern_sentences(backtest: pl.DataFrame | None, persistence: pl.DataFrame | None) -> dict | None:
    """The signal backtest (``marts.backtest_signal``) in words: a sentence per split and the
    reason; None without the marts."""
    if backtest is None:
        return None
    splits = [signal_backtest_sentence(split, backtest.filter(pl.col("split") == split)) for split in ("fit", "test")]
    return {"splits": [s for s in splits if s],
            "why": persistence_sentence(persistence) if persistence is not None else None}


def risk_sentences(selection: pl.DataFrame, calibration: pl.DataFrame) -> list[str]:
    """The registered inspection-risk selection (``marts.risk_model_selection``,
    ``marts.risk_calibration``) in plain words: how it was chosen, how well it does against its
    rivals, what it is called and how its likelihoods compare with what happened."""
    rows = selection.sort("candidate_order").to_dicts()
    chosen = next(r for r in rows if r["is_chosen"])
    signal = next(r for r in rows if r["is_signal"])
    rivals = sorted((r for r in rows if r["kind"] == "rival"), key=lambda r: -r["cv_auc"])
    n, judged = chosen["inspections"], chosen["judged_ri_or_inadequate"]
    words = [
        f"The method was written down before any result was seen, with {len(rows)} candidates, and chosen by "
        f"cross-validation: the {n} inspections of 2018-2023 ({judged} judged requires improvement or inadequate) "
        f"were split into five parts twenty times over, each candidate fitted on four parts and tried on the fifth.",
        f"The chosen method ({chosen['label']}) puts a council judged requires improvement or inadequate above "
        f"one judged good or outstanding {in_100(chosen['cv_auc'])} times in 100 (on its out-of-fold likelihoods "
        f"{in_100(chosen['oof_auc'])}, 95% interval {in_100(chosen['oof_auc_low'])}-{in_100(chosen['oof_auc_high'])}).",
        "The rivals it had to beat: " + "; ".join(f"{r['label']} {in_100(r['cv_auc'])} times in 100" for r in rivals)
        + ". A coin toss would do 50.",
    ]
    ranked = signal is chosen and signal["cv_auc"] >= 0.75 and all(signal["cv_auc"] > r["cv_auc"] for r in rivals)
    words.append("It reaches 75 in 100 and beats every rival, so by the registered rule it may be called an early "
                 "warning and ranked nationally." if ranked else
                 f"It does not both reach 75 in 100 and beat every rival, so by the registered rule the best method "
                 f"built on the published figures ({signal['label']}) is called an inspection-risk signal and is "
                 "given no national rank.")
    bins = calibration.filter(pl.col("role") == "chosen").sort("bin").to_dicts()
    if bins:
        low, high = bins[0], bins[-1]
        words.append(
            f"Its likelihoods, tried on the inspections each was not fitted on: in the fifth it gave the lowest "
            f"(about {in_100(low['mean_likelihood'])} in 100), {low['judged_ri_or_inadequate']} of "
            f"{low['inspections']} were judged requires improvement or inadequate; in the fifth it gave the highest "
            f"(about {in_100(high['mean_likelihood'])} in 100), {high['judged_ri_or_inadequate']} of "
            f"{high['inspections']}. Across all of them, {in_100(low['base_rate'])} in 100.")
    return words


def risk_signal_lines(row: dict, named: bool = True) -> list[str]:
    """One council's row of ``marts.risk_signal`` in words, for its page: the likelihood with its
    interval and base rate, the inspections like it, what drives it and the rival it must beat.
    ``named``: the first line opens with the signal's name (not under a heading that gives it)."""
    likelihood = (f"a likelihood of {in_100(row['likelihood'])} in 100 that the next inspection finds requires "
                  f"improvement or inadequate (95% interval {in_100(row['likelihood_low'])}-"
                  f"{in_100(row['likelihood_high'])}); {row['like_this_text']}")
    lines = [f"{row['signal_name'][0].upper()}{row['signal_name'][1:]}: {likelihood}" if named
             else f"{likelihood[0].upper()}{likelihood[1:]}"]
    if row.get("rank_national") is not None:
        lines[0] += f"; rank {row['rank_national']} in England (1 = most likely)"
    lines[0] += "."
    if row.get("drivers"):
        lines.append(f"What drives it: {row['drivers']}.")
    lines.append(row["rival_sentence"])
    return lines
