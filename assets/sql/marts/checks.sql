-- Asset checks on the marts. Each query returns the offending rows: a check passes when it
-- returns none. Read through assets.checks_sql.named_queries.

-- name: benchmark_bands_are_a_to_d
-- A band is A, B, C or D, and present exactly when the council is ranked.
SELECT indicator_code, area_code, period_label, quartile_band, rank
FROM marts.benchmark
WHERE quartile_band NOT IN ('A', 'B', 'C', 'D')
   OR (quartile_band IS NULL) <> (rank IS NULL);

-- name: benchmark_ranks_within_1_to_rank_n
SELECT indicator_code, area_code, period_label, rank, rank_n
FROM marts.benchmark
WHERE rank IS NOT NULL AND (rank_n IS NULL OR rank NOT BETWEEN 1 AND rank_n);

-- name: benchmark_sn_n_within_0_to_10
-- sn_n counts at most the council's 10 neighbours; the neighbour mean needs at least 5.
SELECT indicator_code, area_code, period_label, sn_n, sn_mean
FROM marts.benchmark
WHERE sn_n IS NULL OR sn_n NOT BETWEEN 0 AND 10 OR (sn_n < 5 AND sn_mean IS NOT NULL);

-- name: trend_one_row_per_series_with_data
-- Every (indicator, current council) with a numeric value has exactly one trend row.
WITH expected AS (
    SELECT DISTINCT f.indicator_code, f.area_code
    FROM core.fact_indicator_value AS f
    JOIN core.dim_area AS a USING (area_code)
    WHERE a.area_kind = 'la' AND a.is_current AND f.value IS NOT NULL
),
found AS (
    SELECT indicator_code, area_code, count(*) AS trend_rows FROM marts.trend GROUP BY ALL
)
SELECT coalesce(e.indicator_code, t.indicator_code) AS indicator_code,
       coalesce(e.area_code, t.area_code) AS area_code,
       coalesce(t.trend_rows, 0) AS trend_rows,
       e.indicator_code IS NOT NULL AS has_data
FROM expected AS e
FULL JOIN found AS t USING (indicator_code, area_code)
WHERE e.indicator_code IS NULL OR coalesce(t.trend_rows, 0) <> 1;

-- name: release_changes_are_changes
-- Each change compares the current release with an earlier one, a revised value (or its precision)
-- really differs, and a relabelled period or one whose status changed has a new label.
SELECT change, indicator_code, area_code, period_label, previous_value, value, previous_status, value_status
FROM marts.release_changes
WHERE compared_with_release IS NULL OR compared_with_release = release_id
   OR (change IN ('revised_value', 'precision_changed') AND previous_status = value_status
       AND coalesce(abs(previous_value - value) <= 1e-9, TRUE))
   OR (change IN ('relabelled_period', 'period_status_changed')
       AND previous_period_label IS NOT DISTINCT FROM period_label);

-- name: benchmark_small_councils_never_ranked
-- City of London (201) and the Isles of Scilly (420) are shown but never banded or ranked.
SELECT indicator_code, area_code, period_label, rank, quartile_band
FROM marts.benchmark
WHERE area_code IN (201, 420) AND (rank IS NOT NULL OR quartile_band IS NOT NULL);

-- name: headline_indicator_covers_every_service_area
-- The headline set names at least one indicator in each of the eight service areas.
SELECT s.service_area
FROM (VALUES ('help_and_protection'), ('children_in_care'), ('care_leavers'), ('send'), ('education'),
             ('health'), ('workforce'), ('finance')) AS s(service_area)
WHERE s.service_area NOT IN (SELECT service_area FROM marts.headline_indicator);

-- name: series_signal_one_row_per_series_with_a_known_signal
-- Exactly one signal per council and indicator with data, from the five signals, with a reason and a sentence.
SELECT t.indicator_code, t.area_code, count(s.signal) AS signals, any_value(s.signal) AS signal
FROM marts.trend AS t
LEFT JOIN marts.series_signal AS s USING (indicator_code, area_code)
GROUP BY ALL
HAVING count(s.signal) <> 1
    OR bool_or(s.signal NOT IN ('concern', 'strength', 'no_signal', 'cannot_judge', 'context'))
    OR bool_or(coalesce(trim(s.reason), '') = '' OR coalesce(trim(s.sentence), '') = '');

-- name: series_signal_small_councils_never_flagged
-- A small council is never a concern or a strength.
SELECT indicator_code, area_code, signal FROM marts.series_signal
WHERE area_code IN (201, 420) AND signal IN ('concern', 'strength');

-- name: concerns_ranked_from_1_with_a_sentence
SELECT area_code, count(*) AS concerns, max(concern_rank) AS last_rank
FROM marts.concerns
GROUP BY ALL
HAVING max(concern_rank) <> count(*) OR min(concern_rank) <> 1
    OR bool_or(coalesce(trim(sentence), '') = '');

