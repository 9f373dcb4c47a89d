-- marts.backtest_inspection: one row per inspection of a current council with a judgement: the
-- early-warning score as of the inspection's start date (score_rule.sql, figures published by
-- then only), the judgement and the council's previous judgement in the file.
--   split: 'fit' when the inspection ended before 2022-01-01, else 'test'.
--   score_band: 'lower' / 'middle' / 'higher' by the terciles of the fit split's scores (cut
--     points fitted on the fit split only, used unchanged for the test split and the current scores).
--   previous_grade: the overall grade of the council's latest earlier inspection in the file.
WITH scored AS (
    SELECT i.as_of_key, i.current_area_code AS area_code, i.local_authority,
           i.inspection_start_date, i.inspection_end_date, s.as_of_date,
           s.score, s.level, s.change, s.n_positioned, s.n_judged, s.n_concerns,
           i.overall_grade, i.overall_effectiveness,
           lag(i.overall_grade) OVER (PARTITION BY i.current_area_code ORDER BY i.inspection_end_date)
               AS previous_grade,
           i.overall_grade >= 3 AS is_ri_or_inadequate,
           CASE WHEN i.inspection_end_date < DATE '2022-01-01' THEN 'fit' ELSE 'test' END AS split,
           s.band_d_share AS baseline_band_d_share
    FROM {{ ref('inspection_row') }} AS i
    JOIN {{ ref('score_inspection') }} AS s USING (as_of_key)
    WHERE i.overall_grade IS NOT NULL
),
cut AS (
    SELECT quantile_cont(score, [1 / 3, 2 / 3]) AS q FROM scored WHERE split = 'fit' AND score IS NOT NULL
)
SELECT s.* EXCLUDE (as_of_key),
       CASE WHEN s.score IS NULL THEN NULL
            WHEN s.score <= c.q[1] THEN 'lower'
            WHEN s.score <= c.q[2] THEN 'middle'
            ELSE 'higher' END AS score_band,
       c.q[1] AS band_cut_lower, c.q[2] AS band_cut_higher
FROM scored AS s
CROSS JOIN cut AS c
ORDER BY s.inspection_end_date, s.area_code
