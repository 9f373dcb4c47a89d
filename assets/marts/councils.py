"""Find a current council by name or LA code, forgivingly, for YAML files and the command line.

``resolve_council(source, "Windsor & Maidenhead")`` -> 868. A name matches when it is equal to
a council's name after normalising: case, ``&`` for ``and``, punctuation and spacing are
ignored; a council listed as ``"Bristol, City of"`` also answers to ``"City of Bristol"`` and
``"Bristol"``. A whole number is taken as an LA code. Only current councils resolve (abolished
ones such as Cumbria 909 do not); a name that matches none raises ``CouncilNotFound`` naming
the text and listing the closest current council names.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import polars as pl

CURRENT_COUNCILS_SQL = """
    SELECT area_code, area_name FROM core.dim_area
    WHERE area_kind = 'la' AND is_current ORDER BY area_code
"""


class CouncilNotFound(LookupError):
    """No current council matches the given text; the message lists close matches."""


def name_key(text: str) -> str:
    """The comparison form of a council name: lower case, '&' as 'and', only letters and digits."""
    words = re.sub(r"[^0-9a-z]+", " ", text.lower().replace("&", " and ")).split()
    return " ".join(words)


def _aliases(name: str) -> set[str]:
    keys = {name_key(name)}
    place, sep, suffix = name.rpartition(",")
    if sep and name_key(suffix) == "city of":
        keys |= {name_key(f"City of {place}"), name_key(place)}
    return keys


def current_councils(source: duckdb.DuckDBPyConnection | Mapping[int, str] | pl.DataFrame) -> dict[int, str]:
    """Current councils as {area_code: area_name}, from a warehouse connection, a mapping or a frame.

    A mapping is taken as it is. A frame needs ``area_code`` and ``area_name``; when it has
    ``is_current`` (as ``core.dim_area`` does) only current councils are kept.
    """
    if isinstance(source, duckdb.DuckDBPyConnection):
        return dict(source.execute(CURRENT_COUNCILS_SQL).fetchall())
    if isinstance(source, Mapping):
        return dict(source)
    import polars as pl  # only for a frame: the marts resolve names without importing Polars

    frame = source if isinstance(source, pl.DataFrame) else pl.from_pandas(source)
    if "is_current" in frame.columns:
        frame = frame.filter(pl.col("is_current"))
    if "area_kind" in frame.columns:
        frame = frame.filter(pl.col("area_kind") == "la")
    return dict(zip(frame["area_code"].to_list(), frame["area_name"].to_list()))


def resolve_council(source: duckdb.DuckDBPyConnection | Mapping[int, str] | pl.DataFrame, text: str | int) -> int:
    """The LA code of the one current council that ``text`` names (a name or an LA code)."""
    councils = current_councils(source)
    wanted = str(text).strip()
    if wanted.isdigit():
        if int(wanted) in councils:
            return int(wanted)
        raise CouncilNotFound(f"{wanted!r} is not the LA code of a current council.")
    by_key: dict[str, int] = {}
    for code, name in councils.items():
        for key in _aliases(name):
            by_key[key] = code
    key = name_key(wanted)
    if key in by_key:
        return by_key[key]
    close = difflib.get_close_matches(key, list(by_key), n=5, cutoff=0.6)
    suggestions = list(dict.fromkeys(f"{councils[by_key[k]]} ({by_key[k]})" for k in close))
    hint = f" Close matches: {', '.join(suggestions)}." if suggestions else " No close matches."
    raise CouncilNotFound(f"No current council matches {wanted!r}.{hint}")
