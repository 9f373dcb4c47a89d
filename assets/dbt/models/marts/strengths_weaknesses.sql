-- marts.strengths_weaknesses: per current council, up to 3 strengths and 3 areas for development
-- from the headline set, each with its reason in one plain sentence. Rules (docs/methods.md,
-- "Strengths and areas for development"):
--   strength: a headline series whose signal is 'strength' (better than England twice running by
--     half a national spread, not slipping back beyond noise, better than similar councils, not a
--     floor/ceiling tie); ordered by position against England (furthest ahead first);
--   area for development: a headline concern (marts.concerns, in its rank order) first; then a
--     headline series worse than England by half a spread at its latest and previous periods
--     (signal no_signal: persistently behind but not falling further), furthest behind first;
--   strengths ordered first by service priority (00_macros.sql: social care and workforce, then SEND
--     and education, then health), so a health measure leads only where nothing else qualifies;
--     areas for development: the concerns in their rank order (itself by service priority first),
--     then the persistently-behind series by service priority, furthest behind first;
--   spread: candidates are numbered within their service area in that order; the 3 chosen are
--     the first by (number within service area, overall order), so they come from 3 different
--     service areas whenever the council has candidates in 3.
--   topic = the dictionary topic (the first alphabetically for an indicator listed under two).
WITH indicator_topic AS (
    SELECT indicator_code, min(topic) AS topic FROM {{ ref('indicator_topic') }} GROUP BY ALL
),
candidate AS (
    SELECT s.*, h.service_area, h.service_order, h.position AS headline_position, it.topic,
           CASE WHEN s.signal = 'strength' THEN 'strength'
                WHEN s.signal = 'concern' THEN 'area_for_development'
                WHEN s.signal = 'no_signal' AND s.position_latest <= -{{ var('spread_threshold') }} AND s.position_previous <= -{{ var('spread_threshold') }}
                    THEN 'area_for_development'
           END AS kind,
           c.concern_rank
    FROM {{ ref('series_signal') }} AS s
    JOIN {{ ref('headline_indicator') }} AS h USING (indicator_code)
    LEFT JOIN indicator_topic AS it USING (indicator_code)
    LEFT JOIN {{ ref('concerns') }} AS c USING (area_code, indicator_code)
),
ordered AS (
    SELECT *,
           row_number() OVER (PARTITION BY area_code, kind
                              ORDER BY CASE WHEN kind = 'strength' THEN service_priority(service_area) END,
                                       CASE WHEN kind = 'strength' THEN -position_latest END,
                                       concern_rank NULLS LAST, service_priority(service_area), position_latest,
                                       headline_position) AS priority
    FROM candidate
    WHERE kind IS NOT NULL
),
chosen AS (
    SELECT *,
           row_number() OVER (PARTITION BY area_code, kind ORDER BY within_service_area, priority) AS rank_in_kind
    FROM (SELECT *, row_number() OVER (PARTITION BY area_code, kind, service_area ORDER BY priority)
                    AS within_service_area
          FROM ordered)
    QUALIFY rank_in_kind <= 3
)
SELECT c.area_code, c.area_name, c.kind, c.rank_in_kind AS position, c.indicator_code, c.indicator_name,
       c.topic, c.service_area, c.latest_period, c.latest_value, c.latest_band,
       t.latest_rank, t.latest_rank_n,
       CASE WHEN c.kind = 'area_for_development' AND c.signal = 'no_signal'
            THEN c.indicator_name || ' was ' || fmt_value(c.latest_value, c.dps) || ' in ' || c.latest_period
                 || ' against ' || fmt_value(c.england_value, c.dps) || ' for England'
                 || CASE WHEN c.sn_mean IS NOT NULL
                         THEN ' and ' || fmt_value(c.sn_mean, c.dps) || ' for similar councils' ELSE '' END
                 || '; worse than England in ' || c.previous_period || ' too, though not falling further behind.'
            ELSE c.sentence
       END AS reason
FROM chosen AS c
LEFT JOIN {{ ref('trend') }} AS t USING (area_code, indicator_code)
ORDER BY c.area_code, c.kind DESC, position
