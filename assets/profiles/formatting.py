"""How numbers and judgements are written on the pages: values, bands, directions, slugs.

Pure functions, one rule each, so a reader can check a page against the marts by hand:
values are rounded to the indicator's decimal places (``marts.trend.dps``, 1 when the
dictionary gives none); percentages carry ``%``; bands and directions are always words, with
an arrow or a colour only as an extra.
"""

from __future__ import annotations

import math
import re
import unicodedata

# Okabe-Ito, the colour-blind-safe palette; black text on each of these passes WCAG AA.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}

BAND_COLOURS = {
    "A": OKABE_ITO["bluish_green"],
    "B": OKABE_ITO["sky_blue"],
    "C": OKABE_ITO["orange"],
    "D": OKABE_ITO["vermillion"],
}

BAND_WORDS = {
    "A": "A: best quarter",
    "B": "B: second quarter",
    "C": "C: third quarter",
    "D": "D: worst quarter",
}

DIRECTION_ARROWS = {"up": "\u2191", "down": "\u2193", "flat": "\u2192"}

def slug(text: str) -> str:
    """A file-name form of a name: ASCII lower case, words joined by '-' ('&' read as 'and')."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("&", " and ")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, dps: int, percentage: bool = False) -> str:
    """``value`` rounded half away from zero to ``dps`` places, with thousands separators.

    Missing values are written as an en dash; percentages get a ``%``.
    """
    if is_missing(value):
        return "\u2013"
    scaled = abs(value) * 10**dps
    rounded = math.floor(scaled + 0.5) / 10**dps
    text = f"{math.copysign(rounded, value) if rounded else 0.0:,.{dps}f}"
    return f"{text}%" if percentage else text


def format_change(change: float | None, dps: int, percentage: bool = False) -> str:
    """A signed change: ``+1.2``, ``-0.4``, unsigned ``0.0`` when it rounds to nothing (``pp``
    for percentage points)."""
    if is_missing(change):
        return "\u2013"
    text = format_value(abs(change), dps)
    unit = " pp" if percentage else ""
    if not text.strip("0.,"):
        return f"{text}{unit}"
    return f"{'-' if change < 0 else '+'}{text}{unit}"


def band_words(band: str | None) -> str:
    return BAND_WORDS.get(band or "", "not banded")


def direction_arrow(change: float | None, direction: str) -> str:
    """The arrow of the raw movement (up, down or flat); the word says whether that is good."""
    if is_missing(change) or direction in ("not comparable",):
        return ""
    if direction == "no change" or change == 0:
        return DIRECTION_ARROWS["flat"]
    return DIRECTION_ARROWS["up"] if change > 0 else DIRECTION_ARROWS["down"]


def rank_text(rank: int | None, rank_n: int | None) -> str:
    """``"r of N"``, or an en dash when the council is not ranked."""
    if rank is None or rank_n is None:
        return "\u2013"
    return f"{rank} of {rank_n}"


PLAIN_TREND = (  # the marts' wording -> what a Director reads
    (" (less than half the national inter-quartile range)", " (small beside the differences between councils)"),
    (", but not consistently (the direction depends on a single year)", ", but one year decides it"),
    ("indicator is marked No_Quartile in the data dictionary", "not compared: the Department does not band it"),
    ("indicator has no polarity", "neither higher nor lower is better"),
)


def plain_words(text: str | None) -> str | None:
    """A trend label or a reason from the marts in plain English (the marts keep the exact wording)."""
    if text is None:
        return None
    for exact, plain in PLAIN_TREND:
        text = text.replace(exact, plain)
    return re.sub(r"no trend: only (\d+) consecutive periods? with a value \((\d+) needed\)",
                  r"too few years for a trend (\1 of \2)", text)
