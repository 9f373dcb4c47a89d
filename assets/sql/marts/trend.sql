-- marts.trend: one row per indicator and current council with at least one numeric value.
-- Rules (docs/methods.md, "Trend"):
--   latest = the council's latest period with a numeric value; previous = its numeric period
--     before that. change = latest - previous (rounded to 10 decimals against float noise), only
--     when the two are consecutive (period end years differ by exactly 1, rolling windows
--     included); otherwise direction = 'not comparable' and not_comparable_reason says why.
--   threshold = half a unit of the last published decimal place: 0.5 * 10^-dps, dps = 1 when
--     the dictionary gives none. |change| < threshold -> 'no change'; otherwise 'improving' or
--     'worsening' by polarity; 'not judged' when the indicator has no polarity.
--   window = the latest run of consecutive numeric periods ending at the latest period, at most
--     5 long. With 4 or 5 points: slope = Theil-Sen (median of the pairwise slopes
--     (v_j - v_i) / (end_year_j - end_year_i)), fitted_change = slope * (points - 1),
--     trend_material = slope <> 0 and |fitted_change| >= 0.5 * national IQR (q75 - q25 of the
--     latest period), trend_robust = slope <> 0 and the Theil-Sen slope of every window with one
--     point left out has the same sign.
--   stale = newest end year of any numeric value of any indicator - latest end year > 2.
CREATE OR REPLACE TABLE marts.trend AS
WITH indicator AS (
    SELECT indicator_code, indicator_name, polarity,
           CASE polarity WHEN 'high' THEN 1 WHEN 'low' THEN -1 END AS better_sign,
           coalesce(dps, 1) AS dps,
           0.5 * pow(10, -coalesce(dps, 1)) AS threshold
    FROM core.dim_indicator
),
newest AS (
    SELECT max(period_end_year) AS newest_end_year
    FROM core.fact_indicator_value WHERE value IS NOT NULL
),
indicator_latest AS (
    SELECT indicator_code, max_by(period_label, period_order) AS indicator_latest_period
    FROM marts.benchmark WHERE value IS NOT NULL
    GROUP BY ALL
),
numeric AS (
    SELECT indicator_code, area_code, area_name, period_label, period_end_year, value,
           q25, q75, quartile_band, percentile, rank, rank_n,
           row_number() OVER (PARTITION BY indicator_code, area_code ORDER BY period_order DESC) AS k
    FROM marts.benchmark
    WHERE value IS NOT NULL
),
latest AS (
    SELECT l.indicator_code, l.area_code, l.area_name,
           l.period_label AS latest_period, l.period_end_year AS latest_end_year, l.value AS latest_value,
           l.quartile_band AS latest_band, l.percentile AS latest_percentile,
           l.rank AS latest_rank, l.rank_n AS latest_rank_n,
           l.q75 - l.q25 AS national_iqr,
           p.period_label AS previous_period, p.period_end_year AS previous_end_year,
           p.value AS previous_value
    FROM numeric AS l
    LEFT JOIN numeric AS p
           ON p.indicator_code = l.indicator_code AND p.area_code = l.area_code AND p.k = 2
    WHERE l.k = 1
),
window_point AS (
    SELECT n.indicator_code, n.area_code, n.period_label, n.period_end_year AS x, n.value AS y
    FROM numeric AS n
    JOIN latest AS l USING (indicator_code, area_code)
    WHERE n.k <= 5 AND n.period_end_year + n.k = l.latest_end_year + 1
),
window_summary AS (
    SELECT indicator_code, area_code,
           count(*) AS trend_points,
           list(period_label ORDER BY x) AS window_periods,
           list(y ORDER BY x) AS window_values
    FROM window_point
    GROUP BY ALL
),
pair AS (
    SELECT a.indicator_code, a.area_code, a.x AS xi, b.x AS xj, (b.y - a.y) / (b.x - a.x) AS slope
    FROM window_point AS a
    JOIN window_point AS b
      ON a.indicator_code = b.indicator_code AND a.area_code = b.area_code AND a.x < b.x
    JOIN window_summary AS w
      ON w.indicator_code = a.indicator_code AND w.area_code = a.area_code AND w.trend_points >= 4
),
theil_sen AS (
    SELECT indicator_code, area_code, median(slope) AS slope
    FROM pair GROUP BY ALL
),
leave_one_out AS (
    SELECT p.indicator_code, p.area_code, w.x AS left_out, median(p.slope) AS slope
    FROM pair AS p
    JOIN window_point AS w
      ON w.indicator_code = p.indicator_code AND w.area_code = p.area_code
     AND w.x NOT IN (p.xi, p.xj)
    GROUP BY ALL
),
robustness AS (
    SELECT t.indicator_code, t.area_code,
           t.slope <> 0 AND bool_and(sign(o.slope) = sign(t.slope)) AS trend_robust
    FROM theil_sen AS t
    JOIN leave_one_out AS o USING (indicator_code, area_code)
    GROUP BY t.indicator_code, t.area_code, t.slope
),
assembled AS (
    SELECT l.*, i.indicator_name, i.polarity, i.better_sign, i.dps, i.threshold,
           il.indicator_latest_period,
           n.newest_end_year - l.latest_end_year > 2 AS stale,
           CASE WHEN l.previous_period IS NULL THEN 'no earlier value for this council'
                WHEN l.latest_end_year - l.previous_end_year <> 1
                    THEN 'the previous value (' || l.previous_period || ') is '
                         || (l.latest_end_year - l.previous_end_year)
                         || ' years before the latest; the periods between have no value'
           END AS not_comparable_reason,
           w.trend_points, w.window_periods, w.window_values,
           t.slope AS trend_slope,
           t.slope * (w.trend_points - 1) AS fitted_change,
           t.slope <> 0 AND abs(t.slope * (w.trend_points - 1)) >= 0.5 * l.national_iqr AS trend_material,
           r.trend_robust
    FROM latest AS l
    JOIN indicator AS i USING (indicator_code)
    JOIN indicator_latest AS il USING (indicator_code)
    JOIN window_summary AS w USING (indicator_code, area_code)
    CROSS JOIN newest AS n
    LEFT JOIN theil_sen AS t USING (indicator_code, area_code)
    LEFT JOIN robustness AS r USING (indicator_code, area_code)
),
judged AS (
    SELECT *,
           CASE WHEN not_comparable_reason IS NULL THEN round(latest_value - previous_value, 10) END AS change,
           CASE WHEN trend_slope IS NULL THEN NULL
                WHEN trend_slope = 0 THEN 'flat'
                WHEN better_sign IS NULL THEN CASE WHEN trend_slope > 0 THEN 'rising' ELSE 'falling' END
                WHEN trend_slope * better_sign > 0 THEN 'improving'
                ELSE 'worsening'
           END AS trend_direction
    FROM assembled
)
SELECT indicator_code, indicator_name, area_code, area_name, polarity, dps,
       indicator_latest_period, latest_period, latest_value, previous_period, previous_value,
       change,
       CASE WHEN not_comparable_reason IS NOT NULL THEN 'not comparable'
            WHEN better_sign IS NULL THEN 'not judged'
            WHEN abs(change) < threshold THEN 'no change'
            WHEN change * better_sign > 0 THEN 'improving'
            ELSE 'worsening'
       END AS direction,
       not_comparable_reason,
       threshold AS no_change_threshold,
       latest_band, latest_percentile, latest_rank, latest_rank_n, national_iqr,
       trend_points, window_periods, window_values, trend_slope, fitted_change,
       trend_material, trend_robust, trend_direction,
       CASE WHEN trend_points < 4
                THEN 'no trend: only ' || trend_points || ' consecutive period'
                     || CASE WHEN trend_points = 1 THEN '' ELSE 's' END || ' with a value (4 needed)'
            WHEN trend_direction = 'flat' THEN 'flat over ' || trend_points || ' years'
            WHEN national_iqr IS NULL
                THEN trend_direction || ' over ' || trend_points || ' years (size not judged: no national range)'
            WHEN trend_material AND trend_robust
                THEN trend_direction || ', sustained over ' || trend_points || ' years'
            WHEN trend_robust
                THEN 'slightly ' || trend_direction || ' over ' || trend_points
                     || ' years (less than half the national inter-quartile range)'
            WHEN trend_material
                THEN trend_direction || ' over ' || trend_points
                     || ' years, but not consistently (the direction depends on a single year)'
            ELSE 'no clear trend over ' || trend_points || ' years'
       END AS trend_label,
       latest_end_year, stale
FROM judged
ORDER BY indicator_code, area_code;
