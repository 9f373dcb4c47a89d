-- benchmark_sn_n_within_0_to_10: the offending rows (the test passes when there are none). Properties in models/marts/benchmark.yml.
SELECT indicator_code, area_code, period_label, sn_n, sn_mean
FROM {{ ref('benchmark') }}
WHERE sn_n IS NULL OR sn_n NOT BETWEEN 0 AND 10 OR (sn_n < {{ var('min_neighbours_compared') }} AND sn_mean IS NOT NULL)
