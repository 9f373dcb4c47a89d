"""The self-evaluation framework: a Word document per council (``peerdata self-evaluation template``).

A loose framework, not a form: per service area (the eight of ``pipeline/headline_indicators.yaml``)
three or four plain lines of what the published data say (``data_lines``: the headline figures
against England and the neighbours, the concerns and strengths, Ofsted's latest sub-judgement),
then prompts and space for the council's own account; a section on areas for development; and
one table, "Our view" (Service area, Our view, Direction, Evidence beyond the data), which the
pipeline reads back as the council's self-evaluation (``assets/self_evaluations/read.py``). The
council's LA code is the document property *identifier*.

Everything comes from the marts: ``marts.service_area_evidence`` (the figures and Ofsted),
``marts.series_signal`` (concerns, strengths, context), ``marts.strengths_weaknesses`` (areas for
development). Written with python-docx.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from base.councils import resolve_council
from assets.profiles.formatting import slug
from base.service_areas import SERVICE_HEADINGS
from assets.self_evaluations.read import DIRECTIONS, DOCX_COLUMNS, LA_CODE_PROPERTY, TABLE_TITLE, VIEWS
from base.warehouse import WarehouseFile

EVIDENCE_SQL = "SELECT * FROM marts.service_area_evidence WHERE area_code = ? ORDER BY service_order"
SIGNALS_SQL = """
    SELECT h.service_area, s.signal, s.indicator_name, s.sentence
    FROM marts.series_signal AS s JOIN marts.headline_indicator AS h USING (indicator_code)
    WHERE s.area_code = ? AND s.signal IN ('concern', 'strength', 'context')
    ORDER BY h.service_order, h.position
"""
DEVELOPMENT_SQL = """
    SELECT service_area, indicator_name, reason FROM marts.strengths_weaknesses
    WHERE area_code = ? AND kind = 'area_for_development' ORDER BY position
"""
RELEASE_SQL = "SELECT release_id FROM core.release_history ORDER BY published_at DESC LIMIT 1"
ACCOUNT_PROMPTS = (
    "What does the data not show? What do you know from audits, practice observation, children's and families' "
    "voices and partners?",
    "Where you see it differently from the lines above, say why, and what evidence a visiting team could look at.",
)
DEVELOPMENT_PROMPTS = (
    "Which areas are you working on, what is the plan, and how will you know it is working?",
    "What support would help, and what could you offer other councils?",
)


@dataclass(frozen=True)
class CouncilFramework:
    """What one council's framework says: its name, code, the release, and the lines per service area."""

    code: int
    name: str
    release_id: str
    areas: list[tuple[str, list[str]]]  # (service area key, lines of what the data say)
    development: list[str]  # the data's areas for development, in words


def data_lines(evidence: dict, signals: list[dict]) -> list[str]:
    """Three or four plain lines of what the data say about one service area of one council.

    ``evidence``: its row of ``marts.service_area_evidence``; ``signals``: its headline concerns,
    strengths and context figures (``marts.series_signal``)."""
    names = {kind: [s["indicator_name"] for s in signals if s["signal"] == kind] for kind in ("concern", "strength")}
    lines = []
    if evidence["judged_n"]:
        lines.append(
            f"{evidence['judged_n']} headline figure{'s' if evidence['judged_n'] != 1 else ''} judged: "
            f"{evidence['best_quarter_n']} in the best quarter of councils, {evidence['worst_quarter_n']} in the worst; "
            + (f"concerns: {'; '.join(names['concern'])}" if names["concern"] else "no concern")
            + (f"; strengths: {'; '.join(names['strength'])}." if names["strength"] else "; no strength.")
        )
        lines.append(f"Furthest behind England: {evidence['weakest_figure']}.")
        if evidence["strongest_indicator_code"] != evidence["weakest_indicator_code"]:
            lines.append(f"Furthest ahead: {evidence['strongest_figure']}.")
    else:
        lines += [s["sentence"] for s in signals if s["signal"] == "context"] or [
            "No headline figure for this area could be judged against England in this release."]
    if evidence["ofsted_judgement"]:
        lines.append(f"Ofsted's latest inspection (report published {evidence['ofsted_published']:%B %Y}) judged "
                     f"{evidence['ofsted_judgement_name']} {evidence['ofsted_judgement']}.")
    return lines


