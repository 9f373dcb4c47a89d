"""Read one self-evaluation file, a CSV or a filled-in framework (``.docx``), into rows of text.

A CSV has the header ``la_code,service_area,our_view,direction,evidence`` (``COLUMNS``), one
row per council and service area. A framework document (written by ``peerdata
self-evaluation template``) holds one council's view in its table "Our view" (columns
``DOCX_COLUMNS``), and the council's LA code in its document property *identifier* (the
template sets it; Word keeps it when the document is edited).

Every file becomes ``SelfEvaluationRow`` tuples: the file, the row a person finds it at (CSV:
the spreadsheet row, header = row 1; docx: the row of the table, header = row 1), and the five
cells as written. Nothing is judged here: the core build (``assets/dbt/models/core/self_evaluation.sql``)
refuses an unknown council, service area or word, naming file, row and column. A row left
empty (a service area the council did not fill in) is not a view and is skipped. A file that
cannot be read at all (not UTF-8, a header without these columns, no "Our view" table) raises
``SelfEvaluationFileError`` naming the file.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import NamedTuple

from assets.core.sources import SourceFileError, check_utf8

COLUMNS = ("la_code", "service_area", "our_view", "direction", "evidence")
TABLE_TITLE = "Our view"
# column of COLUMNS (but the LA code) -> its heading in the framework's "Our view" table
DOCX_COLUMNS = {"service_area": "Service area", "our_view": "Our view", "direction": "Direction",
                "evidence": "Evidence beyond the data"}
LA_CODE_PROPERTY = "identifier"  # the document property holding the council's LA code
LA_CODE_LABEL = f"document property '{LA_CODE_PROPERTY}' (LA code)"
VIEWS = ("strength", "secure", "area for development")
DIRECTIONS = ("improving", "stable", "declining")


class SelfEvaluationFileError(SourceFileError):
    """A self-evaluation file cannot be read at all; the message names the file."""


class SelfEvaluationRow(NamedTuple):
    source_file: str
    source_row: int | None
    la_code: str | None
    service_area: str | None
    our_view: str | None
    direction: str | None
    evidence: str | None


def file_columns(path: Path) -> dict[str, str]:
    """How the file names each of ``COLUMNS``, for naming a refused cell as the reader sees it."""
    if path.suffix.lower() == ".docx":
        return {"la_code": LA_CODE_LABEL} | {c: f"{h} (table '{TABLE_TITLE}')" for c, h in DOCX_COLUMNS.items()}
    return {c: c for c in COLUMNS}


def read_self_evaluation_file(path: Path) -> list[SelfEvaluationRow]:
    """The views a CSV or a framework document holds (see the module docstring)."""
    return _read_docx(path) if path.suffix.lower() == ".docx" else _read_csv(path)


def _blank(value: str | None) -> str | None:
    """The cell's text, stripped; None when empty."""
    text = (value or "").strip()
    return text or None


def _read_csv(path: Path) -> list[SelfEvaluationRow]:
    data = path.read_bytes()
    check_utf8(path.name, data)
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    header = [h.strip().lower() for h in next(reader)]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SelfEvaluationFileError(
            f"{path.name} row 1: column(s) {', '.join(missing)} missing; the header must be {','.join(COLUMNS)} "
            f"(found {','.join(header)})."
        )
    rows = []
    for number, cells in enumerate(reader, start=2):
        values = {c: _blank(cells[header.index(c)]) if header.index(c) < len(cells) else None for c in COLUMNS}
        if any(values.values()):
            rows.append(SelfEvaluationRow(path.name, number, **values))
    return rows


def _read_docx(path: Path) -> list[SelfEvaluationRow]:
    import docx  # python-docx, only when a framework document is read
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise SelfEvaluationFileError(f"{path.name}: cannot be read as a Word .docx document ({exc}).") from exc
    la_code = _blank(document.core_properties.identifier)
    for table in document.tables:
        header = [_blank(cell.text) or "" for cell in table.rows[0].cells] if table.rows else []
        if [h.lower() for h in header[:len(DOCX_COLUMNS)]] == [h.lower() for h in DOCX_COLUMNS.values()]:
            break
    else:
        raise SelfEvaluationFileError(
            f"{path.name}: no table '{TABLE_TITLE}' with the columns {', '.join(DOCX_COLUMNS.values())}; "
            "start from the framework `peerdata self-evaluation template` writes."
        )
    rows = []
    for number, row in enumerate(table.rows[1:], start=2):
        cells = [_blank(cell.text) for cell in row.cells]
        values = {column: cells[i] if i < len(cells) else None for i, column in enumerate(DOCX_COLUMNS)}
        if any(values.get(c) for c in ("our_view", "direction", "evidence")):
            rows.append(SelfEvaluationRow(path.name, number, la_code, **values))
    return rows
