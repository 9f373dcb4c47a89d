-- Ranks and bands the scores of the relation scores (score_rule), for one as-of date: rank 1 =
-- most warning, nationally and within the region; band lower / middle / higher at the cut points
-- fitted on the backtest's fit split (marts.backtest_inspection). Returns one row per council.
-- Called by early_warning_as_of (`peerdata early-warning --as-of`, as of any date).
{% macro score_rank(scores) -%}
WITH cut AS (
    SELECT any_value(band_cut_lower) AS lower_cut, any_value(band_cut_higher) AS higher_cut
    FROM {{ ref('backtest_inspection') }}
),
scored AS (
    SELECT s.area_code, a.area_name, a.region_name, s.as_of_date, s.score, s.level, s.change, s.n_concerns,
           s.n_positioned, s.n_judged,
           CASE WHEN s.score IS NULL OR c.lower_cut IS NULL THEN NULL
                WHEN s.score <= c.lower_cut THEN 'lower'
                WHEN s.score <= c.higher_cut THEN 'middle'
                ELSE 'higher' END AS score_band
    FROM {{ scores }} AS s
    JOIN {{ ref('dim_area') }} AS a USING (area_code)
    CROSS JOIN cut AS c
)
SELECT s.*,
       CASE WHEN s.score IS NOT NULL THEN rank() OVER (PARTITION BY s.score IS NULL ORDER BY s.score DESC) END
           AS rank_national,
       count(s.score) OVER () AS rank_n,
       CASE WHEN s.score IS NOT NULL
            THEN rank() OVER (PARTITION BY s.region_name, s.score IS NULL ORDER BY s.score DESC) END AS rank_region,
       count(s.score) OVER (PARTITION BY s.region_name) AS region_n
FROM scored AS s
{%- endmacro %}
