"""A tiny LAIT release cut from the real ``current`` one at test time (never committed): four
indicators with suppressed ('-') and negative values for ten councils (abolished Cumbria and its
successors among them), the regions and England, with the real council list and neighbour file;
or, for a build of the marts, the risk signal and the pages, the headline set of every council.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import polars as pl
import yaml

from base.settings import REPO_ROOT, ReleaseFiles

FILES = ReleaseFiles()
HEADLINE = REPO_ROOT / "pipeline" / "headline_indicators.yaml"
COUNCIL_CODES = (301, 302, 868, 869, 870, 871, 872, 909, 942, 943)  # incl. abolished Cumbria and successors


def headline_codes() -> list[str]:
    """The indicators the whole pipeline needs: the headline set (``pipeline/headline_indicators.yaml``)
    and the risk signal's deprivation rival."""
    from assets.risk.features import DEPRIVATION

    return [entry["code"] for entry in yaml.safe_load(HEADLINE.read_text())] + [DEPRIVATION]


def write_tiny_release(real: Path, release: Path, indicators: list[str] | None = None,
                       councils: tuple[int, ...] | None = COUNCIL_CODES) -> Path:
    """The four files of the tiny release in ``release`` (created), cut from the release in ``real``:
    with ``indicators``, those instead of four chosen for their suppressed and negative values;
    ``councils=None``: every council's rows (the risk signal needs many councils' inspections)."""
    release.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        codes = indicators or [c for (c,) in con.execute(
            f"""SELECT "Short Desc" FROM read_parquet('{real / FILES.bds}') GROUP BY 1
                HAVING count(*) FILTER (WHERE "Values" = '-') > 0 ORDER BY count(*) FILTER (
                    WHERE TRY_CAST("Values" AS DOUBLE) < 0) DESC, 1 LIMIT 4""").fetchall()]
        con.execute(
            f"""COPY (SELECT * FROM read_parquet('{real / FILES.bds}') WHERE "Short Desc" IN ?
                      AND ("LA Number" IS NULL OR {'true' if councils is None else f'"LA Number" IN {councils}'}))
                TO '{release / FILES.bds}' (FORMAT parquet)""", [codes])
    dictionary = pl.read_csv(real / FILES.dictionary, infer_schema=False)
    dictionary.filter(pl.col("Measure_short").is_in(codes)).write_csv(release / FILES.dictionary)
    for name in (FILES.councils, FILES.neighbours):
        shutil.copy(real / name, release / name)
    return release
