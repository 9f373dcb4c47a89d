"""Find a current council by name or LA code, the way people write them, for every input.

One resolver for the YAML peer groups, local indicator files (and so ``validate-local``),
``peerdata export`` and ``peerdata profile``: ``resolve_council(source, "Windsor & Maidenhead")``
-> 868. The source is a warehouse connection (``core.dim_area``), a frame with ``area_code`` and
``area_name`` (and, when it knows them, ``is_current`` and ``successor_codes``), a mapping of
codes to names, or a ``CouncilNames`` built from one of those.

How a text is matched, in this order:

1. A whole number is an LA code.
2. The text's *key* equals a current council's key. A key ignores case, punctuation, spacing
   and ``&``/``and``; reads ``Saint`` as ``St``; drops the words that name the kind of council
   around the place (``City of``, ``County``, ``Royal Borough of``, ``London Borough of``,
   ``Council``, ``Borough``, ``Metropolitan``, ...), so ``Durham County Council``,
   ``County Durham`` and ``Durham`` agree; and reads ``Bristol, City of`` as ``Bristol``.
3. The key names an abolished council (Cumbria, Northamptonshire, Dorset/Poole/Bournemouth
   (Pre LG)): ``CouncilAbolished`` names its successors, so nobody's rows land on a council
   that no longer exists.
4. A short form (``ALIASES``: ``Hull``, ``BCP``, ``BANES``, ``East Riding``, ...) or a part of a
   council's name that people use alone: the place before ``upon``/``on``
   (``Southend``, ``Stoke``, ``Richmond``), each place of a name joined by ``and``/``with``/a
   comma (``Windsor``, ``Brighton``, ``Telford``, ``Bournemouth``, ``Poole``). A part shared by
   several councils (``Kingston``) raises ``CouncilAmbiguous`` listing them, never a guess.

A text that matches none raises ``CouncilNotFound`` with the closest current councils (by
spelling, and those whose name contains the text's words).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import polars as pl

CURRENT_COUNCILS_SQL = """
    SELECT area_code, area_name FROM core.dim_area
    WHERE area_kind = 'la' AND is_current ORDER BY area_code
"""
COUNCILS_SQL = """
    SELECT area_code, area_name, is_current, successor_codes FROM core.dim_area
    WHERE area_kind = 'la' ORDER BY area_code
"""

# Words naming the kind of council before or after the place, dropped from every key.
KIND_PREFIXES = ("the", "city and county of", "city of", "county of", "royal borough of", "london borough of",
                 "metropolitan borough of", "borough of", "county")
KIND_SUFFIXES = ("council", "borough", "metropolitan", "city", "county", "district", "unitary authority")
# Keys that a part of a council's name must never take: they name a region or the country.
NOT_A_COUNCIL = {"london", "england", "north east", "north west", "yorkshire", "east midlands", "west midlands",
                 "east of england", "south east", "south west", "inner london", "outer london"}
# Short forms that cannot be derived from the official name: short form -> the council's key.
ALIASES = {
    "hull": "kingston upon hull",
    "bcp": "bournemouth christchurch and poole",
    "banes": "bath and north east somerset",
    "b and nes": "bath and north east somerset",
    "bathnes": "bath and north east somerset",
    "east riding": "east riding of yorkshire",
    "rbkc": "kensington and chelsea",
    "rbwm": "windsor and maidenhead",
    "lbbd": "barking and dagenham",
    "lbhf": "hammersmith and fulham",
    "iow": "isle of wight",
    "mk": "milton keynes",
    "cwac": "cheshire west and chester",
}


class CouncilNotFound(LookupError):
    """No current council matches the given text; the message lists close matches."""


class CouncilAbolished(CouncilNotFound):
    """The text names a council abolished by reorganisation; the message names its successors."""


class CouncilAmbiguous(CouncilNotFound):
    """The text is a short form shared by several councils; the message lists them."""


def name_key(text: str) -> str:
    """The comparison form of a text: lower case, '&' as 'and', only letters and digits, single spaces."""
    words = re.sub(r"[^0-9a-z]+", " ", text.lower().replace("&", " and ")).split()
    return " ".join(words)


def council_key(text: str) -> str:
    """A council name's key: ``name_key`` with 'Saint' as 'St' and the words naming the kind of council
    dropped (``"Royal Borough of Windsor & Maidenhead"`` and ``"Bristol, City of"`` give
    ``"windsor and maidenhead"`` and ``"bristol"``). A key that would name a region or the country
    (``City of London`` -> ``london``) is left whole."""
    whole = key = " ".join("st" if w == "saint" else w for w in name_key(council_key_text(text)).split())
    changed = True
    while changed:
        changed = False
        for prefix in KIND_PREFIXES:
            if key.startswith(prefix + " "):
                key, changed = key[len(prefix) + 1:], True
        for suffix in KIND_SUFFIXES:
            if key.endswith(" " + suffix):
                key, changed = key[: -len(suffix) - 1], True
    return whole if key in NOT_A_COUNCIL else key


def name_parts(name: str) -> set[str]:
    """The keys of the parts of a council's name that people write alone (module docstring, rule 4)."""
    key = council_key(name)
    parts = set()
    for place in re.split(r",| and | with | & ", council_key_text(name)):
        place = council_key(place)
        parts.add(place)
        for joint in (" upon ", " on "):
            if joint in place:
                parts.add(place.split(joint, 1)[0])
    return {p for p in parts - {key} if p and p not in NOT_A_COUNCIL}


