"""The headline set: the curated indicators read from ``pipeline/headline_indicators.yaml``.

The file lists ``{code, service_area, reason}``; every code must be an indicator of the release
and every service area one of ``JUDGED_AREAS``. Every problem is reported at once, naming the
file and the entry, so a typo is fixed in one pass.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from base.service_areas import JUDGED_AREAS
from base.settings import REPO_ROOT

HEADLINE_FILE = REPO_ROOT / "pipeline" / "headline_indicators.yaml"


class HeadlineError(ValueError):
    """The headline file is malformed or names an unknown indicator or service area."""


def headline_rows(con: duckdb.DuckDBPyConnection, path: Path = HEADLINE_FILE) -> list[tuple[str, str, int, int, str]]:
    """(indicator_code, service_area, service_order, position, reason) for every entry of the file."""
    entries = yaml.safe_load(path.read_text())
    if not isinstance(entries, list) or not entries:
        raise HeadlineError(f"{path.name}: expected a non-empty list of {{code, service_area, reason}}.")
    known = {r[0] for r in con.execute("SELECT indicator_code FROM core.dim_indicator").fetchall()}
    rows, problems, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("code", "service_area", "reason")):
            problems.append(f"entry {number}: needs code, service_area and reason ({entry!r})")
            continue
        code, area, reason = str(entry["code"]), entry["service_area"], str(entry["reason"]).strip()
        if code in seen:
            problems.append(f"entry {number}: {code!r} is listed twice")
        elif code not in known:
            problems.append(f"entry {number}: {code!r} is not an indicator of the release")
        elif area not in JUDGED_AREAS:
            problems.append(f"entry {number}: service_area {area!r} is not one of {', '.join(JUDGED_AREAS)}")
        else:
            rows.append((code, area, JUDGED_AREAS.index(area) + 1, number, reason))
        seen.add(code)
    if problems:
        raise HeadlineError(f"{path.name}: " + "; ".join(problems))
    return rows
