-- marts.release_changes: what changed between the published release and the one published
-- before it (core.fact_indicator_value against core.previous_fact_indicator_value, which the
-- core publish keeps; core.previous_release names it; marts.signal_history for the concerns and
-- strengths), one row per change. Rules (docs/methods.md, "Changes since the previous release"):
--   new_indicator / dropped_indicator: an indicator with values in one release and none in the
--     other (one row per indicator);
--   periods are matched by label, then by meaning: a label found in one release only is paired
--     with a label found in the other release only that has the same years and kind (start year,
--     end year, academic / financial / calendar / rolling), whatever its status suffix;
--   relabelled_period: such a pair with the same status (`2018 (Revised)` -> `2018 (Rev)`);
--   period_status_changed: such a pair with another status (`2024 (prov)` -> `2024`, provisional
--     -> final); period_label is the label now, previous_period_label the label before;
--   new_period / dropped_period: a period of an indicator present in both releases that has
--     values in one release only and no such counterpart (one row per indicator and period);
--   revised_value: an indicator, area and period (matched as above) published in both releases
--     whose value or status differs (values differ by more than 1e-9), or an area added to or
--     removed from a period published in both (the missing side's status is 'absent');
--   precision_changed: instead of revised_value, a value published in both whose figure is the
--     same to the decimals of the less precise one (24.6 -> 24.62: 24.62 is 24.6 to one decimal),
--     i.e. the two differ by at most half a unit of that last decimal. A value's decimals are the
--     fewest (0-10) that write it (within 1e-6 of a unit of the last decimal: the float artefact
--     16.100000000000001 has 1), but at least the dictionary's dps (0.2 of a 2-dps indicator is
--     0.20, so 0.2 -> 0.21 is a revision). The less precise one must have a decimal: LAIT drops
--     trailing zeros, so 47 may be 47.0, and 47 -> 47.1 stays a revision;
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
    FROM {{ ref('fact_indicator_value') }}
),
then_value AS (
    SELECT indicator_code, area_code, period_label, period_order, value, value_status
    FROM {{ source('core', 'previous_fact_indicator_value') }}
),
now_indicator AS (SELECT DISTINCT indicator_code FROM now_value),
then_indicator AS (SELECT DISTINCT indicator_code FROM then_value),
now_period AS (
    SELECT DISTINCT indicator_code, period_label, period_order, period_start_year, period_end_year, period_kind,
           period_status
    FROM {{ ref('fact_indicator_value') }}
),
then_period AS (
    SELECT DISTINCT indicator_code, period_label, period_order, period_start_year, period_end_year, period_kind,
           period_status
    FROM {{ source('core', 'previous_fact_indicator_value') }}
),
indicator_change AS (
    SELECT coalesce(n.indicator_code, t.indicator_code) AS indicator_code,
           CASE WHEN t.indicator_code IS NULL THEN 'new_indicator' ELSE 'dropped_indicator' END AS change
    FROM now_indicator AS n
    FULL JOIN then_indicator AS t USING (indicator_code)
    WHERE n.indicator_code IS NULL OR t.indicator_code IS NULL
),
-- Labels in one release only, of indicators in both.
only_now AS (
    SELECT * FROM now_period ANTI JOIN then_period USING (indicator_code, period_label)
    WHERE indicator_code IN (SELECT indicator_code FROM then_indicator)
),
only_then AS (
    SELECT * FROM then_period ANTI JOIN now_period USING (indicator_code, period_label)
    WHERE indicator_code IN (SELECT indicator_code FROM now_indicator)
),
-- Pairs of such labels with the same meaning, one to one (the latest status first on both sides).
meaning_pair AS (
    SELECT n.indicator_code, n.period_label, n.period_order, t.period_label AS previous_period_label,
           CASE WHEN n.period_status = t.period_status THEN 'relabelled_period'
                ELSE 'period_status_changed' END AS change
    FROM only_now AS n
    JOIN only_then AS t
      ON n.indicator_code = t.indicator_code AND n.period_start_year = t.period_start_year
     AND n.period_end_year = t.period_end_year AND n.period_kind = t.period_kind
    QUALIFY row_number() OVER (PARTITION BY n.indicator_code, n.period_label
                               ORDER BY t.period_order DESC, t.period_label) = 1
        AND row_number() OVER (PARTITION BY n.indicator_code, t.period_label
                               ORDER BY n.period_order DESC, n.period_label) = 1
),
period_change AS (
    SELECT indicator_code, period_label, period_order, 'new_period' AS change
    FROM only_now ANTI JOIN meaning_pair USING (indicator_code, period_label)
    UNION ALL
    SELECT t.indicator_code, t.period_label, t.period_order, 'dropped_period'
    FROM only_then AS t
    WHERE NOT EXISTS (SELECT 1 FROM meaning_pair AS m
                      WHERE m.indicator_code = t.indicator_code AND m.previous_period_label = t.period_label)
),
-- Every period published in both releases: (label now, label before).
matched_period AS (
    SELECT indicator_code, period_label, period_label AS previous_period_label
    FROM now_period SEMI JOIN then_period USING (indicator_code, period_label)
    UNION ALL
    SELECT indicator_code, period_label, previous_period_label FROM meaning_pair
),
value_pair AS (
    SELECT coalesce(n.indicator_code, t.indicator_code) AS indicator_code,
           coalesce(n.area_code, t.area_code) AS area_code,
           coalesce(n.period_label, t.period_label) AS period_label,
           coalesce(n.previous_period_label, t.previous_period_label) AS previous_period_label,
           coalesce(n.period_order, t.period_order) AS period_order,
           t.value AS previous_value, n.value AS value,
           coalesce(t.value_status, 'absent') AS previous_status,
           coalesce(n.value_status, 'absent') AS value_status
    FROM (SELECT v.*, m.previous_period_label FROM now_value AS v JOIN matched_period AS m
          USING (indicator_code, period_label)) AS n
    FULL JOIN (SELECT v.indicator_code, v.area_code, m.period_label, m.previous_period_label, v.period_order,
                      v.value, v.value_status
               FROM then_value AS v JOIN matched_period AS m
                 ON v.indicator_code = m.indicator_code AND v.period_label = m.previous_period_label) AS t
           USING (indicator_code, area_code, period_label)
    WHERE n.value_status IS DISTINCT FROM t.value_status
       OR abs(n.value - t.value) > 1e-9
),
value_change AS (
    SELECT *,
           CASE WHEN previous_status = 'ok' AND value_status = 'ok' AND now_decimals <> previous_decimals
                 AND least(now_decimals, previous_decimals) >= 1
                 AND abs(value - previous_value) <= 0.5 * 10 ** -least(now_decimals, previous_decimals) + 1e-9
                THEN 'precision_changed' ELSE 'revised_value' END AS change
    FROM (SELECT v.*,
                 -- the fewest decimals (0-10) that write each value, but at least the dictionary's dps
                 greatest(coalesce(i.dps, 0), list_min(list_filter(range(0, 11),
                     lambda d: abs(v.value * 10 ** d - round(v.value * 10 ** d)) < 1e-6))) AS now_decimals,
                 greatest(coalesce(i.dps, 0), list_min(list_filter(range(0, 11),
                     lambda d: abs(v.previous_value * 10 ** d - round(v.previous_value * 10 ** d)) < 1e-6)))
                     AS previous_decimals
          FROM value_pair AS v LEFT JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code))
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
    SELECT change, indicator_code, NULL::INTEGER AS area_code, NULL AS period_label, NULL AS previous_period_label,
           NULL::INTEGER AS period_order, NULL::DOUBLE AS previous_value, NULL::DOUBLE AS value,
           NULL AS previous_status, NULL AS value_status, NULL AS sentence
    FROM indicator_change
    UNION ALL BY NAME
    SELECT change, indicator_code, period_label, period_order FROM period_change
    UNION ALL BY NAME
    SELECT change, indicator_code, period_label, previous_period_label, period_order FROM meaning_pair
    UNION ALL BY NAME
    SELECT change, indicator_code, area_code, period_label, previous_period_label, period_order, previous_value,
           value, previous_status, value_status
    FROM value_change
    UNION ALL BY NAME
    SELECT * FROM signal_change
)
SELECT cr.release_id, pr.release_id AS compared_with_release, c.change, c.indicator_code,
       coalesce(n.indicator_name, c.indicator_code) AS indicator_name,
       c.area_code, a.area_name, c.period_label, c.previous_period_label, c.period_order, c.previous_value, c.value,
       c.previous_status, c.value_status, c.sentence,
       CASE WHEN split_part(c.change, '_', 1) IN ('concern', 'strength') THEN s.signal END AS signal_now,
       CASE WHEN split_part(c.change, '_', 1) IN ('concern', 'strength') THEN s.reason END AS reason_now
FROM change AS c
CROSS JOIN current_release AS cr
CROSS JOIN previous_release AS pr
LEFT JOIN {{ ref('indicator_name') }} AS n USING (indicator_code)
LEFT JOIN {{ ref('dim_area') }} AS a USING (area_code)
LEFT JOIN {{ ref('series_signal') }} AS s USING (indicator_code, area_code)
WHERE pr.release_id IS NOT NULL
ORDER BY c.change, c.indicator_code, c.area_code, c.period_order
