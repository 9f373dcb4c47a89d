-- marts.backtest_summary: how well the early warning discriminated, fit and test side by side.
--   metric 'auc' (from assets/marts/backtest.py): ROC AUC of requires improvement / inadequate
--     against good / outstanding, with a 95% percentile bootstrap interval (2,000 resamples of
--     the inspections, seed 14), for the early-warning score and the two naive baselines
--     (band_d_share: share of headline indicators in band D; previous_judgement: the previous
--     overall grade, only inspections with one in the file); n = inspections with that figure.
--   metric 'outcome_rate' (calibration): per split and score band, the share of inspections
--     judged requires improvement or inadequate (value), n = inspections in the band.
SELECT split, method, metric, NULL::VARCHAR AS score_band, value, ci_low, ci_high, n
FROM {{ ref('backtest_auc') }}
UNION ALL
SELECT split, 'early_warning', 'outcome_rate', score_band,
       avg(is_ri_or_inadequate::INTEGER), NULL, NULL, count(*)
FROM {{ ref('backtest_inspection') }}
WHERE score_band IS NOT NULL
GROUP BY split, score_band
ORDER BY metric, split, method, score_band
