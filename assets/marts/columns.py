"""What every column of every mart means: the one source of truth for the column descriptions.

The marts' column schema in the Dagster UI (``dagster/column_schema``, ``assets/marts/assets.py``)
and the glossary of the export workbook both read ``column_descriptions()``, which also covers
the two core tables the export shows (``dim_indicator``, ``dim_stat_neighbour``). A column added
to one of these tables must be described here: ``tests/test_marts.py`` compares these names with
the built tables. The texts are for analysts; the rules behind them are in ``docs/methods.md``.
"""

from __future__ import annotations

# Columns that mean the same in every mart that has them.
_SHARED = {
    "indicator_code": "The indicator's code in the LAIT data dictionary (or the extra source's code).",
    "indicator_name": "The indicator's short description, from the data dictionary.",
    "area_code": "The council's three-digit LA code.",
    "area_name": "The council's name.",
    "region_name": "The council's region (one of the 9 regions of England; Inner and Outer London are London).",
    "polarity": "Which way is better: high, low, or none (no better direction).",
    "period_label": "The period as published (e.g. 2023-24, 2024 (prov)).",
    "period_end_year": "The year the period ends in (2024 for 2023-24).",
    "period_order": "Sort key of the period: end year x 10 + status rank (provisional before final).",
    "release_id": "The LAIT release the marts were built from.",
    "compared_with_release": "The release published before this one, that changes are measured against.",
    "flag": "The flag's rule (e.g. sustained_decline, band_drop); see docs/methods.md.",
    "severity": "How serious the flag is, 1 (least) to 3 (most).",
    "since_period": "The first period of the run of data that raised the flag.",
    "latest_period": "The latest period with a value for this council and indicator.",
    "evidence": "The values behind the flag, in words.",
}

_MARTS = {
    "peer_group": {
        "group_name": "The peer group's name, from pipeline/peer_groups.yaml.",
        "area_code": None,
        "area_name": None,
    },
    "benchmark": {
        "indicator_code": None, "area_code": None, "area_name": None, "period_label": None,
        "period_end_year": None, "period_order": None, "polarity": None,
        "value": "The council's value for the period (empty when not published or suppressed).",
        "england_value": "England's published value for the period.",
        "region_value": "The council's region's published value for the period.",
        "subregion_value": "Inner or Outer London's published value (London boroughs only).",
        "sn_mean": "Mean of the council's statistical neighbours with a value (empty when fewer than 5).",
        "sn_median": "Median of the council's statistical neighbours with a value (empty when fewer than 5).",
        "sn_n": "How many of the 10 statistical neighbours have a value.",
        "council_type": "County, unitary, metropolitan district or London borough.",
        "type_mean": "Mean of the current councils of the same type with a value.",
        "type_n": "How many councils of the same type have a value.",
        "gap_to_england": "Value minus England's, signed so that positive means better.",
        "gap_to_region": "Value minus the region's, signed so that positive means better.",
        "gap_to_sn": "Value minus the statistical neighbour mean, signed so that positive means better.",
        "rank": "Rank among the councils with a value, 1 = best (ties share the best rank).",
        "rank_n": "How many councils were ranked.",
        "quartile_band": "A (best quarter) to D (worst quarter) of the councils with a value.",
        "percentile": "Position among the ranked councils, 100 = best, 0 = worst.",
        "national_n": "How many current councils have a value for the period.",
        "q0": "Lowest value among the councils (cut point of the bands).",
        "q25": "Lower quartile of the councils' values.",
        "q50": "Median of the councils' values.",
        "q75": "Upper quartile of the councils' values.",
        "q100": "Highest value among the councils.",
        "not_compared_reason": "Why the council is not ranked or banded (no polarity, no quartiles, too few councils).",
    },
    "trend": {
        "indicator_code": None, "indicator_name": None, "area_code": None, "area_name": None, "polarity": None,
        "dps": "Decimal places the indicator is published to.",
        "indicator_latest_period": "The newest period of the indicator for any council.",
        "latest_period": None,
        "latest_value": "The council's value in its latest period.",
        "previous_period": "The period before the latest one with a value.",
        "previous_value": "The council's value in the previous period.",
        "change": "Latest value minus the previous one (empty when the periods are not consecutive).",
        "direction": "Whether the change is better, worse or no change (by the indicator's polarity).",
        "not_comparable_reason": "Why no change is given (e.g. a gap between the periods).",
        "no_change_threshold": "Changes smaller than this (half a unit of the last published decimal place) count as no change.",
        "latest_band": "Quartile band A-D in the latest period.",
        "latest_percentile": "Percentile in the latest period (100 = best).",
        "latest_rank": "Rank in the latest period (1 = best).",
        "latest_rank_n": "How many councils were ranked in the latest period.",
        "national_iqr": "Interquartile range of the councils' values in the latest period.",
        "trend_points": "How many consecutive periods the multi-year trend is fitted on (4-5).",
        "window_periods": "The periods of the trend window.",
        "window_values": "The council's values in the trend window.",
        "trend_slope": "Theil-Sen slope of the trend, per year.",
        "fitted_change": "The slope times the window's length: the change the trend implies.",
        "trend_material": "Whether the fitted change is at least half the national interquartile range.",
        "trend_robust": "Whether leaving out any one period keeps the slope's sign.",
        "trend_direction": "improving, worsening or flat, by the indicator's polarity.",
        "trend_label": "The trend in plain words.",
        "latest_end_year": "The year the latest period ends in.",
        "stale": "True when the latest period ends more than 2 years before the newest period of any indicator.",
    },
    "decline_flags": {
        "indicator_code": None, "indicator_name": None, "area_code": None, "area_name": None,
        "flag": None, "severity": None, "since_period": None, "latest_period": None, "evidence": None,
    },
    "improvement_flags": {
        "indicator_code": None, "indicator_name": None, "area_code": None, "area_name": None,
        "flag": None, "severity": None, "since_period": None, "latest_period": None, "evidence": None,
    },
    "flag_history": {
        "release_id": None,
        "release_published_at": "When that release was published into the warehouse.",
        "kind": "decline or improvement.",
        "indicator_code": None, "area_code": None, "flag": None, "severity": None,
        "since_period": None, "latest_period": None,
    },
    "council_summary": {
        "area_code": None, "area_name": None, "region_name": None,
        "topic": "The indicator topic, or 'All topics'.",
        "indicators_with_data": "Indicators with at least one value for the council.",
        "polar_indicators": "Of those, indicators with a better direction that are not stale.",
        "band_a": "Indicators whose latest band is A.",
        "band_b": "Indicators whose latest band is B.",
        "band_c": "Indicators whose latest band is C.",
        "band_d": "Indicators whose latest band is D.",
        "decline_flags": "Decline flags raised.",
        "improvement_flags": "Improvement flags raised.",
        "flagged_indicators": "Polar indicators with at least one decline flag.",
        "early_warning_score": "Flagged indicators / polar indicators (higher = more warnings).",
        "rank_in_region": "Rank on the early-warning score within the region, 1 = most warnings.",
        "rank_national": "Rank on the early-warning score in England, 1 = most warnings.",
        "release_id": None, "compared_with_release": None,
        "new_decline_flags": "Decline flags raised since the previous release.",
        "cleared_decline_flags": "Decline flags cleared since the previous release.",
        "new_improvement_flags": "Improvement flags raised since the previous release.",
        "cleared_improvement_flags": "Improvement flags cleared since the previous release.",
        "changes": "The new and cleared flags, listed.",
    },
    "strengths_weaknesses": {
        "area_code": None, "area_name": None,
        "kind": "strength or area for development.",
        "position": "Order within its kind, 1 = first.",
        "indicator_code": None, "indicator_name": None,
        "topic": "The indicator's topic.",
        "service_area": "Social care, education, SEND, health, finance, workforce or youth justice.",
        "latest_period": None,
        "latest_value": "The council's value in its latest period.",
        "latest_band": "Quartile band A-D in the latest period.",
        "latest_rank": "Rank in the latest period (1 = best).",
        "latest_rank_n": "How many councils were ranked in the latest period.",
        "reason": "Why it was picked, in words.",
    },
    "release_changes": {
        "release_id": None, "compared_with_release": None,
        "change": "What changed: new_indicator, dropped_indicator, new_period, dropped_period, "
        "revised_value, flag_raised or flag_cleared.",
        "indicator_code": None, "indicator_name": None, "area_code": None, "area_name": None,
        "period_label": None, "period_order": None,
        "previous_value": "The value in the previous release.",
        "value": "The value in this release.",
        "previous_status": "The value's status in the previous release (e.g. confidential).",
        "value_status": "The value's status in this release.",
        "flag_kind": "decline or improvement (flag changes only).",
        "flag": None, "severity": None,
    },
}


