"""Turn the marts' rows into what each page shows: the template contexts, one function per page.

Everything here is plain data (dicts, lists, strings already formatted); the templates only lay
it out. ``CouncilViews`` splits the loaded frames by council once, so building every profile
does not filter the national frames 153 times.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import polars as pl
from markupsafe import Markup

from assets.profiles.backtest_words import auc_sentence, concern_sentences
from assets.profiles.changes import SIGNAL_CHANGES, council_changes, release_changes
from assets.profiles.charts import calibration_figure, roc_figure, sparkline_svg, spine_point, spine_strip
from assets.profiles.data import ProfileData
from assets.profiles.formatting import (
    BAND_COLOURS, band_words, direction_arrow, format_change, format_value, plain_words, rank_text, slug,
)
from assets.profiles.services import SERVICE_AREAS, SERVICE_HEADINGS, Topic, is_count, primary_topics

LA_TYPES = {
    "UA": "Unitary authority", "SC": "County council", "MD": "Metropolitan district",
    "OLB": "Outer London borough", "ILB": "Inner London borough",
}
POLARITY_WORDS = {"high": "higher is better", "low": "lower is better", "none": "no judgement of better or worse"}
SPARK_PERIODS = 10


def council_file(code: int, name: str) -> str:
    return f"{code}-{slug(name)}.html"


def json_for_html(value: object) -> Markup:
    """JSON safe inside a ``<script type="application/json">``: ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def by_code(frame: pl.DataFrame, key: str = "area_code") -> dict[int, pl.DataFrame]:
    return {k[0]: part for k, part in frame.partition_by(key, as_dict=True).items()} if len(frame) else {}


def rounded(values: list, dps: int) -> list:
    return [None if v is None else round(v, dps + 2) for v in values]


