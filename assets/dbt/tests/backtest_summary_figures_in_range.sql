-- backtest_summary_figures_in_range: the offending rows (the test passes when there are none). Properties in models/marts/backtest_summary.yml.
SELECT * FROM {{ ref('backtest_summary') }}
WHERE value NOT BETWEEN 0 AND 1 OR (ci_low IS NOT NULL AND NOT (ci_low <= value AND value <= ci_high))
