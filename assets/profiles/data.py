"""Read what the profiles show from the warehouse (read-only): the marts and the core dimensions.

``load_profile_data(con, codes)`` returns every frame the pages need for the councils in
``codes`` (all current councils when ``None``) in one pass, so building every profile reads
the warehouse once and building one council reads only that council's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from assets.core.inspection_coverage import InspectionCoverage, inspection_coverage
from base.warehouse import table_exists

CURRENT_COUNCILS = """
    SELECT area_code, area_name, region_name, la_type, london_subregion
    FROM core.dim_area WHERE area_kind = 'la' AND is_current ORDER BY area_name
"""

NEIGHBOURS = """
    SELECT n.area_code, n.neighbour_rank, n.neighbour_code, a.area_name AS neighbour_name, n.closeness
    FROM core.dim_stat_neighbour n JOIN core.dim_area a ON a.area_code = n.neighbour_code
    WHERE n.area_code IN (SELECT unnest($codes)) ORDER BY n.area_code, n.neighbour_rank
"""

INDICATORS = """
    SELECT t.topic, i.indicator_code, n.indicator_name, n.sort_name, n.dictionary_name, i.unit, i.polarity, i.dps,
           i.is_percentage, i.no_quartile, i.discontinued, i.description,
           i.source_link, i.last_update, i.next_update, i.last_update_note, i.next_update_note
    FROM core.indicator_topic t JOIN core.dim_indicator i USING (indicator_code)
    JOIN marts.indicator_name n USING (indicator_code)
    WHERE i.has_data ORDER BY t.topic, n.sort_name, i.indicator_code
"""

LATEST = """
    SELECT t.indicator_code, t.area_code, t.dps, t.latest_period, t.latest_end_year, t.latest_value, t.previous_period,
           t.previous_value, t.change, t.direction, t.not_comparable_reason, t.trend_label,
           t.trend_direction, t.stale, b.england_value, b.region_value, b.sn_mean, b.sn_n,
           b.quartile_band, b.rank, b.rank_n, b.percentile, b.not_compared_reason,
           b.q0, b.q25, b.q50, b.q75, b.q100
    FROM marts.trend t
    LEFT JOIN marts.benchmark b ON b.indicator_code = t.indicator_code
        AND b.area_code = t.area_code AND b.period_label = t.latest_period
    WHERE t.area_code IN (SELECT unnest($codes))
"""

HISTORY = """
    SELECT indicator_code, area_code, period_label, period_order, value, sn_mean, region_value,
           england_value
    FROM marts.benchmark WHERE area_code IN (SELECT unnest($codes))
    ORDER BY indicator_code, area_code, period_order
"""

SIGNALS = """
    SELECT area_code, indicator_code, signal FROM marts.series_signal
    WHERE signal IN ('concern', 'strength') AND area_code IN (SELECT unnest($codes))
"""

STRENGTHS = """
    SELECT area_code, kind, position, indicator_code, indicator_name, topic, latest_period,
           latest_band, reason
    FROM marts.strengths_weaknesses WHERE area_code IN (SELECT unnest($codes))
    ORDER BY area_code, kind, position
"""

PEER_GROUPS = """
    SELECT group_name, area_code, area_name, region_name FROM marts.peer_group ORDER BY group_name, area_name
"""
RELEASE = """
    SELECT h.release_id, h.published_at, (SELECT any_value(release_id) FROM core.previous_release)
    FROM core.release_history h ORDER BY h.published_at DESC LIMIT 1
"""
INSPECTIONS = """
    SELECT coalesce(current_area_code, area_code) AS area_code, inspection_end_date, publication_date,
           overall_effectiveness, overall_grade, impact_of_leaders, help_and_protection, in_care, care_leavers
    FROM core.inspection ORDER BY area_code, inspection_end_date
"""
HEADLINE = """
    SELECT indicator_code, service_area, service_order, position, reason
    FROM marts.headline_indicator ORDER BY service_order, position
