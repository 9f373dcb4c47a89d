-- flag_candidate(flag_kind) (temporary table macro): every flag of one kind ('decline' or
-- 'improvement'), one row per flag, read by decline_flags.sql and improvement_flags.sql (each
-- computes its own kind only). Rules (docs/methods.md, "Flags"):
-- each flag is written once with sense s = -1 (decline) or +1 (improvement), so the
-- improvement flags are the exact mirror of the decline flags. Only polar (high/low),
-- non-stale marts.trend rows are considered; b = +1 high, -1 low polarity; "good" moves
-- have s * b * change > 0. Bands are scored A = 4 ... D = 1 ("goodness").
--   sustained_decline / sustained_improvement: the last 4 window points are consecutive and
--     each of the 3 changes between them has s * b * change >= the no-change threshold.
--     since = first of the 4 periods; severity 3 if the latest band is D (A), else 2.
--   worsening_trend / improving_trend: trend_material and trend_robust and the trend goes
--     the flagged way. since = first window period; severity 3 if |fitted change| >= national
--     IQR, else 2.
--   band_drop / band_rise: latest period banded; among banded periods of the council ending
--     1 or 2 years before the latest, the largest s * (goodness_latest - goodness_then) is
--     >= 2, or the latest band is D (A) and the most recent of those periods was not.
--     since = that earlier period; severity 3 if the latest band is D (A), else 2.
--   falling_behind_neighbours / pulling_ahead_of_neighbours: two years before the latest
--     s * gap_to_sn <= 0 (not worse / not better than the neighbour mean); at the latest
--     s * gap_to_sn > 0 and >= 0.25 * national IQR. since = the earlier period; severity 2
--     if >= 0.5 * IQR, else 1.
--   worst_quartile_and_worsening / best_quartile_and_improving: latest band D (A) and the
--     period-on-period direction worsening (improving). since = latest; severity 3.
CREATE OR REPLACE TEMP MACRO flag_candidate(flag_kind) AS TABLE
WITH sense AS (
    SELECT * FROM (VALUES
        ('decline', -1, 'worsened', 'worse', 'worsening', 'D', 1,
         'sustained_decline', 'worsening_trend', 'band_drop', 'falling_behind_neighbours',
         'worst_quartile_and_worsening'),
        ('improvement', 1, 'improved', 'better', 'improving', 'A', 4,
         'sustained_improvement', 'improving_trend', 'band_rise', 'pulling_ahead_of_neighbours',
         'best_quartile_and_improving')
    ) AS s(kind, s, changed, comparative, moving, extreme_band, extreme_goodness,
           flag_sustained, flag_trend, flag_band, flag_neighbours, flag_extreme)
    WHERE kind = flag_kind
),
subject AS (
    SELECT t.*, CASE t.polarity WHEN 'high' THEN 1 ELSE -1 END AS b,
           better_words(t.polarity) AS better
    FROM marts.trend AS t
    WHERE t.polarity IN ('high', 'low') AND NOT t.stale
),
sustained AS (
    SELECT s.kind, t.indicator_code, t.area_code, s.flag_sustained AS flag,
           CASE WHEN t.latest_band = s.extreme_band THEN 3 ELSE 2 END AS severity,
           t.window_periods[-4] AS since_period,
           'The value ' || s.changed || ' in each of the last 3 periods: '
               || array_to_string([t.window_periods[i] || ' ' || fmt_value(t.window_values[i], t.dps)
                                   FOR i IN range(t.trend_points - 3, t.trend_points + 1)], ', ')
               || ' (' || t.better || ').' AS evidence
    FROM subject AS t CROSS JOIN sense AS s
    WHERE t.trend_points >= 4
      AND list_bool_and([s.s * t.b * round(t.window_values[i + 1] - t.window_values[i], 10) >= t.no_change_threshold
                         FOR i IN range(t.trend_points - 3, t.trend_points)])
),
trend AS (
    SELECT s.kind, t.indicator_code, t.area_code, s.flag_trend AS flag,
           CASE WHEN abs(t.fitted_change) >= t.national_iqr THEN 3 ELSE 2 END AS severity,
           t.window_periods[1] AS since_period,
           'Theil-Sen slope ' || fmt_signed(t.trend_slope, t.dps + 1) || ' a year over the '
               || t.trend_points || ' periods ' || t.window_periods[1] || ' to ' || t.window_periods[-1]
               || ' (values ' || array_to_string([fmt_value(v, t.dps) FOR v IN t.window_values], ', ')
               || '; ' || t.better || '): fitted change ' || fmt_signed(t.fitted_change, t.dps)
               || ', at least half the national inter-quartile range of ' || fmt_value(t.national_iqr, t.dps)
               || ' in ' || t.latest_period || '; the slope keeps its sign whichever period is left out.'
               AS evidence
    FROM subject AS t CROSS JOIN sense AS s
    WHERE t.trend_material AND t.trend_robust AND t.trend_direction = s.moving
),
band_history AS (
    SELECT t.indicator_code, t.area_code, t.latest_period, t.dps, t.latest_value,
           t.latest_rank, t.latest_rank_n, t.latest_band,
           5 - list_position(['A', 'B', 'C', 'D'], t.latest_band) AS latest_goodness,
           e.period_label AS earlier_period, e.period_order AS earlier_order, e.quartile_band AS earlier_band,
           5 - list_position(['A', 'B', 'C', 'D'], e.quartile_band) AS earlier_goodness
    FROM subject AS t
    JOIN marts.benchmark AS e
      ON e.indicator_code = t.indicator_code AND e.area_code = t.area_code
     AND e.period_end_year BETWEEN t.latest_end_year - 2 AND t.latest_end_year - 1
     AND e.quartile_band IS NOT NULL
    WHERE t.latest_band IS NOT NULL
),
band_move AS (
    SELECT s.kind, s.flag_band, s.extreme_band, s.extreme_goodness, h.indicator_code, h.area_code,
           any_value(h.latest_period) AS latest_period, any_value(h.latest_band) AS latest_band,
           any_value(h.latest_goodness) AS latest_goodness,
           any_value(h.dps) AS dps, any_value(h.latest_value) AS latest_value,
           any_value(h.latest_rank) AS latest_rank, any_value(h.latest_rank_n) AS latest_rank_n,
           max(s.s * (h.latest_goodness - h.earlier_goodness)) AS biggest_move,
           arg_max(h.earlier_period, (s.s * (h.latest_goodness - h.earlier_goodness), h.earlier_order)) AS moved_from,
           arg_max(h.earlier_band, (s.s * (h.latest_goodness - h.earlier_goodness), h.earlier_order)) AS moved_from_band,
           arg_max(h.earlier_period, h.earlier_order) AS previous_period,
           arg_max(h.earlier_band, h.earlier_order) AS previous_band
    FROM band_history AS h CROSS JOIN sense AS s
    GROUP BY ALL
),
band AS (
    SELECT kind, indicator_code, area_code, flag_band AS flag,
           CASE WHEN latest_band = extreme_band THEN 3 ELSE 2 END AS severity,
           CASE WHEN biggest_move >= 2 THEN moved_from ELSE previous_period END AS since_period,
           'Quartile band ' || CASE WHEN biggest_move >= 2 THEN moved_from_band ELSE previous_band END
               || ' in ' || CASE WHEN biggest_move >= 2 THEN moved_from ELSE previous_period END
               || ', band ' || latest_band || ' in ' || latest_period
               || ' (A = best quarter of councils, D = worst); ' || latest_period || ' value '
               || fmt_value(latest_value, dps) || ', rank ' || latest_rank || ' of ' || latest_rank_n || '.'
               AS evidence
    FROM band_move
    WHERE biggest_move >= 2 OR (latest_goodness = extreme_goodness AND previous_band <> extreme_band)
),
neighbours AS (
    SELECT s.kind, t.indicator_code, t.area_code, s.flag_neighbours AS flag,
           CASE WHEN s.s * now.gap_to_sn >= round(0.5 * t.national_iqr, 10) THEN 2 ELSE 1 END AS severity,
           was.period_label AS since_period,
           was.period_label || ': ' || fmt_value(was.value, t.dps) || ' against a statistical-neighbour mean of '
               || fmt_value(was.sn_mean, t.dps) || ' (not ' || s.comparative || '); ' || now.period_label || ': '
               || fmt_value(now.value, t.dps) || ' against ' || fmt_value(now.sn_mean, t.dps) || ', '
               || s.comparative || ' by ' || fmt_value(abs(now.gap_to_sn), t.dps)
               || ', at least a quarter of the national inter-quartile range (' || fmt_value(t.national_iqr, t.dps)
               || ' / 4 = ' || fmt_value(t.national_iqr / 4, t.dps + 1) || '; ' || t.better || ').' AS evidence
    FROM subject AS t
    CROSS JOIN sense AS s
    JOIN marts.benchmark AS now
      ON now.indicator_code = t.indicator_code AND now.area_code = t.area_code
     AND now.period_label = t.latest_period
    JOIN marts.benchmark AS was
      ON was.indicator_code = t.indicator_code AND was.area_code = t.area_code
     AND was.period_end_year = t.latest_end_year - 2
    WHERE s.s * was.gap_to_sn <= 0
      AND s.s * now.gap_to_sn > 0
      AND s.s * now.gap_to_sn >= round(0.25 * t.national_iqr, 10)  -- gaps are rounded to 10 decimals too
),
extreme AS (
    SELECT s.kind, t.indicator_code, t.area_code, s.flag_extreme AS flag,
           3 AS severity,
           t.latest_period AS since_period,
           'Band ' || t.latest_band || ' in ' || t.latest_period || ' (' || fmt_value(t.latest_value, t.dps)
               || ', rank ' || t.latest_rank || ' of ' || t.latest_rank_n || ') and ' || s.comparative
               || ' than in ' || t.previous_period || ' (' || fmt_value(t.previous_value, t.dps) || '; '
               || t.better || ').' AS evidence
    FROM subject AS t CROSS JOIN sense AS s
    WHERE t.latest_band = s.extreme_band AND t.direction = s.moving
),
flag AS (
    SELECT * FROM sustained
    UNION ALL SELECT * FROM trend
    UNION ALL SELECT * FROM band
    UNION ALL SELECT * FROM neighbours
    UNION ALL SELECT * FROM extreme
)
SELECT f.kind, f.indicator_code, t.indicator_name, f.area_code, t.area_name, f.flag, f.severity,
       f.since_period, t.latest_period, f.evidence
FROM flag AS f
JOIN subject AS t USING (indicator_code, area_code)
ORDER BY f.area_code, f.indicator_code, f.flag;
