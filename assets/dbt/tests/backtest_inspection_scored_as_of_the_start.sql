-- backtest_inspection_scored_as_of_the_start: the offending rows (the test passes when there are none). Properties in models/marts/backtest_inspection.yml.
SELECT area_code, inspection_start_date, as_of_date, split
FROM {{ ref('backtest_inspection') }}
WHERE as_of_date <> inspection_start_date OR split NOT IN ('fit', 'test')
   OR (split = 'fit') <> (inspection_end_date < DATE '2022-01-01')
