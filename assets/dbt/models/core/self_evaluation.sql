-- One row per current council and service area a council has given its view of; every refused
-- cell is an error (stg_self_evaluation_problem), so nothing is published then.
SELECT t.area_code,
       t.service_area_key AS service_area,
       t.our_view_word AS our_view,
       t.direction_word AS direction,
       t.evidence,
       t.source_file,
       CAST(t.source_row AS INTEGER) AS source_row
FROM {{ ref('stg_self_evaluation_typed') }} AS t
JOIN {{ ref('dim_area') }} AS a ON a.area_code = t.area_code AND a.area_kind = 'la' AND a.is_current
WHERE t.service_area_key IS NOT NULL AND t.our_view_word IS NOT NULL AND t.nth_view = 1
ORDER BY t.area_code, t.service_area_key
