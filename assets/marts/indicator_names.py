"""One readable name per indicator, worked out once for the warehouse (``marts.indicator_name``).

Every mart's ``indicator_name``, every sentence the marts write, every page, chart, PDF and export
uses it. The headline set's indicators have a curated ``short_name`` (``pipeline/headline_indicators.yaml``,
written from the dictionary's definition, read by ``assets.marts.headline``). Every other indicator
gets the dictionary's name (``Measure``) tidied: spaces collapsed, a space put back before "(" and
after a dash, a leading "%"/"Percentage of" moved to a "(%)" at the end, the abbreviation
"CLA"/"LAC" written out. The dictionary's chart title is never a second name (it is long, and
carries typos such as "their adoption and their adoptive placement").

``sort_name``: the name as it sorts within a topic, without a leading "%"/"% of" or number (so
"% of..." and "0-10 working days" do not come first).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ABBREVIATIONS = ((re.compile(r"\bCLA\b|\bLAC\b"), "children looked after"),)
# Typing slips of the dictionary's names: "known(from 2016)", "pupils -Maths".
SPACING = ((re.compile(r"(?<=\w)\("), " ("), (re.compile(r"(?<=\w) -(?=\w)"), " - "))
LEADING_PERCENT = re.compile(r"^\s*(?:%\s*(?:of\s+)?|percentage\s+(?:rate\s+)?of\s+)", re.IGNORECASE)
SORT_NOISE = re.compile(r"^[\s%\d.,&+\-\u2013/()]*(?:of\s+)?", re.IGNORECASE)


def tidy_name(name: str, percentage: bool) -> str:
    """The dictionary's name as a reader reads it (see the module docstring)."""
    text = re.sub(r"\s+", " ", name).strip()
    for pattern, spaced in SPACING:
        text = pattern.sub(spaced, text)
    moved = LEADING_PERCENT.sub("", text)
    for pattern, words in ABBREVIATIONS:
        moved = pattern.sub(words, moved)
    moved = moved[:1].upper() + moved[1:]
    if (percentage or moved != text and text.startswith("%")) and not moved.endswith("(%)"):
        moved = re.sub(r"\s*\(%\)\s*$", "", moved) + " (%)"
    return moved


def sort_name(name: str) -> str:
    """A name as it sorts: lower case, without a leading "%", "% of" or number."""
    return SORT_NOISE.sub("", name).lower()


def name_rows(dictionary: Iterable[tuple[str, str | None, bool | None]],
              short_names: dict[str, str]) -> list[tuple[str, str, str | None, bool, str]]:
    """(indicator_code, indicator_name, dictionary_name, curated, sort_name) for each
    (code, dictionary name, is percentage) of ``dictionary``: the curated short name when the
    headline file gives one, else the dictionary's name tidied (the code, for an indicator with
    data and no dictionary row)."""
    rows = []
    for code, dictionary_name, percentage in dictionary:
        curated = code in short_names
        name = short_names[code] if curated else tidy_name(dictionary_name or code, bool(percentage))
        rows.append((code, name, dictionary_name, curated, sort_name(name)))
    return rows
