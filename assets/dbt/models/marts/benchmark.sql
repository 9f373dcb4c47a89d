-- marts.benchmark: one row per indicator, current council and period (the full grid of
-- core.fact_indicator_value for current councils), with every comparator LAIT shows and more.
-- Rules (docs/methods.md, "Benchmark"):
--   national population = current councils with a numeric value for the indicator and period
--     (abolished councils never count); national_n = its size.
--   q0..q100 = R type-7 quantiles (DuckDB quantile_cont) over the national population.
--   small councils (small_council below: City of London 201, Isles of Scilly 420, each with fewer
--     than 2,000 residents aged 0-17) are shown but never in the national population, ranked or
--     banded: their not_compared_reason says why (docs/methods.md, "Small numbers").
--   compared when polarity is high or low, the indicator is not no_quartile, national_n >= 20
--     and the council has a value; otherwise rank, rank_n, band and percentile are null and
--     not_compared_reason says why.
--   region-only indicator = every current council with a numeric value for it, in any period,
--     is in one region (a regional or local source): it is compared within that region, with
--     the same rules over the same population (its councils), named in comparison_population
--     ('South East councils'; 'England councils' otherwise), and compared from 8 councils
--     (two per quartile band) instead of 20, so a source covering a whole region is banded.
--   rank = 1 + number of councils with a strictly better value (ties take the lowest rank);
--     rank_n = national_n; percentile = 100 * (rank_n - rank) / (rank_n - 1) (100 = best).
--   band: interval [q0,q25] / (q25,q50] / (q50,q75] / (q75,q100] -> A/B/C/D for low polarity,
--     D/C/B/A for high polarity (a value on a cut point belongs to the lower interval).
--   england_value / region_value / subregion_value: the published rows (970, the council's
--     region, Inner or Outer London), never re-aggregated.
--   sn_n = neighbours (of the council's 10) with a value; sn_mean / sn_median over them, null
--     when sn_n < 5. type_mean / type_n over current councils of the same council_type
--     (county, unitary, metropolitan district, London borough), the council included.
--   sn_mean, type_mean and the three gaps are rounded to 10 decimals: DuckDB's parallel avg()
--     adds in an order that depends on thread scheduling, and its last bits decided whether a
--     council level with its neighbours (value 33.8, mean 33.800000000000004) was 'worse' than
--     them, from run to run. Rounded, a council level with its neighbours has a gap of 0.
--   gap_to_england / gap_to_sn / gap_to_region = (value - comparator) * better_sign, where
--     better_sign is +1 for high, -1 for low and +1 (plain difference) for no polarity.
-- How: each comparator is computed once at its own grain and joined to the council rows
-- (window functions over the wide rows were the cost): population = one row per indicator
-- and period (cut points from one quantile_cont call, national_n, the England value and the
-- reason a whole period is not compared); ranked = rank over the compared councils' values
-- only; same_type = one row per indicator, period and council type; neighbour = only the
-- neighbours' numeric values, aggregated per council, indicator and period.
-- Every indicator and period (a "series") is numbered once (series_id), so that those
-- joins and groupings compare one integer instead of two texts.
WITH council AS (
    SELECT area_code, area_name, region_name, london_subregion,
           CASE la_type WHEN 'SC' THEN 'county' WHEN 'UA' THEN 'unitary'
                        WHEN 'MD' THEN 'metropolitan district' ELSE 'London borough' END AS council_type
    FROM {{ ref('dim_area') }}
    WHERE area_kind = 'la' AND is_current
),
small_council AS (
    SELECT * FROM (VALUES
        (201, 'City of London has fewer than 2,000 children: too few to band, rank or flag (shown only)'),
        (420, 'Isles of Scilly has fewer than 2,000 children: too few to band, rank or flag (shown only)')
    ) AS s(area_code, small_reason)
),
indicator AS (
    SELECT indicator_code, polarity, no_quartile,
           CASE polarity WHEN 'high' THEN 1 WHEN 'low' THEN -1 END AS better_sign
    FROM {{ ref('dim_indicator') }}
),
series AS (
    SELECT indicator_code, period_label, row_number() OVER ()::INTEGER AS series_id
    FROM (SELECT DISTINCT indicator_code, period_label FROM {{ ref('fact_indicator_value') }})
),
fact AS (
    SELECT s.series_id, f.indicator_code, f.area_code, f.period_label, f.period_end_year, f.period_order,
           f.value, f.raw_value
    FROM {{ ref('fact_indicator_value') }} AS f
    JOIN series AS s USING (indicator_code, period_label)
),
council_value AS (
    SELECT f.*, c.area_name, c.region_name, c.london_subregion, c.council_type
    FROM fact AS f
    JOIN council AS c USING (area_code)
),
national AS (
    SELECT series_id, indicator_code,
           count(value) AS national_n,
           min(value) AS q0,
           quantile_cont(value, [0.25, 0.5, 0.75]) AS q,
           max(value) AS q100
    FROM council_value
    WHERE area_code NOT IN (SELECT area_code FROM small_council)
    GROUP BY ALL
),
published AS (
    SELECT f.series_id, f.value, a.area_kind, a.area_code,
           a.region_name, a.london_subregion
    FROM fact AS f
    JOIN {{ ref('dim_area') }} AS a USING (area_code)
    WHERE a.area_kind IN ('england', 'region', 'london_subregion')
),
indicator_scope AS (
    -- the population an indicator is compared within: its one region's councils, or England's
    SELECT indicator_code,
           CASE WHEN count(DISTINCT region_name) = 1 THEN any_value(region_name) || ' councils'
                ELSE 'England councils' END AS comparison_population,
           CASE WHEN count(DISTINCT region_name) = 1 THEN any_value(region_name) || ' councils'
                ELSE 'councils' END AS counted_as,
           CASE WHEN count(DISTINCT region_name) = 1 THEN {{ var('min_councils_ranked_in_region') }}
                ELSE {{ var('min_councils_ranked') }} END AS minimum_n
    FROM council_value
    WHERE value IS NOT NULL
    GROUP BY indicator_code
),
population AS (
    SELECT nat.series_id, nat.national_n,
           nat.q0, nat.q[1] AS q25, nat.q[2] AS q50, nat.q[3] AS q75, nat.q100,
           i.polarity, i.better_sign, eng.value AS england_value,
           coalesce(sc.comparison_population, 'England councils') AS comparison_population,
           CASE WHEN i.polarity NOT IN ('high', 'low') THEN 'indicator has no polarity'
                WHEN i.no_quartile THEN 'indicator is marked No_Quartile in the data dictionary'
                WHEN nat.national_n = 0 THEN 'no council has a value for this period'
                WHEN nat.national_n < sc.minimum_n
                    THEN CASE WHEN nat.national_n = 1 THEN 'only 1 of the ' || sc.counted_as || ' has a value'
                              ELSE 'only ' || nat.national_n || ' ' || sc.counted_as || ' have a value' END
                         || ' (fewer than ' || sc.minimum_n || ')'
           END AS population_reason
    FROM national AS nat
    JOIN indicator AS i USING (indicator_code)
    LEFT JOIN indicator_scope AS sc USING (indicator_code)
    LEFT JOIN published AS eng
           ON eng.series_id = nat.series_id AND eng.area_kind = 'england'
),
ranked AS (
    SELECT v.series_id, v.area_code,
           rank() OVER (PARTITION BY v.series_id ORDER BY v.value * p.better_sign DESC) AS rank
    FROM council_value AS v
    JOIN population AS p USING (series_id)
    WHERE p.population_reason IS NULL AND v.value IS NOT NULL
      AND v.area_code NOT IN (SELECT area_code FROM small_council)
),
same_type AS (
    SELECT series_id, council_type, round(avg(value), 10) AS type_mean, count(value) AS type_n
    FROM council_value
    GROUP BY ALL
),
neighbour_values AS (
    -- min(value, 10): the neighbours' values in ascending order (a council has 10 neighbours:
    -- checked in core and by benchmark_sn_n_within_0_to_10), kept in a fixed-size state; a
    -- median() state per group cost 2.5x the time and memory
    SELECT n.area_code, v.series_id,
           count(*) AS sn_n, round(avg(v.value), 10) AS sn_mean, min(v.value, 10) AS sorted_values
    FROM {{ ref('dim_stat_neighbour') }} AS n
    JOIN fact AS v ON v.area_code = n.neighbour_code
    WHERE n.area_code IN (SELECT area_code FROM council) AND v.value IS NOT NULL
    GROUP BY ALL
),
neighbour AS (
    -- median = the middle value, or the mean of the two middle values (bit for bit DuckDB's median)
    SELECT area_code, series_id, sn_n, sn_mean,
           (sorted_values[(sn_n + 1) // 2] + sorted_values[sn_n // 2 + 1]) / 2 AS sn_median
    FROM neighbour_values
),
joined AS (
    SELECT v.*, p.polarity, p.better_sign, p.national_n, p.comparison_population, p.q0, p.q25, p.q50, p.q75, p.q100,
           p.england_value,
           reg.value AS region_value,
           sub.value AS subregion_value,
           coalesce(nb.sn_n, 0) AS sn_n,
           CASE WHEN nb.sn_n >= {{ var('min_neighbours_compared') }} THEN nb.sn_mean END AS sn_mean,
           CASE WHEN nb.sn_n >= {{ var('min_neighbours_compared') }} THEN nb.sn_median END AS sn_median,
           st.type_mean, st.type_n,
           coalesce(p.population_reason, sc.small_reason,
                    CASE WHEN v.value IS NULL
                         THEN 'no value for this council (' || coalesce(v.raw_value, 'missing') || ')' END)
               AS not_compared_reason,
           r.rank,
           CASE WHEN v.value <= p.q25 THEN 1 WHEN v.value <= p.q50 THEN 2 WHEN v.value <= p.q75 THEN 3 ELSE 4 END
               AS interval_from_bottom
    FROM council_value AS v
    JOIN population AS p USING (series_id)
    JOIN same_type AS st USING (series_id, council_type)
    LEFT JOIN ranked AS r USING (series_id, area_code)
    LEFT JOIN small_council AS sc ON sc.area_code = v.area_code
    LEFT JOIN published AS reg
           ON reg.series_id = v.series_id AND reg.area_kind = 'region' AND reg.region_name = v.region_name
    LEFT JOIN published AS sub
           ON sub.series_id = v.series_id
          AND sub.area_kind = 'london_subregion' AND sub.london_subregion = v.london_subregion
    LEFT JOIN neighbour AS nb ON nb.area_code = v.area_code AND nb.series_id = v.series_id
)
SELECT indicator_code, area_code, area_name, period_label, period_end_year, period_order,
       polarity, value,
       england_value, region_value, subregion_value,
       sn_mean, sn_median, sn_n, council_type, type_mean, type_n,
       round((value - england_value) * coalesce(better_sign, 1), 10) AS gap_to_england,
       round((value - region_value) * coalesce(better_sign, 1), 10) AS gap_to_region,
       round((value - sn_mean) * coalesce(better_sign, 1), 10) AS gap_to_sn,
       rank,
       CASE WHEN rank IS NOT NULL THEN national_n END AS rank_n,
       CASE WHEN rank IS NOT NULL THEN
           ['A', 'B', 'C', 'D'][CASE WHEN better_sign = -1 THEN interval_from_bottom ELSE 5 - interval_from_bottom END]
       END AS quartile_band,
       CASE WHEN rank IS NOT NULL THEN 100.0 * (national_n - rank) / (national_n - 1) END AS percentile,
       national_n, q0, q25, q50, q75, q100,
       not_compared_reason, comparison_population
FROM joined
ORDER BY indicator_code, area_code, period_order
