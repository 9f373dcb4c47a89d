"""Named SQL checks read from SQL files under ``assets/sql`` (e.g. ``checks/core_checks.sql``).

A check file holds several queries, each introduced by a ``-- name: <check_name>`` line;
a query returns the offending rows, so a check passes when it returns none.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def named_queries(file_name: str) -> dict[str, str]:
    """``{check_name: sql}`` for one check file, named relative to ``assets/sql``."""
    text = (SQL_DIR / file_name).read_text()
    parts = re.split(r"^-- name: (\w+)\s*$", text, flags=re.MULTILINE)
    return {name: body.strip() for name, body in zip(parts[1::2], parts[2::2])}
