-- trend_one_row_per_series_with_data: the offending rows (the test passes when there are none). Properties in models/marts/trend.yml.
WITH expected AS (
    SELECT DISTINCT f.indicator_code, f.area_code
    FROM {{ ref('fact_indicator_value') }} AS f
    JOIN {{ ref('dim_area') }} AS a USING (area_code)
    WHERE a.area_kind = 'la' AND a.is_current AND f.value IS NOT NULL
),
found AS (
    SELECT indicator_code, area_code, count(*) AS trend_rows FROM {{ ref('trend') }} GROUP BY ALL
)
SELECT coalesce(e.indicator_code, t.indicator_code) AS indicator_code,
       coalesce(e.area_code, t.area_code) AS area_code,
       coalesce(t.trend_rows, 0) AS trend_rows,
       e.indicator_code IS NOT NULL AS has_data
FROM expected AS e
FULL JOIN found AS t USING (indicator_code, area_code)
WHERE e.indicator_code IS NULL OR coalesce(t.trend_rows, 0) <> 1
