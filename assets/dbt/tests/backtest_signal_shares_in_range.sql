-- backtest_signal_shares_in_range: the offending rows (the test passes when there are none). Properties in models/marts/backtest_signal.yml.
SELECT * FROM {{ ref('backtest_signal') }}
WHERE n <= 0 OR n_worsened > n OR share_worsened NOT BETWEEN 0 AND 1
