-- backtest_flag_shares_in_range: the offending rows (the test passes when there are none). Properties in models/marts/backtest_flag.yml.
SELECT * FROM {{ ref('backtest_flag') }}
WHERE n <= 0 OR n_worsened > n OR share_worsened NOT BETWEEN 0 AND 1
