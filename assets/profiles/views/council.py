"""The council profile (and its print editions): the first screen's questions, every indicator
by service area and topic, and each indicator's trend series for its chart."""

from __future__ import annotations

import polars as pl
from markupsafe import Markup

from assets.profiles.charts import sparkline_svg, spine_point, spine_strip, trend_multiple_svg
from assets.profiles.formatting import (
    BAND_COLOURS, band_words, direction_arrow, format_change, format_value, plain_words, rank_text, slug,
)
from assets.profiles.services import is_count
from base.service_areas import SERVICE_AREAS, SERVICE_HEADINGS
from assets.profiles.views.common import (
    POLARITY_WORDS, council_type, data_years, definition_anchor, indicator_anchor, rounded,
)
from assets.profiles.views.learn_from import learn_from_rows
from assets.profiles.views.self_evaluation import self_evaluation_rows, self_evaluation_summary
from assets.profiles.views.shared import SharedViews

SPARK_PERIODS = 10


def council_page(views: SharedViews, code: int) -> dict:
    """Everything the council profile and its print editions show, for one council."""
    council = views.councils[code]
    name = council["area_name"]
    latest = {r["indicator_code"]: r for r in views.part("latest", code).to_dicts()}
    history = views.history_series(code)
    signals = dict(views.part("signals", code).select("indicator_code", "signal").iter_rows())
    rows = {ind["indicator_code"]: indicator_row(views, ind, latest.get(ind["indicator_code"]),
                                                 history.get(ind["indicator_code"]),
                                                 signals.get(ind["indicator_code"]), name)
            for ind in views.shown_indicators}
    strengths = views.part("strengths", code)
    anchor = lambda c: rows[c]["anchor"] if c in rows else None  # noqa: E731
    return {
        "code": code,
        "name": name,
        "region": council["region_name"],
        "region_file": f"{slug(council['region_name'])}.html",
        "la_type": council_type(code, council["la_type"]),
        "neighbours": neighbour_lines(views, code),
        "release": views.data.release,
        "data_years": data_years([r["end_year"] for r in rows.values() if r["has_data"]]),
        "inspection": views.inspection(code),
        "inspections_loaded": views.data.inspections is not None,
        "inspection_coverage": views.inspection_coverage,
        "headline": (headline := headline_rows(views, rows)),
        "headline_summary": headline_summary(headline),
        "multiples": trend_multiples(headline, history, name),
        "no_strengths": no_signal_reason(name, headline, "strength"),
        "no_developments": no_signal_reason(name, headline, "area for development"),
        "service_bands": service_bands(rows.values()),
        "risk": (risk := views.risk(code)) | {"drivers": [d | {"anchor": d["anchor"] if d["code"] in rows else None}
                                                          for d in risk["drivers"]]},
        "concerns": concern_lines(views, code, rows),
        "strengths": [signal_line(s, anchor) for s in strengths.filter(pl.col("kind") == "strength").to_dicts()],
        "developments": [signal_line(s, anchor)
                         for s in strengths.filter(pl.col("kind") == "area_for_development").to_dicts()],
        "lines_of_enquiry": lines_of_enquiry(views, code, rows),
        "self_evaluation": (views_of_council := self_evaluation_rows(views, code)),
        "self_evaluation_summary": self_evaluation_summary(views_of_council),
        "self_evaluations_loaded": views.data.self_evaluation is not None,
        "learn_from": learn_from_rows(views, code),
        "changes": views.council_changes(code, rows),
        "areas": service_sections(rows.values()),
        "groups": views.groups_of.get(code, []),
        "trends_file": f"trends/{code}.js",
        "pdf_file": f"../pdf/{code}-{slug(name)}.pdf" if views.pdf_links else None,
    }


def trends(views: SharedViews, code: int) -> dict[str, dict]:
    """Each indicator's series (council, neighbour mean, region, England) for its trend chart, by row id."""
    out = {}
    for ind_code, h in views.history_series(code).items():
        ind = views.indicator_by_code[ind_code]
        dps = ind["dps"] if ind["dps"] is not None else 1
        out[indicator_anchor(ind_code)] = {"t": ind["indicator_name"], "u": ind["unit"], "d": dps,
                                           "pct": bool(ind["is_percentage"]), "p": h["period_label"],
                                           "c": rounded(h["value"], dps), "n": rounded(h["sn_mean"], dps),
                                           "r": rounded(h["region_value"], dps), "e": rounded(h["england_value"], dps)}
    return out


