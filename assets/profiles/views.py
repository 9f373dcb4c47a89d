"""Turn the marts' rows into what each page shows: the template contexts, one function per page.

Everything here is plain data (dicts, lists, strings already formatted); the templates only lay
it out. ``CouncilViews`` splits the loaded frames by council once, so building every profile
does not filter the national frames 153 times.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import polars as pl
from markupsafe import Markup

from assets.profiles.changes import council_changes, release_changes
from assets.profiles.charts import score_bar_figure, sparkline_svg, spine_figure, spine_point
from assets.profiles.data import ProfileData
from assets.profiles.formatting import (
    BAND_COLOURS, band_words, direction_arrow, flag_words, format_change, format_value, rank_text,
    score_text, severity_words, slug,
)

LA_TYPES = {
    "UA": "Unitary authority", "SC": "County council", "MD": "Metropolitan district",
    "OLB": "Outer London borough", "ILB": "Inner London borough",
}
POLARITY_WORDS = {"high": "higher is better", "low": "lower is better", "none": "no judgement of better or worse"}
SPARK_PERIODS = 10
ALL_TOPICS = "All topics"


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
        return {name: by_code(getattr(d, name)) for name in ("latest", "history", "flags", "strengths", "neighbours", "summary",
                                                       "changes")}

    @cached_property
    def indicators(self) -> list[dict]:
        return self.data.indicators.to_dicts()

    def part(self, name: str, code: int) -> pl.DataFrame:
        return self.split[name].get(code, getattr(self.data, name).clear())

    # ---- council profile -------------------------------------------------------------------

    def council(self, code: int) -> dict:
        """Everything the council profile and its print version show, for one council."""
        council = self.councils[code]
        latest = {r["indicator_code"]: r for r in self.part("latest", code).to_dicts()}
        history = self.history_series(code)
        flags = self.part("flags", code)
        flags_by_indicator = defaultdict(list)
        for f in flags.to_dicts():
            flags_by_indicator[f["indicator_code"]].append(f)
        topics: dict[str, list[dict]] = defaultdict(list)
        trends: dict[str, dict] = {}
        for ind in self.indicators:
            row = self.indicator_row(ind, latest.get(ind["indicator_code"]), history.get(ind["indicator_code"]),
                                     flags_by_indicator.get(ind["indicator_code"], []), council["area_name"])
            topics[ind["topic"]].append(row)
            if row["trend"] and ind["indicator_code"] not in trends:
                trends[ind["indicator_code"]] = row["trend"]
        summary = {r["topic"]: r for r in self.part("summary", code).to_dicts()}
        overall = summary.get(ALL_TOPICS, {})
        decline = [self.flag_item(f) for f in flags.filter(pl.col("kind") == "decline").to_dicts()]
        strengths = self.part("strengths", code)
        neighbours = [
            {"name": n["neighbour_name"], "rank": n["neighbour_rank"], "closeness": n["closeness"],
             "file": self.files.get(n["neighbour_code"])}
            for n in self.part("neighbours", code).to_dicts()
        ]
        topic_sections = [
            self.topic_section(name, rows, summary.get(name, {}), council["area_name"])
            for name, rows in topics.items()
        ]
        return {
            "code": code,
            "name": council["area_name"],
            "region": council["region_name"],
            "region_file": f"{slug(council['region_name'])}.html",
            "la_type": LA_TYPES.get(council["la_type"] or "", council["la_type"] or "not recorded"),
            "neighbours": neighbours,
            "release": self.data.release,
            "newest_period": self.data.newest_period,
            "score": score_text(overall.get("early_warning_score")),
            "rank_in_region": overall.get("rank_in_region"),
            "rank_national": overall.get("rank_national"),
            "region_size": sum(1 for c in self.councils.values() if c["region_name"] == council["region_name"]),
            "council_count": len(self.councils),
            "decline_flags": decline,
            "severity_groups": [
                (severity_words(s), [f for f in decline if f["severity"] == s]) for s in (3, 2, 1)
            ],
            "strengths": strengths.filter(pl.col("kind") == "strength").to_dicts(),
            "developments": strengths.filter(pl.col("kind") == "area_for_development").to_dicts(),
            "topics": topic_sections,
            "changes": self.council_changes(code),
            "trends_json": json_for_html(trends),
            "spines_json": json_for_html({f"{t['anchor']}-spine": t["spine"] for t in topic_sections if t["spine"]}),
        }

    def history_series(self, code: int) -> dict[str, dict]:
        part = self.part("history", code)
        if not len(part):
            return {}
        grouped = part.sort("period_order").group_by("indicator_code", maintain_order=True).agg(
            pl.col("period_label"), pl.col("value"), pl.col("sn_mean"), pl.col("region_value"), pl.col("england_value"))
        return {r["indicator_code"]: r for r in grouped.to_dicts()}

    def indicator_row(self, ind: dict, latest: dict | None, history: dict | None, flags: list[dict],
                      council_name: str) -> dict:
        """One line of a topic table, with its definition and trend series."""
        code = ind["indicator_code"]
        dps = latest["dps"] if latest else (ind["dps"] if ind["dps"] is not None else 1)
        pct = bool(ind["is_percentage"])
        row = {
            **indicator_facts(ind),
            "anchor": f"ind-{slug(ind['topic'])}-{slug(code.replace('%', ' pct'))}",
            "flags": [flag_words(f["flag"]) for f in flags if f["kind"] == "decline"],
            "has_data": latest is not None and latest["latest_value"] is not None,
            "trend": None,
            "spark": Markup(""),
        }
        if latest is None:
            return row | {"period": "\u2013", "value": "no data", "stale": False}
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
            "not_banded": latest["not_compared_reason"],
            "rank": rank_text(latest["rank"], latest["rank_n"]),
            "change": format_change(latest["change"], dps, pct),
            "previous_period": latest["previous_period"],
            "direction": latest["direction"],
            "arrow": direction_arrow(latest["change"], latest["direction"]),
            "not_comparable": latest["not_comparable_reason"],
            "trend_label": latest["trend_label"],
            "stale": bool(latest["stale"]),
        }
        row["spine_point"] = spine_point(
            {**latest, "polarity": ind["polarity"]},
            label=shorten(row["title"], 52),
            hover=f"{row['title']}<br>{council_name}: {row['value']} ({row['band_words']}), "
                  f"England {row['england']}, neighbours {row['neighbours']}",
        )
        if history:
            values = history["value"]
            spark_values = values[-SPARK_PERIODS:]
            periods = history["period_label"][-SPARK_PERIODS:]
            known = [(p, v) for p, v in zip(periods, spark_values) if v is not None]
            if known:
                label = f"{council_name}, {known[0][0]} to {known[-1][0]}: " + ", ".join(fmt(v) for _, v in known)
                row["spark"] = sparkline_svg(spark_values, label)
            row["trend"] = {
                "t": row["title"], "u": ind["unit"], "d": dps, "pct": pct, "p": history["period_label"],
                "c": rounded(values, dps), "n": rounded(history["sn_mean"], dps),
                "r": rounded(history["region_value"], dps), "e": rounded(history["england_value"], dps),
            }
        return row

    def topic_section(self, topic: str, rows: list[dict], summary: dict, council_name: str) -> dict:
        points = [r["spine_point"] for r in rows if r.get("spine_point") is not None]
        anchor = f"topic-{slug(topic)}"
        return {
            "name": topic,
            "anchor": anchor,
            "rows": rows,
            "with_data": sum(r["has_data"] for r in rows),
            "bands": {b: summary.get(f"band_{b.lower()}", 0) or 0 for b in "ABCD"},
            "flagged": summary.get("flagged_indicators", 0) or 0,
            "decline_flags": summary.get("decline_flags", 0) or 0,
            "spine": spine_figure(points, council_name) if points else None,
            "spine_points": points,
            "spine_alt": spine_alt(topic, council_name, points),
        }

    @staticmethod
    def flag_item(flag: dict) -> dict:
        return {"indicator": flag["indicator_name"], "flag": flag_words(flag["flag"]),
                "severity": flag["severity"], "severity_words": severity_words(flag["severity"]),
                "since": flag["since_period"], "evidence": flag["evidence"]}

    # ---- regional overview, national index, peer groups -----------------------------------

    @cached_property
    def overall(self) -> pl.DataFrame:
        return self.data.summary.filter(pl.col("topic") == ALL_TOPICS)

    @cached_property
    def topic_names(self) -> list[str]:
        return sorted({t for t in self.data.summary["topic"].unique().to_list() if t != ALL_TOPICS})

    def council_line(self, row: dict) -> dict:
        return {**row, "file": self.files[row["area_code"]], "score_text": score_text(row["early_warning_score"])}

    @cached_property
    def indicator_by_code(self) -> dict[str, dict]:
        return {ind["indicator_code"]: ind for ind in self.indicators}

    @cached_property
    def release_changes(self) -> dict:
        """The national changes since the previous release (the same on every page)."""
        return release_changes(self.data.changes, self.data.release.previous_release_id)

    def council_changes(self, code: int) -> dict:
        """One council's flags raised and cleared and values revised since the previous release."""
        return council_changes(self.part("changes", code), self.indicator_by_code)

    def region(self, region_name: str) -> dict:
        """Every council of a region: score, flags per topic as a heat map, changes since last release."""
        overall = self.overall.filter(pl.col("region_name") == region_name).sort(
            ["early_warning_score", "area_name"], descending=[True, False], nulls_last=True)
        lines = [self.council_line(r) for r in overall.to_dicts()]
        per_topic = self.data.summary.filter((pl.col("region_name") == region_name) & (pl.col("topic") != ALL_TOPICS))
        cells = {(r["area_code"], r["topic"]): r["flagged_indicators"] or 0 for r in per_topic.to_dicts()}
        heat = [
            {"council": line, "cells": [heat_cell(cells.get((line["area_code"], t))) for t in self.topic_names]}
            for line in lines
        ]
        figure = score_bar_figure([c["area_name"] for c in lines], [c["early_warning_score"] for c in lines],
                                  f"Early-warning score, councils in {region_name}")
        return {
            "name": region_name, "councils": lines, "topics": self.topic_names, "heat": heat,
            "release": self.data.release, "figure_json": json_for_html({"score": figure}),
            "alt": "; ".join(f"{c['area_name']} {c['score_text']}" for c in lines),
            "changes": self.release_changes,
            "council_changes": [{"council": line, **self.council_changes(line["area_code"])} for line in lines],
        }

    def definitions(self) -> dict:
        """Every indicator's definition, source and update dates, by topic (the same for every council)."""
        topics: dict[str, list[dict]] = defaultdict(list)
        for ind in self.indicators:
            topics[ind["topic"]].append(indicator_facts(ind))
        return {"topics": [{"name": name, "rows": rows} for name, rows in topics.items()],
                "release": self.data.release}

    def regions(self) -> list[str]:
        return sorted({c["region_name"] for c in self.councils.values()})

    def index(self) -> dict:
        lines = [self.council_line(r) for r in self.overall.sort(["region_name", "area_name"]).to_dicts()]
        return {
            "regions": [{"name": r, "file": f"{slug(r)}.html",
                         "councils": [c for c in lines if c["region_name"] == r]} for r in self.regions()],
            "groups": [{"name": g, "file": f"{slug(g)}.html"} for g in self.peer_group_names()],
            "release": self.data.release, "newest_period": self.data.newest_period, "count": len(lines),
            "changes": self.release_changes,
        }

    def peer_group_names(self) -> list[str]:
        return self.data.peer_groups["group_name"].unique(maintain_order=True).to_list()

    def peer_group(self, group_name: str) -> dict:
        """The members side by side on every indicator, with group rank, neighbours and England."""
        members = self.data.peer_groups.filter(pl.col("group_name") == group_name).to_dicts()
        profiles = {m["area_code"]: self.council(m["area_code"]) for m in members}
        topics = []
        for t_index, topic in enumerate(next(iter(profiles.values()))["topics"]):
            rows = []
            for i_index, first in enumerate(topic["rows"]):
                cells = [profiles[m["area_code"]]["topics"][t_index]["rows"][i_index] for m in members]
                latest = [self.latest_index.get((m["area_code"], first["code"])) for m in members]
                rows.append({"row": first, "cells": list(zip(cells, group_ranks(latest, first["polarity"])))})
            topics.append({"name": topic["name"], "anchor": topic["anchor"], "rows": rows})
        return {
            "name": group_name, "members": [{**m, "file": self.files[m["area_code"]],
                                             "profile": profiles[m["area_code"]]} for m in members],
            "topics": topics, "release": self.data.release,
        }

    @cached_property
    def latest_index(self) -> dict[tuple[int, str], float | None]:
        latest = self.data.latest.select("area_code", "indicator_code", "latest_value")
        return {(a, i): v for a, i, v in latest.iter_rows()}


