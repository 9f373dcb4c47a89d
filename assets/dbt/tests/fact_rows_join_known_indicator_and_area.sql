-- fact_rows_join_known_indicator_and_area: the offending rows (the test passes when there are none). Properties in models/core/fact_indicator_value.yml.
SELECT f.indicator_code, f.area_code, f.period_label,
       CASE WHEN i.indicator_code IS NULL THEN 'unknown indicator' ELSE 'unknown area' END AS problem
FROM {{ ref('fact_indicator_value') }} AS f
LEFT JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code)
LEFT JOIN {{ ref('dim_area') }} AS a USING (area_code)
WHERE i.indicator_code IS NULL OR a.area_code IS NULL