def council_key_text(name: str) -> str:
    """The name without a trailing ``, City of`` / ``, County of``."""
    place, sep, suffix = name.rpartition(",")
    return place if sep and name_key(suffix) in {"city of", "county of"} else name


@dataclass(frozen=True)
class CouncilNames:
    """Current councils {code: name} and abolished ones {code: (name, successor codes)}, indexed by key."""

    current: dict[int, str]
    abolished: dict[int, tuple[str, tuple[int, ...]]]

    @classmethod
    def of(cls, source: CouncilNames | duckdb.DuckDBPyConnection | Mapping[int, str] | pl.DataFrame) -> CouncilNames:
        """From a connection (``core.dim_area``), a frame, a mapping of current councils, or as it is."""
        if isinstance(source, CouncilNames):
            return source
        if isinstance(source, Mapping):
            return cls(dict(source), {})
        if isinstance(source, duckdb.DuckDBPyConnection):
            rows = source.execute(COUNCILS_SQL).fetchall()
        else:
            rows = _frame_rows(source)
        current = {code: name for code, name, is_current, successors in rows if is_current and not successors}
        abolished = {code: (name, tuple(sorted(successors))) for code, name, _, successors in rows if successors}
        return cls(current, abolished)

    def name(self, code: int) -> str:
        return self.current[code]

    def label(self, code: int) -> str:
        return f"{self.current[code]} ({code})"

    def resolve(self, text: str | int) -> int:
        """The LA code of the one current council that ``text`` names (see the module docstring)."""
        wanted = str(text).strip()
        if wanted.isdigit():
            code = int(wanted)
            if code in self.current:
                return code
            self._refuse_abolished(code, wanted)
            raise CouncilNotFound(f"{wanted!r} is not the LA code of a current council.")
        key = council_key(wanted)
        exact, by_part = self._keys, self._parts
        if key in exact:
            return exact[key]
        for code, (name, _) in self.abolished.items():
            if council_key(name) == key:
                self._refuse_abolished(code, wanted)
        if key in ALIASES and ALIASES[key] in exact:
            return exact[ALIASES[key]]
        codes = sorted(by_part.get(key, ()))
        if len(codes) == 1:
            return codes[0]
        if codes:
            choices = " or ".join(self.label(c) for c in codes)
            raise CouncilAmbiguous(f"{wanted!r} could be {choices}: write the full name or the LA code.")
        unique_parts = {part: next(iter(codes)) for part, codes in by_part.items() if len(codes) == 1}
        raise CouncilNotFound(f"No current council matches {wanted!r}.{self._close_matches(key, exact | unique_parts)}")

    @cached_property
    def _keys(self) -> dict[str, int]:
        return {council_key(name): code for code, name in self.current.items()}

    @cached_property
    def _parts(self) -> dict[str, set[int]]:
        by_part: dict[str, set[int]] = {}
        for code, name in self.current.items():
            for part in name_parts(name):
                by_part.setdefault(part, set()).add(code)
        return by_part

    def _refuse_abolished(self, code: int, wanted: str) -> None:
        if code in self.abolished:
            name, successors = self.abolished[code]
            now = " and ".join(self.label(s) if s in self.current else str(s) for s in successors)
            raise CouncilAbolished(
                f"{wanted!r} names {name} ({code}), a council abolished by reorganisation: "
                f"its area is now {now}. Give the current council instead.")

    def _close_matches(self, key: str, keys: dict[str, int]) -> str:
        """Councils whose name has words beginning with the text's words, then those spelt alike."""
        words = set(key.split()) - {"and", "of", "upon", "on", "st", "north", "south", "east", "west"}
        close = [code for k, code in keys.items()
                 if words and all(any(n.startswith(w) for n in k.split()) for w in words)]
        close += [keys[k] for k in difflib.get_close_matches(key, list(keys), n=5, cutoff=0.75)]
        suggestions = [self.label(c) for c in dict.fromkeys(close)][:5]
        return f" Close matches: {', '.join(suggestions)}." if suggestions else " No close matches."


def _frame_rows(frame) -> list[tuple[int, str, bool, tuple[int, ...]]]:
    """(code, name, is_current, successors) of a frame's councils (regions and England left out)."""
    import polars as pl  # only for a frame: the marts resolve names without importing Polars

    frame = frame if isinstance(frame, pl.DataFrame) else pl.from_pandas(frame)
    if "area_kind" in frame.columns:
        frame = frame.filter(pl.col("area_kind") == "la")
    current = frame["is_current"].to_list() if "is_current" in frame.columns else [True] * frame.height
    successors = frame["successor_codes"].to_list() if "successor_codes" in frame.columns else [None] * frame.height
    return [(code, name, is_current, tuple(s or ())) for code, name, is_current, s in
            zip(frame["area_code"].to_list(), frame["area_name"].to_list(), current, successors)]


def current_councils(source: CouncilNames | duckdb.DuckDBPyConnection | Mapping[int, str] | pl.DataFrame) -> dict[int, str]:
    """Current councils as {area_code: area_name}."""
    if isinstance(source, duckdb.DuckDBPyConnection):
        return dict(source.execute(CURRENT_COUNCILS_SQL).fetchall())
    return dict(CouncilNames.of(source).current)


def resolve_council(source: CouncilNames | duckdb.DuckDBPyConnection | Mapping[int, str] | pl.DataFrame,
                    text: str | int) -> int:
    """The LA code of the one current council that ``text`` names (a name, a short form or an LA code)."""
    return CouncilNames.of(source).resolve(text)
