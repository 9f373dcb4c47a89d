-- benchmark_bands_are_a_to_d: the offending rows (the test passes when there are none). Properties in models/marts/benchmark.yml.
SELECT indicator_code, area_code, period_label, quartile_band, rank
FROM {{ ref('benchmark') }}
WHERE quartile_band NOT IN ('A', 'B', 'C', 'D')
   OR (quartile_band IS NULL) <> (rank IS NULL)
