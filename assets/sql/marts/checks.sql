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

-- name: decline_flags_have_evidence
SELECT indicator_code, area_code, flag, evidence
FROM marts.decline_flags
WHERE coalesce(trim(evidence), '') = '';

-- name: improvement_flags_have_evidence
SELECT indicator_code, area_code, flag, evidence
FROM marts.improvement_flags
WHERE coalesce(trim(evidence), '') = '';

-- name: release_changes_are_changes
-- Each change compares the current release with an earlier one, and a revised value really differs.
SELECT change, indicator_code, area_code, period_label, previous_value, value, previous_status, value_status
FROM marts.release_changes
WHERE compared_with_release IS NULL OR compared_with_release = release_id
   OR (change = 'revised_value' AND previous_status = value_status
       AND coalesce(abs(previous_value - value) <= 1e-9, TRUE));

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
