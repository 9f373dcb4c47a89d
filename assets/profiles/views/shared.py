"""The loaded marts, indexed once for every page kind: by council, by indicator, by topic.

``SharedViews`` splits the loaded frames by council once, so building every profile does not
filter the national frames 153 times, and holds what more than one page kind shows: a council's
Ofsted judgement, its inspection-risk line, its headline cells and its changes since the last release.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from assets.core.inspection_coverage import day_text
from assets.profiles.changes import SIGNAL_CHANGES, council_changes, release_changes
from assets.profiles.data import ProfileData
from assets.profiles.formatting import format_value, slug
from assets.profiles.services import Topic, primary_topics
from assets.profiles.views.common import SUB_JUDGEMENTS, by_code, council_file, definition_anchor, indicator_anchor
from assets.profiles.views.risk import risk_line, signal_name


@dataclass
class SharedViews:
    """The indexes built from one ``ProfileData`` load, shared by every page kind."""

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
        """The dictionary's rows (a row per topic of an indicator), each with its one readable name
        (``marts.indicator_name``: the name every mart and sentence gives it)."""
        return self.data.indicators.to_dicts()

    def name_of(self, code: str, fallback: str) -> str:
        """The one name of indicator ``code`` (``fallback`` for a code the dictionary lacks)."""
        return self.indicator_by_code[code]["indicator_name"] if code in self.indicator_by_code else fallback

    @cached_property
    def indicator_by_code(self) -> dict[str, dict]:
        return {ind["indicator_code"]: ind for ind in self.indicators}

    def part(self, name: str, code: int) -> pl.DataFrame:
        return self.split[name].get(code, getattr(self.data, name).clear())

    @cached_property
    def topic_of(self) -> dict[str, Topic]:
        """Each indicator's one topic (the first of its LAIT topics in service order)."""
        return primary_topics([(i["topic"], i["indicator_code"]) for i in self.indicators])

    @cached_property
    def shown_indicators(self) -> list[dict]:
        """Every indicator once, in service order; within a topic the headline set first, in its order,
        then by name (read without a leading "%" or number: ``marts.indicator_name.sort_name``)."""
        unique = {i["indicator_code"]: i for i in self.indicators}
        place = {code: n for n, code in enumerate(self.headline_codes)}
        return sorted(unique.values(), key=lambda i: (self.topic_of[i["indicator_code"]].order,
                                                      place.get(i["indicator_code"], len(place)),
                                                      i["sort_name"], i["indicator_code"]))

    @cached_property
    def pdf_links(self) -> bool:
        """Whether the pages link their PDFs: this machine prints them (``pdf.pdfs_expected``)."""
        from assets.profiles.pdf import pdfs_expected  # pdf.py imports the views

        return pdfs_expected()

    def regions(self) -> list[str]:
        return sorted({c["region_name"] for c in self.councils.values()})

    def history_series(self, code: int) -> dict[str, dict]:
        part = self.part("history", code)
        if not len(part):
            return {}
        grouped = part.sort("period_order").group_by("indicator_code", maintain_order=True).agg(
            pl.col("period_label"), pl.col("value"), pl.col("sn_mean"), pl.col("region_value"), pl.col("england_value"))
        return {r["indicator_code"]: r for r in grouped.to_dicts()}

    # ---- Ofsted ------------------------------------------------------------------------------

    @cached_property
    def inspections_by_code(self) -> dict[int, list[dict]]:
        found: dict[int, list[dict]] = defaultdict(list)
        if self.data.inspections is not None:
            for row in self.data.inspections.to_dicts():
                found[row["area_code"]].append(row)
        return found

    @cached_property
    def inspection_coverage(self) -> dict | None:
        """How far Ofsted's file reaches (``inspection_coverage``), said beside every judgement shown."""
        coverage = self.data.inspection_coverage
        if coverage is None:
            return None
        return {"sentence": coverage.sentence(), "warning": coverage.warning(),
                "inspections_to": day_text(coverage.inspections_to) if coverage.inspections_to else None}

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

    # ---- inspection-risk signal, headline set, changes ----------------------------------------

    @cached_property
    def risk_by_code(self) -> dict[int, dict]:
        frame = self.data.risk_signal
        return {} if frame is None else {row["area_code"]: row for row in frame.to_dicts()}

    @cached_property
    def risk_name(self) -> str:
        """What the signal is called on every page (the mart's registered name)."""
        return signal_name(next(iter(self.risk_by_code.values()), None))

    def risk(self, code: int) -> dict:
        """A council's inspection-risk signal (``marts.risk_signal``) as the pages word it."""
        line = risk_line(self.risk_by_code.get(code), self.data.risk_signal is not None,
                         self.councils[code]["area_name"], self.name_of)
        return line | {"name": self.risk_name}  # a council without a row is named as every other

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
                cells.append({"text": "\u2013", "sort": "", "band": None, "period": "", "end_year": None})
                continue
            dps = row["dps"] if row["dps"] is not None else 1
            fmt = lambda v: format_value(v, dps, bool(ind["is_percentage"]))  # noqa: E731
            cells.append({"text": fmt(row["latest_value"]), "sort": row["latest_value"], "band": row["quartile_band"],
                          "period": row["latest_period"], "end_year": row["latest_end_year"], "region": fmt(row["region_value"]),
                          "england": fmt(row["england_value"])})
        return cells

    def headline_columns(self) -> list[dict]:
        areas = {} if self.data.headline is None else dict(self.data.headline.select("indicator_code", "service_area").iter_rows())
        return [{"code": c, "name": self.indicator_by_code[c]["indicator_name"], "area": areas.get(c), "index": i, "definition": definition_anchor(c)}
                for i, c in enumerate(self.headline_codes) if c in self.indicator_by_code]

    @cached_property
    def release_changes(self) -> dict:
        """The national changes since the previous release (the same on every page)."""
        return release_changes(self.data.changes, self.data.release.previous_release_id)

    def council_changes(self, code: int, rows: dict[str, dict] | None = None) -> dict:
        """One council's concerns and strengths raised and cleared and values revised since the
        previous release; each concern or strength with the id of its row on the council page."""
        changes = council_changes(self.part("changes", code), self.indicator_by_code, self.headline_codes)
        changes["relabels"] = self.release_changes["relabels"]  # the same periods for every council
        for change in SIGNAL_CHANGES:
            for line in changes[change]:
                line["anchor"] = indicator_anchor(line["code"]) if rows is None or line["code"] in rows else None
        return changes

    @cached_property
    def groups_of(self) -> dict[int, list[dict]]:
        found: dict[int, list[dict]] = defaultdict(list)
        for row in self.data.peer_groups.to_dicts():
            found[row["area_code"]].append({"name": row["group_name"], "file": f"{slug(row['group_name'])}.html"})
        return found

    @cached_property
    def latest_index(self) -> dict[tuple[int, str], float | None]:
        latest = self.data.latest.select("area_code", "indicator_code", "latest_value")
        return {(a, i): v for a, i, v in latest.iter_rows()}
