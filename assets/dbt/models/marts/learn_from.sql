-- marts.learn_from: for each council's needs (its headline concerns, marts.concerns, and its other
-- areas for development, marts.strengths_weaknesses), up to three councils to learn from on the
-- same indicator (docs/methods.md "Who to learn from"): a council whose series there is a strength,
-- or has a sustained improving trend (marts.trend: material and robust) and has gained on England
-- since the base period; in the same region first, then the council's statistical neighbours, then
-- councils of the same type (no others); within each, strengths before improvements, then the
-- furthest ahead of England.
WITH council AS (
    SELECT area_code, area_name, region_name, la_type FROM {{ ref('dim_area') }} WHERE area_kind = 'la' AND is_current
),
need AS (
    SELECT area_code, indicator_code, 'concern' AS need_kind, concern_rank AS need_order FROM {{ ref('concerns') }}
    UNION ALL
    SELECT area_code, indicator_code, 'area for development', 100 + position FROM {{ ref('strengths_weaknesses') }} AS w
    WHERE kind = 'area_for_development'
      AND NOT EXISTS (SELECT 1 FROM {{ ref('concerns') }} AS c WHERE c.area_code = w.area_code AND c.indicator_code = w.indicator_code)
),
offer AS (
    SELECT s.area_code, s.indicator_code, s.indicator_name, s.latest_period, s.latest_value, s.england_value,
           s.position_latest, s.dps,
           CASE WHEN s.signal = 'strength' THEN 'a strength' ELSE 'a sustained improvement' END AS offer_kind
    FROM {{ ref('series_signal') }} AS s
    LEFT JOIN {{ ref('trend') }} AS t USING (indicator_code, area_code)
    WHERE s.signal = 'strength'
       OR (s.signal IN ('no_signal', 'concern') AND t.trend_material AND t.trend_robust
           AND t.trend_direction = 'improving' AND s.position_change > 0)
),
latest_inspection AS (
    SELECT current_area_code AS area_code, overall_effectiveness FROM {{ ref('inspection') }}
    WHERE current_area_code IS NOT NULL AND overall_effectiveness IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY current_area_code ORDER BY publication_date DESC) = 1
),
matched AS (
    SELECT n.area_code, me.area_name, me.region_name, n.indicator_code, o.indicator_name, n.need_kind, n.need_order,
           o.area_code AS learn_from_code, them.area_name AS learn_from_name,
           CASE WHEN them.region_name = me.region_name THEN 'same region'
                WHEN sn.neighbour_code IS NOT NULL THEN 'statistical neighbour'
                WHEN them.la_type = me.la_type THEN 'same type' END AS relation,
           o.offer_kind, o.latest_period, o.latest_value, o.england_value, o.position_latest, o.dps,
           i.overall_effectiveness AS learn_from_ofsted
    FROM need AS n
    JOIN council AS me ON me.area_code = n.area_code
    JOIN offer AS o ON o.indicator_code = n.indicator_code AND o.area_code <> n.area_code
    JOIN council AS them ON them.area_code = o.area_code
    LEFT JOIN {{ ref('dim_stat_neighbour') }} AS sn ON sn.area_code = n.area_code AND sn.neighbour_code = o.area_code
    LEFT JOIN latest_inspection AS i ON i.area_code = o.area_code
),
ranked AS (
    SELECT *, row_number() OVER (
               PARTITION BY area_code, indicator_code
               ORDER BY CASE relation WHEN 'same region' THEN 1 WHEN 'statistical neighbour' THEN 2 ELSE 3 END,
                        offer_kind = 'a sustained improvement', position_latest DESC, learn_from_name) AS learn_rank
    FROM matched WHERE relation IS NOT NULL
)
SELECT area_code, area_name, region_name, indicator_code, indicator_name, need_kind, learn_rank,
       learn_from_code, learn_from_name, relation, offer_kind, latest_period, latest_value, england_value,
       learn_from_ofsted,
       learn_from_name || ' (' || relation || ', ' || offer_kind
           || CASE WHEN learn_from_ofsted IS NOT NULL THEN '; Ofsted ' || learn_from_ofsted ELSE '' END || '): '
           || fmt_value(latest_value, coalesce(dps, 1)) || ' in ' || latest_period || ' against '
           || fmt_value(england_value, coalesce(dps, 1)) || ' for England.' AS sentence
FROM ranked
WHERE learn_rank <= 3
ORDER BY area_code, need_order, learn_rank
