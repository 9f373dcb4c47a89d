"""What changed since the previous release, as the pages show it (rows of ``marts.release_changes``).

``release_changes`` is the national part (new and dropped indicators, new and withdrawn periods,
how many values were revised); ``council_changes`` one council's flags raised and cleared and its
revised values, formatted with each indicator's decimal places. Plain data for the templates.
"""

from __future__ import annotations

from collections import defaultdict

import polars as pl

from assets.profiles.formatting import flag_words, format_value, severity_words

KIND_ORDER = {"decline": 0, "improvement": 1}


def release_changes(changes: pl.DataFrame, compared_with: str | None) -> dict:
    """The national changes: indicators and periods added or withdrawn, revised values counted."""
    national = changes.filter(pl.col("area_code").is_null())

    def names(change: str) -> list[str]:
        return sorted(set(national.filter(pl.col("change") == change)["indicator_name"].to_list()))

    def periods(change: str) -> list[dict]:
        by_indicator: dict[str, list[str]] = defaultdict(list)
        for row in national.filter(pl.col("change") == change).to_dicts():
            by_indicator[row["indicator_name"]].append(row["period_label"])
        return [{"indicator": name, "periods": ", ".join(labels)} for name, labels in sorted(by_indicator.items())]

    revised = changes.filter(pl.col("change") == "revised_value")
    return {
        "compared_with": compared_with,
        "new_indicators": names("new_indicator"),
        "dropped_indicators": names("dropped_indicator"),
        "new_periods": periods("new_period"),
        "dropped_periods": periods("dropped_period"),
        "revised_values": len(revised),
        "revised_indicators": revised["indicator_code"].n_unique(),
    }


def council_changes(rows: pl.DataFrame, indicators: dict[str, dict]) -> dict:
    """One council's flags raised and cleared (decline first, most severe first) and revised values.

    ``rows`` are the council's rows of ``marts.release_changes``; ``indicators`` maps a code to
    its dictionary row (for decimal places and whether it is a percentage).
    """
    flags = {change: sorted((flag_line(r) for r in rows.filter(pl.col("change") == change).to_dicts()),
                            key=lambda f: (KIND_ORDER.get(f["kind"], 2), -f["severity"], f["indicator"], f["flag"]))
             for change in ("flag_raised", "flag_cleared")}
    revisions = [revision_line(r, indicators.get(r["indicator_code"], {}))
                 for r in rows.filter(pl.col("change") == "revised_value").to_dicts()]

    def count(change: str, kind: str) -> int:
        return sum(f["kind"] == kind for f in flags[change])

    return {
        "raised": flags["flag_raised"],
        "cleared": flags["flag_cleared"],
        "decline_raised": count("flag_raised", "decline"),
        "decline_cleared": count("flag_cleared", "decline"),
        "improvement_raised": count("flag_raised", "improvement"),
        "improvement_cleared": count("flag_cleared", "improvement"),
        "revisions": sorted(revisions, key=lambda r: (r["indicator"], r["order"])),
        "revised_indicators": len({r["indicator"] for r in revisions}),
    }


def flag_line(row: dict) -> dict:
    return {"kind": row["flag_kind"], "indicator": row["indicator_name"], "flag": flag_words(row["flag"]),
            "severity": row["severity"], "severity_words": severity_words(row["severity"]),
            "period": row["period_label"]}


def revision_line(row: dict, indicator: dict) -> dict:
    dps = 1 if indicator.get("dps") is None else indicator["dps"]  # as the marts: no dps given -> 1
    percentage = bool(indicator.get("is_percentage"))

    def shown(value: float | None, status: str) -> str:
        return format_value(value, dps, percentage) if status == "ok" else status.replace("_", " ")

    return {"indicator": row["indicator_name"], "period": row["period_label"], "order": row["period_order"] or 0,
            "before": shown(row["previous_value"], row["previous_status"]),
            "now": shown(row["value"], row["value_status"])}
