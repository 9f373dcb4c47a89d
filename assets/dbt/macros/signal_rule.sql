-- The signal rule, written once: "worse and worsening, and it persists", judged against England
-- in units of noise, as of a date, from marts.series_position. Used by marts.series_signal (as
-- of the current release) and by the backtests (as of past dates). Parameters:
--   as_of_points: a relation (as_of_key, area_code, as_of_date): the councils and dates to judge;
--   indicators: 'all' (every indicator with positions) or 'headline' (the headline indicators
--     with a polarity): the indicators to judge.
-- Returns one row per (as_of_key, area_code, indicator_code). The intermediate models
-- signal_current, signal_yearly and signal_inspection call it.
-- Rules (docs/methods.md, "The signal"), with LEVEL = var('spread_threshold') (0.5 national
-- spreads), STEP = var('change_step') (1.0 noise units), the noise unit var('noise_unit') (1.4826),
-- the base window var('base_window_years') (2 to 4 years) and var('out_of_date_years') (2):
--   points: the council's compared periods published by the date (available_from <= as_of_date),
--     provisional ones left out (a provisional figure is never compared with a final one).
--   out of date: the indicator's newest period ends more than 2 years before the newest period of
--     any indicator published by the date: cannot judge.
--   latest (t): the newest point; it must be the indicator's newest published period (else
--     cannot judge: the council has no value for it) and not a pandemic period (else cannot judge).
--   previous (p): the newest non-pandemic point before t; base (b): the newest non-pandemic
--     point ending 2 to 4 years before t. Without both: cannot judge (too few periods).
--   noise: 1.4826 x the median over all councils of |position(y) - position(y - 2)| for the
--     indicator (pairs published by the date, neither a pandemic period nor provisional).
--   council noise (small councils move more): noise x (median size / the council's size at t) ^ e.
--     Size: the count var('noise_denominators') names for the indicator, else the council's children
--     aged 0-17 (intermediate.council_size), each move sized at its later year (the newest size
--     of a year at or before it). e, the indicator's size exponent: split the sized moves at their
--     median size; e = ln(median move of the smaller half / of the larger half) / ln(median size of
--     the larger half / of the smaller half), kept within [0, var('max_size_exponent')] (0.5, the
--     square root of pure sampling noise; 0 when the small councils move no more, or without sizes).
--     The median-sized council's noise is the indicator's noise; without a size at t, too.
--     The concern and strength rules use the council noise; position_noise and change_in_noise_units
--     stay the indicator's (the first iteration's score and the ranking of concerns use them).
--   concern: position(t) <= -LEVEL and position(p) <= -LEVEL (worse than England, twice running)
--     and position(t) - position(b) <= -STEP x noise (further behind than ordinary movement)
--     and the council is worse than its neighbours' mean at t (or has no neighbour mean).
--   concern (persistent): without that fall, position(t) <= -LEVEL and position(p) <= -LEVEL and
--     in the worst quarter of councils (band D) at both t and p, and worse than the neighbours'
--     mean at t (or none): a level that is bad and persists surfaces even without a fall.
--     concern_kind says which: 'falling' or 'persistent'.
--   strength: position(t) >= LEVEL and position(p) >= LEVEL and position(t) - position(b) >
--     -STEP x noise and better than the neighbours' mean (or none) and tie_share < 0.1 at t.
--   no_signal otherwise, with the reason. pandemic_skipped: the academic years 2020 and 2021 lie
--     between the base and the latest period and were passed over (said in the sentence).
{% macro signal_rule(as_of_points, indicators) -%}
{%- set level = var('spread_threshold') -%}
{%- set step = var('change_step') -%}
{%- if indicators == 'all' -%}
    {%- set judged = '(SELECT DISTINCT indicator_code FROM ' ~ ref('series_position') ~ ')' -%}
{%- elif indicators == 'headline' -%}
    {%- set judged = '(SELECT indicator_code FROM ' ~ ref('headline_indicator') ~ " WHERE polarity IN ('high', 'low'))" -%}
{%- else -%}
    {{ exceptions.raise_compiler_error("signal_rule: indicators must be 'all' or 'headline', not " ~ indicators) }}
{%- endif %}
WITH sized_position AS (
    -- each compared period of the judged indicators with the council's size for the indicator (the
    -- newest at or before its year); the indicators are picked before the join, which DuckDB does
    -- not push a filter below
    SELECT s.*, z.size
    FROM (SELECT * FROM {{ ref('series_position') }} WHERE indicator_code IN {{ judged }}) AS s
    ASOF LEFT JOIN {{ ref('council_size') }} AS z
      ON z.size_measure = {{ size_measure('s.indicator_code') }} AND z.area_code = s.area_code
     AND s.period_end_year >= z.period_end_year
),
point AS (
    SELECT a.as_of_key, a.as_of_date, s.*
    FROM {{ as_of_points }} AS a
    JOIN sized_position AS s
      ON s.area_code = a.area_code AND s.available_from <= a.as_of_date
    WHERE s.period_status <> 'provisional' AND s.position IS NOT NULL
),
newest AS (
    -- the indicator's newest published (non-provisional) period as of each date
    SELECT d.as_of_date, s.indicator_code,
           max(s.period_end_year) AS newest_end_year,
           arg_max(s.is_pandemic, s.period_end_year) AS newest_is_pandemic,
           arg_max(s.period_label, s.period_end_year) AS newest_period
    FROM (SELECT DISTINCT as_of_date FROM {{ as_of_points }}) AS d
    JOIN {{ ref('series_position') }} AS s ON s.available_from <= d.as_of_date
    WHERE s.period_status <> 'provisional'
      AND s.indicator_code IN {{ judged }}
    GROUP BY ALL
),
release_newest AS (
    -- the newest end year of any indicator published by each date, for the out-of-date rule
    SELECT as_of_date, max(newest_end_year) AS release_end_year FROM newest GROUP BY ALL
),
pair AS (
    SELECT x.indicator_code, x.available_from, abs(x.position - y.position) AS move, x.size
    FROM sized_position AS x
    JOIN {{ ref('series_position') }} AS y
      ON y.indicator_code = x.indicator_code AND y.area_code = x.area_code
     AND y.period_end_year = x.period_end_year - 2 AND y.period_kind = x.period_kind
    WHERE NOT x.is_pandemic AND NOT y.is_pandemic
      AND x.period_status <> 'provisional' AND y.period_status <> 'provisional'
      AND x.position IS NOT NULL AND y.position IS NOT NULL
),
noise AS (
    SELECT d.as_of_date, p.indicator_code, {{ var('noise_unit') }} * median(p.move) AS noise
    FROM (SELECT DISTINCT as_of_date FROM {{ as_of_points }}) AS d
    JOIN pair AS p ON p.available_from <= d.as_of_date
    GROUP BY ALL
),
sized_move AS (
    SELECT d.as_of_date, p.indicator_code, p.move, p.size,
           median(p.size) OVER (PARTITION BY d.as_of_date, p.indicator_code) AS size_median
    FROM (SELECT DISTINCT as_of_date FROM {{ as_of_points }}) AS d
    JOIN pair AS p ON p.available_from <= d.as_of_date
    WHERE p.size > 0
),
halves AS (
    SELECT as_of_date, indicator_code, any_value(size_median) AS size_median,
           median(move) FILTER (WHERE size <= size_median) AS move_small,
           median(move) FILTER (WHERE size > size_median) AS move_large,
           median(size) FILTER (WHERE size <= size_median) AS size_small,
           median(size) FILTER (WHERE size > size_median) AS size_large
    FROM sized_move
    GROUP BY ALL
),
size_effect AS (
    SELECT as_of_date, indicator_code, size_median,
           CASE WHEN move_small > 0 AND move_large > 0 AND size_large > size_small
                THEN least(greatest(ln(move_small / move_large) / ln(size_large / size_small), 0),
                           {{ var('max_size_exponent') }})
                ELSE 0 END AS size_exponent
    FROM halves
),
dated_point AS (
    -- each point with the end year of the council's newest point for the indicator (t below):
    -- period_order is end year x 10 + status rank, so the newest point ends in the latest year
    SELECT *,
           {'period': period_label, 'end_year': period_end_year, 'value': value,
            'england': england_value, 'sn_mean': sn_mean, 'gap_to_sn': gap_to_sn,
            'position': position, 'pandemic': is_pandemic, 'band': quartile_band,
            'percentile': percentile, 'tie_share': tie_share, 'kind': period_kind, 'size': size} AS figures,
           max(period_end_year) OVER (PARTITION BY as_of_key, area_code, indicator_code) AS latest_end_year
    FROM point
),
series AS (
    -- t: the newest point; p: the newest non-pandemic point ending before t's year; b: the newest
    -- non-pandemic point ending base_window_years before t's (one pass, no list of points to sort)
    SELECT as_of_key, as_of_date, area_code, indicator_code,
           arg_max(figures, period_order) AS t,
           arg_max(figures, period_order) FILTER (WHERE NOT is_pandemic AND period_end_year < latest_end_year) AS p,
           arg_max(figures, period_order) FILTER (
               WHERE NOT is_pandemic
                 AND period_end_year BETWEEN latest_end_year - {{ var('base_window_years')[1] }}
                                         AND latest_end_year - {{ var('base_window_years')[0] }}) AS b
    FROM dated_point
    GROUP BY ALL
),
picked AS (
    SELECT s.as_of_key, s.as_of_date, s.area_code, s.indicator_code, n.newest_end_year,
           n.newest_is_pandemic, n.newest_period, nz.noise, r.release_end_year,
           se.size_median, coalesce(se.size_exponent, 0) AS size_exponent,
           s.t, s.p, s.b
    FROM series AS s
    JOIN newest AS n USING (as_of_date, indicator_code)
    JOIN release_newest AS r USING (as_of_date)
    LEFT JOIN noise AS nz USING (as_of_date, indicator_code)
    LEFT JOIN size_effect AS se USING (as_of_date, indicator_code)
),
judged AS (
    SELECT *,
           CASE WHEN newest_end_year < release_end_year - {{ var('out_of_date_years') }}
                    THEN 'out of date: the latest period (' || newest_period || ') ends more than two years '
                         || 'before the newest figures of the release'
                WHEN newest_is_pandemic
                    THEN 'the latest period (' || newest_period || ') is a pandemic year (school closures, '
                         || 'teacher-assessed grades): not judged'
                WHEN t.end_year < newest_end_year
                    THEN 'no value for the latest period (' || newest_period || ')'
                WHEN t.pandemic THEN 'the latest value is from a pandemic year'
                WHEN p IS NULL OR b IS NULL
                    THEN 'too few comparable periods (three needed, pandemic years and provisional figures left out)'
                WHEN noise IS NULL OR noise = 0 THEN 'no measure of year-to-year movement for this indicator'
           END AS cannot_reason,
           t.position - b.position AS drop,
           noise * CASE WHEN t.size > 0 AND size_median > 0 THEN power(size_median / t.size, size_exponent) ELSE 1 END
               AS council_noise
    FROM picked
)
SELECT as_of_key, as_of_date, area_code, indicator_code,
       CASE WHEN cannot_reason IS NOT NULL THEN 'cannot_judge'
            WHEN t.position <= -{{ level }} AND p.position <= -{{ level }} AND drop <= -{{ step }} * council_noise
                 AND coalesce(t.gap_to_sn < 0, true) THEN 'concern'
            WHEN t.position <= -{{ level }} AND p.position <= -{{ level }} AND t.band = 'D' AND p.band = 'D'
                 AND coalesce(t.gap_to_sn < 0, true) THEN 'concern'
            WHEN t.position >= {{ level }} AND p.position >= {{ level }} AND drop > -{{ step }} * council_noise
                 AND coalesce(t.gap_to_sn > 0, true) AND t.tie_share < {{ var('tie_share_limit') }} THEN 'strength'
            ELSE 'no_signal'
       END AS signal,
       CASE WHEN cannot_reason IS NULL AND t.position <= -{{ level }} AND p.position <= -{{ level }}
                 AND coalesce(t.gap_to_sn < 0, true)
            THEN CASE WHEN drop <= -{{ step }} * council_noise THEN 'falling'
                      WHEN t.band = 'D' AND p.band = 'D' THEN 'persistent' END
       END AS concern_kind,
       coalesce(cannot_reason,
           CASE WHEN t.position <= -{{ level }} AND p.position <= -{{ level }} AND drop <= -{{ step }} * council_noise
                     AND NOT coalesce(t.gap_to_sn < 0, true)
                    THEN 'worse than England and falling further behind, but not worse than similar councils'
                WHEN t.position <= -{{ level }} AND p.position <= -{{ level }} AND drop <= -{{ step }} * council_noise
                    THEN 'worse than England in ' || p.period || ' and ' || t.period
                         || ', and further behind England than in ' || b.period
                         || ' by more than ordinary year-to-year movement'
                WHEN t.position <= -{{ level }} AND p.position <= -{{ level }} AND t.band = 'D' AND p.band = 'D'
                     AND coalesce(t.gap_to_sn < 0, true)
                    THEN 'in the worst quarter of councils and worse than England in ' || p.period || ' and '
                         || t.period || ': a persistent shortfall, though not falling further behind'
                WHEN t.position <= -{{ level }} AND p.position <= -{{ level }}
                    THEN 'worse than England, but not falling further behind (no more than ordinary year-to-year movement since '
                         || b.period || ')'
                WHEN t.position <= -{{ level }} THEN 'worse than England in ' || t.period || ' only; one period is not yet a pattern'
                WHEN t.position >= {{ level }} AND p.position >= {{ level }} AND drop > -{{ step }} * council_noise AND t.tie_share >= {{ var('tie_share_limit') }}
                    THEN 'better than England, but the value is shared by at least 10% of councils (a floor or ceiling)'
                WHEN t.position >= {{ level }} AND p.position >= {{ level }} AND drop > -{{ step }} * council_noise
                     AND NOT coalesce(t.gap_to_sn > 0, true)
                    THEN 'better than England, but not better than similar councils'
                WHEN t.position >= {{ level }} AND p.position >= {{ level }} AND drop > -{{ step }} * council_noise
                    THEN 'better than England in ' || p.period || ' and ' || t.period
                         || ', and not slipping back since ' || b.period
                WHEN t.position >= {{ level }} AND p.position >= {{ level }} THEN 'better than England, but slipping back since ' || b.period
                WHEN t.position >= {{ level }} THEN 'better than England in ' || t.period || ' only; one period is not yet a pattern'
                ELSE 'close to England (within half the usual spread between councils)'
           END) AS reason,
       t.period AS latest_period, t.end_year AS latest_end_year, t.value AS latest_value,
       t.england AS england_value, t.sn_mean, t.band AS latest_band, t.percentile AS latest_percentile,
       t.position AS position_latest,
       p.band AS previous_band,
       p.period AS previous_period, p.value AS previous_value, p.england AS previous_england_value,
       p.position AS position_previous,
       b.period AS since_period, b.value AS since_value, b.england AS since_england_value,
       b.position AS position_since,
       drop AS position_change, noise AS position_noise, council_noise, t.size AS council_size,
       size_exponent,
       CASE WHEN drop IS NOT NULL AND noise > 0 THEN drop / noise END AS change_in_noise_units,
       coalesce(t.kind = 'academic' AND b.end_year < {{ var('pandemic_end_years')[1] }} AND t.end_year > {{ var('pandemic_end_years')[0] }}, false) AS pandemic_skipped
FROM judged
{%- endmacro %}