-- name: backtest_inspection_scored_as_of_the_start
-- Every inspection is scored as of its start date and has a known split.
SELECT area_code, inspection_start_date, as_of_date, split
FROM marts.backtest_inspection
WHERE as_of_date <> inspection_start_date OR split NOT IN ('fit', 'test')
   OR (split = 'fit') <> (inspection_end_date < DATE '2022-01-01');

-- name: backtest_summary_figures_in_range
-- AUCs and rates lie in [0, 1], and an interval holds its AUC.
SELECT * FROM marts.backtest_summary
WHERE value NOT BETWEEN 0 AND 1 OR (ci_low IS NOT NULL AND NOT (ci_low <= value AND value <= ci_high));

-- name: backtest_flag_shares_in_range
SELECT * FROM marts.backtest_flag
WHERE n <= 0 OR n_worsened > n OR share_worsened NOT BETWEEN 0 AND 1;

-- name: backtest_persistence_figures_in_range
-- Correlations in [-1, 1], shares in [0, 1], one row per split and indicator (and one for all).
SELECT split, indicator_code, count(*) AS rows_found FROM marts.backtest_persistence
GROUP BY ALL
HAVING count(*) <> 1 OR bool_or(n_moves <= 0) OR bool_or(move_correlation NOT BETWEEN -1 AND 1)
    OR bool_or(share_fell_after_fall NOT BETWEEN 0 AND 1) OR bool_or(share_fell_after_rise NOT BETWEEN 0 AND 1);

-- name: early_warning_one_row_per_council
-- One row per current council, ranks within their counts.
SELECT a.area_code, count(e.area_code) AS rows_found
FROM core.dim_area AS a
LEFT JOIN marts.early_warning AS e USING (area_code)
WHERE a.area_kind = 'la' AND a.is_current
GROUP BY ALL
HAVING count(e.area_code) <> 1 OR bool_or(e.rank_national > e.rank_n) OR bool_or(e.rank_region > e.region_n);

-- name: backtest_roc_points_in_the_unit_square
-- Every ROC point lies in [0, 1] x [0, 1], and each curve reaches (1, 1).
SELECT split, method, threshold, fpr, tpr FROM marts.backtest_roc
WHERE fpr NOT BETWEEN 0 AND 1 OR tpr NOT BETWEEN 0 AND 1
UNION ALL
SELECT split, method, NULL, max(fpr), max(tpr) FROM marts.backtest_roc
GROUP BY ALL HAVING max(fpr) <> 1 OR max(tpr) <> 1;

-- name: lines_of_enquiry_are_tied_to_evidence
-- Every question has its evidence and a known kind; positions are unique per council; an
-- indicator named is one the council has a trend for.
SELECT l.area_code, l.position, l.evidence_kind, l.indicator_code
FROM marts.lines_of_enquiry AS l
LEFT JOIN marts.trend AS t ON t.area_code = l.area_code AND t.indicator_code = l.indicator_code
WHERE l.question IS NULL OR l.evidence IS NULL
   OR l.evidence_kind NOT IN ('concern', 'strength', 'change', 'inspection')
   OR (l.indicator_code IS NOT NULL AND t.indicator_code IS NULL)
   OR (SELECT count(*) FROM marts.lines_of_enquiry AS o
       WHERE o.area_code = l.area_code AND o.position = l.position) > 1;

-- name: service_area_evidence_eight_rows_per_council
-- Every current council has one row per service area of the headline set, and counts that add up.
SELECT c.area_code, count(e.service_area) AS service_areas
FROM core.dim_area AS c
LEFT JOIN marts.service_area_evidence AS e USING (area_code)
WHERE c.area_kind = 'la' AND c.is_current
GROUP BY c.area_code
HAVING count(DISTINCT e.service_area) <> (SELECT count(DISTINCT service_area) FROM marts.headline_indicator)
    OR count(*) FILTER (e.best_quarter_n + e.worst_quarter_n > e.judged_n OR e.concern_n + e.strength_n > e.judged_n) > 0;

-- name: self_evaluation_check_one_row_per_view_with_a_sentence
-- Every view of core.self_evaluation has exactly one row, with a sentence, ranked from 1 within its council.
SELECT s.area_code, s.service_area, count(c.sentence) AS rows_with_a_sentence
FROM core.self_evaluation AS s
LEFT JOIN marts.self_evaluation_check AS c USING (area_code, service_area)
GROUP BY ALL
HAVING count(c.sentence) <> 1
UNION ALL
SELECT area_code, NULL, max(seriousness_rank) FROM marts.self_evaluation_check
GROUP BY area_code HAVING max(seriousness_rank) <> count(*);

-- name: learn_from_never_the_council_itself_and_at_most_three
-- A council never learns from itself, and has at most three councils to learn from per indicator, ranked 1-3.
SELECT area_code, indicator_code, count(*) AS offers, max(learn_rank) AS last_rank
FROM marts.learn_from
GROUP BY ALL
HAVING count(*) > 3 OR max(learn_rank) <> count(*) OR count(*) FILTER (learn_from_code = area_code) > 0;