def indicator_facts(ind: dict) -> dict:
    """What the data dictionary says about an indicator, as the pages show it."""
    return {
        "code": ind["indicator_code"],
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


HEAT_STEPS = ((0, "#ffffff"), (1, "#fde4c8"), (3, "#f9c08a"), (6, "#f19a4e"), (10, "#e07b24"))


def heat_cell(count: int | None) -> dict:
    """A heat-map cell: the count in words and a shade that deepens with it (black text stays legible)."""
    if count is None:
        return {"text": "\u2013", "colour": "#f2f2f2", "label": "no indicators"}
    colour = [c for threshold, c in HEAT_STEPS if count >= threshold][-1]
    return {"text": str(count), "colour": colour, "label": f"{count} flagged"}


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters in the middle, so both its start and its end stay readable."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    return text[:head].rstrip() + "\u2026" + text[-(limit - 1 - head):].lstrip()


def spine_alt(topic: str, council_name: str, points: list) -> str:
    """The spine chart in words: how many indicators sit in each band."""
    if not points:
        return f"No indicator in {topic} has a band for {council_name}."
    counts = {b: sum(p.band == b for p in points) for b in "ABCD"}
    return (f"Spine chart of {len(points)} indicators in {topic} for {council_name}, worst council on the left "
            f"to best on the right: " + ", ".join(f"{n} in band {b}" for b, n in counts.items())
            + ". The table above gives every value.")
