-- marts.service_area_evidence: one row per current council and service area (the eight of
-- pipeline/headline_indicators.yaml): what the published data say about it, in counts, a view
-- and a direction worked out by a written rule (docs/methods.md "What the data say per service
-- area"), the figure that tells most against it and for it, and Ofsted's latest sub-judgement.
-- Judged series: headline indicators with a polarity whose signal (marts.series_signal) is
-- concern, strength or no_signal (so current, compared, and not a measure of need).
WITH council AS (
    SELECT area_code, area_name, region_name FROM {{ ref('dim_area') }} WHERE area_kind = 'la' AND is_current
),
area AS (
    SELECT DISTINCT service_area, service_order FROM {{ ref('headline_indicator') }}
),
judged AS (
    SELECT s.area_code, h.service_area, h.position, s.indicator_code, s.indicator_name, s.signal,
           s.latest_period, s.latest_value, s.england_value, s.sn_mean, s.latest_band, s.position_latest, s.dps,
           t.trend_label,
           t.trend_material AND t.trend_robust AND t.trend_direction = 'improving' AS improving,
           t.trend_material AND t.trend_robust AND t.trend_direction = 'worsening' AS worsening,
           t.trend_direction IS NOT NULL AS has_trend,
           -- the figure in words: value against England, the quarter, a sustained trend
           s.indicator_name || ' ' || fmt_value(s.latest_value, s.dps) || CASE WHEN i.is_percentage THEN '%' ELSE '' END
               || ' in ' || s.latest_period || ' against ' || fmt_value(s.england_value, s.dps)
               || CASE WHEN i.is_percentage THEN '%' ELSE '' END || ' for England'
               || CASE WHEN s.sn_mean IS NOT NULL THEN ' and ' || fmt_value(s.sn_mean, s.dps)
                       || CASE WHEN i.is_percentage THEN '%' ELSE '' END || ' for its neighbours' ELSE '' END
               || CASE s.latest_band WHEN 'A' THEN ', best quarter' WHEN 'D' THEN ', worst quarter'
                                     WHEN 'B' THEN ', second quarter' WHEN 'C' THEN ', third quarter' ELSE '' END
               || CASE WHEN t.trend_material AND t.trend_robust THEN ', ' || t.trend_label ELSE '' END AS figure
    FROM {{ ref('series_signal') }} AS s
    JOIN {{ ref('headline_indicator') }} AS h USING (indicator_code)
    JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code)
    LEFT JOIN {{ ref('trend') }} AS t ON t.indicator_code = s.indicator_code AND t.area_code = s.area_code
    WHERE s.signal IN ('concern', 'strength', 'no_signal') AND h.polarity IN ('high', 'low')
),
counted AS (
    SELECT area_code, service_area,
           count(*) AS judged_n,
           count(*) FILTER (latest_band = 'A') AS best_quarter_n,
           count(*) FILTER (latest_band = 'D') AS worst_quarter_n,
           count(*) FILTER (position_latest >= {{ var('spread_threshold') }}) AS better_than_england_n,
           count(*) FILTER (position_latest <= -{{ var('spread_threshold') }}) AS worse_than_england_n,
           count(*) FILTER (signal = 'concern') AS concern_n,
           count(*) FILTER (signal = 'strength') AS strength_n,
           count(*) FILTER (improving) AS improving_n,
           count(*) FILTER (worsening) AS worsening_n,
           count(*) FILTER (has_trend) AS trend_n,
           arg_min(figure, (position_latest, position)) AS weakest_figure,
           arg_min(indicator_code, (position_latest, position)) AS weakest_indicator_code,
           arg_max(figure, (position_latest, -position)) AS strongest_figure,
           arg_max(indicator_code, (position_latest, -position)) AS strongest_indicator_code
    FROM judged
    GROUP BY ALL
),
latest_inspection AS (
    SELECT * FROM {{ ref('inspection') }}
    WHERE current_area_code IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY current_area_code ORDER BY publication_date DESC, inspection_end_date DESC) = 1
),
ofsted AS (  -- the sub-judgement that speaks for each service area
    SELECT current_area_code AS area_code, publication_date, service_area, judgement_name, judgement
    FROM latest_inspection,
         (VALUES ('help_and_protection', 'help and protection'), ('children_in_care', 'children in care'),
                 ('care_leavers', 'care leavers'), ('workforce', 'impact of leaders')) AS m(service_area, judgement_name)
    CROSS JOIN LATERAL (SELECT CASE m.service_area
        WHEN 'help_and_protection' THEN help_and_protection
        WHEN 'children_in_care' THEN in_care
        WHEN 'care_leavers' THEN coalesce(care_leavers, in_care)
        WHEN 'workforce' THEN impact_of_leaders END AS judgement)
    WHERE judgement IS NOT NULL
),
grade AS (
    SELECT * FROM (VALUES ('outstanding', 1), ('good', 2), ('requires improvement', 3), ('inadequate', 4)) AS g(word, grade)
),
joined AS (
    SELECT c.area_code, c.area_name, c.region_name, a.service_area, a.service_order,
           coalesce(n.judged_n, 0) AS judged_n, coalesce(n.best_quarter_n, 0) AS best_quarter_n,
           coalesce(n.worst_quarter_n, 0) AS worst_quarter_n, coalesce(n.better_than_england_n, 0) AS better_than_england_n,
           coalesce(n.worse_than_england_n, 0) AS worse_than_england_n, coalesce(n.concern_n, 0) AS concern_n,
           coalesce(n.strength_n, 0) AS strength_n, coalesce(n.improving_n, 0) AS improving_n,
           coalesce(n.worsening_n, 0) AS worsening_n, coalesce(n.trend_n, 0) AS trend_n,
           n.weakest_indicator_code, n.weakest_figure, n.strongest_indicator_code, n.strongest_figure,
           o.judgement_name AS ofsted_judgement_name, o.judgement AS ofsted_judgement, g.grade AS ofsted_grade,
           o.publication_date AS ofsted_published
    FROM council AS c
    CROSS JOIN area AS a
    LEFT JOIN counted AS n ON n.area_code = c.area_code AND n.service_area = a.service_area
    LEFT JOIN ofsted AS o ON o.area_code = c.area_code AND o.service_area = a.service_area
    LEFT JOIN grade AS g ON g.word = o.judgement
)
SELECT *,
       CASE WHEN judged_n = 0 AND ofsted_grade IS NULL THEN NULL
            WHEN concern_n > 0 OR ofsted_grade >= 3 OR (judged_n > 0 AND 2 * worst_quarter_n >= judged_n)
                THEN 'area for development'
            WHEN worst_quarter_n = 0 AND coalesce(ofsted_grade, 2) <= 2
                 AND (strength_n > 0 OR (judged_n > 0 AND 2 * best_quarter_n >= judged_n) OR ofsted_grade = 1)
                THEN 'strength'
            ELSE 'secure' END AS data_view,
       CASE WHEN trend_n = 0 THEN NULL
            WHEN improving_n > worsening_n THEN 'improving'
            WHEN worsening_n > improving_n THEN 'declining'
            ELSE 'stable' END AS data_direction
FROM joined
ORDER BY area_code, service_order
