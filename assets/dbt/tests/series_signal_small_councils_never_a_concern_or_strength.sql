-- series_signal_small_councils_never_a_concern_or_strength: the offending rows (the test passes when there are none). Properties in models/marts/series_signal.yml.
SELECT indicator_code, area_code, signal FROM {{ ref('series_signal') }}
WHERE area_code IN (201, 420) AND signal IN ('concern', 'strength')
