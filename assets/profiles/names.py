"""One readable name per indicator, the same on every card, chart, table and PDF.

The headline set's indicators have a curated ``short_name`` (``pipeline/headline_indicators.yaml``,
written from the dictionary's definition). Every other indicator shows the dictionary's name
(``Measure``), tidied: spaces collapsed, a leading "%"/"Percentage of" moved to a "(%)" at
the end, the abbreviation "CLA"/"LAC" written out. The dictionary's chart title is not used as a
second name (it is long, and carries typos such as "their adoption and their adoptive placement").

Rows within a topic are ordered by headline position, then by name read without a leading
"%"/"% of" or number (so "% of..." and "0-10 working days" do not come first).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

from base.settings import REPO_ROOT

HEADLINE_FILE = REPO_ROOT / "pipeline" / "headline_indicators.yaml"
SHORT_NAME_MAX = 70
ABBREVIATIONS = ((re.compile(r"\bCLA\b|\bLAC\b"), "children looked after"),)
LEADING_PERCENT = re.compile(r"^\s*(?:%\s*(?:of\s+)?|percentage\s+(?:rate\s+)?of\s+)", re.IGNORECASE)
SORT_NOISE = re.compile(r"^[\s%\d.,&+\-\u2013/()]*(?:of\s+)?", re.IGNORECASE)


class ShortNameError(ValueError):
    """The headline file's short names are missing or too long."""


@cache
def short_names(path: Path = HEADLINE_FILE) -> dict[str, str]:
    """{indicator code: short name} of the headline set; every entry must have one of at most
    ``SHORT_NAME_MAX`` characters (the error names the file and the entry)."""
    entries = yaml.safe_load(path.read_text()) or []
    found, problems = {}, []
    for number, entry in enumerate(entries, start=1):
        name = str((entry or {}).get("short_name") or "").strip()
        if not name:
            problems.append(f"entry {number} ({entry.get('code') if entry else None!r}): no short_name")
        elif len(name) > SHORT_NAME_MAX:
            problems.append(f"entry {number} ({entry['code']!r}): short_name over {SHORT_NAME_MAX} characters")
        else:
            found[str(entry["code"])] = name
    if problems:
        raise ShortNameError(f"{path.name}: " + "; ".join(problems))
    return found


def tidy_name(name: str, percentage: bool) -> str:
    """The dictionary's name as a reader reads it (see the module docstring)."""
    text = re.sub(r"\s+", " ", name).strip()
    moved = LEADING_PERCENT.sub("", text)
    for pattern, words in ABBREVIATIONS:
        moved = pattern.sub(words, moved)
    moved = moved[:1].upper() + moved[1:]
    if (percentage or moved != text and text.lstrip().startswith("%")) and not moved.endswith("(%)"):
        moved = re.sub(r"\s*\(%\)\s*$", "", moved) + " (%)"
    return moved


def display_name(code: str, dictionary_name: str, percentage: bool) -> str:
    """The one name of an indicator: its curated short name, else its dictionary name tidied."""
    return short_names().get(code) or tidy_name(dictionary_name, percentage)


def renamed(text: str | None, dictionary_name: str | None, name: str) -> str | None:
    """A mart's sentence with the indicator's dictionary name in it replaced by its display name
    (the marts keep the dictionary's names; a page names an indicator one way)."""
    return text.replace(dictionary_name, name) if text and dictionary_name else text


def sort_key(name: str) -> str:
    """A name as it sorts: lower case, without a leading "%", "% of" or number."""
    return SORT_NOISE.sub("", name).lower()
