-- benchmark_ranks_within_1_to_rank_n: the offending rows (the test passes when there are none). Properties in models/marts/benchmark.yml.
SELECT indicator_code, area_code, period_label, rank, rank_n
FROM {{ ref('benchmark') }}
WHERE rank IS NOT NULL AND (rank_n IS NULL OR rank NOT BETWEEN 1 AND rank_n)
