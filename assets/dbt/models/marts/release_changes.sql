-- marts.release_changes: what changed between the published release and the one published
-- before it (core.fact_indicator_value against core.previous_fact_indicator_value, which the
-- core publish keeps; core.previous_release names it; marts.signal_history for the concerns and
-- strengths), one row per change. Rules (docs/methods.md, "Changes since the previous release"):
--   new_indicator / dropped_indicator: an indicator with values in one release and none in the
--     other (one row per indicator);
--   new_period / dropped_period: a period of an indicator present in both releases that has
--     values in one release only (one row per indicator and period);
--   revised_value: an indicator, area and period published in both releases whose value or
--     status differs (values differ by more than 1e-9), or an area added to or removed from a
--     period published in both (the missing side's status is 'absent');
--   concern_raised / concern_cleared, strength_raised / strength_cleared: a headline concern or
--     strength (indicator, council) in the current release's marts.signal_history and not in the
--     previous release's, or the reverse. sentence is the signal's sentence in the release where it
--     holds; signal_now and reason_now say what the series' signal is in this release (for a
--     cleared one: why it no longer holds).
-- Empty when there is no previous release.
WITH current_release AS (
    SELECT arg_max(release_id, published_at) AS release_id FROM {{ source('core', 'release_history') }}
),
previous_release AS (
    SELECT any_value(release_id) AS release_id FROM {{ source('core', 'previous_release') }}
),
now_value AS (
    SELECT indicator_code, area_code, period_label, period_order, value, value_status
    FROM {{ source('core', 'fact_indicator_value') }}
),
then_value AS (
    SELECT indicator_code, area_code, period_label, period_order, value, value_status
    FROM {{ source('core', 'previous_fact_indicator_value') }}
),
now_indicator AS (SELECT DISTINCT indicator_code FROM now_value),
then_indicator AS (SELECT DISTINCT indicator_code FROM then_value),
now_period AS (SELECT DISTINCT indicator_code, period_label, period_order FROM now_value),
then_period AS (SELECT DISTINCT indicator_code, period_label, period_order FROM then_value),
indicator_change AS (
    SELECT coalesce(n.indicator_code, t.indicator_code) AS indicator_code,
           CASE WHEN t.indicator_code IS NULL THEN 'new_indicator' ELSE 'dropped_indicator' END AS change
    FROM now_indicator AS n
    FULL JOIN then_indicator AS t USING (indicator_code)
    WHERE n.indicator_code IS NULL OR t.indicator_code IS NULL
),
period_change AS (
    SELECT coalesce(n.indicator_code, t.indicator_code) AS indicator_code,
           coalesce(n.period_label, t.period_label) AS period_label,
           coalesce(n.period_order, t.period_order) AS period_order,
           CASE WHEN t.period_label IS NULL THEN 'new_period' ELSE 'dropped_period' END AS change
    FROM now_period AS n
    FULL JOIN then_period AS t USING (indicator_code, period_label)
    WHERE (n.period_label IS NULL OR t.period_label IS NULL)
      AND coalesce(n.indicator_code, t.indicator_code) IN (SELECT indicator_code FROM now_indicator)
      AND coalesce(n.indicator_code, t.indicator_code) IN (SELECT indicator_code FROM then_indicator)
),
both_period AS (
    SELECT indicator_code, period_label FROM now_period
    INTERSECT
    SELECT indicator_code, period_label FROM then_period
),
value_change AS (
    SELECT coalesce(n.indicator_code, t.indicator_code) AS indicator_code,
           coalesce(n.area_code, t.area_code) AS area_code,
           coalesce(n.period_label, t.period_label) AS period_label,
           coalesce(n.period_order, t.period_order) AS period_order,
           t.value AS previous_value, n.value AS value,
           coalesce(t.value_status, 'absent') AS previous_status,
           coalesce(n.value_status, 'absent') AS value_status
    FROM (SELECT * FROM now_value SEMI JOIN both_period USING (indicator_code, period_label)) AS n
    FULL JOIN (SELECT * FROM then_value SEMI JOIN both_period USING (indicator_code, period_label)) AS t
           USING (indicator_code, area_code, period_label)
    WHERE n.value_status IS DISTINCT FROM t.value_status
       OR abs(n.value - t.value) > 1e-9
),
signal_change AS (
    SELECT coalesce(n.signal, t.signal) || CASE WHEN t.signal IS NULL THEN '_raised' ELSE '_cleared' END AS change,
           coalesce(n.indicator_code, t.indicator_code) AS indicator_code,
           coalesce(n.area_code, t.area_code) AS area_code,
           coalesce(n.latest_period, t.latest_period) AS period_label,
           coalesce(n.sentence, t.sentence) AS sentence
    FROM (SELECT * FROM {{ ref('signal_history') }} WHERE release_id = (SELECT release_id FROM current_release)) AS n
    FULL JOIN (SELECT * FROM {{ ref('signal_history') }} WHERE release_id = (SELECT release_id FROM previous_release)) AS t
           USING (signal, indicator_code, area_code)
    WHERE n.signal IS NULL OR t.signal IS NULL
),
change AS (
    SELECT change, indicator_code, NULL::INTEGER AS area_code, NULL AS period_label, NULL::INTEGER AS period_order,
           NULL::DOUBLE AS previous_value, NULL::DOUBLE AS value, NULL AS previous_status, NULL AS value_status,
           NULL AS sentence
    FROM indicator_change
    UNION ALL BY NAME
    SELECT change, indicator_code, period_label, period_order FROM period_change
    UNION ALL BY NAME
    SELECT 'revised_value' AS change, * FROM value_change
    UNION ALL BY NAME
    SELECT * FROM signal_change
)
SELECT cr.release_id, pr.release_id AS compared_with_release, c.change, c.indicator_code,
       coalesce(i.indicator_name, c.indicator_code) AS indicator_name,
       c.area_code, a.area_name, c.period_label, c.period_order, c.previous_value, c.value,
       c.previous_status, c.value_status, c.sentence,
       CASE WHEN split_part(c.change, '_', 1) IN ('concern', 'strength') THEN s.signal END AS signal_now,
       CASE WHEN split_part(c.change, '_', 1) IN ('concern', 'strength') THEN s.reason END AS reason_now
FROM change AS c
CROSS JOIN current_release AS cr
CROSS JOIN previous_release AS pr
LEFT JOIN {{ source('core', 'dim_indicator') }} AS i USING (indicator_code)
LEFT JOIN {{ source('core', 'dim_area') }} AS a USING (area_code)
LEFT JOIN {{ ref('series_signal') }} AS s USING (indicator_code, area_code)
WHERE pr.release_id IS NOT NULL
ORDER BY c.change, c.indicator_code, c.area_code, c.period_order
