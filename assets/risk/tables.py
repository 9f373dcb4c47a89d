"""The registered procedure run on the warehouse, as four tables (docs/methods.md,
"Inspection-risk signal"):

- ``risk_model_selection``: one row per candidate, its CV AUC and interval, chosen / signal;
- ``risk_calibration``: the chosen method's and the signal's out-of-fold likelihoods by quintile;
- ``risk_roc``: the ROC points of the out-of-fold likelihoods of the signal and every rival;
- ``risk_signal``: one row per current council: the signal as of the release, what it is called,
  its likelihood with base rate and interval, the indicators driving it and the rival it must beat.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from sklearn.metrics import roc_auc_score, roc_curve
from threadpoolctl import threadpool_limits

from assets.risk import model
from assets.risk.cache import reuse_or_compute
from assets.risk.features import AREAS, SOCIAL_CARE, current_frame, inspection_frame

EARLY_WARNING_AUC = 0.75
ABOUT_AS_WELL = 0.05
DRIVER_SHORTFALL = 0.5
SIGNAL_NAME, EARLY_WARNING_NAME = "inspection-risk signal", "early warning"


def _matrix(frame: pl.DataFrame, candidate: model.Candidate) -> np.ndarray:
    return frame.select([pl.col(c).cast(pl.Float64) for c in candidate.columns]).to_numpy()


def rival_sentence(signal: model.CVResult, rival: model.CVResult) -> str:
    """The rival the signal must beat, in words a reader follows: each cross-validated AUC said as
    what it is, the share of pairs (a council later judged requires improvement or inadequate,
    one judged good or better) in which the council judged worse is ranked higher, in 100."""
    s, r = round(signal.cv_auc * 100), round(rival.cv_auc * 100)
    pairs = ("ranks a council later judged requires improvement or inadequate above one judged good or "
             "better in {} of 100 such pairs")
    if rival.cv_auc >= signal.cv_auc:
        return f"Knowing {rival.candidate.plain} alone does as well or better: it {pairs.format(r)}, the signal in {s}."
    if rival.cv_auc >= signal.cv_auc - ABOUT_AS_WELL:
        return f"Knowing {rival.candidate.plain} alone does about as well: it {pairs.format(r)}, the signal in {s}."
    return f"The signal {pairs.format(s)}; the best rival, {rival.candidate.plain} alone, in {r}."


def is_early_warning(signal: model.CVResult, chosen: model.CVResult, results: list[model.CVResult]) -> bool:
    """The registered rule for a national rank and the name "early warning"."""
    rivals = [r.cv_auc for r in results if r.candidate.is_rival]
    return signal is chosen and signal.cv_auc >= EARLY_WARNING_AUC and all(signal.cv_auc > r for r in rivals)


def drivers(candidate: model.Candidate, contribution: np.ndarray, council_short: pl.DataFrame,
            names: dict[str, str]) -> tuple[str, list[str]]:
    """Up to three headline indicators driving one council's signal: in words, with their shortfall,
    and their codes (for the pages' links to the indicators' rows; stored ';'-separated)."""
    if candidate.model == "logistic":
        areas = [c.removesuffix("_level") for c in candidate.columns if c.endswith("_level")]
        weight = {a: contribution[i] for i, a in enumerate(areas)}
        ranked = [a for a in sorted(areas, key=lambda a: -weight[a]) if weight[a] > 0]
    else:
        area = candidate.columns[0].removesuffix("_level")
        ranked = list(SOCIAL_CARE) if area == "social_care" else [area] if area in AREAS else []
    picked = []
    for area in ranked:
        rows = council_short.filter((pl.col("service_area") == area) & (pl.col("shortfall") >= DRIVER_SHORTFALL))
        picked += rows.sort("shortfall", descending=True).rows(named=True)
    if candidate.model == "score":
        picked.sort(key=lambda r: -r["shortfall"])
    return ("; ".join(f"{names.get(r['indicator_code'], r['indicator_code'])} ({r['shortfall']:.1f} spreads worse "
                      f"than England, {r['period_label']})" for r in picked[:3]),
            [r["indicator_code"] for r in picked[:3]])


def read_inputs(con) -> dict[str, pl.DataFrame]:
    """What the procedure reads from the warehouse: the inspections and the current councils with
    their features, the councils' shortfalls, the headline indicators' names."""
    councils, short = current_frame(con)
    names = con.sql("SELECT indicator_code, indicator_name FROM marts.headline_indicator ORDER BY ALL").pl()
    return {"inspections": inspection_frame(con), "councils": councils, "shortfalls": short, "names": names}


def compute(con) -> dict[str, pl.DataFrame]:
    """Run the registered procedure on the warehouse; the four tables as Polars frames."""
    return _compute_limited(read_inputs(con))


def compute_or_reuse(con, cache: Path) -> tuple[dict[str, pl.DataFrame], str]:
    """The four tables kept in ``cache`` for the same inputs and code, or computed and kept there
    (``assets/risk/cache.py``); and what was done, in words, for the run's log."""
    inputs = read_inputs(con)
    tables, key, reused = reuse_or_compute(cache, inputs, lambda: _compute_limited(inputs))
    done = "reused the selection computed" if reused else "computed the selection, kept"
    return tables, f"{done} for these inputs and code (key {key[:12]} in {cache})"