@dataclass
class CouncilViews:
    """Page contexts built from one ``ProfileData`` load."""

    data: ProfileData

    @cached_property
    def councils(self) -> dict[int, dict]:
        return {row["area_code"]: row for row in self.data.councils.to_dicts()}

    @cached_property
    def files(self) -> dict[int, str]:
        return {code: council_file(code, row["area_name"]) for code, row in self.councils.items()}

    @cached_property
    def split(self) -> dict[str, dict[int, pl.DataFrame]]:
        d = self.data
        return {name: by_code(getattr(d, name)) for name in ("latest", "history", "signals", "strengths", "neighbours",
                                                       "changes")}

    @cached_property
    def indicators(self) -> list[dict]:
        return self.data.indicators.to_dicts()

    def part(self, name: str, code: int) -> pl.DataFrame:
        return self.split[name].get(code, getattr(self.data, name).clear())

    # ---- council profile -------------------------------------------------------------------

    @cached_property
    def topic_of(self) -> dict[str, Topic]:
        """Each indicator's one topic (the first of its LAIT topics in service order)."""
        return primary_topics([(i["topic"], i["indicator_code"]) for i in self.indicators])

    @cached_property
    def shown_indicators(self) -> list[dict]:
        """Every indicator once, in service order, then by name."""
        unique = {i["indicator_code"]: i for i in self.indicators}
        return sorted(unique.values(), key=lambda i: (self.topic_of[i["indicator_code"]].order,
                                                      i["indicator_name"].lower(), i["indicator_code"]))

    def council(self, code: int) -> dict:
        """Everything the council profile and its print editions show, for one council."""
        council = self.councils[code]
        name = council["area_name"]
        latest = {r["indicator_code"]: r for r in self.part("latest", code).to_dicts()}
        history = self.history_series(code)
        signals = dict(self.part("signals", code).select("indicator_code", "signal").iter_rows())
        rows = {ind["indicator_code"]: self.indicator_row(ind, latest.get(ind["indicator_code"]),
                                                            history.get(ind["indicator_code"]),
                                                            signals.get(ind["indicator_code"]), name)
                for ind in self.shown_indicators}
        strengths = self.part("strengths", code)
        changes = self.council_changes(code, rows)
        anchor = lambda c: rows[c]["anchor"] if c in rows else None  # noqa: E731
        return {
            "code": code,
            "name": name,
            "region": council["region_name"],
            "region_file": f"{slug(council['region_name'])}.html",
            "la_type": LA_TYPES.get(council["la_type"] or "", council["la_type"] or "not recorded"),
            "neighbours": self.neighbour_lines(code),
            "release": self.data.release,
            "data_years": data_years([r["period"] for r in rows.values() if r["has_data"]]),
            "inspection": self.inspection(code),
            "inspections_loaded": self.data.inspections is not None,
            "headline": (headline := self.headline_rows(rows)),
            "headline_summary": headline_summary(headline),
            "service_bands": service_bands(rows.values()),
            "warning": self.warning(code, rows),
            "strengths": [s | {"anchor": anchor(s["indicator_code"])}
                          for s in strengths.filter(pl.col("kind") == "strength").to_dicts()],
            "developments": [s | {"anchor": anchor(s["indicator_code"])}
                             for s in strengths.filter(pl.col("kind") == "area_for_development").to_dicts()],
            "lines_of_enquiry": self.lines_of_enquiry(code, rows),
            "changes": changes,
            "areas": service_sections(rows.values()),
            "groups": self.groups_of.get(code, []),
            "trends_file": f"trends/{code}.js",
        }

    def trends(self, code: int) -> dict[str, dict]:
        """Each indicator's series (council, neighbour mean, region, England) for its trend chart, by row id."""
        out = {}
        for ind_code, h in self.history_series(code).items():
            ind = self.indicator_by_code[ind_code]
            dps = ind["dps"] if ind["dps"] is not None else 1
            out[indicator_anchor(ind_code)] = {"t": ind["chart_title"] or ind["indicator_name"], "u": ind["unit"], "d": dps,
                             "pct": bool(ind["is_percentage"]), "p": h["period_label"],
                             "c": rounded(h["value"], dps), "n": rounded(h["sn_mean"], dps),
                             "r": rounded(h["region_value"], dps), "e": rounded(h["england_value"], dps)}
        return out

    def history_series(self, code: int) -> dict[str, dict]:
        part = self.part("history", code)
        if not len(part):
            return {}
        grouped = part.sort("period_order").group_by("indicator_code", maintain_order=True).agg(
            pl.col("period_label"), pl.col("value"), pl.col("sn_mean"), pl.col("region_value"), pl.col("england_value"))
        return {r["indicator_code"]: r for r in grouped.to_dicts()}

    def neighbour_lines(self, code: int) -> list[dict]:
        return [{"name": n["neighbour_name"], "rank": n["neighbour_rank"], "closeness": n["closeness"],
                 "file": self.files.get(n["neighbour_code"]), "inspection": self.inspection(n["neighbour_code"])}
                for n in self.part("neighbours", code).to_dicts()]

    @cached_property
    def inspections_by_code(self) -> dict[int, list[dict]]:
        found: dict[int, list[dict]] = defaultdict(list)
        if self.data.inspections is not None:
            for row in self.data.inspections.to_dicts():
                found[row["area_code"]].append(row)
        return found

    def inspection(self, code: int) -> dict | None:
        """The council's latest Ofsted inspection (ILACS) in words, or None."""
        rows = [r for r in self.inspections_by_code.get(code, []) if r["overall_effectiveness"]]
        if not rows:
            return None
        last = max(rows, key=lambda r: (r["inspection_end_date"] is not None, r["inspection_end_date"]))
        return {"judgement": last["overall_effectiveness"].capitalize(), "grade": last["overall_grade"],
                "date": last["inspection_end_date"].strftime("%B %Y") if last["inspection_end_date"] else "date not given",
                "parts": [(label, last[key]) for key, label in SUB_JUDGEMENTS if last.get(key)],
                "previous": [r["overall_effectiveness"] for r in rows if r is not last][-1:]}

    def headline_rows(self, rows: dict[str, dict]) -> list[dict]:
        """The headline set's rows of this council (``marts.headline_indicator``), in service order."""
        if self.data.headline is None:
            return []
        return [rows[h["indicator_code"]] | {"service": SERVICE_HEADINGS.get(h["service_area"], h["service_area"]),
                                             "why": h["reason"]}
                for h in self.data.headline.to_dicts() if h["indicator_code"] in rows]

    def warning(self, code: int, rows: dict[str, dict]) -> dict:
        """The early warning (``marts.early_warning``): score, ranks and band, and the concerns
        behind it (``marts.concerns``), with links to their rows."""
        ew = next(iter(self.data.early_warning.filter(pl.col("area_code") == code).to_dicts()), None)
        concerns = self.data.concerns.filter(pl.col("area_code") == code).to_dicts()
        return {
            "score": warning_score_text(ew["score"]) if ew else "\u2013",
            "rank": (f"{ew['rank_national']} of {ew['rank_n']} nationally, {ew['rank_region']} of {ew['region_n']} in the region"
                     if ew and ew["rank_national"] is not None else None),
            "band": ew.get("score_band") if ew else None, "outcome": ew.get("outcome_text") if ew else None,
            "concerns": [{"name": c["indicator_name"], "sentence": c["sentence"],
                          "anchor": rows[c["indicator_code"]]["anchor"] if c["indicator_code"] in rows else None}
                         for c in concerns],
        }

    def lines_of_enquiry(self, code: int, rows: dict[str, dict]) -> list[dict]:
        if self.data.lines_of_enquiry is None:
            return []
        return [line | {"anchor": rows[line["indicator_code"]]["anchor"] if line["indicator_code"] in rows else None}
                for line in self.data.lines_of_enquiry.filter(pl.col("area_code") == code).to_dicts()]

    @cached_property
    def groups_of(self) -> dict[int, list[dict]]:
        found: dict[int, list[dict]] = defaultdict(list)
        for row in self.data.peer_groups.to_dicts():
            found[row["area_code"]].append({"name": row["group_name"], "file": f"{slug(row['group_name'])}.html"})
        return found

    def indicator_row(self, ind: dict, latest: dict | None, history: dict | None, signal: str | None,
                      council_name: str) -> dict:
        """One line of a topic table: the latest value against neighbours, region and England."""
        code = ind["indicator_code"]
        topic = self.topic_of[code]
        dps = latest["dps"] if latest else (ind["dps"] if ind["dps"] is not None else 1)
        pct = bool(ind["is_percentage"])
        row = {
            "code": code,
            "name": ind["indicator_name"],
            "title": ind["chart_title"] or ind["indicator_name"],
            "unit": ind["unit"],
            "polarity": POLARITY_WORDS.get(ind["polarity"], ind["polarity"]),
            "discontinued": ind["discontinued"],
            "topic": topic,
            "anchor": indicator_anchor(code),
            "definition": definition_anchor(code),
            "signal": signal,
            "count": is_count(ind["unit"]),
            "has_data": latest is not None and latest["latest_value"] is not None,
            "has_trend": bool(history and sum(v is not None for v in history["value"]) > 1),
            "spark": Markup(""),
            "strip": Markup(""),
        }
        if latest is None:
            return row | {"period": "\u2013", "value": "no data", "stale": False, "plain": "", "band": None,
                          "neighbours": "\u2013", "region": "\u2013", "england": "\u2013"}
        fmt = lambda v: format_value(v, dps, pct)  # noqa: E731
        band = latest["quartile_band"]
        row |= {
            "period": latest["latest_period"],
            "value": fmt(latest["latest_value"]),
            "neighbours": fmt(latest["sn_mean"]),
            "neighbours_n": latest["sn_n"],
            "region": fmt(latest["region_value"]),
            "england": fmt(latest["england_value"]),
            "band": band,
            "band_words": band_words(band),
            "band_colour": BAND_COLOURS.get(band or ""),
            "not_banded": plain_words(latest["not_compared_reason"]),
            "rank": rank_text(latest["rank"], latest["rank_n"]),
            "change": format_change(latest["change"], dps, pct),
            "previous_period": latest["previous_period"],
            "direction": latest["direction"],
            "arrow": direction_arrow(latest["change"], latest["direction"]),
            "not_comparable": latest["not_comparable_reason"],
            "trend_label": plain_words(latest["trend_label"]),
            "stale": bool(latest["stale"]),
        }
        row["plain"] = plain_position(row, council_name)
        row["point"] = None if row["count"] else spine_point({**latest, "polarity": ind["polarity"]})
        row["strip"] = spine_strip(row["point"])
        if history:
            known = [(p, v) for p, v in zip(history["period_label"][-SPARK_PERIODS:], history["value"][-SPARK_PERIODS:])
                     if v is not None]
            if known:
                label = f"{council_name}, {known[0][0]} to {known[-1][0]}: " + ", ".join(fmt(v) for _, v in known)
                row["spark"] = sparkline_svg(history["value"][-SPARK_PERIODS:], label)
        return row

    # ---- regional overview, national index, peer groups -----------------------------------

    @cached_property
    def indicator_by_code(self) -> dict[str, dict]:
        return {ind["indicator_code"]: ind for ind in self.indicators}

    @cached_property
    def release_changes(self) -> dict:
        """The national changes since the previous release (the same on every page)."""
        return release_changes(self.data.changes, self.data.release.previous_release_id)

    def council_changes(self, code: int, rows: dict[str, dict] | None = None) -> dict:
        """One council's concerns and strengths raised and cleared and values revised since the
        previous release; each concern or strength with the id of its row on the council page."""
        changes = council_changes(self.part("changes", code), self.indicator_by_code, self.headline_codes)
        for change in SIGNAL_CHANGES:
            for line in changes[change]:
                line["anchor"] = indicator_anchor(line["code"]) if rows is None or line["code"] in rows else None
        return changes

    def warning_line(self, code: int) -> dict:
        """A council's early-warning score and national rank (``marts.early_warning``)."""
        ew = next(iter(self.data.early_warning.filter(pl.col("area_code") == code).to_dicts()), {})
        return {"score": ew.get("score"), "score_text": warning_score_text(ew.get("score")), "rank": ew.get("rank_national"),
                "concerns": ew.get("n_concerns"), "band": ew.get("score_band")}

    @cached_property
    def headline_codes(self) -> list[str]:
        return [] if self.data.headline is None else self.data.headline["indicator_code"].to_list()

    def headline_cells(self, code: int) -> list[dict]:
        """The council's value of each headline indicator, with its sort key and band, for a table."""
        latest = {r["indicator_code"]: r for r in self.part("latest", code).to_dicts()}
        cells = []
        for ind_code in self.headline_codes:
            ind, row = self.indicator_by_code.get(ind_code), latest.get(ind_code)
            if ind is None or row is None or row["latest_value"] is None:
                cells.append({"text": "\u2013", "sort": "", "band": None, "period": ""})
                continue
            dps = row["dps"] if row["dps"] is not None else 1
            cells.append({"text": format_value(row["latest_value"], dps, bool(ind["is_percentage"])),
                          "sort": row["latest_value"], "band": row["quartile_band"], "period": row["latest_period"]})
        return cells

    def headline_columns(self) -> list[dict]:
        areas = {} if self.data.headline is None else dict(self.data.headline.select("indicator_code", "service_area").iter_rows())
        return [{"code": c, "name": self.indicator_by_code[c]["indicator_name"],
                 "title": self.indicator_by_code[c]["chart_title"] or self.indicator_by_code[c]["indicator_name"],
                 "area": areas.get(c), "index": i, "definition": definition_anchor(c)}
                for i, c in enumerate(self.headline_codes) if c in self.indicator_by_code]

    def region(self, region_name: str) -> dict:
        """Every council of a region: early warning, Ofsted, the headline values, changes since last release.

        The headline values are in tables of at most ``REGION_TABLE_COLUMNS`` indicators, whole
        service areas together, each beside the early-warning score, so no column is hidden at
        1366 px; a value for an older period than the newest of the column shows its period.
        """
        codes = [c for c, row in sorted(self.councils.items(), key=lambda kv: kv[1]["area_name"])
                 if row["region_name"] == region_name]
        lines = [{"area_code": c, "area_name": self.councils[c]["area_name"], "file": self.files[c],
                  "warning": self.warning_line(c), "inspection": self.inspection(c),
                  "headline": self.headline_cells(c)} for c in codes]
        lines.sort(key=lambda line: (line["warning"]["score"] is None, -(line["warning"]["score"] or 0), line["area_name"]))
        columns = self.headline_columns()
        for column in columns:
            cells = [line["headline"][column["index"]] for line in lines]
            newest = max((period_key(c["period"]) for c in cells if c["period"]), default=None)
            for cell in cells:
                cell["old"] = bool(cell["period"]) and period_key(cell["period"])[0] < newest[0]
        return {
            "name": region_name, "councils": lines, "tables": column_tables(columns),
            "release": self.data.release, "changes": self.release_changes,
            "council_changes": [{"council": line, **self.council_changes(line["area_code"])} for line in lines],
        }

    def definitions(self) -> dict:
        """Every indicator's definition, source and update dates, in service order (the same for every council)."""
        topics: dict[str, list[dict]] = defaultdict(list)
        for ind in self.shown_indicators:
            topics[self.topic_of[ind["indicator_code"]].name].append(indicator_facts(ind))
        return {"topics": [{"name": name, "rows": rows} for name, rows in topics.items()],
                "release": self.data.release}

    def methods(self) -> dict | None:
        """The backtest on the methods page: the ROC and calibration figures (as Plotly JSON), the
        AUCs in words, fit and test side by side, and whether concerns foresaw a further fall (and
        why not); None when the warehouse has no backtest."""
        data = self.data
        if data.backtest_roc is None or data.backtest_summary is None or data.backtest_years is None:
            return None
        years = {r["split"]: r for r in data.backtest_years.iter_rows(named=True)}
        names = {split: f"{year_span(r['first_year'], r['last_year'])} ({split})" for split, r in years.items()}
        summary = data.backtest_summary
        aucs = summary.filter(pl.col("metric") == "auc")
        return {
            "roc": json_for_html(roc_figure(data.backtest_roc, names).to_plotly_json()),
            "calibration": json_for_html(calibration_figure(
                summary.filter(pl.col("metric") == "outcome_rate"), names).to_plotly_json()),
            "splits": [{"split": split, "sentence": auc_sentence(
                        aucs.filter(pl.col("split") == split), year_span(r["first_year"], r["last_year"]))}
                       for split, r in years.items()],
            "concerns": concern_sentences(data.backtest_flag, data.backtest_persistence),
        }

    def regions(self) -> list[str]:
        return sorted({c["region_name"] for c in self.councils.values()})

    def index(self) -> dict:
        lines = [{"area_code": c, "area_name": row["area_name"], "region_name": row["region_name"],
                  "file": self.files[c], "warning": self.warning_line(c)}
                 for c, row in sorted(self.councils.items(), key=lambda kv: kv[1]["area_name"])]
        return {
            "regions": [{"name": r, "file": f"{slug(r)}.html",
                         "councils": [c for c in lines if c["region_name"] == r]} for r in self.regions()],
            "councils": lines,
            "group_regions": self.groups_by_region(),
            "release": self.data.release, "count": len(lines),
            "changes": self.release_changes,
        }

    def groups_by_region(self) -> list[dict]:
        """The peer groups listed under their region (groups without one last, as "Other groups")."""
        firsts = self.data.peer_groups.unique("group_name", keep="first", maintain_order=True).to_dicts()
        regions = sorted({g["region_name"] for g in firsts if g["region_name"]})
        listed = [(r, [g for g in firsts if g["region_name"] == r]) for r in regions]
        listed.append(("Other groups", [g for g in firsts if not g["region_name"]]))
        return [{"name": region, "groups": [{"name": g["group_name"], "file": f"{slug(g['group_name'])}.html"}
                                            for g in sorted(groups, key=lambda g: g["group_name"])]}
                for region, groups in listed if groups]

    def peer_group_names(self) -> list[str]:
        return self.data.peer_groups["group_name"].unique(maintain_order=True).to_list()

    def peer_group(self, group_name: str) -> dict:
        """A one-screen summary of the members side by side, then every indicator in folded topics."""
        members = self.data.peer_groups.filter(pl.col("group_name") == group_name).to_dicts()
        profiles = {m["area_code"]: self.council(m["area_code"]) for m in members}
        first = profiles[members[0]["area_code"]]
        topics = []
        for area in first["areas"]:
            for t_index, topic in enumerate(area["topics"]):
                lines = []
                for row in topic["rows"]:
                    cells = [self.member_cell(profiles[m["area_code"]], row["code"]) for m in members]
                    if not any(c["has_data"] for c in cells):
                        continue
                    newest = max((c["period"] for c in cells if c["has_data"]), key=period_key)
                    places = group_ranks([self.latest_index.get((m["area_code"], row["code"])) for m in members],
                                         row["polarity"])
                    lines.append({"row": row, "england": next((c["england"] for c in cells if c["has_data"]), "\u2013"),
                                  "cells": [c | {"place": place, "old": c["has_data"] and c["period"] != newest}
                                            for c, place in zip(cells, places)]})
                if lines:
                    topics.append({"name": topic["name"], "anchor": topic["anchor"], "rows": lines})
        headline = [{"row": row, "cells": [self.member_cell(profiles[m["area_code"]], row["code"]) for m in members]}
                    for row in first["headline"]]
        return {
            "name": group_name,
            "members": [{**m, "file": self.files[m["area_code"]], "profile": profiles[m["area_code"]]} for m in members],
            "headline": headline, "topics": topics, "release": self.data.release,
        }

    @staticmethod
    def member_cell(profile: dict, code: str) -> dict:
        for area in profile["areas"]:
            for topic in area["topics"]:
                for row in topic["rows"]:
                    if row["code"] == code:
                        return row
        return {"has_data": False}

    @cached_property
    def latest_index(self) -> dict[tuple[int, str], float | None]:
        latest = self.data.latest.select("area_code", "indicator_code", "latest_value")
        return {(a, i): v for a, i, v in latest.iter_rows()}


