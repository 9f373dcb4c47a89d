-- backtest_roc_points_in_the_unit_square: the offending rows (the test passes when there are none). Properties in models/marts/backtest_roc.yml.
SELECT split, method, threshold, fpr, tpr FROM {{ ref('backtest_roc') }}
WHERE fpr NOT BETWEEN 0 AND 1 OR tpr NOT BETWEEN 0 AND 1
UNION ALL
SELECT split, method, NULL, max(fpr), max(tpr) FROM {{ ref('backtest_roc') }}
GROUP BY ALL HAVING max(fpr) <> 1 OR max(tpr) <> 1
