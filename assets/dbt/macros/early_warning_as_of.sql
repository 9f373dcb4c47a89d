{#- The early-warning scores as of one date, most warning first (`peerdata early-warning --as-of`,
    pipeline/early_warning.py, which runs it with `dbt show --inline`): the same as-of points,
    signal rule, score and ranks as the backtests, on every current
    council, judged only on the figures published by that date (available_from <= as_of_date).
    With the council's concerns as of that date, largest fall first, the newest headline period
    the score could use, and the score's terms (level, change, n_judged). as_of_date: a SQL expression (a quoted date, or a query parameter such as $as_of_date). -#}
{% macro early_warning_as_of(as_of_date) -%}
WITH as_of_point AS (
    {{ councils_as_of(as_of_date) }}
),
signal_asof AS (
    {{ signal_rule(as_of_points='as_of_point', indicators='headline') }}
),
score_asof AS (
    {{ score_rule(as_of_points='as_of_point', signals='signal_asof') }}
),
score_ranked AS (
    {{ score_rank(scores='score_asof') }}
)
SELECT r.rank_national, r.area_code, r.area_name, r.region_name, r.score, r.score_band,
       r.n_concerns, r.n_positioned, r.n_judged, r.level, r.change,
       string_agg(i.indicator_name || ' (' || s.latest_period || ')', '; ' ORDER BY s.change_in_noise_units)
           FILTER (WHERE s.signal = 'concern') AS concerns,
       max(s.latest_end_year) AS newest_end_year
FROM score_ranked AS r
LEFT JOIN signal_asof AS s ON s.area_code = r.area_code
LEFT JOIN {{ ref('indicator_name') }} AS i ON i.indicator_code = s.indicator_code
GROUP BY ALL
ORDER BY r.rank_national NULLS LAST, r.area_name
{%- endmacro %}

{#- Every current council as of one date (as_of_key 0): the points the as-of rules judge. -#}
{% macro councils_as_of(as_of_date) -%}
SELECT 0 AS as_of_key, area_code, {{ as_of_date }}::DATE AS as_of_date
FROM {{ ref('dim_area') }}
WHERE area_kind = 'la' AND is_current
{%- endmacro %}