REGION_TABLE_COLUMNS = 7


def warning_score_text(score: float | None) -> str:
    """The early-warning score (``marts.early_warning``: level + change / 2, higher = more warning)."""
    return format_value(score, 1)  # an en dash when there is none; never "-0.0"


def year_span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


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


SUB_JUDGEMENTS = [("impact_of_leaders", "Leadership"), ("help_and_protection", "Help and protection"),
                  ("in_care", "Children in care"), ("care_leavers", "Care leavers")]


def indicator_anchor(code: str) -> str:
    """The id of an indicator's row on a council page (``%`` spelt ``pct``: ``X`` and ``X%`` differ)."""
    return f"ind-{slug(code.replace('%', ' pct'))}"


def definition_anchor(code: str) -> str:
    """The indicator's entry on the shared definitions page, from a page one folder down."""
    return f"../definitions.html#def-{slug(code.replace('%', ' pct'))}"


def period_key(period: str) -> tuple:
    """A period label's place in time: the year it ends in ("2024-25" and "2024/25" end in 2025),
    then the label."""
    found = re.search(r"(\d{4})(?:\s*[-/]\s*(\d{2,4}))?", period or "")
    if not found:
        return (0, period or "")
    start, end = found.groups()
    year = int(start[:4 - len(end)] + end) if end else int(start)
    return (year + 100 if year < int(start) else year, period)  # 1999-00 ends in 2000


