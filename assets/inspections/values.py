"""How a date or a grade cell of an inspections file is read: the one place for both rules.

Dates: ``yyyy-mm-dd`` (the CSV), ``dd/mm/yyyy`` and ``dd/mm/yy`` (the overview workbook; a
two-digit year is 20yy), or a spreadsheet date cell read as ``yyyy-mm-dd 00:00:00``.
Grades: Ofsted's four words in any case and spacing; a few texts the workbook's scraper
leaves behind are read as written in ``GRADE_ALIASES``. A cell that is blank reads as
missing. Anything else is returned unchanged, for the validation to refuse with its row and
column: nothing unknown is quietly turned into a missing value.
"""

from __future__ import annotations

import re
from datetime import date

GRADES = ("outstanding", "good", "requires improvement", "inadequate")  # grade 1..4
INSPECTION_TYPES = ("standard", "short")

# Texts seen in the overview workbook, and what they mean.
GRADE_ALIASES = {
    "nan": None,  # pandas' text for an empty cell, written into the workbook
    "none": None,
    "to requires improvement": "requires improvement",  # scraped from "... improved to requires improvement"
}
TYPE_ALIASES = {"nan": None, "none": None}

_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00(?:\.0+)?)?$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})$")


def blank(text: str | None) -> bool:
    return text is None or not str(text).strip()


def normal_date(text: str | None) -> str | None:
    """The date as ``yyyy-mm-dd``; None when blank; the text unchanged when it is not a date."""
    if blank(text):
        return None
    text = str(text).strip()
    parsed = _iso(text) or _dmy(text)
    return parsed.isoformat() if parsed else text


def read_as_date(text: str | None) -> bool:
    """Whether the cell is blank or a date in one of the forms read."""
    return blank(text) or bool(_iso(str(text).strip()) or _dmy(str(text).strip()))


def normal_grade(text: str | None) -> str | None:
    """The grade word in lower case (aliases read as listed); None when blank."""
    return _word(text, GRADE_ALIASES)


def normal_type(text: str | None) -> str | None:
    """``standard`` or ``short`` in lower case; None when blank."""
    return _word(text, TYPE_ALIASES)


def normal_code(text: str | None) -> str | None:
    """An LA code as digits (``928`` from ``928`` or ``928.0``); the text unchanged otherwise."""
    if blank(text):
        return None
    text = str(text).strip()
    match = re.fullmatch(r"(\d+)(?:\.0+)?", text)
    return match.group(1) if match else text


def _word(text: str | None, aliases: dict[str, str | None]) -> str | None:
    if blank(text):
        return None
    word = " ".join(str(text).split()).lower()
    return aliases.get(word, word)


def _iso(text: str) -> date | None:
    match = _ISO.match(text)
    return _date(int(match[1]), int(match[2]), int(match[3])) if match else None


def _dmy(text: str) -> date | None:
    match = _DMY.match(text)
    if not match:
        return None
    year = int(match[3])
    return _date(year + 2000 if len(match[3]) == 2 else year, int(match[2]), int(match[1]))


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31/02/2020 is not a date
        return None
