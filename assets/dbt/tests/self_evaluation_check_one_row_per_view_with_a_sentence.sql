-- self_evaluation_check_one_row_per_view_with_a_sentence: the offending rows (the test passes when there are none). Properties in models/marts/self_evaluation_check.yml.
SELECT s.area_code, s.service_area, count(c.sentence) AS rows_with_a_sentence
FROM {{ ref('self_evaluation') }} AS s
LEFT JOIN {{ ref('self_evaluation_check') }} AS c USING (area_code, service_area)
GROUP BY ALL
HAVING count(c.sentence) <> 1
UNION ALL
SELECT area_code, NULL, max(seriousness_rank) FROM {{ ref('self_evaluation_check') }}
GROUP BY area_code HAVING max(seriousness_rank) <> count(*)
