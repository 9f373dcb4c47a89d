-- series_signal_one_row_per_series_with_a_known_signal: the offending rows (the test passes when there are none). Properties in models/marts/series_signal.yml.
SELECT t.indicator_code, t.area_code, count(s.signal) AS signals, any_value(s.signal) AS signal
FROM {{ ref('trend') }} AS t
LEFT JOIN {{ ref('series_signal') }} AS s USING (indicator_code, area_code)
GROUP BY ALL
HAVING count(s.signal) <> 1
    OR bool_or(s.signal NOT IN ('concern', 'strength', 'no_signal', 'cannot_judge', 'context'))
    OR bool_or(coalesce(trim(s.reason), '') = '' OR coalesce(trim(s.sentence), '') = '')