"""
RISK_SIGNAL = "SELECT * FROM marts.risk_signal ORDER BY area_code"
RISK_SELECTION = "SELECT * FROM marts.risk_model_selection ORDER BY candidate_order"
RISK_CALIBRATION = "SELECT * FROM marts.risk_calibration ORDER BY role, bin"
RISK_ROC = "SELECT * FROM marts.risk_roc ORDER BY candidate, point"
CONCERNS = """
    SELECT area_code, concern_rank, indicator_code, indicator_name, service_area, sentence
    FROM marts.concerns WHERE area_code IN (SELECT unnest($codes)) ORDER BY area_code, concern_rank
"""
LINES_OF_ENQUIRY = """
    SELECT area_code, position, question, evidence, evidence_kind, indicator_code
    FROM marts.lines_of_enquiry WHERE area_code IN (SELECT unnest($codes)) ORDER BY area_code, position
"""
SELF_EVALUATION = """
    SELECT area_code, seriousness_rank, service_area, our_view, our_direction, our_evidence, data_view,
           data_direction, agreement, sentence
    FROM marts.self_evaluation_check WHERE area_code IN (SELECT unnest($codes)) ORDER BY area_code, seriousness_rank
"""
LEARN_FROM = """
    SELECT area_code, indicator_code, learn_rank, learn_from_code, learn_from_name, relation, offer_kind, sentence
    FROM marts.learn_from WHERE area_code IN (SELECT unnest($codes)) ORDER BY area_code, indicator_code, learn_rank
"""
REGION_THEME = "SELECT region_name, theme_rank, indicator_code, indicator_name, sentence FROM marts.region_theme ORDER BY ALL"
BACKTEST_ROC = "SELECT split, method, threshold, fpr, tpr FROM marts.backtest_roc ORDER BY split, method, fpr, tpr"
BACKTEST_SUMMARY = """
    SELECT split, method, metric, score_band, value, ci_low, ci_high, n FROM marts.backtest_summary
    WHERE metric IN ('auc', 'outcome_rate') ORDER BY metric, split, method, score_band
"""
BACKTEST_YEARS = """
    SELECT split, min(year(inspection_end_date)) AS first_year, max(year(inspection_end_date)) AS last_year
    FROM marts.backtest_inspection GROUP BY split ORDER BY split
"""
BACKTEST_SIGNAL = """
    SELECT split, as_of, signal_group, n, share_worsened, lift, share_still_worse FROM marts.backtest_signal
    WHERE split IN ('fit', 'test') ORDER BY split, as_of, signal_group
"""
BACKTEST_PERSISTENCE = """
    SELECT split, indicator_code, indicator_name, move_correlation, share_fell_after_fall, share_fell_after_rise
    FROM marts.backtest_persistence ORDER BY split, indicator_code NULLS FIRST
"""
CHANGES = """
    SELECT change, indicator_code, indicator_name, area_code, period_label, previous_period_label, period_order,
           previous_value,
           value, previous_status, value_status, sentence, reason_now
    FROM marts.release_changes
    WHERE area_code IS NULL OR area_code IN (SELECT unnest($codes))
