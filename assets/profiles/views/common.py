"""What every page kind shares: anchors, period keys, JSON for a page, the words for polarity and type.

Pure functions and constants only; the page modules beside this one build their contexts from them.
"""

from __future__ import annotations

import json

import polars as pl
from markupsafe import Markup

from assets.profiles.formatting import format_value, slug

LA_TYPES = {
    "UA": "Unitary authority", "SC": "County council", "MD": "Metropolitan district",
    "OLB": "Outer London borough", "ILB": "Inner London borough",
}
# Where the council list's type is not what the council is: the City of London is listed with the
# Inner London boroughs (ILB) but is the City of London Corporation, not a borough.
COUNCIL_TYPES = {201: "The City of London Corporation (an Inner London authority, not a borough)"}
POLARITY_WORDS = {"high": "higher is better", "low": "lower is better", "none": "no judgement of better or worse"}
SUB_JUDGEMENTS = [("impact_of_leaders", "Leadership"), ("help_and_protection", "Help and protection"),
                  ("in_care", "Children in care"), ("care_leavers", "Care leavers")]


def council_type(code: int, la_type: str | None) -> str:
    """The council's type in words, from the council list's ``Type`` (``core.dim_area.la_type``)."""
    return COUNCIL_TYPES.get(code) or LA_TYPES.get(la_type or "", la_type or "not recorded")


def council_file(code: int, name: str) -> str:
    return f"{code}-{slug(name)}.html"


def json_for_html(value: object) -> Markup:
    """JSON safe inside a ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def by_code(frame: pl.DataFrame, key: str = "area_code") -> dict[int, pl.DataFrame]:
    return {k[0]: part for k, part in frame.partition_by(key, as_dict=True).items()} if len(frame) else {}


def rounded(values: list, dps: int) -> list:
    return [None if v is None else round(v, dps + 2) for v in values]


def year_span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def indicator_anchor(code: str) -> str:
    """The id of an indicator's row on a council page (``%`` spelt ``pct``: ``X`` and ``X%`` differ)."""
    return f"ind-{slug(code.replace('%', ' pct'))}"


def definition_anchor(code: str) -> str:
    """The indicator's entry on the shared definitions page, from a page one folder down."""
    return f"../definitions.html#def-{slug(code.replace('%', ' pct'))}"


def data_years(end_years: list[int | None]) -> dict:
    """How current the council's figures are: the year most of them end in (each latest period's
    end year, as the core parsed its label: ``marts.trend.latest_end_year``), and the oldest year."""
    years = [y for y in end_years if y]
    if not years:
        return {"most": None, "share": 0, "oldest": None, "n": 0}
    most = max(set(years), key=lambda y: (years.count(y), y))
    return {"most": most, "share": round(100 * years.count(most) / len(years)), "oldest": min(years), "n": len(years)}