def framework_of(con: duckdb.DuckDBPyConnection, council: str | int) -> CouncilFramework:
    """The framework of the council ``council`` names (a name or an LA code), from the marts."""
    code = resolve_council(con, council)
    name = con.execute("SELECT area_name FROM core.dim_area WHERE area_code = ?", [code]).fetchall()[0][0]
    evidence = _rows(con, EVIDENCE_SQL, code)
    signals = _rows(con, SIGNALS_SQL, code)
    areas = [(row["service_area"], data_lines(row, [s for s in signals if s["service_area"] == row["service_area"]]))
             for row in evidence]
    development = [f"{SERVICE_HEADINGS[r['service_area']]}: {r['reason']}" for r in _rows(con, DEVELOPMENT_SQL, code)]
    return CouncilFramework(code, name, con.execute(RELEASE_SQL).fetchall()[0][0], areas, development)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, code: int) -> list[dict]:
    cursor = con.execute(sql, [code])
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def write_framework(framework: CouncilFramework, path: Path) -> Path:
    """Write ``framework`` as a Word document at ``path``."""
    import docx
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt, RGBColor

    document = docx.Document()
    setattr(document.core_properties, LA_CODE_PROPERTY, str(framework.code))  # read back as the council
    document.core_properties.title = f"Self-evaluation: {framework.name}"
    document.styles["Normal"].font.size = Pt(10.5)

    def prompt(text: str) -> None:
        run = document.add_paragraph().add_run(text)
        run.italic = True
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)

    document.add_heading(f"Self-evaluation: {framework.name}", level=0)
    document.add_paragraph(
        f"LA code {framework.code}. What the published data say comes from LAIT release {framework.release_id} "
        f"and Ofsted's ILACS judgements (written {dt.date.today():%d %B %Y}). This is a framework, not a form: "
        "write as much or as little as you need, in your own words, and delete the prompts."
    )
    for area, lines in framework.areas:
        document.add_heading(SERVICE_HEADINGS[area], level=1)
        document.add_paragraph("What the published data say", style="Heading 3")
        for line in lines:
            document.add_paragraph(line, style="List Bullet")
        document.add_paragraph("Our account", style="Heading 3")
        for text in ACCOUNT_PROMPTS:
            prompt(text)
        document.add_paragraph()
    document.add_heading("Areas for development", level=1)
    if framework.development:
        document.add_paragraph("The data point to:")
        for line in framework.development:
            document.add_paragraph(line, style="List Bullet")
    for text in DEVELOPMENT_PROMPTS:
        prompt(text)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    document.add_heading(TABLE_TITLE, level=1)
    prompt(f"One row per service area. Our view: {', '.join(VIEWS)}. Direction: {', '.join(DIRECTIONS)}. "
           "Leave a row empty if you do not want to give a view of that area. Keep the column headings: "
           "this table is read back for the peer challenge.")
    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, DOCX_COLUMNS.values()):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for area, _ in framework.areas:
        row = table.add_row()
        row.height = Cm(1.8)  # room to write
        row.cells[0].text = SERVICE_HEADINGS[area]
    for column, width in zip(table.columns, (Cm(3.8), Cm(3.2), Cm(2.6), Cm(6.4))):
        for cell in column.cells:
            cell.width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def framework_file_name(framework: CouncilFramework) -> str:
    return f"self-evaluation-{framework.code}-{slug(framework.name)}-{framework.release_id}.docx"


def write_templates(councils: list[str] | None, out_dir: Path, warehouse: WarehouseFile | None = None) -> list[Path]:
    """Write the framework of each council named (None: every current council) into ``out_dir``."""
    warehouse = warehouse or WarehouseFile.from_env()
    with warehouse.connect(read_only=True) as con:
        if councils is None:
            councils = [str(c) for (c,) in con.execute(
                "SELECT area_code FROM core.dim_area WHERE area_kind = 'la' AND is_current ORDER BY area_code").fetchall()]
        frameworks = [framework_of(con, council) for council in councils]
    return [write_framework(f, out_dir / framework_file_name(f)) for f in frameworks]
