-- service_area_evidence_eight_rows_per_council: the offending rows (the test passes when there are none). Properties in models/marts/service_area_evidence.yml.
SELECT c.area_code, count(e.service_area) AS service_areas
FROM {{ ref('dim_area') }} AS c
LEFT JOIN {{ ref('service_area_evidence') }} AS e USING (area_code)
WHERE c.area_kind = 'la' AND c.is_current
GROUP BY c.area_code
HAVING count(DISTINCT e.service_area) <> (SELECT count(DISTINCT service_area) FROM {{ ref('headline_indicator') }})
    OR count(*) FILTER (e.best_quarter_n + e.worst_quarter_n > e.judged_n OR e.concern_n + e.strength_n > e.judged_n) > 0
