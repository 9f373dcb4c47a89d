"""``peerdata early-warning``: every council's first-iteration early-warning score as of a date.

The first iteration's score (level + change / 2, docs/methods.md "The score"), kept for the
backtests and for looking back at any date; it is not the registered inspection-risk signal the
pages show (``marts.risk_signal``), and is ranked only where the registered selection allows.
Reads the warehouse (read-only) and applies the score's rules as of the date
(``assets/marts/score_as_of.py``): only the figures published by then count. Printed as a table,
or as CSV for a spreadsheet.
"""

from __future__ import annotations

import os
import sys
from datetime import date

import polars as pl
from rich.console import Console
from rich.table import Table

from base.councils import resolve_council
from assets.marts.score_as_of import scores_as_of
from assets.risk.ranking import score_cv_auc
from base.warehouse import WarehouseFile

CSV_COLUMNS = ("rank_national", "area_code", "area_name", "region_name", "score", "score_band", "n_concerns",
               "n_positioned", "concerns")

PIPED_WIDTH = 1000  # columns of the table when the output is not a terminal


def unranked_note(cv_auc: float | None) -> str:
    """Why the score carries no national rank (docs/methods.md, "Inspection-risk signal")."""
    if cv_auc is None:
        return ("No national rank: the score has no cross-validated AUC in this warehouse (the inspection-risk "
                "selection has not run), and a score is ranked only at 0.75 or above.")
    return (f"No national rank: the score's cross-validated AUC on the 2018-2023 inspections is {cv_auc:.2f}, "
            "below the 0.75 a ranked score must reach (marts.risk_model_selection; marts.risk_signal holds the "
            "registered signal).")


def early_warning_command(as_of: date, council: str | None, top: int, as_csv: bool) -> int:
    with WarehouseFile.from_env().connect(read_only=True) as con:
        headline_n = con.execute(
            "SELECT count(*) FROM marts.headline_indicator WHERE polarity IN ('high', 'low')").fetchall()[0][0]
        scores = scores_as_of(con, as_of)
        cv_auc, ranked = score_cv_auc(con)
        if council is not None:
            code = resolve_council(con, council)
            scores = scores.filter(pl.col("area_code") == code)
    if not ranked:  # no rank, and no order that amounts to one
        scores = scores.with_columns(rank_national=pl.lit(None, dtype=scores.schema["rank_national"])
                                     ).sort("area_name")
    if as_csv:
        scores.select(CSV_COLUMNS).write_csv(sys.stdout)
        return 0
    shown = scores if council is not None else scores.head(top)
    order = "1 = most warning" if ranked else "councils in alphabetical order"
    table = Table(title=f"First-iteration early-warning score as of {as_of:%d %B %Y} (figures published by then; "
                        f"{order})",
                  title_justify="left")
    columns = (("Rank", "right"),) if ranked else ()
    for name, justify in (*columns, ("Council", "left"), ("Score", "right"), ("Band", "left"),
                          ("Figures", "right"), ("Concerns", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for row in shown.iter_rows(named=True):
        rank = (str(row["rank_national"] or "-"),) if ranked else ()
        table.add_row(
            *rank, f"{row['area_name']} ({row['area_code']})",
            "no score" if row["score"] is None else f"{row['score']:.2f}", row["score_band"] or "-",
            f"{row['n_positioned']} of {headline_n}", (row["concerns"] or "none").replace("; ", "\n"))
    # Piped or redirected, the output is not cut to 80 columns: each line is as long as it needs.
    console = Console(highlight=False, soft_wrap=True,
                      width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPED_WIDTH)
    console.print(table)
    if not ranked:
        console.print(unranked_note(cv_auc))
    if council is None and scores.height > shown.height:
        console.print(f"{shown.height} of {scores.height} councils shown (--top N for more, --csv for all).")
    console.print("Figures: headline indicators with a figure published by the date; with fewer than half of them "
                  "there is no score. Band: lower, middle or higher third of the scores the rules were fitted on "
                  "(docs/methods.md, \"The score\"). The pages show the registered inspection-risk signal "
                  "(marts.risk_signal), not this score.")
    return 0
