"""The inspection-risk signal as Dagster assets: one step that reads the marts and core tables
and writes its own four tables in schema ``marts`` (``assets/risk/tables.py``).
(No ``from __future__ import annotations`` here: Dagster reads the ``context`` annotation.)
"""

import inspect

import dagster as dg

from assets.marts.keys import core, mart
from assets.metadata import table_metadata
from assets.resources import WarehouseResource

DEPS = (mart("series_position"), mart("headline_indicator"), mart("backtest_inspection"), core("inspection"),
        core("dim_area"))
TABLES = {
    "risk_model_selection": """One row per registered candidate of the inspection-risk signal: its cross-validated AUC.

        How (``assets/risk/model.py``, docs/methods.md "Inspection-risk signal"): 20 x 5 repeated
        stratified CV over the 2018-2023 inspections, every fit inside the folds; cv_auc = mean of
        the 100 held-out folds' AUC; oof_auc with a 95% bootstrap interval (2,000 resamples, seed 22);
        the chosen method (highest CV AUC, ties to the earlier candidate) and the signal (the best
        indicator-based candidate).""",
    "risk_calibration": """The chosen method's (and the signal's) out-of-fold likelihoods in five quantile bins.

        How: each inspection's likelihood averaged over the 20 repeats; per bin the inspections,
        the mean likelihood and the share judged requires improvement or inadequate.""",
    "risk_roc": """ROC points of the out-of-fold likelihoods of the signal and every rival, for the methods page.""",
    "risk_signal": """Per current council, the inspection-risk signal as of the current release.

        How: the signal fitted on every 2018-2023 inspection, applied to every figure of the
        release; likelihood with a 95% interval (500 bootstrap refits), the base rate, the
        inspections with a likelihood like this, up to three driving indicators, the rival it must
        beat; a national rank and bands only where the registered rules allow them.""",
}


@dg.multi_asset(
    name="risk_signal",
    specs=[dg.AssetSpec(mart(table), deps=list(DEPS), description=inspect.cleandoc(text), group_name="marts",
                        kinds={"duckdb", "scikit-learn"}, owners=["team:peerdata"])
           for table, text in TABLES.items()],
    pool="duckdb_writer",
)
def risk_signal(context: dg.AssetExecutionContext, warehouse: WarehouseResource):
    """Select the registered inspection-risk signal by cross-validation and score every council.

    Reads the marts and core tables; writes its four tables, each in its own statement. A rebuild
    whose inputs and code are unchanged reuses the tables computed for them (``assets/risk/cache.py``).
    Without graded inspections nothing can be selected: the tables are dropped and the run says so.
    """
    from assets.risk.tables import compute_or_reuse  # scikit-learn is imported only when the step runs

    with warehouse.connect() as con:
        if con.execute("SELECT count(*) FROM core.inspection WHERE overall_grade IS NOT NULL").fetchall()[0][0] == 0:
            for table in TABLES:
                con.execute(f"DROP TABLE IF EXISTS marts.{table}")
            context.log.warning("No graded inspections in core.inspection: no inspection-risk signal "
                                "(configure PEERDATA_INSPECTIONS).")
            for table in TABLES:
                yield dg.MaterializeResult(asset_key=mart(table), metadata={"note": "no inspections: not selected"})
            return
        frames, done = compute_or_reuse(con, warehouse.paths.cache_dir / "risk")
        context.log.info(done)
        for table, frame in frames.items():
            con.register("risk_frame", frame.to_arrow())
            con.execute(f"CREATE OR REPLACE TABLE marts.{table} AS SELECT * FROM risk_frame")
            con.unregister("risk_frame")
            context.log.info(f"wrote marts.{table}")
            yield dg.MaterializeResult(asset_key=mart(table), metadata=table_metadata(con, f"marts.{table}"))
