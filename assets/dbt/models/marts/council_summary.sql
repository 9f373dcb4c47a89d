-- marts.council_summary: one row per current council and topic, plus an 'All topics' row.
-- Rules (docs/methods.md, "Council summary"):
--   indicators_with_data = indicators with a marts.trend row (any numeric value);
--   polar_indicators = those with polarity high/low that are not stale;
--   band_a..band_d = latest-period bands;
--   concerns / strengths = the council's series of the topic whose signal (marts.series_signal) is
--     concern / strength; headline_concerns / headline_strengths = those on the headline set (what
--     marts.concerns and the profile's strengths are drawn from).
-- The inspection-risk signal and its rank are in marts.risk_signal only.
WITH current_release AS (
    SELECT arg_max(release_id, published_at) AS release_id FROM {{ source('core', 'release_history') }}
),
per_indicator AS (
    SELECT t.indicator_code, t.area_code,
           t.polarity IN ('high', 'low') AND NOT t.stale AS is_polar,
           t.latest_band, s.signal, coalesce(s.is_headline, false) AS is_headline
    FROM {{ ref('trend') }} AS t
    LEFT JOIN {{ ref('series_signal') }} AS s USING (indicator_code, area_code)
),
topic AS (
    SELECT indicator_code, topic FROM {{ ref('indicator_topic') }}
    UNION ALL
    SELECT indicator_code, 'All topics' FROM {{ ref('dim_indicator') }}
),
counted AS (
    SELECT p.area_code, tp.topic,
           count(*) AS indicators_with_data,
           count(*) FILTER (WHERE p.is_polar) AS polar_indicators,
           count(*) FILTER (WHERE p.latest_band = 'A') AS band_a,
           count(*) FILTER (WHERE p.latest_band = 'B') AS band_b,
           count(*) FILTER (WHERE p.latest_band = 'C') AS band_c,
           count(*) FILTER (WHERE p.latest_band = 'D') AS band_d,
           count(*) FILTER (WHERE p.signal = 'concern') AS concerns,
           count(*) FILTER (WHERE p.signal = 'strength') AS strengths,
           count(*) FILTER (WHERE p.signal = 'concern' AND p.is_headline) AS headline_concerns,
           count(*) FILTER (WHERE p.signal = 'strength' AND p.is_headline) AS headline_strengths
    FROM per_indicator AS p
    JOIN topic AS tp USING (indicator_code)
    GROUP BY ALL
)
SELECT c.area_code, a.area_name, a.region_name, c.topic,
       c.indicators_with_data, c.polar_indicators,
       c.band_a, c.band_b, c.band_c, c.band_d,
       c.concerns, c.strengths, c.headline_concerns, c.headline_strengths,
       cr.release_id
FROM counted AS c
JOIN {{ ref('dim_area') }} AS a USING (area_code)
CROSS JOIN current_release AS cr
WHERE a.area_kind = 'la' AND a.is_current
ORDER BY c.area_code, c.topic = 'All topics' DESC, c.topic