# The core tables the export shows beside the marts (schema ``core``).
_CORE = {
    "dim_indicator": {
        "indicator_code": None, "indicator_name": None,
        "chart_title": "The indicator's title in LAIT's charts.",
        "unit": "What the value measures (the chart's y axis), e.g. '% of pupils'.",
        "polarity": None,
        "dps": "Decimal places the indicator is published to (empty when the dictionary gives none).",
        "year_type": "academic, financial or calendar: what a period's year means.",
        "no_quartile": "True when the indicator is not put into quartile bands.",
        "discontinued": "True when the indicator is no longer published.",
        "description": "What the indicator is, from the data dictionary.",
        "methodology": "How it is calculated, from the data dictionary.",
        "source_link": "Where it is published.",
        "last_update": "When the indicator's data were last published.",
        "next_update": "When its next publication is due.",
        "last_update_note": "Words given in place of a last-update date (e.g. Discontinued).",
        "next_update_note": "Words given in place of a next-update date (e.g. TBC).",
        "in_dictionary": "False for an indicator with data but no row in the data dictionary.",
        "has_data": "Whether the release holds any value for the indicator.",
        "is_percentage": "Whether the values are percentages (so 0-100 is expected).",
        "source_name": "LAIT, or the name of the extra source the indicator comes from.",
    },
    "dim_stat_neighbour": {
        "area_code": None,
        "neighbour_code": "The LA code of one of the council's 10 statistical neighbours.",
        "neighbour_rank": "1 = the closest neighbour, 10 = the tenth.",
        "closeness": "How close the neighbour is, in the DfE model's words (extremely close ... not close).",
    },
}


def column_descriptions() -> dict[str, dict[str, str]]:
    """``{table: {column: description}}`` for every mart and the core tables the export shows,
    columns in the table's order."""
    return {
        table: {column: text or _SHARED[column] for column, text in columns.items()}
        for table, columns in {**_MARTS, **_CORE}.items()
    }
