-- marts.region_theme: the themes that run across a region (docs/methods.md "Regional themes"):
-- per region and headline indicator with a polarity, how many of the region's councils with a
-- judged series (marts.series_signal: concern, strength or no_signal) have a concern or sit in the
-- worst quarter, and how the region's own published figure moved against England's since a base
-- period 2 to 4 years before its latest (not a pandemic year, 2020 or 2021), in national spreads
-- ((q75 - q25) / 1.349 of the period). A theme: at least 3 councils and 40% of those judged
-- of concern (vars theme_min_councils, theme_share_of_concern), or the region worse than England by
-- half a spread and half a spread further behind since the base (var spread_threshold, both). Ranked within the region: the share of concern, then the fall against England.
WITH council AS (
    SELECT area_code, area_name, region_name FROM {{ ref('dim_area') }} WHERE area_kind = 'la' AND is_current
),
judged AS (
    SELECT c.region_name, c.area_name, s.indicator_code, s.indicator_name, h.service_area, h.service_order, h.position,
           s.signal = 'concern' OR s.latest_band = 'D' AS of_concern
    FROM {{ ref('series_signal') }} AS s
    JOIN {{ ref('headline_indicator') }} AS h USING (indicator_code)
    JOIN council AS c USING (area_code)
    WHERE s.signal IN ('concern', 'strength', 'no_signal') AND h.polarity IN ('high', 'low')
),
of_concern AS (
    SELECT region_name, indicator_code, any_value(indicator_name) AS indicator_name,
           any_value(service_area) AS service_area, any_value(service_order) AS service_order,
           any_value(position) AS headline_position,
           count(*) AS councils_judged, count(*) FILTER (of_concern) AS councils_of_concern,
           coalesce(list(area_name ORDER BY area_name) FILTER (of_concern), []) AS council_names_of_concern
    FROM judged GROUP BY region_name, indicator_code
),
region_series AS (  -- the region's published figure and England's, per period (the same on every council row)
    SELECT c.region_name, b.indicator_code, b.period_label, b.period_order, b.period_end_year,
           any_value(b.region_value) AS region_value, any_value(b.england_value) AS england_value,
           any_value((b.q75 - b.q25) / 1.349) AS spread,
           any_value(CASE b.polarity WHEN 'high' THEN 1 ELSE -1 END) AS better
    FROM {{ ref('benchmark') }} AS b JOIN council AS c USING (area_code)
    WHERE b.region_value IS NOT NULL AND b.england_value IS NOT NULL AND b.q75 > b.q25 AND b.polarity IN ('high', 'low')
    GROUP BY ALL
),
latest AS (
    SELECT * FROM region_series
    QUALIFY row_number() OVER (PARTITION BY region_name, indicator_code ORDER BY period_order DESC) = 1
),
base AS (
    SELECT r.* FROM region_series AS r JOIN latest AS l USING (region_name, indicator_code)
    WHERE r.period_end_year BETWEEN l.period_end_year - {{ var('base_window_years')[1] }} AND l.period_end_year - {{ var('base_window_years')[0] }}
      AND r.period_end_year NOT IN ({{ var('pandemic_end_years') | join(', ') }})
    QUALIFY row_number() OVER (PARTITION BY r.region_name, r.indicator_code ORDER BY r.period_order DESC) = 1
),
moved AS (
    SELECT l.region_name, l.indicator_code, l.period_label AS latest_period, l.region_value, l.england_value,
           b.period_label AS since_period, b.region_value AS since_region_value, b.england_value AS since_england_value,
           l.better * (l.region_value - l.england_value) / l.spread AS region_position,
           l.better * (l.region_value - l.england_value) / l.spread
               - b.better * (b.region_value - b.england_value) / b.spread AS region_position_change
    FROM latest AS l LEFT JOIN base AS b USING (region_name, indicator_code)
),
themed AS (
    SELECT f.*, f.councils_of_concern / f.councils_judged AS share_of_concern, m.* EXCLUDE (region_name, indicator_code),
           f.councils_judged >= {{ var('theme_min_councils') }} AND f.councils_of_concern >= {{ var('theme_share_of_concern') }} * f.councils_judged
               AS widespread,
           coalesce(m.region_position <= -{{ var('spread_threshold') }} AND m.region_position_change <= -{{ var('spread_threshold') }}, false)
               AS region_fell_behind
    FROM of_concern AS f LEFT JOIN moved AS m USING (region_name, indicator_code)
)
SELECT t.region_name,
       row_number() OVER (PARTITION BY t.region_name ORDER BY t.share_of_concern DESC, t.region_position_change,
                                                              t.service_order, t.headline_position) AS theme_rank,
       t.indicator_code, t.indicator_name, t.service_area, t.councils_judged, t.councils_of_concern, t.share_of_concern,
       t.council_names_of_concern, t.widespread, t.region_fell_behind, t.latest_period, t.region_value, t.england_value,
       t.since_period, t.since_region_value, t.since_england_value, t.region_position, t.region_position_change,
       t.indicator_name || ': ' || t.councils_of_concern || ' of ' || t.councils_judged
           || ' councils have a concern or are in the worst quarter'
           || CASE WHEN t.councils_of_concern > 0 THEN ' (' || array_to_string(t.council_names_of_concern, ', ') || ')' ELSE '' END
           || CASE WHEN t.region_value IS NOT NULL THEN '; ' || t.region_name || ' ' || fmt_value(t.region_value, coalesce(i.dps, 1))
                   || ' against ' || fmt_value(t.england_value, coalesce(i.dps, 1)) || ' for England in ' || t.latest_period
                   || CASE WHEN t.region_fell_behind THEN ', further behind England than in ' || t.since_period || ' ('
                           || fmt_value(t.since_region_value, coalesce(i.dps, 1)) || ' against '
                           || fmt_value(t.since_england_value, coalesce(i.dps, 1)) || ')' ELSE '' END
              ELSE '' END || '.' AS sentence
FROM themed AS t
JOIN {{ ref('dim_indicator') }} AS i USING (indicator_code)
WHERE t.widespread OR t.region_fell_behind
ORDER BY t.region_name, theme_rank