def _compute_limited(inputs: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    with threadpool_limits(1):
        return _compute(**inputs)


def _compute(inspections: pl.DataFrame, councils: pl.DataFrame, shortfalls: pl.DataFrame,
             names: pl.DataFrame) -> dict[str, pl.DataFrame]:
    selection = inspections.filter(pl.col("is_selection"))
    y = selection["is_ri_or_inadequate"].cast(pl.Int64).to_numpy()
    results = [model.cross_validate(c, _matrix(selection, c), y) for c in model.CANDIDATES]
    chosen = model.choose(results)
    signal = model.choose(results, [r for r in results if not r.candidate.is_rival])
    rivals = [r for r in results if r.candidate.is_rival]
    best_rival = model.choose(rivals, rivals)
    early = is_early_warning(signal, chosen, results)

    selection_rows = []
    for order, r in enumerate(results, start=1):
        value, low, high = model.oof_interval(r, y)
        number = model.number_auc(r.candidate, _matrix(selection, r.candidate), y)
        selection_rows.append({
            "candidate_order": order, "candidate": r.candidate.name, "label": r.candidate.label,
            "kind": r.candidate.kind, "cv_auc": r.cv_auc, "cv_auc_sd": float(r.fold_aucs.std(ddof=1)),
            "oof_auc": value, "oof_auc_low": low, "oof_auc_high": high,
            "number_auc": number[0], "number_auc_low": number[1], "number_auc_high": number[2],
            "inspections": len(y), "judged_ri_or_inadequate": int(y.sum()),
            "is_chosen": r is chosen, "is_signal": r is signal, "is_best_rival": r is best_rival})
    base_rate = float(y.mean())
    calibration_rows = [{"candidate": r.candidate.name, "role": role, **row, "base_rate": base_rate}
                        for role, r in (("chosen", chosen), ("signal", signal)) if role == "chosen" or r is not chosen
                        for row in model.calibration(r, y)]
    roc_rows = []
    for r in [signal, *rivals]:
        fpr, tpr, _ = roc_curve(y, r.mean_oof)
        roc_rows += [{"candidate": r.candidate.name, "point": i, "fpr": float(f), "tpr": float(t)}
                     for i, (f, t) in enumerate(zip(fpr, tpr, strict=True))]

    X, X_new = _matrix(selection, signal.candidate), _matrix(councils, signal.candidate)
    fitted = model.final_fit(signal.candidate, X, y)
    # inspections from 2024 on (none in today's file) judge the signal exactly as fitted on 2018-2023
    later = inspections.filter(~pl.col("is_selection"))
    later_y = later["is_ri_or_inadequate"].cast(pl.Int64).to_numpy()
    later_auc = (float(roc_auc_score(later_y, fitted.predict_proba(_matrix(later, signal.candidate))[:, 1]))
                 if len(set(later_y)) == 2 else None)
    for row in selection_rows:
        row |= {"later_inspections": later.height if row["is_signal"] else None,
                "later_auc": later_auc if row["is_signal"] else None}
    likelihood = fitted.predict_proba(X_new)[:, 1]
    low, high = model.refit_interval(signal.candidate, fitted, X, y, X_new)
    contribution = model.contributions(signal.candidate, fitted, X_new)
    bins = model.calibration(signal, y)
    cuts = [b["likelihood_to"] for b in bins[:-1]]
    tercile = np.quantile(signal.mean_oof, [1 / 3, 2 / 3]) if model.bands_in_order(signal, y) else None
    names = dict(names.iter_rows())
    signal_rows = []
    for i, council in enumerate(councils.iter_rows(named=True)):
        like_this = bins[int(np.searchsorted(cuts, likelihood[i], side="left"))]
        driver_text, driver_codes = drivers(signal.candidate, contribution[i],
                                            shortfalls.filter(pl.col("key") == council["key"]), names)
        signal_rows.append({
            "area_code": council["area_code"], "area_name": council["area_name"],
            "signal_name": EARLY_WARNING_NAME if early else SIGNAL_NAME, "candidate": signal.candidate.name,
            "method": signal.candidate.label, "likelihood": float(likelihood[i]),
            "likelihood_low": float(low[i]), "likelihood_high": float(high[i]), "base_rate": base_rate,
            "like_this_inspections": like_this["inspections"],
            "like_this_judged": like_this["judged_ri_or_inadequate"],
            "like_this_text": (f"of the {like_this['inspections']} inspections in 2018-2023 with a likelihood like this, "
                               f"{like_this['judged_ri_or_inadequate']} were judged requires improvement or inadequate; "
                               f"of all {len(y)}, {int(y.sum())} ({base_rate:.0%})"),
            "drivers": driver_text or None, "driver_codes": ";".join(driver_codes) or None,
            "next_inspection_type": council["inspection_type"],
            "signal_cv_auc": signal.cv_auc, "rival": best_rival.candidate.name,
            "rival_cv_auc": best_rival.cv_auc, "rival_sentence": rival_sentence(signal, best_rival),
            "band": None if tercile is None else
            ("lower" if likelihood[i] <= tercile[0] else "middle" if likelihood[i] <= tercile[1] else "higher"),
        })
    signal_frame = pl.DataFrame(signal_rows, infer_schema_length=None)
    signal_frame = signal_frame.with_columns(
        rank_national=pl.col("likelihood").rank("min", descending=True).cast(pl.Int64) if early
        else pl.lit(None, dtype=pl.Int64))
    selection_frame = pl.DataFrame(selection_rows, schema_overrides={
        "number_auc": pl.Float64, "number_auc_low": pl.Float64, "number_auc_high": pl.Float64,
        "later_inspections": pl.Int64, "later_auc": pl.Float64})
    return {"risk_model_selection": selection_frame, "risk_calibration": pl.DataFrame(calibration_rows),
            "risk_roc": pl.DataFrame(roc_rows), "risk_signal": signal_frame}
