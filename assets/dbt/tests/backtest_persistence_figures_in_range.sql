-- backtest_persistence_figures_in_range: the offending rows (the test passes when there are none). Properties in models/marts/backtest_persistence.yml.
SELECT split, indicator_code, count(*) AS rows_found FROM {{ ref('backtest_persistence') }}
GROUP BY ALL
HAVING count(*) <> 1 OR bool_or(n_moves <= 0) OR bool_or(move_correlation NOT BETWEEN -1 AND 1)
    OR bool_or(share_fell_after_fall NOT BETWEEN 0 AND 1) OR bool_or(share_fell_after_rise NOT BETWEEN 0 AND 1)