def trend_multiples(headline: list[dict], history: dict[str, dict], council_name: str) -> list[dict]:
    """The print pack's small multiples: each headline indicator's last ``SPARK_PERIODS`` periods,
    the council against England, with the first and last period and the latest values in words."""
    out = []
    for row in headline:
        h = history.get(row["code"])
        if not h or not row["has_data"]:
            continue
        periods, own, england = (h[k][-SPARK_PERIODS:] for k in ("period_label", "value", "england_value"))
        label = f"{row['name']}: {council_name} and England, {periods[0]} to {periods[-1]}"
        svg = trend_multiple_svg(own, england, label)
        if svg:
            out.append({"name": row["name"], "svg": svg, "first": periods[0], "last": periods[-1],
                        "value": row["value"], "period": row["period"], "england": row["england"]})
    return out


def neighbour_lines(views: SharedViews, code: int) -> list[dict]:
    return [{"name": n["neighbour_name"], "rank": n["neighbour_rank"], "closeness": n["closeness"],
             "file": views.files.get(n["neighbour_code"]), "inspection": views.inspection(n["neighbour_code"])}
            for n in views.part("neighbours", code).to_dicts()]


def headline_rows(views: SharedViews, rows: dict[str, dict]) -> list[dict]:
    """The headline set's rows of this council (``marts.headline_indicator``), in service order."""
    if views.data.headline is None:
        return []
    return [rows[h["indicator_code"]] | {"service": SERVICE_HEADINGS.get(h["service_area"], h["service_area"]),
                                         "why": h["reason"]}
            for h in views.data.headline.to_dicts() if h["indicator_code"] in rows]


def concern_lines(views: SharedViews, code: int, rows: dict[str, dict]) -> list[dict]:
    """The council's concerns on the headline indicators (``marts.concerns``), most important first,
    each with a link to its row."""
    return [{"name": c["indicator_name"], "sentence": c["sentence"],
             "indicator_code": c["indicator_code"],
             "anchor": rows[c["indicator_code"]]["anchor"] if c["indicator_code"] in rows else None}
            for c in views.data.concerns.filter(pl.col("area_code") == code).to_dicts()]


def lines_of_enquiry(views: SharedViews, code: int, rows: dict[str, dict]) -> list[dict]:
    if views.data.lines_of_enquiry is None:
        return []
    return [line | {"anchor": rows[line["indicator_code"]]["anchor"] if line["indicator_code"] in rows else None}
            for line in views.data.lines_of_enquiry.filter(pl.col("area_code") == code).to_dicts()]


def signal_line(row: dict, anchor) -> dict:
    """A strength or area for development (``marts.strengths_weaknesses``) by the indicator's one name."""
    return row | {"anchor": anchor(row["indicator_code"]), "name": row["indicator_name"]}


def indicator_row(views: SharedViews, ind: dict, latest: dict | None, history: dict | None, signal: str | None,
                  council_name: str) -> dict:
    """One line of a topic table: the latest value against neighbours, region and England."""
    code = ind["indicator_code"]
    topic = views.topic_of[code]
    dps = latest["dps"] if latest else (ind["dps"] if ind["dps"] is not None else 1)
    pct = bool(ind["is_percentage"])
    row = {
        "code": code,
        "name": ind["indicator_name"],
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
        return row | {"period": "\u2013", "end_year": None, "value": "no data", "stale": False, "plain": "", "band": None,
                      "neighbours": "\u2013", "region": "\u2013", "england": "\u2013"}
    fmt = lambda v: format_value(v, dps, pct)  # noqa: E731
    band = latest["quartile_band"]
    row |= {
        "period": latest["latest_period"],
        "end_year": latest["latest_end_year"],
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


def no_signal_reason(name: str, headline: list[dict], kind: str) -> str:
    """Why the council has no strength (or area for development), in one sentence: it is too small
    to be compared (``marts.benchmark.not_compared_reason``), none of its headline figures could be
    compared, or none meets the rule (``docs/methods.md``, "Strengths and areas for development")."""
    compared = [r for r in headline if r.get("band")]
    small = next((r["not_banded"] for r in headline if "fewer than 2,000 children" in (r.get("not_banded") or "")), None)
    if not compared and small:
        return (f"No {kind} can be named: {name} has fewer than 2,000 children, so one child moves a percentage "
                f"by tens of points; its figures are shown but never banded, ranked or judged.")
    if not compared:
        return f"No {kind} can be named: none of {name}'s headline figures could be compared with other councils."
    rule = ("ahead of England by half the usual spread between councils twice running, and ahead of its neighbours"
            if kind == "strength" else "behind England by half the usual spread between councils twice running")
    return f"No {kind} found: none of {name}'s {len(compared)} compared headline figures is {rule}."


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
