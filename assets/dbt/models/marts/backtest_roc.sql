-- marts.backtest_roc: the ROC curve of each method and split, for the methods page's chart.
-- For every distinct value v of a method's figure (early-warning score, band D share, previous
-- grade) in a split: tpr = share of the inspections judged requires improvement or inadequate
-- whose figure is >= v, fpr = the same share among those judged good or outstanding; plus the
-- corner (0, 0). The area under these points (trapezoids) is the AUC of marts.backtest_summary.
WITH figure AS (
    SELECT split, 'early_warning' AS method, score AS value, is_ri_or_inadequate AS positive
    FROM {{ ref('backtest_inspection') }} WHERE score IS NOT NULL
    UNION ALL
    SELECT split, 'band_d_share', baseline_band_d_share, is_ri_or_inadequate
    FROM {{ ref('backtest_inspection') }} WHERE baseline_band_d_share IS NOT NULL
    UNION ALL
    SELECT split, 'previous_judgement', previous_grade, is_ri_or_inadequate
    FROM {{ ref('backtest_inspection') }} WHERE previous_grade IS NOT NULL
),
total AS (
    SELECT split, method, count(*) FILTER (WHERE positive) AS positives, count(*) FILTER (WHERE NOT positive) AS negatives
    FROM figure GROUP BY ALL
),
threshold AS (
    SELECT DISTINCT split, method, value AS threshold FROM figure
)
SELECT t.split, t.method, t.threshold,
       count(*) FILTER (WHERE NOT f.positive) / nullif(n.negatives, 0) AS fpr,
       count(*) FILTER (WHERE f.positive) / nullif(n.positives, 0) AS tpr
FROM threshold AS t
JOIN figure AS f ON f.split = t.split AND f.method = t.method AND f.value >= t.threshold
JOIN total AS n ON n.split = t.split AND n.method = t.method
GROUP BY t.split, t.method, t.threshold, n.negatives, n.positives
UNION ALL
SELECT split, method, NULL, 0, 0 FROM total
ORDER BY split, method, fpr, tpr
