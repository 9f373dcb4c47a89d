"""The headline set: the curated indicators read from ``pipeline/headline_indicators.yaml``.

The file lists ``{code, short_name, service_area, reason}``; every code must be an indicator of
the release, every service area one of ``JUDGED_AREAS`` and every short name (the one name the
warehouse, the pages and the exports give the indicator: ``marts.indicator_name``) at most
``SHORT_NAME_MAX`` characters. Every problem is reported at once, naming the file and the entry,
so a typo is fixed in one pass.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from base.service_areas import JUDGED_AREAS
from base.settings import REPO_ROOT

HEADLINE_FILE = REPO_ROOT / "pipeline" / "headline_indicators.yaml"
FIELDS = ("code", "short_name", "service_area", "reason")
SHORT_NAME_MAX = 70


class HeadlineError(ValueError):
    """The headline file is malformed or names an unknown indicator or service area."""


def headline_rows(con: duckdb.DuckDBPyConnection,
                  path: Path = HEADLINE_FILE) -> list[tuple[str, str, int, int, str, str]]:
    """(indicator_code, service_area, service_order, position, reason, short_name) for every entry of the file."""
    entries = yaml.safe_load(path.read_text())
    if not isinstance(entries, list) or not entries:
        raise HeadlineError(f"{path.name}: expected a non-empty list of {{{', '.join(FIELDS)}}}.")
    known = {r[0] for r in con.execute("SELECT indicator_code FROM core.dim_indicator").fetchall()}
    rows, problems, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not all(str(entry.get(k) or "").strip() for k in FIELDS):
            problems.append(f"entry {number}: needs {', '.join(FIELDS)} ({entry!r})")
            continue
        code, area, reason = str(entry["code"]), entry["service_area"], str(entry["reason"]).strip()
        short_name = " ".join(str(entry["short_name"]).split())
        if code in seen:
            problems.append(f"entry {number}: {code!r} is listed twice")
        elif code not in known:
            problems.append(f"entry {number}: {code!r} is not an indicator of the release")
        elif area not in JUDGED_AREAS:
            problems.append(f"entry {number}: service_area {area!r} is not one of {', '.join(JUDGED_AREAS)}")
        elif len(short_name) > SHORT_NAME_MAX:
            problems.append(f"entry {number}: short_name of {code!r} is over {SHORT_NAME_MAX} characters")
        else:
            rows.append((code, area, JUDGED_AREAS.index(area) + 1, number, reason, short_name))
        seen.add(code)
    if problems:
        raise HeadlineError(f"{path.name}: " + "; ".join(problems))
    return rows
