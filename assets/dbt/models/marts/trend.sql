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
-- How: one pass over each council's numeric benchmark rows keeps its latest 5 periods (max_by
-- with n = 5, newest first), which hold the latest, the previous and the whole window; the
-- Theil-Sen and leave-one-out slopes are list medians over the window's pairs, per row.
WITH indicator AS (
    SELECT indicator_code, n.indicator_name, polarity,
           CASE polarity WHEN 'high' THEN 1 WHEN 'low' THEN -1 END AS better_sign,
           coalesce(dps, 1) AS dps,
           0.5 * pow(10, -coalesce(dps, 1)) AS threshold
    FROM {{ ref('dim_indicator') }}
    JOIN {{ ref('indicator_name') }} AS n USING (indicator_code)  -- the one readable name
),
newest AS (
    SELECT max(period_end_year) AS newest_end_year
    FROM {{ ref('fact_indicator_value') }} WHERE value IS NOT NULL
),
series AS (
    SELECT indicator_code, area_code, any_value(area_name) AS area_name,
           max(period_order) AS latest_order,
           max_by({'period_label': period_label, 'end_year': period_end_year, 'value': value},
                  period_order, 5) AS recent,
           max_by({'band': quartile_band, 'percentile': percentile, 'rank': rank, 'rank_n': rank_n,
                   'iqr': q75 - q25}, period_order) AS at_latest
    FROM {{ ref('benchmark') }}
    WHERE value IS NOT NULL
    GROUP BY ALL
),
indicator_latest AS (
    SELECT indicator_code, max_by(recent[1].period_label, latest_order) AS indicator_latest_period
    FROM series
    GROUP BY ALL
),
windowed AS (
    -- the k-th newest point is in the window when it ends k - 1 years before the latest
    SELECT s.*,
           list_reverse(list_filter(recent, lambda p, k: p.end_year + k = recent[1].end_year + 1)) AS window_points
    FROM series AS s
),
latest AS (
    SELECT indicator_code, area_code, area_name,
           recent[1].period_label AS latest_period, recent[1].end_year AS latest_end_year,
           recent[1].value AS latest_value, at_latest.band AS latest_band,
           at_latest.percentile AS latest_percentile, at_latest.rank AS latest_rank,
           at_latest.rank_n AS latest_rank_n, at_latest.iqr AS national_iqr,
           recent[2].period_label AS previous_period, recent[2].end_year AS previous_end_year,
           recent[2].value AS previous_value,
           len(window_points) AS trend_points,
           [p.period_label FOR p IN window_points] AS window_periods,
           [p.value FOR p IN window_points] AS window_values,
           [p.end_year FOR p IN window_points] AS x
    FROM windowed
),
pair AS (
    -- every pair i < j of the 4 or 5 window points (the first 6 pairs are those of 4 points)
    SELECT l.indicator_code, l.area_code, l.trend_points,
           [{'i': p[1], 'j': p[2], 'slope': (l.window_values[p[2]] - l.window_values[p[1]]) / (l.x[p[2]] - l.x[p[1]])}
            FOR p IN [[1, 2], [1, 3], [1, 4], [2, 3], [2, 4], [3, 4], [1, 5], [2, 5], [3, 5], [4, 5]]
            IF p[2] <= l.trend_points] AS pairs
    FROM latest AS l
    WHERE l.trend_points >= {{ var('trend_min_points') }}
),
theil_sen AS (
    SELECT indicator_code, area_code,
           list_median([p.slope FOR p IN pairs]) AS slope,
           [list_median([p.slope FOR p IN pairs IF m NOT IN (p.i, p.j)]) FOR m IN range(1, trend_points + 1)]
               AS leave_one_out
    FROM pair
),
robustness AS (
    SELECT indicator_code, area_code, slope,
           slope <> 0 AND list_bool_and([sign(o) = sign(slope) FOR o IN leave_one_out]) AS trend_robust
    FROM theil_sen
),
assembled AS (
    SELECT l.* EXCLUDE (x), i.indicator_name, i.polarity, i.better_sign, i.dps, i.threshold,
           il.indicator_latest_period,
           n.newest_end_year - l.latest_end_year > {{ var('out_of_date_years') }} AS stale,
           CASE WHEN l.previous_period IS NULL THEN 'no earlier value for this council'
                WHEN l.latest_end_year - l.previous_end_year <> 1
                    THEN 'the previous value (' || l.previous_period || ') is '
                         || (l.latest_end_year - l.previous_end_year)
                         || ' years before the latest; the periods between have no value'
           END AS not_comparable_reason,
           r.slope AS trend_slope,
           r.slope * (l.trend_points - 1) AS fitted_change,
           r.slope <> 0 AND abs(r.slope * (l.trend_points - 1)) >= {{ var('trend_material_iqr') }} * l.national_iqr
               AS trend_material,
           r.trend_robust
    FROM latest AS l
    JOIN indicator AS i USING (indicator_code)
    JOIN indicator_latest AS il USING (indicator_code)
    CROSS JOIN newest AS n
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
ORDER BY indicator_code, area_code
