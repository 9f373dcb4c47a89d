-- concerns_ranked_from_1_with_a_sentence: the offending rows (the test passes when there are none). Properties in models/marts/concerns.yml.
SELECT area_code, count(*) AS concerns, max(concern_rank) AS last_rank
FROM {{ ref('concerns') }}
GROUP BY ALL
HAVING max(concern_rank) <> count(*) OR min(concern_rank) <> 1
    OR bool_or(coalesce(trim(sentence), '') = '')
