-- learn_from_never_the_council_itself_and_at_most_three: the offending rows (the test passes when there are none). Properties in models/marts/learn_from.yml.
SELECT area_code, indicator_code, count(*) AS offers, max(learn_rank) AS last_rank
FROM {{ ref('learn_from') }}
GROUP BY ALL
HAVING count(*) > 3 OR max(learn_rank) <> count(*) OR count(*) FILTER (learn_from_code = area_code) > 0
