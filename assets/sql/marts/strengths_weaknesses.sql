-- marts.strengths_weaknesses: per current council, up to 3 strengths and 3 areas for
-- development, each with its reason in words. Rules (docs/methods.md, "Strengths and areas
-- for development"):
--   candidates: polar, non-stale marts.trend rows with a quartile band at the latest period,
--     outside the 'context' service area (economic and contextual indicators);
--   strength: latest band A and no decline flag; ordered by percentile (best first), then
--     number of improvement flags (most first), then indicator code;
--   area for development: latest band D, or a decline flag of severity 2 or 3; ordered by the
--     highest decline-flag severity (none = 0), then percentile (worst first), then code;
--   spread: each candidate is numbered within its service area in that order; the 3 chosen
--     are the first by (number within service area, overall order), so the 3 come from 3
--     different service areas whenever the council has candidates in 3.
--   An indicator in two topics takes the first topic alphabetically.
CREATE OR REPLACE TABLE marts.strengths_weaknesses AS
WITH service_area AS (
    SELECT * FROM (VALUES
        ('Children Looked After', 'social care'), ('Children in Need', 'social care'),
        ('Child Protection', 'social care'), ('Adoption', 'social care'),
        ('Foundation Stage', 'education'), ('Early Years', 'education'),
        ('Key Stage 1 and Phonics', 'education'), ('Key Stage 2', 'education'),
        ('Key Stage 4', 'education'), ('Key Stage 5', 'education'),
        ('Attainment by age 19', 'education'), ('Further & Higher Education', 'education'),
        ('All Pupil Absence & Exclusions', 'education'),
        ('Children with SEN', 'SEND'),
        ('Health and Wellbeing', 'health'),
        ('Children''s Service Finance', 'finance'),
        ('Children''s Services Workforce', 'workforce'),
        ('Youth Offending', 'youth justice'),
        ('Economic Factors', 'context'), ('Contextual\Other', 'context')
    ) AS s(topic, service_area)
),
indicator_topic AS (
    SELECT t.indicator_code, min(t.topic) AS topic
    FROM core.indicator_topic AS t
    GROUP BY ALL
),
flag_summary AS (
    SELECT indicator_code, area_code,
           max(severity) FILTER (WHERE kind = 'decline') AS decline_severity,
           count(*) FILTER (WHERE kind = 'improvement') AS improvement_flags,
           string_agg(replace(flag, '_', ' '), ', ' ORDER BY flag) FILTER (WHERE kind = 'decline') AS decline_list,
           string_agg(replace(flag, '_', ' '), ', ' ORDER BY flag) FILTER (WHERE kind = 'improvement')
               AS improvement_list
    FROM (SELECT 'decline' AS kind, * FROM marts.decline_flags
          UNION ALL BY NAME
          SELECT 'improvement' AS kind, * FROM marts.improvement_flags)
    GROUP BY ALL
),
candidate AS (
    SELECT t.area_code, t.area_name, t.indicator_code, t.indicator_name, it.topic,
           coalesce(sa.service_area, 'other') AS service_area,
           t.latest_period, t.latest_value, t.latest_band, t.latest_rank, t.latest_rank_n,
           t.latest_percentile, t.dps, t.polarity, t.trend_label,
           b.england_value, b.sn_mean,
           coalesce(f.decline_severity, 0) AS decline_severity,
           coalesce(f.improvement_flags, 0) AS improvement_flags,
           f.decline_list, f.improvement_list
    FROM marts.trend AS t
    JOIN marts.benchmark AS b
      ON b.indicator_code = t.indicator_code AND b.area_code = t.area_code AND b.period_label = t.latest_period
    JOIN indicator_topic AS it ON it.indicator_code = t.indicator_code
    LEFT JOIN service_area AS sa ON sa.topic = it.topic
    LEFT JOIN flag_summary AS f ON f.indicator_code = t.indicator_code AND f.area_code = t.area_code
    WHERE t.polarity IN ('high', 'low') AND NOT t.stale AND t.latest_band IS NOT NULL
      AND coalesce(sa.service_area, 'other') <> 'context'
),
ordered AS (
    SELECT 'strength' AS kind, *,
           row_number() OVER (PARTITION BY area_code
                              ORDER BY latest_percentile DESC, improvement_flags DESC, indicator_code) AS priority
    FROM candidate
    WHERE latest_band = 'A' AND decline_severity = 0
    UNION ALL
    SELECT 'area for development' AS kind, *,
           row_number() OVER (PARTITION BY area_code
                              ORDER BY decline_severity DESC, latest_percentile ASC, indicator_code) AS priority
    FROM candidate
    WHERE latest_band = 'D' OR decline_severity >= 2
),
chosen AS (
    SELECT *,
           row_number() OVER (PARTITION BY area_code, kind ORDER BY within_service_area, priority) AS position
    FROM (SELECT *, row_number() OVER (PARTITION BY area_code, kind, service_area ORDER BY priority)
                    AS within_service_area
          FROM ordered)
    QUALIFY position <= 3
)
SELECT area_code, area_name, kind, position, indicator_code, indicator_name, topic, service_area,
       latest_period, latest_value, latest_band, latest_rank, latest_rank_n,
       'Band ' || latest_band || ', rank ' || latest_rank || ' of ' || latest_rank_n || ' councils in '
           || latest_period || ' (' || fmt_value(latest_value, dps) || '; England '
           || fmt_value(england_value, dps) || ', statistical neighbours '
           || CASE WHEN sn_mean IS NULL THEN 'not compared (fewer than 5 with a value)'
                   ELSE fmt_value(sn_mean, dps) END
           || '; ' || better_words(polarity) || '); ' || trend_label
           || CASE WHEN kind = 'strength' AND improvement_list IS NOT NULL
                       THEN '; improvement flags: ' || improvement_list
                   WHEN kind = 'area for development' AND decline_list IS NOT NULL
                       THEN '; decline flags: ' || decline_list
                   ELSE '' END
           || '.' AS reason
FROM chosen
ORDER BY area_code, kind DESC, position;