"""


@dataclass(frozen=True)
class Release:
    """The release the marts were built from, and the one published before it (if any)."""

    release_id: str
    published_at: datetime
    previous_release_id: str | None


@dataclass(frozen=True)
class ProfileData:
    """Every frame the pages read; council-level frames hold only the requested councils."""

    release: Release
    councils: pl.DataFrame
    neighbours: pl.DataFrame
    indicators: pl.DataFrame
    latest: pl.DataFrame
    history: pl.DataFrame
    signals: pl.DataFrame
    strengths: pl.DataFrame
    peer_groups: pl.DataFrame
    changes: pl.DataFrame
    concerns: pl.DataFrame
    # Tables other parts of the pipeline add (inspections, the headline set, the lines of
    # enquiry): None in a warehouse without them.
    inspections: pl.DataFrame | None = None
    inspection_coverage: InspectionCoverage | None = None
    headline: pl.DataFrame | None = None
    lines_of_enquiry: pl.DataFrame | None = None
    # The councils' own views beside the data (marts.self_evaluation_check).
    self_evaluation: pl.DataFrame | None = None
    # Who each council could learn from, and the themes across each region (marts.learn_from, marts.region_theme).
    learn_from: pl.DataFrame | None = None
    region_themes: pl.DataFrame | None = None
    # The backtest of the first iteration's score against Ofsted (the methods page's chart and its words).
    backtest_roc: pl.DataFrame | None = None
    backtest_summary: pl.DataFrame | None = None
    backtest_years: pl.DataFrame | None = None
    # Whether a concern foresaw a further fall, and why not (the methods page's words).
    backtest_signal: pl.DataFrame | None = None
    backtest_persistence: pl.DataFrame | None = None
    # The registered inspection-risk signal (assets/risk/): per council, the candidates' CV AUCs,
    # the calibration and the ROC points of the signal and its rivals.
    risk_signal: pl.DataFrame | None = None
    risk_selection: pl.DataFrame | None = None
    risk_calibration: pl.DataFrame | None = None
    risk_roc: pl.DataFrame | None = None


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pl.DataFrame:
    """The result of ``sql`` as a Polars frame (through Arrow, keeping types)."""
    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())


def optional_frame(con: duckdb.DuckDBPyConnection, table: str, sql: str, params: dict | None = None) -> pl.DataFrame | None:
    """``sql``'s result, or None when ``table`` is not in this warehouse."""
    return frame(con, sql, params) if table_exists(con, table) else None


def load_profile_data(con: duckdb.DuckDBPyConnection, codes: list[int] | None = None) -> ProfileData:
    """Query the warehouse once for the councils in ``codes`` (default: every current council)."""
    councils = frame(con, CURRENT_COUNCILS)
    wanted = {"codes": codes if codes is not None else councils["area_code"].to_list()}
    release = Release(*con.execute(RELEASE).fetchall()[0])
    return ProfileData(
        release=release,
        councils=councils,
        neighbours=frame(con, NEIGHBOURS, wanted),
        indicators=frame(con, INDICATORS),
        latest=frame(con, LATEST, wanted),
        history=frame(con, HISTORY, wanted),
        signals=frame(con, SIGNALS, wanted),
        strengths=frame(con, STRENGTHS, wanted),
        peer_groups=frame(con, PEER_GROUPS),
        changes=frame(con, CHANGES, wanted),
        concerns=frame(con, CONCERNS, wanted),
        inspections=optional_frame(con, "core.inspection", INSPECTIONS),
        inspection_coverage=inspection_coverage(con),
        headline=optional_frame(con, "marts.headline_indicator", HEADLINE),
        lines_of_enquiry=optional_frame(con, "marts.lines_of_enquiry", LINES_OF_ENQUIRY, wanted),
        self_evaluation=optional_frame(con, "marts.self_evaluation_check", SELF_EVALUATION, wanted),
        learn_from=optional_frame(con, "marts.learn_from", LEARN_FROM, wanted),
        region_themes=optional_frame(con, "marts.region_theme", REGION_THEME),
        backtest_roc=optional_frame(con, "marts.backtest_roc", BACKTEST_ROC),
        backtest_summary=optional_frame(con, "marts.backtest_summary", BACKTEST_SUMMARY),
        backtest_years=optional_frame(con, "marts.backtest_inspection", BACKTEST_YEARS),
        backtest_signal=optional_frame(con, "marts.backtest_signal", BACKTEST_SIGNAL),
        backtest_persistence=optional_frame(con, "marts.backtest_persistence", BACKTEST_PERSISTENCE),
        risk_signal=optional_frame(con, "marts.risk_signal", RISK_SIGNAL),
        risk_selection=optional_frame(con, "marts.risk_model_selection", RISK_SELECTION),
        risk_calibration=optional_frame(con, "marts.risk_calibration", RISK_CALIBRATION),
        risk_roc=optional_frame(con, "marts.risk_roc", RISK_ROC),
    )
