"""How far Ofsted's inspections file reaches, said wherever a judgement is read.

Worked out from the data, never from a file name: the newest inspection end date and the
newest report publication date in ``core.inspection`` (the file cannot be older than its newest
report), against the LAIT release's date (the newest "Last Update" of its dictionary,
``core.dim_indicator.last_update``, the date in the release id). A file whose newest report is
more than ``STALE_AFTER_MONTHS`` months older than the release is out of date: the pages,
``peerdata status`` and the ``inspections_current`` check say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from base.warehouse import table_exists

STALE_AFTER_MONTHS = 6
COVERAGE = """
    SELECT max(inspection_end_date), max(publication_date), (SELECT max(last_update) FROM {schema}.dim_indicator)
    FROM {schema}.inspection
"""


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def months_between(earlier: date, later: date) -> int:
    """Whole months from ``earlier`` to ``later`` (16 Feb 2024 to 1 Apr 2026: 25)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


@dataclass(frozen=True)
class InspectionCoverage:
    inspections_to: date | None
    reports_to: date | None
    release_date: date | None

    @property
    def months_behind(self) -> int | None:
        """Months from the newest report in the file to the LAIT release (None when either is unknown)."""
        if self.reports_to is None or self.release_date is None:
            return None
        return months_between(self.reports_to, self.release_date)

    @property
    def out_of_date(self) -> bool:
        return (self.months_behind or 0) > STALE_AFTER_MONTHS

    def sentence(self) -> str:
        """"inspections to 22 Dec 2023, from a file of reports published to 16 Feb 2024"."""
        if self.inspections_to is None:
            return "no dated inspection in Ofsted's file"
        reports = f", from a file of reports published to {day_text(self.reports_to)}" if self.reports_to else ""
        return f"inspections to {day_text(self.inspections_to)}{reports}"

    def warning(self) -> str | None:
        """What a reader must know when the file is out of date against the release, else None."""
        if not self.out_of_date:
            return None
        return (f"The file is {self.months_behind} months older than the LAIT release of "
                f"{day_text(self.release_date)}: a judgement made since then is not shown.")


def inspection_coverage(con: duckdb.DuckDBPyConnection, schema: str = "core") -> InspectionCoverage | None:
    """The coverage of ``<schema>.inspection`` (``staging`` while the core is checked before it is
    published), or None in a warehouse without it."""
    if not table_exists(con, f"{schema}.inspection"):
        return None
    return InspectionCoverage(*con.execute(COVERAGE.format(schema=schema)).fetchall()[0])
