"""The regional overview: every council of a region with its inspection-risk signal, Ofsted and headline values."""

from __future__ import annotations

from base.service_areas import SERVICE_HEADINGS
from assets.profiles.views.learn_from import needs_and_offers, region_themes
from assets.profiles.views.self_evaluation import self_evaluation_rows
from assets.profiles.views.shared import SharedViews

REGION_TABLE_COLUMNS = 7


def region_page(views: SharedViews, region_name: str) -> dict:
    """Every council of a region: inspection-risk signal, Ofsted, the headline values, changes since last release.

    The headline values are in tables of at most ``REGION_TABLE_COLUMNS`` indicators, whole
    service areas together, each beside the signal's likelihood, so no column is hidden at
    1366 px; a value for an older period than the newest of the column shows its period.
    """
    codes = [c for c, row in sorted(views.councils.items(), key=lambda kv: kv[1]["area_name"])
             if row["region_name"] == region_name]
    lines = [{"area_code": c, "area_name": views.councils[c]["area_name"], "file": views.files[c],
              "risk": views.risk(c), "inspection": views.inspection(c),
              "headline": views.headline_cells(c)} for c in codes]
    lines.sort(key=lambda line: (line["risk"]["likelihood"] is None, -(line["risk"]["likelihood"] or 0), line["area_name"]))
    columns = views.headline_columns()
    for column in columns:
        cells = [line["headline"][column["index"]] for line in lines]
        newest = max((c["end_year"] for c in cells if c["period"]), default=None)
        for cell in cells:
            cell["old"] = bool(cell["period"]) and cell["end_year"] < newest
    return {
        "name": region_name, "councils": lines, "risk_name": views.risk_name, "tables": column_tables(columns),
        "inspection_coverage": views.inspection_coverage,
        "comparators": comparator_lines(region_name, lines, len(columns)),
        "release": views.data.release, "changes": views.release_changes,
        "council_changes": [{"council": line, **views.council_changes(line["area_code"])} for line in lines],
        "self_evaluations": [{"council": line, "rows": self_evaluation_rows(views, line["area_code"])} for line in lines],
        "self_evaluations_loaded": views.data.self_evaluation is not None,
        "themes": region_themes(views, region_name),
        "needs_and_offers": needs_and_offers(views, codes),
    }


def comparator_lines(region_name: str, lines: list[dict], n_columns: int) -> list[dict]:
    """England's and the region's own value of each headline column, for the period of the newest
    council figure in the column (``marts.benchmark.england_value`` and ``region_value``)."""
    found = {"England": [], region_name: []}
    for index in range(n_columns):
        cells = [line["headline"][index] for line in lines if line["headline"][index]["period"]]
        newest = max(cells, key=lambda c: (c["end_year"], c["period"]), default=None)
        for name, key in (("England", "england"), (region_name, "region")):
            found[name].append({"text": newest[key] if newest else "\u2013", "period": newest["period"] if newest else ""})
    return [{"area_name": name, "headline": cells} for name, cells in found.items()]


def column_tables(columns: list[dict]) -> list[dict]:
    """The headline columns in tables of whole service areas, at most ``REGION_TABLE_COLUMNS`` each
    (an area with more columns than that gets a table of its own)."""
    tables: list[list[dict]] = []
    by_area: dict[str | None, list[dict]] = {}
    for column in columns:
        by_area.setdefault(column["area"], []).append(column)
    for area_columns in by_area.values():
        if tables and len(tables[-1]) + len(area_columns) <= REGION_TABLE_COLUMNS:
            tables[-1].extend(area_columns)
        else:
            tables.append(list(area_columns))
    return [{"columns": cols, "areas": ", ".join(dict.fromkeys(SERVICE_HEADINGS.get(c["area"], "Other") for c in cols))}
            for cols in tables]
