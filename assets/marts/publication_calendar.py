"""The publication calendar: when each collection's figures become public, per indicator.

``pipeline/publication_calendar.yaml`` lists the collections (children in need, looked after,
workforce, EHC plans, KS2, KS4, ...), each with the period end of its labels, the day its figures
count as public and the indicators it publishes (by code pattern, or by the dictionary's topic and
year type). ``calendar_rows`` matches every indicator of the release to its collection: an
indicator named by a code pattern first, then the first collection in file order whose topic (and
year type, when given) is the indicator's. An indicator no collection matches is left out, and
``marts.series_position`` keeps the 12-month rule for it (collection ``unlisted``).
``available_from`` turns a period's end year into the day its figure counts as public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import duckdb
import yaml

from base.settings import REPO_ROOT

CALENDAR_FILE = REPO_ROOT / "pipeline" / "publication_calendar.yaml"
REQUIRED = ("collection", "release", "usual_publication", "period_end", "available_from", "years_after_end")
ROW_COLUMNS = ("indicator_code VARCHAR", "collection VARCHAR", "period_end_month INTEGER",
               "period_end_day INTEGER", "available_month INTEGER", "available_day INTEGER",
               "years_after_end INTEGER", "approximate BOOLEAN")


class CalendarError(ValueError):
    """The calendar file is malformed (the message names the file and the entry)."""


@dataclass(frozen=True)
class Collection:
    name: str
    release: str
    period_end: tuple[int, int]
    available: tuple[int, int]
    years_after_end: int
    approximate: bool
    codes: tuple[str, ...]
    topics: tuple[str, ...]
    year_types: tuple[str, ...]

    def available_from(self, period_end_year: int) -> dt.date:
        """The first day a figure of the period ending in ``period_end_year`` counts as public."""
        month, day = self.available
        return dt.date(period_end_year + self.years_after_end, month, day)


def _month_day(text: object, where: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(text).split("-"))
        dt.date(2001, month, day)
    except ValueError as exc:
        raise CalendarError(f"{where}: {text!r} is not a month-day such as \"03-31\"") from exc
    return month, day


def read_calendar(path: Path = CALENDAR_FILE) -> list[Collection]:
    """Every collection of the file, checked; every problem is reported at once."""
    entries = yaml.safe_load(path.read_text())
    if not isinstance(entries, list) or not entries:
        raise CalendarError(f"{path.name}: expected a non-empty list of collections.")
    collections, problems, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name}, entry {number}"
        missing = [key for key in REQUIRED if not isinstance(entry, dict) or entry.get(key) in (None, "")]
        if missing:
            problems.append(f"{where}: needs {', '.join(missing)}")
            continue
        if not entry.get("codes") and not entry.get("topics"):
            problems.append(f"{where} ({entry['collection']}): needs codes or topics")
            continue
        if entry["collection"] in seen:
            problems.append(f"{where}: collection {entry['collection']!r} is listed twice")
            continue
        seen.add(entry["collection"])
        try:
            collections.append(Collection(
                name=str(entry["collection"]), release=str(entry["release"]),
                period_end=_month_day(entry["period_end"], f"{where}, period_end"),
                available=_month_day(entry["available_from"], f"{where}, available_from"),
                years_after_end=int(entry["years_after_end"]),
                approximate=bool(entry.get("approximate", False)),
                codes=tuple(str(c) for c in entry.get("codes") or ()),
                topics=tuple(str(t) for t in entry.get("topics") or ()),
                year_types=tuple(str(y) for y in entry.get("year_types") or ())))
        except (CalendarError, ValueError) as exc:
            problems.append(str(exc) if isinstance(exc, CalendarError) else f"{where}: {exc}")
    if problems:
        raise CalendarError("; ".join(problems))
    return collections


def collection_of(code: str, topics: set[str], year_type: str | None,
                  collections: list[Collection]) -> Collection | None:
    """The collection publishing an indicator: a code pattern first, then topic and year type."""
    for collection in collections:
        if any(fnmatchcase(code, pattern) for pattern in collection.codes):
            return collection
    for collection in collections:
        if topics & set(collection.topics) and (not collection.year_types or year_type in collection.year_types):
            return collection
    return None


def calendar_rows(con: duckdb.DuckDBPyConnection, path: Path = CALENDAR_FILE) -> list[tuple]:
    """One row per indicator of the release that a collection publishes (``ROW_COLUMNS``)."""
    collections = read_calendar(path)
    topics: dict[str, set[str]] = {}
    for code, topic in con.execute("SELECT indicator_code, topic FROM core.indicator_topic").fetchall():
        topics.setdefault(code, set()).add(topic)
    rows = []
    for code, year_type in con.execute("SELECT indicator_code, year_type FROM core.dim_indicator").fetchall():
        found = collection_of(code, topics.get(code, set()), year_type, collections)
        if found is not None:
            rows.append((code, found.name, *found.period_end, *found.available, found.years_after_end,
                         found.approximate))
    return rows
