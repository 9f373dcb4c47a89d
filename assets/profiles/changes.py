"""What changed since the previous release, as the pages show it (rows of ``marts.release_changes``).

``release_changes`` is the national part (new and dropped indicators, new and withdrawn periods,
periods relabelled or whose status changed, how many values were revised); ``council_changes`` one
council's concerns and strengths raised and cleared (``marts.series_signal`` of the two releases),
its revised values, formatted with each indicator's decimal places, and apart from them the
values only given to more or fewer decimals (``precision_changed``: the same figure, not a
revision). Plain data for the templates.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from assets.profiles.formatting import format_value


def release_changes(changes: pl.DataFrame, compared_with: str | None) -> dict:
    """The national changes: indicators and periods added, withdrawn, relabelled or with a new status;
    revised values counted (apart from the values only given to more or fewer decimals)."""
    national = changes.filter(pl.col("area_code").is_null())

    def names(change: str) -> list[str]:
        return sorted(set(national.filter(pl.col("change") == change)["indicator_name"].to_list()))

    def periods(change: str) -> list[dict]:
        by_indicator: dict[str, list[str]] = defaultdict(list)
        for row in national.filter(pl.col("change") == change).to_dicts():
            by_indicator[row["indicator_name"]].append(row["period_label"])
        return [{"indicator": name, "periods": ", ".join(labels)} for name, labels in sorted(by_indicator.items())]

    revised = changes.filter(pl.col("change") == "revised_value")
    relabels = national.filter(pl.col("change").is_in(RELABELS)).sort("indicator_name", "period_order")
    return {
        "compared_with": compared_with,
        "new_indicators": names("new_indicator"),
        "dropped_indicators": names("dropped_indicator"),
        "new_periods": periods("new_period"),
        "dropped_periods": periods("dropped_period"),
        "relabels": [{"indicator": r["indicator_name"], "before": r["previous_period_label"], "now": r["period_label"],
                      "status_changed": r["change"] == "period_status_changed"} for r in relabels.to_dicts()],
        "relabelled": relabels.filter(pl.col("change") == "relabelled_period").height,
        "status_changed": relabels.filter(pl.col("change") == "period_status_changed").height,
        "revised_values": len(revised),
        "revised_indicators": revised["indicator_code"].n_unique(),
    }


# Periods matched across the releases by meaning under another label: not a change of any value.
RELABELS = ("relabelled_period", "period_status_changed")


SIGNAL_CHANGES = ("concern_raised", "concern_cleared", "strength_raised", "strength_cleared")


def council_changes(rows: pl.DataFrame, indicators: dict[str, dict], headline_codes: list[str]) -> dict:
    """One council's concerns and strengths raised and cleared, in words, and its revised values.

    ``rows`` are the council's rows of ``marts.release_changes``; ``indicators`` maps a code to
    its dictionary row (for its decimal places and whether it is a percentage). ``summary`` is what
    the first screen says, in parts (``signal_summary``): "2 new concerns: Re-referrals; Absence.
    1 concern cleared. 1 new strength: Care leavers in education." The revised values are listed
    for the headline indicators (``revisions``) and counted for all (``revised_values``,
    ``revised_indicators``): a council has a hundred or more a release, which belong in the export.
    """
    signals = {change: sorted((signal_line(r) for r in rows.filter(pl.col("change") == change).to_dicts()),
                              key=lambda s: s["indicator"])
               for change in SIGNAL_CHANGES}
    revised = rows.filter(pl.col("change") == "revised_value")
    revisions = [revision_line(r, indicators.get(r["indicator_code"], {}))
                 for r in revised.filter(pl.col("indicator_code").is_in(headline_codes)).to_dicts()]
    precision = [precision_line(r) for r in rows.filter(pl.col("change") == "precision_changed").to_dicts()]
    return {
        **signals,
        "summary": signal_summary(signals),
        "revisions": sorted(revisions, key=lambda r: (r["indicator"], r["order"])),
        "revised_values": revised.height,
        "revised_indicators": revised["indicator_code"].n_unique(),
        "precision": sorted(precision, key=lambda r: (r["indicator"], r["order"])),
    }


def signal_line(row: dict) -> dict:
    """A concern or strength raised or cleared: the indicator (by its one name), its sentence and
    (cleared) why it no longer holds."""
    return {"code": row["indicator_code"], "indicator": row["indicator_name"], "period": row["period_label"],
            "sentence": row["sentence"], "now": row["reason_now"]}


def signal_summary(signals: dict[str, list[dict]]) -> list[dict]:
    """The concerns and strengths raised and cleared, as the parts of a few plain sentences: each
    part's words ("2 new concerns") and, for those raised, the lines it names (the template links them)."""
    wording = (("concern_raised", "new concern", "new concerns"), ("concern_cleared", "concern cleared", "concerns cleared"),
               ("strength_raised", "new strength", "new strengths"),
               ("strength_cleared", "strength cleared", "strengths cleared"))
    return [{"text": f"{len(signals[change])} {one if len(signals[change]) == 1 else many}",
             "lines": signals[change] if change.endswith("_raised") else []}
            for change, one, many in wording if signals[change]]


def revision_line(row: dict, indicator: dict) -> dict:
    dps = 1 if indicator.get("dps") is None else indicator["dps"]  # as the marts: no dps given -> 1
    percentage = bool(indicator.get("is_percentage"))

    def shown(value: float | None, status: str) -> str:
        return format_value(value, dps, percentage) if status == "ok" else status.replace("_", " ")

    return {"indicator": row["indicator_name"], "period": row["period_label"],
            "order": row["period_order"] or 0,
            "before": shown(row["previous_value"], row["previous_status"]),
            "now": shown(row["value"], row["value_status"])}


def precision_line(row: dict) -> dict:
    """A value only given to more or fewer decimals, both figures as published (24.6 and 24.62:
    at the indicator's decimal places the two would read the same)."""
    return {"indicator": row["indicator_name"], "period": row["period_label"], "order": row["period_order"] or 0,
            "before": published_figure(row["previous_value"]), "now": published_figure(row["value"])}


def published_figure(value: float) -> str:
    """A figure with the decimals it was published to (to 10 places, without the float artefact:
    16.100000000000001 is 16.1)."""
    return f"{value:,.10f}".rstrip("0").rstrip(".")
