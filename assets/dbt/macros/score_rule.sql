-- The early-warning score, written once, as of each (as_of_key, area_code, as_of_date) of the
-- relation as_of_points, from marts.series_position and the relation signals (the signal rule,
-- macros/signal_rule.sql, judged as of the same points on the headline indicators). Returns one
-- row per as-of point; the intermediate model score_inspection (the backtests) and
-- early_warning_as_of (`peerdata early-warning --as-of`) call it. Rules (docs/methods.md, "The score"),
-- with the clamp var('score_clamp') (3):
--   level = mean over the headline indicators with a polarity of the council's shortfall against
--     England, -position, at its newest published, non-provisional, non-pandemic compared period,
--     each clamped to [-3, 3] (so one extreme value cannot dominate);
--   change = mean over the headline series the signal rule judged of the fall against England
--     in noise units, -change_in_noise_units, clamped to [-3, 3]; 0 when none was judged;
--   score = level + change / 2 (higher = more warning); null (cannot judge) when fewer than half
--     of the headline indicators with a polarity have a position by the date (a council created
--     recently, or a date before most figures were published: a mean of a few figures is no score).
--   n_concerns = headline series whose signal is 'concern'.
--   The two means add in indicator order (ORDER BY): DuckDB's parallel sums otherwise add in
--     any order, and the last bits of a score differed between two builds of the same release.
--   band_d_share (the naive baseline) = share of those newest headline periods in band D, under
--     the same condition as the score (at least half of the headline indicators).
{% macro score_rule(as_of_points, signals) -%}
{%- set clamp = var('score_clamp') %}
WITH headline AS (
    SELECT indicator_code FROM {{ ref('headline_indicator') }} WHERE polarity IN ('high', 'low')
),
newest AS (
    SELECT a.as_of_key, a.area_code, s.indicator_code,
           arg_max(s.position, s.period_order) AS position,
           arg_max(s.quartile_band, s.period_order) AS band
    FROM {{ as_of_points }} AS a
    JOIN {{ ref('series_position') }} AS s
      ON s.area_code = a.area_code AND s.available_from <= a.as_of_date
    WHERE s.indicator_code IN (SELECT indicator_code FROM headline)
      AND s.period_status <> 'provisional' AND NOT s.is_pandemic AND s.position IS NOT NULL
    GROUP BY ALL
),
level AS (
    SELECT as_of_key, area_code,
           avg(least(greatest(-position, -{{ clamp }}), {{ clamp }}) ORDER BY indicator_code) AS level,
           count(*) AS n_positioned,
           avg((band = 'D')::INTEGER) AS band_d_share
    FROM newest
    GROUP BY ALL
),
change AS (
    SELECT as_of_key, area_code,
           avg(least(greatest(-change_in_noise_units, -{{ clamp }}), {{ clamp }}) ORDER BY indicator_code)
               FILTER (WHERE signal <> 'cannot_judge') AS change,
           count(*) FILTER (WHERE signal <> 'cannot_judge') AS n_judged,
           count(*) FILTER (WHERE signal = 'concern') AS n_concerns
    FROM {{ signals }}
    WHERE indicator_code IN (SELECT indicator_code FROM headline)
    GROUP BY ALL
)
SELECT a.as_of_key, a.area_code, a.as_of_date,
       l.level, coalesce(c.change, 0) AS change,
       CASE WHEN 2 * l.n_positioned >= (SELECT count(*) FROM headline) THEN l.level + coalesce(c.change, 0) / 2 END
           AS score,
       coalesce(l.n_positioned, 0) AS n_positioned, coalesce(c.n_judged, 0) AS n_judged,
       coalesce(c.n_concerns, 0) AS n_concerns,
       CASE WHEN 2 * l.n_positioned >= (SELECT count(*) FROM headline) THEN l.band_d_share END AS band_d_share
FROM {{ as_of_points }} AS a
LEFT JOIN level AS l USING (as_of_key, area_code)
LEFT JOIN change AS c USING (as_of_key, area_code)
{%- endmacro %}