def data_years(periods: list[str]) -> dict:
    """How current the council's figures are: the year most of them end in, and the oldest year."""
    years = [period_key(p)[0] for p in periods if period_key(p)[0]]
    if not years:
        return {"most": None, "share": 0, "oldest": None, "n": 0}
    most = max(set(years), key=lambda y: (years.count(y), y))
    return {"most": most, "share": round(100 * years.count(most) / len(years)), "oldest": min(years), "n": len(years)}


def plain_position(row: dict, council_name: str) -> str:
    """Where the latest value stands, in one plain sentence (counts stand alone: no totals beside them)."""
    if row["count"]:
        return f"{row['value']} in {row['period']} (a count: it grows with the size of the area, so it is not compared)."
    place = {"A": "among the best quarter of councils", "B": "better than the middle of councils",
             "C": "worse than the middle of councils", "D": "among the worst quarter of councils"}.get(row["band"] or "", "not ranked")
    return (f"{row['value']} in {row['period']}, {place}; neighbours {row['neighbours']}, England {row['england']}"
            + (f"; {row['direction']} since {row['previous_period']}" if row["direction"] in ("improving", "worsening") else "")
            + ".")


def headline_summary(rows: list[dict]) -> dict:
    """The headline set in one compact chart (a phone's first screen): how many of its indicators
    sit in each band, and on how many the council does better or worse than its neighbours' mean
    and than England. Compared by their places on the spine (0 worst .. 100 best), so each
    indicator's polarity is taken into account; counts and unbanded figures are left out."""
    points = [r["point"] for r in rows if r.get("point")]

    def against(side: str) -> dict:
        pairs = [(p.council, getattr(p, side)) for p in points if getattr(p, side) is not None]
        better, worse = sum(c > o for c, o in pairs), sum(c < o for c, o in pairs)
        return {"better": better, "worse": worse, "level": len(pairs) - better - worse, "n": len(pairs)}

    return {"n": len(rows), "banded": len(points), "bands": {b: sum(p.band == b for p in points) for b in "ABCD"},
            "neighbours": against("neighbours"), "england": against("england")}


