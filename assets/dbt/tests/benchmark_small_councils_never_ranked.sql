-- benchmark_small_councils_never_ranked: the offending rows (the test passes when there are none). Properties in models/marts/benchmark.yml.
SELECT indicator_code, area_code, period_label, rank, quartile_band
FROM {{ ref('benchmark') }}
WHERE area_code IN (201, 420) AND (rank IS NOT NULL OR quartile_band IS NOT NULL)
