-- marts.council_summary: one row per current council and topic, plus an 'All topics' row.
-- Rules (docs/methods.md, "Council summary"):
--   indicators_with_data = indicators with a marts.trend row (any numeric value);
--   polar_indicators = those with polarity high/low that are not stale;
--   band_a..band_d = latest-period bands; decline_flags / improvement_flags = flag rows;
--   flagged_indicators = polar indicators with at least one decline flag;
--   early_warning_score = flagged_indicators / polar_indicators (null when none);
--   rank_in_region / rank_national: 1 = highest score (most early warnings), ties take the
--   lowest rank, over councils with a score for the same topic; rank_national is null for a topic
--   whose scored councils are all in one region (a region-only source: no national comparison);
--   new_* / cleared_* = flags present now and not in the previous release's marts.flag_history
--   (or the reverse), keyed by indicator, council and flag; null when there is no previous release.
CREATE OR REPLACE TABLE marts.council_summary AS
WITH current_release AS (
    SELECT arg_max(release_id, published_at) AS release_id FROM core.release_history
),
previous_release AS (
    SELECT arg_max(h.release_id, h.release_published_at) AS release_id
    FROM marts.flag_history AS h
    WHERE h.release_id <> (SELECT release_id FROM current_release)
),
now_flag AS (
    SELECT * FROM marts.flag_history WHERE release_id = (SELECT release_id FROM current_release)
),
then_flag AS (
    SELECT * FROM marts.flag_history WHERE release_id = (SELECT release_id FROM previous_release)
),
flag_change AS (
    SELECT coalesce(n.kind, t.kind) AS kind,
           coalesce(n.indicator_code, t.indicator_code) AS indicator_code,
           coalesce(n.area_code, t.area_code) AS area_code,
           coalesce(n.flag, t.flag) AS flag,
           CASE WHEN t.flag IS NULL THEN 'new' ELSE 'cleared' END AS change
    FROM now_flag AS n
    FULL JOIN then_flag AS t
           ON n.kind = t.kind AND n.indicator_code = t.indicator_code
          AND n.area_code = t.area_code AND n.flag = t.flag
    WHERE (n.flag IS NULL OR t.flag IS NULL)
      AND (SELECT release_id FROM previous_release) IS NOT NULL
),
flag_count AS (
    SELECT indicator_code, area_code,
           count(*) FILTER (WHERE kind = 'decline') AS decline_flags,
           count(*) FILTER (WHERE kind = 'improvement') AS improvement_flags
    FROM now_flag
    GROUP BY ALL
),
per_indicator AS (
    SELECT t.indicator_code, t.area_code,
           t.polarity IN ('high', 'low') AND NOT t.stale AS is_polar,
           t.latest_band,
           coalesce(f.decline_flags, 0) AS decline_flags,
           coalesce(f.improvement_flags, 0) AS improvement_flags
    FROM marts.trend AS t
    LEFT JOIN flag_count AS f USING (indicator_code, area_code)
),
topic AS (
    SELECT indicator_code, topic FROM core.indicator_topic
    UNION ALL
    SELECT indicator_code, 'All topics' FROM core.dim_indicator
),
counted AS (
    SELECT p.area_code, tp.topic,
           count(*) AS indicators_with_data,
           count(*) FILTER (WHERE p.is_polar) AS polar_indicators,
           count(*) FILTER (WHERE p.latest_band = 'A') AS band_a,
           count(*) FILTER (WHERE p.latest_band = 'B') AS band_b,
           count(*) FILTER (WHERE p.latest_band = 'C') AS band_c,
           count(*) FILTER (WHERE p.latest_band = 'D') AS band_d,
           sum(p.decline_flags) AS decline_flags,
           sum(p.improvement_flags) AS improvement_flags,
           count(*) FILTER (WHERE p.is_polar AND p.decline_flags > 0) AS flagged_indicators
    FROM per_indicator AS p
    JOIN topic AS tp USING (indicator_code)
    GROUP BY ALL
),
changed AS (
    SELECT c.area_code, tp.topic,
           count(*) FILTER (WHERE c.kind = 'decline' AND c.change = 'new') AS new_decline_flags,
           count(*) FILTER (WHERE c.kind = 'decline' AND c.change = 'cleared') AS cleared_decline_flags,
           count(*) FILTER (WHERE c.kind = 'improvement' AND c.change = 'new') AS new_improvement_flags,
           count(*) FILTER (WHERE c.kind = 'improvement' AND c.change = 'cleared') AS cleared_improvement_flags,
           string_agg(c.change || ' ' || c.kind || ' flag ' || c.flag || ' on ' || c.indicator_code, '; '
                      ORDER BY c.change DESC, c.kind, c.indicator_code, c.flag) AS changes
    FROM flag_change AS c
    JOIN topic AS tp USING (indicator_code)
    GROUP BY ALL
),
scored AS (
    SELECT c.*, a.area_name, a.region_name,
           CASE WHEN c.polar_indicators > 0 THEN c.flagged_indicators / c.polar_indicators END AS early_warning_score
    FROM counted AS c
    JOIN core.dim_area AS a USING (area_code)
    WHERE a.area_kind = 'la' AND a.is_current
)
SELECT s.area_code, s.area_name, s.region_name, s.topic,
       s.indicators_with_data, s.polar_indicators,
       s.band_a, s.band_b, s.band_c, s.band_d,
       s.decline_flags, s.improvement_flags, s.flagged_indicators,
       s.early_warning_score,
       CASE WHEN s.early_warning_score IS NOT NULL THEN
           rank() OVER (PARTITION BY s.topic, s.region_name, s.early_warning_score IS NULL
                        ORDER BY s.early_warning_score DESC)
       END AS rank_in_region,
       CASE WHEN s.early_warning_score IS NOT NULL
                 AND min(s.region_name) OVER scored_topic <> max(s.region_name) OVER scored_topic THEN
           rank() OVER (scored_topic ORDER BY s.early_warning_score DESC)
       END AS rank_national,
       cr.release_id,
       pr.release_id AS compared_with_release,
       CASE WHEN pr.release_id IS NOT NULL THEN coalesce(ch.new_decline_flags, 0) END
           AS new_decline_flags,
       CASE WHEN pr.release_id IS NOT NULL THEN coalesce(ch.cleared_decline_flags, 0) END
           AS cleared_decline_flags,
       CASE WHEN pr.release_id IS NOT NULL THEN coalesce(ch.new_improvement_flags, 0) END
           AS new_improvement_flags,
       CASE WHEN pr.release_id IS NOT NULL THEN coalesce(ch.cleared_improvement_flags, 0) END
           AS cleared_improvement_flags,
       ch.changes
FROM scored AS s
CROSS JOIN current_release AS cr
CROSS JOIN previous_release AS pr
LEFT JOIN changed AS ch USING (area_code, topic)
WINDOW scored_topic AS (PARTITION BY s.topic, s.early_warning_score IS NULL)
ORDER BY s.area_code, s.topic = 'All topics' DESC, s.topic;