def service_bands(rows) -> list[dict]:
    """Per service area, how many of the council's banded indicators sit in each band (a compact chart)."""
    counts: dict[str, dict[str, int]] = {key: dict.fromkeys("ABCD", 0) for key, _ in SERVICE_AREAS}
    for row in rows:
        if row.get("band") and not row["count"]:
            counts[row["topic"].service_area][row["band"]] += 1
    return [{"key": key, "name": heading, "anchor": f"area-{key.replace('_', '-')}", "bands": counts[key],
             "total": sum(counts[key].values())}
            for key, heading in SERVICE_AREAS if sum(counts[key].values())]


def service_sections(rows) -> list[dict]:
    """The indicator tables: service areas in order, each with its topics, each topic its rows."""
    areas: dict[str, dict[str, list[dict]]] = {key: {} for key, _ in SERVICE_AREAS}
    for row in rows:
        areas[row["topic"].service_area].setdefault(row["topic"].name, []).append(row)
    return [{"key": key, "name": SERVICE_HEADINGS[key], "anchor": f"area-{key.replace('_', '-')}",
             "topics": [{"name": name, "anchor": f"topic-{slug(name)}", "rows": topic_rows,
                         "with_data": sum(r["has_data"] for r in topic_rows),
                         "concerns": sum(r["signal"] == "concern" for r in topic_rows),
                         "strengths": sum(r["signal"] == "strength" for r in topic_rows)}
                        for name, topic_rows in areas[key].items()]}
            for key, _ in SERVICE_AREAS if areas[key]]


