"""The inspection-risk features, as of a date, read from the warehouse (docs/methods.md,
"Inspection-risk signal: pre-registration").

``inspection_frame`` gives one row per inspection scored as of its start date, ``current_frame``
one row per council as of the current release (every figure of the release), both with the same
feature columns: each service area's level (mean shortfall against England of its polar headline
indicators, missing when fewer than half have a figure), the social-care level, the inspection
type, the previous grade or type, deprivation, and (inspections only) the current score and band D
share of ``marts.backtest_inspection``. ``shortfalls`` keeps the per-indicator shortfalls, which
name the indicators driving a council's signal. Only figures with ``available_from`` on or before
the date count (the publication calendar of ``marts.series_position``).
"""

from __future__ import annotations

import duckdb
import polars as pl

SMALL_COUNCILS = (201, 420)  # City of London, Isles of Scilly: no positions, never scored
AREAS = ("help_and_protection", "children_in_care", "care_leavers", "send", "education", "health", "workforce")
SOCIAL_CARE = ("help_and_protection", "children_in_care", "care_leavers", "workforce")
DEPRIVATION = "Ever6_FSM_Prim"
FIRST_START, LAST_START = "2018-01-01", "2023-12-31"
CURRENT = "9999-12-31"  # as of the current release: every figure it holds

# The points to score: (key, area_code, as_of_date); inspections carry their judgement and type.
INSPECTIONS = f"""
    SELECT row_number() OVER (ORDER BY inspection_start_date, current_area_code)::INTEGER AS key,
           current_area_code AS area_code, inspection_start_date AS as_of_date, inspection_end_date,
           inspection_type, overall_grade, overall_grade >= 3 AS is_ri_or_inadequate,
           inspection_start_date <= DATE '{LAST_START}' AS is_selection
    FROM core.inspection
    WHERE overall_grade IS NOT NULL AND inspection_start_date >= DATE '{FIRST_START}'
      AND current_area_code IS NOT NULL AND current_area_code NOT IN {SMALL_COUNCILS}"""
COUNCILS = f"""
    SELECT area_code::INTEGER AS key, area_code, DATE '{CURRENT}' AS as_of_date
    FROM core.dim_area WHERE area_kind = 'la' AND is_current AND area_code NOT IN {SMALL_COUNCILS}"""


def shortfalls(con: duckdb.DuckDBPyConnection, points: str) -> pl.DataFrame:
    """(key, indicator_code, service_area, shortfall): -position of the newest compared,
    non-provisional, non-pandemic period published by the point's date, clamped to [-3, 3]."""
    return con.sql(f"""
        WITH point AS ({points}),
        headline AS (SELECT indicator_code, service_area FROM marts.headline_indicator
                     WHERE polarity IN ('high', 'low'))
        SELECT p.key, s.indicator_code, h.service_area,
               least(greatest(-arg_max(s.position, s.period_order), -3), 3) AS shortfall,
               arg_max(s.period_label, s.period_order) AS period_label
        FROM point AS p
        JOIN marts.series_position AS s ON s.area_code = p.area_code AND s.available_from <= p.as_of_date
        JOIN headline AS h USING (indicator_code)
        WHERE s.period_status <> 'provisional' AND NOT s.is_pandemic AND s.position IS NOT NULL
        GROUP BY ALL ORDER BY ALL""").pl()


def levels(con: duckdb.DuckDBPyConnection, short: pl.DataFrame) -> pl.DataFrame:
    """One row per key: each area's level and the social-care level (null under the half rule)."""
    sizes = dict(con.execute("SELECT service_area, count(*) FROM marts.headline_indicator "
                             "WHERE polarity IN ('high', 'low') GROUP BY ALL").fetchall())
    groups = {area: (area,) for area in AREAS} | {"social_care": SOCIAL_CARE}
    frames = []
    for name, areas in groups.items():
        needed = sum(sizes.get(a, 0) for a in areas)
        frames.append(short.filter(pl.col("service_area").is_in(areas)).group_by("key").agg(
            pl.when(pl.len() * 2 >= needed).then(pl.col("shortfall").mean()).alias(f"{name}_level")))
    keys = short.select("key").unique()
    for frame in frames:
        keys = keys.join(frame, on="key", how="left")
    return keys


def deprivation(con: duckdb.DuckDBPyConnection, points: str) -> pl.DataFrame:
    """(key, deprivation): the newest FSM ever-6 primary share published by the point's date."""
    return con.sql(f"""
        WITH point AS ({points})
        SELECT p.key, arg_max(s.value, s.period_order) AS deprivation
        FROM point AS p JOIN marts.series_position AS s
          ON s.area_code = p.area_code AND s.available_from <= p.as_of_date AND s.indicator_code = '{DEPRIVATION}'
        WHERE s.value IS NOT NULL GROUP BY ALL""").pl()


def previous_grades(con: duckdb.DuckDBPyConnection, points: str) -> pl.DataFrame:
    """(key, previous_grade): the overall grade of the council's latest inspection ended before the date."""
    return con.sql(f"""
        WITH point AS ({points})
        SELECT p.key, arg_max(i.overall_grade, i.inspection_end_date) AS previous_grade
        FROM point AS p JOIN core.inspection AS i
          ON i.current_area_code = p.area_code AND i.inspection_end_date < p.as_of_date
        WHERE i.overall_grade IS NOT NULL GROUP BY ALL""").pl()


def _history(frame: pl.DataFrame) -> pl.DataFrame:
    """Inspection type (1 standard, 0 short) and the previous grade, else 3.5 / 1.5 by type."""
    standard = (pl.col("inspection_type") == "standard").cast(pl.Float64)
    return frame.with_columns(
        inspection_type_standard=standard,
        previous_grade_or_type=pl.coalesce(pl.col("previous_grade").cast(pl.Float64),
                                           pl.when(standard == 1).then(3.5).otherwise(1.5)))


def _features(con: duckdb.DuckDBPyConnection, points: str, base: pl.DataFrame) -> pl.DataFrame:
    short = shortfalls(con, points)
    return (base.join(levels(con, short), on="key", how="left")
            .join(deprivation(con, points), on="key", how="left")
            .join(previous_grades(con, points), on="key", how="left"))


def inspection_frame(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per inspection (2018 on) with its judgement and every feature as of its start date."""
    base = con.sql(INSPECTIONS).pl()
    scores = con.sql("""SELECT area_code, inspection_end_date, score AS current_score,
                               baseline_band_d_share AS band_d_share
                        FROM marts.backtest_inspection""").pl()
    frame = _features(con, INSPECTIONS, base).join(scores, on=["area_code", "inspection_end_date"], how="left")
    return _history(frame).sort("key")


def current_frame(con: duckdb.DuckDBPyConnection) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(one row per current council with every feature as of the release, its shortfalls).

    The next inspection's type follows the latest judgement in the file: short after good or
    outstanding, standard otherwise (and when the council has none)."""
    base = con.sql(COUNCILS).pl()
    frame = _features(con, COUNCILS, base).with_columns(
        inspection_type=pl.when(pl.col("previous_grade") <= 2).then(pl.lit("short")).otherwise(pl.lit("standard")))
    names = con.sql("SELECT area_code, area_name FROM core.dim_area").pl()
    return _history(frame).join(names, on="area_code", how="left").sort("key"), shortfalls(con, COUNCILS)
