-- early_warning_one_row_per_council: the offending rows (the test passes when there are none). Properties in models/marts/early_warning.yml.
SELECT a.area_code, count(e.area_code) AS rows_found
FROM {{ ref('dim_area') }} AS a
LEFT JOIN {{ ref('early_warning') }} AS e USING (area_code)
WHERE a.area_kind = 'la' AND a.is_current
GROUP BY ALL
HAVING count(e.area_code) <> 1 OR bool_or(e.rank_national > e.rank_n) OR bool_or(e.rank_region > e.region_n)