def indicator_facts(ind: dict) -> dict:
    """What the data dictionary says about an indicator, as the definitions page shows it."""
    return {
        "code": ind["indicator_code"],
        "id": f"def-{slug(ind['indicator_code'].replace('%', ' pct'))}",
        "name": ind["indicator_name"],
        "title": ind["chart_title"] or ind["indicator_name"],
        "unit": ind["unit"],
        "polarity": POLARITY_WORDS.get(ind["polarity"], ind["polarity"]),
        "definition": ind["description"],
        "source_link": ind["source_link"],
        "last_update": ind["last_update"] or ind["last_update_note"],
        "next_update": ind["next_update"] or ind["next_update_note"],
        "discontinued": ind["discontinued"],
    }


def group_ranks(values: list[float | None], polarity_words: str) -> list[str]:
    """Each member's place in the group ("1 of 3"), best first; empty without polarity or value."""
    if polarity_words not in (POLARITY_WORDS["high"], POLARITY_WORDS["low"]):
        return ["" for _ in values]
    better = (lambda a, b: a > b) if polarity_words == POLARITY_WORDS["high"] else (lambda a, b: a < b)
    known = [v for v in values if v is not None]
    return ["" if v is None else f"{1 + sum(better(o, v) for o in known)} of {len(known)}" for v in values]
