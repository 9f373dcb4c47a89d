"""``peerdata early-warning``: every council's early-warning score as of a date, most warning first.

Reads the warehouse (read-only) and applies the score's rules as of the date
(``assets/marts/score_as_of.py``): only the figures published by then count. Printed as a table,
or as CSV for a spreadsheet.
"""

from __future__ import annotations

import sys
from datetime import date

import polars as pl
from rich.console import Console
from rich.table import Table

from base.councils import resolve_council
from assets.marts.score_as_of import scores_as_of
from base.warehouse import WarehouseFile

CSV_COLUMNS = ("rank_national", "area_code", "area_name", "region_name", "score", "score_band", "n_concerns",
               "n_positioned", "concerns")


def early_warning_command(as_of: date, council: str | None, top: int, as_csv: bool) -> int:
    with WarehouseFile.from_env().connect(read_only=True) as con:
        headline_n = con.execute(
            "SELECT count(*) FROM marts.headline_indicator WHERE polarity IN ('high', 'low')").fetchall()[0][0]
        scores = scores_as_of(con, as_of)
        if council is not None:
            code = resolve_council(con, council)
            scores = scores.filter(pl.col("area_code") == code)
    if as_csv:
        scores.select(CSV_COLUMNS).write_csv(sys.stdout)
        return 0
    shown = scores if council is not None else scores.head(top)
    table = Table(title=f"Early-warning score as of {as_of:%d %B %Y} (figures published by then; "
                        f"1 = most warning)", title_justify="left")
    for name, justify in (("Rank", "right"), ("Council", "left"), ("Score", "right"), ("Band", "left"),
                          ("Figures", "right"), ("Concerns", "left")):
        table.add_column(name, justify=justify, overflow="fold")
    for row in shown.iter_rows(named=True):
        table.add_row(
            str(row["rank_national"] or "-"), f"{row['area_name']} ({row['area_code']})",
            "no score" if row["score"] is None else f"{row['score']:.2f}", row["score_band"] or "-",
            f"{row['n_positioned']} of {headline_n}", (row["concerns"] or "none").replace("; ", "\n"))
    console = Console(highlight=False)
    console.print(table)
    if council is None and scores.height > shown.height:
        console.print(f"{shown.height} of {scores.height} councils shown (--top N for more, --csv for all).")
    console.print("Figures: headline indicators with a figure published by the date; with fewer than half of them "
                  "there is no score. Band: lower, middle or higher third of the scores the rules were fitted on "
                  "(docs/methods.md, \"The score\").")
    return 0
